"""Memory of a process tree, as the benchmarks and drills report it.

Summing each process's RSS counts every shared page once per process: a child between
``fork`` and ``exec`` (Python starting Tesseract or pdftoppm) looks as large as its parent
and doubles the figure for an instant. PSS gives each process its share of a shared page,
so the sum is what the tree really holds.
"""

from __future__ import annotations

import contextlib

import psutil


def tree_memory(root: psutil.Process) -> int:
    """Bytes held by ``root`` and all its descendants (PSS; RSS where PSS is not available)."""
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):  # ended between listing and reading
            total += _pss(p)
    return total


def _pss(p: psutil.Process) -> int:
    try:
        return p.memory_full_info().pss
    except (AttributeError, psutil.AccessDenied):
        return p.memory_info().rss
