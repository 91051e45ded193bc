"""The deployment without containers: Debian's haproxy with deploy/haproxy.cfg in front of N replicas.

Run `python scripts/cluster.py [--replicas 3] [--port 8080]` to try it by hand (Ctrl+C stops it), or
use `running_cluster()` (the cluster tests and `scripts/load_test.py --replicas N`). Every replica is
`python -m jsw_explorer.serve` on its own loopback port, sharing one database file (JSW_DB_PATH) and
one data folder (JSW_DATA_DIR: accepted returns, import log, import lock), as the compose file's
replicas share their volumes. The balancer runs deploy/haproxy.cfg with only the server lines between
"replicas: begin" and "replicas: end" rewritten to the loopback ports.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
for _path in (APP_ROOT, APP_ROOT / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from browser_support import ARTIFACTS, free_port, running_app, stop  # noqa: E402

HAPROXY_CONFIG = APP_ROOT / "deploy" / "haproxy.cfg"
SERVER_BLOCK = re.compile(r"(# replicas: begin\n)(.*?)(\s*# replicas: end)", re.S)
SERVER_LINE = re.compile(r"^(\s*)server (\S+) (\S+) (.*)$", re.M)


def haproxy_config(ports: list[int], template: str | None = None) -> str:
    """deploy/haproxy.cfg with one server line per replica port, written like the file's first one."""
    template = template if template is not None else HAPROXY_CONFIG.read_text(encoding="utf-8")
    block = SERVER_BLOCK.search(template)
    if block is None:
        raise ValueError("deploy/haproxy.cfg has no '# replicas: begin' ... '# replicas: end' block")
    indent, name, _address, rest = SERVER_LINE.search(block.group(2)).groups()
    first = name.rstrip("0123456789")
    lines = [f"{indent}server {first}{i} 127.0.0.1:{port} {rest.replace(name, f'{first}{i}')}"
             for i, port in enumerate(ports, start=1)]
    return template[:block.start(2)] + "\n".join(lines) + template[block.end(2):]


@dataclass
class Replica:
    name: str
    url: str
    process: subprocess.Popen


@dataclass
class Cluster:
    url: str
    stats_url: str
    replicas: list[Replica]
    database: Path
    data_dir: Path
    env: dict = field(default_factory=dict)

    def replica(self, name: str) -> Replica:
        return next(r for r in self.replicas if r.name == name)

    def server_stats(self) -> dict[str, dict[str, str]]:
        """Replica name -> the balancer's statistics row for it (status, chkdown, scur...)."""
        with urllib.request.urlopen(self.stats_url + ";csv", timeout=5) as response:
            rows = csv.DictReader(io.StringIO(response.read().decode().lstrip("# ")))
            return {row["svname"]: row for row in rows if row["pxname"] == "app"
                    and row["svname"] not in ("FRONTEND", "BACKEND")}

    def server_states(self) -> dict[str, str]:
        """Replica name -> what the balancer thinks of it ("UP", "DOWN", "DRAIN", "UP 1/2"...)."""
        return {name: row["status"] for name, row in self.server_stats().items()}

    def times_marked_down(self) -> dict[str, int]:
        return {name: int(row["chkdown"] or 0) for name, row in self.server_stats().items()}

    def wait_for_states(self, wanted: dict[str, str], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                states = self.server_states()
            except OSError as error:  # the balancer is still starting
                states = {"balancer": str(error)}
            if all(states.get(name) == state for name, state in wanted.items()):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"balancer states {states}, wanted {wanted}")
            time.sleep(0.3)


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if not found:
        raise RuntimeError("haproxy not found; install the Debian 'haproxy' package")
    return found


@contextmanager
def running_balancer(ports: list[int], port: int | None = None):
    """Debian's haproxy in the foreground on a loopback port; yields (url, stats_url)."""
    port, stats_port = port or free_port(), free_port()
    env = {**os.environ, "JSW_LB_BIND": f"127.0.0.1:{port}", "JSW_LB_STATS_BIND": f"127.0.0.1:{stats_port}"}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jsw-haproxy-") as folder:
        config = Path(folder) / "haproxy.cfg"
        config.write_text(haproxy_config(ports), encoding="utf-8")
        subprocess.run([haproxy_binary(), "-c", "-q", "-f", str(config)], env=env, check=True)
        log = open(ARTIFACTS / f"haproxy-{port}.log", "w")
        process = subprocess.Popen([haproxy_binary(), "-db", "-f", str(config)], env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{stats_port}/stats"
        finally:
            stop(process)
            log.close()


@contextmanager
def running_cluster(database: Path, data_dir: Path, replicas: int = 3, port: int | None = None,
                    extra_env: dict | None = None):
    """N replicas sharing `database` and `data_dir`, behind the balancer, all checked UP; yields a Cluster."""
    env = {"JSW_DATA_DIR": str(data_dir),
           # one cookie secret for all replicas, as in compose.yaml (st.login cookies survive a move)
           "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), **(extra_env or {})}
    with ExitStack() as stack:
        started = []
        for i in range(1, replicas + 1):
            url, process = stack.enter_context(running_app(database, extra_env=env))
            started.append(Replica(f"app{i}", url, process))
        ports = [int(r.url.rsplit(":", 1)[1]) for r in started]
        url, stats_url = stack.enter_context(running_balancer(ports, port))
        cluster = Cluster(url, stats_url, started, database, data_dir, env)
        cluster.wait_for_states({r.name: "UP" for r in started})
        yield cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--port", type=int, default=8080, help="the balancer's port on 127.0.0.1 (default 8080)")
    args = parser.parse_args(argv)

    from jsw_explorer.config import data_dir, database_path
    from jsw_explorer.startup import prepare_database

    database, source = database_path(), data_dir()
    prepare_database(database, source, rebuild_when_stale=True)
    with running_cluster(database, source, args.replicas, args.port) as cluster:
        print(f"Balancer {cluster.url} (stats {cluster.stats_url}); replicas "
              + ", ".join(f"{r.name} {r.url}" for r in cluster.replicas) + ". Ctrl+C stops.", flush=True)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
