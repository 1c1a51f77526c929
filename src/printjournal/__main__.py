"""``python -m printjournal``: the same as the ``printjournal`` command."""

import sys

from .cli import main

sys.exit(main())
