"""The deployment files agree with each other and with the local harness (no processes started)."""

from __future__ import annotations

import re
import sys

from helpers import APP_ROOT

DEPLOY = APP_ROOT / "deploy"
sys.path.insert(0, str(APP_ROOT / "scripts"))
import load_test  # noqa: E402
from cluster import haproxy_config  # noqa: E402

REPLICAS = ("app1", "app2", "app3")


def test_the_harness_runs_the_compose_configuration_with_only_the_server_lines_changed():
    template = (DEPLOY / "haproxy.cfg").read_text()
    local = haproxy_config([9001, 9002])
    assert "    server app1 127.0.0.1:9001 cookie app1" in local and "    server app2 127.0.0.1:9002 cookie app2" in local
    assert "app3" not in local
    server_lines = re.compile(r"^\s*server .*\n", re.M)
    assert server_lines.sub("", local) == server_lines.sub("", template)


def test_compose_runs_the_replicas_that_haproxy_balances_on_one_shared_database():
    template = (DEPLOY / "haproxy.cfg").read_text()
    compose = (DEPLOY / "compose.yaml").read_text()
    for name in REPLICAS:
        assert f"\n  {name}: *app" in compose and f"server {name} {name}:8501 cookie {name}" in template
    assert "JSW_DB_PATH: /srv/jsw/jsw.duckdb" in compose and "jsw-db:/srv/jsw" in compose
    assert "jsw-uploads:/app/data/uploads" in compose, "accepted returns and the import lock are shared too"
    assert "condition: service_completed_successfully" in compose and "jsw_explorer.startup" in compose
    assert all(f"${{{name}}}" in template and f"{name}:" in compose for name in ("JSW_LB_BIND", "JSW_LB_STATS_BIND"))


def test_the_image_is_slim_pinned_non_root_built_and_health_checked():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.\d+-slim", dockerfile, re.M)
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    requirements = [line.split("#")[0].strip() for line in (APP_ROOT / "requirements.txt").read_text().splitlines()]
    assert all("==" in line for line in requirements if line), "every runtime requirement is pinned"
    user = dockerfile.index("\nUSER jsw")
    assert dockerfile.index("RUN python -m jsw_explorer.build") > user, "the database is built, as the app user"
    assert re.search(r"HEALTHCHECK .*\n.*/_stcore/health", dockerfile)
    assert '"jsw_explorer.serve"' in dockerfile
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    assert {"data/uploads", ".streamlit/secrets.toml", ".venv"} <= set(ignored)


def test_protocol_sessions_send_the_filter_changes_as_the_url_query():
    groups, codes = ["scotland", "people-1", "people-2"], ["S1", "S2", "S3"]
    query = load_test.protocol_query({}, "open page", 0, groups, codes)
    assert query == {}
    query = load_test.protocol_query(query, "peer group", 4, groups, codes)
    assert query == {"group": "people-1"}
    query = load_test.protocol_query(query, "authority", 2, groups, codes)
    query = load_test.protocol_query(query, "authority", 3, groups, codes)
    assert query == {"group": "people-1", "authority": "S1,S3"}


def test_the_cluster_summary_reports_each_replica():
    steps = [("first visit", "overview", 2.0), ("peer group", "overview", 1.0), ("authority", "overview", 1.5)]
    records = [{"session": i, "steps": steps, "errors": [], "completed": True} for i in range(2)]
    replicas = [("app1", 1, (50 * 2**20, 400 * 2**20, 390 * 2**20), 16.0),
                ("app2", 1, (50 * 2**20, 380 * 2**20, 370 * 2**20), 15.2)]
    text, ok = load_test.summarise(records, 2, 3, (0, 0, 0), 12.0, ["overview"], setting="(2 protocol-level)",
                                   replicas=replicas)
    assert ok and "| app1: sessions served, RSS before / peak / after, CPU | 1, 50 MB / 400 MB / 390 MB, 16 s |" in text
    assert "server RSS" not in text and "(2 protocol-level)" in text
