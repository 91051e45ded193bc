"""The importer is a package of small modules, one per concern; no production module holds a test hook."""

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


# Hooks that once lived in production code for tests: the loader's pause (now tests/crash_loader.py,
# which replaces jsw_explorer.ingest.transaction.checkpoint) and the controls' allowed values for
# the filter sweep (now the record_url_choices fixture in tests/conftest.py).
TEST_HOOKS = ("PAUSE_AT", "TEST_PAUSE", "URL_CHOICES", "_url_choices")


def test_production_code_holds_no_test_hooks():
    sources = [*(APP_ROOT / "jsw_explorer").rglob("*.py"), *(APP_ROOT / "pages").glob("*.py"),
               APP_ROOT / "streamlit_app.py"]
    assert len(sources) > 20 and APP_ROOT / "jsw_explorer" / "filters.py" in sources
    found = {(str(path.relative_to(APP_ROOT)), hook) for path in sources for hook in TEST_HOOKS
             if hook in path.read_text()}
    assert not found


def test_the_command_line_still_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "jsw_explorer.ingest", "--help"], cwd=APP_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m jsw_explorer.ingest") and "--dry-run" in result.stdout
