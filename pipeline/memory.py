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


#: glibc's ``mallopt`` parameter for the number of malloc arenas.
_M_ARENA_MAX = -8
#: Arenas the pipeline's threads share. glibc gives each new thread an arena of its own (up to
#: 8 per core): page images freed in one are not reused by another, and a batch's peak grew
#: by about 100 MB with two envelopes in hand (capped here: main process 676 -> 591 MB at the
#: peak, the whole tree 1044 -> 953 MB, same speed: one-off sampling of ``intake bench``'s
#: pipeline).
MALLOC_ARENAS = 2


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas for this process, unless ``MALLOC_ARENA_MAX`` already does.
    Must run before threads allocate; a no-op (False) off glibc."""
    import ctypes
    import os
    import platform

    if os.environ.get("MALLOC_ARENA_MAX") or platform.libc_ver()[0] != "glibc":
        return False
    try:
        return bool(ctypes.CDLL("libc.so.6").mallopt(_M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        return False
