"""`python -m kiosk.cli` is `kiosk`."""

import sys

from kiosk.cli import main

sys.exit(main())
