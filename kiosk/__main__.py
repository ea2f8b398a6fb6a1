"""`python -m kiosk` is `kiosk` (as is `python -m app.cli`).

The one import of the top layer from kiosk/: a module run as ``__main__`` is imported by nobody, so it does not
make kiosk/ depend on app/ (pyproject.toml's import-linter contract ignores this import, and says why).
"""

import sys

from app.cli import main

sys.exit(main())
