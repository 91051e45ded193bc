"""List pinned requirements that are behind the package index: `make outdated`.

Reads the `name==version` pins in requirements.txt and requirements-dev.txt and asks pip (which uses
the configured index) for the newest release of each. Exit status 1 when any pin is behind, so a
scheduled CI job can flag drift; it is not part of `make test` because the index changes by itself.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


def pins(*files: Path) -> dict[str, str]:
    found = {}
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if match := PIN.match(line):
                found[normalise(match.group(1))] = match.group(2)
    return found


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def latest_versions() -> dict[str, str]:
    """Newest index release of every installed package that pip reports as outdated."""
    listed = subprocess.run([sys.executable, "-m", "pip", "list", "--outdated", "--format=json"],
                            capture_output=True, text=True, check=True).stdout
    return {normalise(p["name"]): p["latest_version"] for p in json.loads(listed or "[]")}


def behind(pinned: dict[str, str], latest: dict[str, str]) -> list[tuple[str, str, str]]:
    return sorted((name, version, latest[name]) for name, version in pinned.items()
                  if name in latest and latest[name] != version)


def main() -> int:
    pinned = pins(APP_ROOT / "requirements.txt", APP_ROOT / "requirements-dev.txt")
    stale = behind(pinned, latest_versions())
    for name, version, newest in stale:
        print(f"{name:28} pinned {version:14} index {newest}")
    print(f"{len(stale)} of {len(pinned)} pins behind the index" if stale else f"all {len(pinned)} pins current")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
