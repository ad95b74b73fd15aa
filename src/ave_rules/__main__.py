"""``python -m ave_rules`` works like the ``ave-rules`` command."""

import sys

from .cli import main

sys.exit(main())
