"""Work for the sandbox tests, importable by the fork server's children: too slow, too big."""

from __future__ import annotations

import time


def sleep_for(seconds: float) -> str:
    time.sleep(seconds)
    return "woke up"


def hold_memory(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    for position in range(0, len(block), 4096):  # touch every page so it is really resident
        block[position] = 1
    time.sleep(5)
    return len(block)


def add(a: int, b: int) -> int:
    return a + b
