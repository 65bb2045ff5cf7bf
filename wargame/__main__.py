"""``python -m wargame``: the same command, with the same error boundary."""
import sys

from wargame.cli import main

sys.exit(main())
