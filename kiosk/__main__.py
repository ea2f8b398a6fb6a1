"""`python -m kiosk` is `kiosk` (as is `python -m kiosk.cli`)."""

import sys

from kiosk.cli import main

sys.exit(main())
