"""The command-line loader, for the crash tests: with --pause-at STEP it stops at that step of the
load (jsw_explorer.ingest.transaction.checkpoint) and says so, so the test can kill it there.

    python tests/crash_loader.py [--pause-at STEP] FILE --data-dir DIR --db PATH --by NAME
"""

from __future__ import annotations

import sys
import time

from jsw_explorer.ingest import cli, transaction


def pause_at(step: str):
    def checkpoint(reached: str) -> None:
        if reached == step:
            print(f"paused at {step}", flush=True)
            time.sleep(60)
    return checkpoint


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--pause-at"]:
        transaction.checkpoint = pause_at(arguments[1])
        arguments = arguments[2:]
    sys.exit(cli.main(arguments))
