"""``python -m briefgen``: the command line."""

import sys

from .tools.cli import main

sys.exit(main())
