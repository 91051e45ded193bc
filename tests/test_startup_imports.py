"""The app starts without the libraries that only downloads, imports and briefings need (issue 10:
they cost about a second and 60-70 MB at start): they are imported where they are used."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from helpers import APP_ROOT, ENTRYPOINT

HEAVY = ("pandera", "openpyxl", "vl_convert", "fpdf", "pptx")

# A fresh interpreter, since this test process has imported them all by now. Routing as in conftest.
SCRIPT = f"""
import json, sys
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import app_test

class NavigationOnly(PagesManager):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False

app_test.PagesManager = NavigationOnly
from streamlit.testing.v1 import AppTest

heavy = {HEAVY!r}
loaded = lambda: [name for name in heavy if name in sys.modules]
at = AppTest.from_file({ENTRYPOINT!r}, default_timeout=120).run()
report = {{"errors": [str(e.value) for e in at.exception], "home": loaded()}}
at.toggle(key="images-scotland-cpo-commenced").set_value(True).run()
report["after_images"] = loaded()
print(json.dumps(report))
"""


def test_the_home_page_runs_without_importing_download_import_or_briefing_libraries(database):
    env = {**os.environ, "JSW_DB_PATH": str(database)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=APP_ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["home"] == []
    # The check sees an import when one happens: asking for chart images brings in vl-convert.
    assert "vl_convert" in report["after_images"]
