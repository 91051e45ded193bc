"""`make outdated`: pins are read from the requirement files and compared with the index's releases."""

from __future__ import annotations

import importlib.util

from helpers import APP_ROOT

spec = importlib.util.spec_from_file_location("outdated", APP_ROOT / "scripts" / "outdated.py")
outdated = importlib.util.module_from_spec(spec)
spec.loader.exec_module(outdated)


def test_every_requirement_line_is_an_exact_pin_that_the_script_reads():
    for name in ("requirements.txt", "requirements-dev.txt"):
        lines = [line.split("#")[0].strip() for line in (APP_ROOT / name).read_text().splitlines()]
        requirements = [line for line in lines if line and not line.startswith("-r")]
        assert requirements and all("==" in line for line in requirements), name
    pinned = outdated.pins(APP_ROOT / "requirements.txt", APP_ROOT / "requirements-dev.txt")
    assert pinned["streamlit"] and pinned["vl-convert-python"] and pinned["pytest"]


def test_a_pin_behind_the_index_is_listed_and_a_current_one_is_not(tmp_path):
    file = tmp_path / "requirements.txt"
    file.write_text("Foo_Bar==1.0  # why\nbaz==2.0\n-r other.txt\n")
    pinned = outdated.pins(file)
    assert pinned == {"foo-bar": "1.0", "baz": "2.0"}
    assert outdated.behind(pinned, {"foo-bar": "1.2", "qux": "9"}) == [("foo-bar", "1.0", "1.2")]
