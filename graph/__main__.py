"""``python -m graph``: the command-line interface (see graph/cli)."""

import sys

from graph.cli import main

sys.exit(main())
