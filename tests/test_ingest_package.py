"""The importer is a package of small modules, one per concern, with no test hooks in it."""

from __future__ import annotations

import subprocess
import sys

from jsw_explorer.config import APP_ROOT

PACKAGE = APP_ROOT / "jsw_explorer" / "ingest"


def test_every_module_of_the_importer_is_under_400_lines():
    sizes = {path.name: len(path.read_text().splitlines()) for path in PACKAGE.glob("*.py")}
    assert {"reading.py", "xlsx.py", "sheet_checks.py", "cross_checks.py", "normalising.py", "checking.py",
            "transaction.py", "cli.py"} <= set(sizes)
    assert not {name: lines for name, lines in sizes.items() if lines > 400}
    assert not (APP_ROOT / "jsw_explorer" / "ingest.py").exists()


def test_production_code_holds_no_test_hooks():
    for path in (APP_ROOT / "jsw_explorer").rglob("*.py"):
        text = path.read_text()
        assert "PAUSE_AT" not in text and "TEST_PAUSE" not in text, path


def test_the_command_line_still_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "jsw_explorer.ingest", "--help"], cwd=APP_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m jsw_explorer.ingest") and "--dry-run" in result.stdout
