"""Entry point for `python -m triage`."""

import sys

from .cli import main

sys.exit(main())
