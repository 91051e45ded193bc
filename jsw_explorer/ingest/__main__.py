"""python -m jsw_explorer.ingest FILE ...: see jsw_explorer.ingest.cli."""

import sys

from jsw_explorer.ingest.cli import main

sys.exit(main())
