"""`python -m app.cli` is `kiosk` (as is `python -m kiosk`)."""

import sys

from app.cli import main

sys.exit(main())
