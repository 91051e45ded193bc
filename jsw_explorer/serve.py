"""Serve the app: `python -m jsw_explorer.serve [streamlit options]` (what `make run` and deploy/ use).

Streamlit (checked up to 1.67) still switches an app that has a folder named pages/ to its legacy
"multipage v1" routing until st.navigation has run once in the process. The fixed layout keeps the
pages in pages/, so on a fresh server the very first request for /about ran pages/about.py without
streamlit_app.py, and the sidebar briefly listed the raw file names. Clearing the flag before the
server starts means no session ever sees legacy routing. `streamlit run streamlit_app.py` still works
without this launcher: filters.current_filters() reroutes such a first request through the app.
tests/test_routing.py fails the day Streamlit renames or drops the private flag.
"""

from __future__ import annotations

import sys

from jsw_explorer.config import APP_ROOT


def main(arguments: list[str]) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP_ROOT / "streamlit_app.py"), *arguments]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
