"""Data the browser fetches once, by address, instead of inside every chart spec (the map's boundaries).

Streamlit serves a declared component's folder at component/<name>/<file>
(streamlit.components.v1.declare_component, a public API); this component is never drawn, only its
folder served. The folder is this process's own temporary folder, removed when the process ends.
Each file is named by its content's hash, so one address always means the same bytes: a chart spec
that names it stays valid and cacheable, and a new database with new boundaries gets a new address.
Image files and briefings keep the data inline (they are drawn without the server).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

COMPONENT = "served"
COMPONENT_NAME = f"{__name__}.{COMPONENT}"  # how declare_component names it when called from this module

_lock = threading.Lock()
_folder: Path | None = None


def file_name(text: str, suffix: str = ".json") -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24] + suffix


def address(name: str) -> str:
    """Where the browser finds a served file: from the server's root, under its base path if it has one."""
    from streamlit import config

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + (f"{base}/" if base else "") + f"component/{COMPONENT_NAME}/{name}"


def folder() -> Path:
    global _folder
    with _lock:
        if _folder is None:
            _folder = Path(tempfile.mkdtemp(prefix="jsw-explorer-served-"))
            atexit.register(shutil.rmtree, _folder, True)
        return _folder


def serve(files: dict[str, str]) -> None:
    """Make each file (name -> text) available at address(name) for this run's browser.

    Called on every run that draws a spec naming the files: the component is registered with the
    running app (a new server, or a replica a session fails over to, has not seen it), and a file is
    written, whole or not at all, only if it is not there yet.
    """
    import streamlit.components.v1 as components

    root = folder()
    for name, text in files.items():
        path = root / name
        if path.exists():
            continue
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=root, suffix=".partial", delete=False) as handle:
            handle.write(text)
        os.replace(handle.name, path)
    declared = components.declare_component(COMPONENT, path=str(root))
    if declared.name != COMPONENT_NAME:  # Streamlit changed how it names components: addresses would 404
        raise RuntimeError(f"served files are registered as {declared.name}, not {COMPONENT_NAME}")
