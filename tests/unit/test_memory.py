"""The process tree's memory as the benchmarks report it, and the malloc arena cap."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil

from pipeline.memory import limit_malloc_arenas, tree_memory


def test_the_tree_counts_a_child_once() -> None:
    """GIVEN a child holding 200 MB WHEN the tree is measured THEN it holds that much more than
    this process alone (PSS: the pages shared with the parent are not counted twice)."""
    child = subprocess.Popen([sys.executable, "-c", "import time; b = bytearray(200 * 2**20); "
                              "b[::4096] = b'x' * len(b[::4096]); time.sleep(30)"])  # fmt: skip
    try:
        me = psutil.Process()
        for _ in range(100):
            grown = tree_memory(me) - me.memory_full_info().pss
            if grown > 200 * 2**20:
                break
            time.sleep(0.1)
        assert 200 * 2**20 < grown < 300 * 2**20
    finally:
        child.kill()
        child.wait()


def test_arenas_are_capped_on_glibc_unless_the_environment_says_otherwise(monkeypatch) -> None:
    assert limit_malloc_arenas() is (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False
