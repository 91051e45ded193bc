"""Running one piece of work (the check of a return) in a child process with a time and memory
budget, so that no file can stall the server or exhaust its memory for other users.

The child comes from a fork server that has already imported the checking code, so starting one
costs milliseconds, and the fork server is a fresh single-threaded process (safe to fork from, even
inside Streamlit's threaded server). The parent waits at most the time budget and watches the
child's resident memory; past either budget the child is killed and the caller gets the reason.
An address-space limit set in the child is the hard backstop for a sudden allocation.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import threading
import time
from dataclasses import dataclass
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.context import ForkServerProcess, set_spawning_popen

PRELOAD = ["jsw_explorer.ingest.sandbox", "jsw_explorer.ingest.checking", "jsw_explorer.ingest.warm"]
CONCURRENT = threading.BoundedSemaphore(2)  # at most two checks at once per server process
WATCH_EVERY = 0.05                           # seconds between two looks at the child's memory
_context = None
_context_lock = threading.Lock()


@dataclass
class Bounded:
    """What happened to the work: status 'ok' (with its result), 'time', 'memory' or 'failed'."""

    status: str
    result: object = None
    detail: str = ""
    seconds: float = 0.0
    peak_bytes: int = 0


class _Popen(popen_forkserver.Popen):
    """The standard library's fork-server start (Python 3.11), except that the child does not re-run
    the parent's main script: under Streamlit that is the page being run, under AppTest a script
    that cannot run on its own. The child needs nothing from it: its work is preloaded."""

    def _launch(self, process_obj):
        prep_data = {key: value for key, value in spawn.get_preparation_data(process_obj._name).items()
                     if key not in ("init_main_from_path", "init_main_from_name")}
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _Popen(process_obj)


def context():
    global _context
    with _context_lock:
        if _context is None:
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(PRELOAD)
        return _context


def resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(connection, function, args, seconds: float, memory_bytes: int) -> None:
    try:
        size = int(open("/proc/self/statm").read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        backstop = size + 4 * memory_bytes  # virtual size: generous, as libraries reserve more than they use
        resource.setrlimit(resource.RLIMIT_AS, (backstop, backstop))
        cpu = int(seconds) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    except (OSError, ValueError):
        pass
    try:
        outcome = ("ok", function(*args), "")
    except MemoryError:
        outcome = ("memory", None, "")
    except BaseException as error:  # reported to the parent, which turns it into a message
        outcome = ("failed", None, type(error).__name__)
    # The peak too: work that finishes between two of the parent's looks is held to the budget all the same
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    try:
        connection.send((*outcome, peak))
    except MemoryError:
        connection.send(("memory", None, "", peak))
    connection.close()


def run_bounded(function, args: tuple, seconds: float, memory_bytes: int) -> Bounded:
    """Run function(*args) in a child process; kill it past `seconds` or `memory_bytes` resident."""
    started = time.perf_counter()
    with CONCURRENT:
        ctx = context()
        receiving, sending = ctx.Pipe(duplex=False)
        process = _Process(target=_child, args=(sending, function, args, seconds, memory_bytes), daemon=True)
        try:
            process.start()
        except Exception as error:  # no child, no check: the caller refuses the file (never a traceback)
            sending.close()
            receiving.close()
            return Bounded("failed", detail=f"the checking process could not start: {type(error).__name__}",
                           seconds=time.perf_counter() - started)
        sending.close()
        peak, outcome = 0, None
        try:
            while outcome is None:
                if receiving.poll(WATCH_EVERY):
                    status, result, detail, child_peak = receiving.recv()
                    peak = max(peak, child_peak)
                    outcome = Bounded("memory") if peak > memory_bytes else Bounded(status, result, detail)
                    break
                peak = max(peak, resident_bytes(process.pid))
                if peak > memory_bytes:
                    outcome = Bounded("memory")
                elif time.perf_counter() - started > seconds:
                    outcome = Bounded("time")
                elif not process.is_alive() and not receiving.poll(0):
                    code = process.exitcode
                    outcome = Bounded("time" if code == -24 else "memory" if code == -9 else "failed",
                                      detail=f"exit code {code}")  # 24: SIGXCPU, 9: killed (out of memory)
        except EOFError:
            outcome = Bounded("failed", detail=f"exit code {process.exitcode}")
        finally:
            if process.is_alive():
                process.kill()
            process.join(5)
            receiving.close()
    outcome.seconds = time.perf_counter() - started
    outcome.peak_bytes = peak
    return outcome
