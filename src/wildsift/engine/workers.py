"""Worker processes that die with their parent: no worker outlives a killed ``wildsift``.

A ``ProcessPoolExecutor`` stops its workers when the parent shuts the pool down, or exits
normally; but a parent killed with SIGKILL (``kill -9``, the OOM killer) runs no code at all, and
its workers, blocked reading their call queue, would run on as orphans, holding memory and the
study's files. Every pool wildsift starts calls :func:`die_with_parent` first in each worker:

1. On Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker the moment its
   parent dies, whatever either was doing. Set through ``ctypes`` (no extra dependency). The
   signal follows the *thread* that forked the worker: pools are started from the thread that
   runs the command and live no longer than that call, so that thread outlives them.
2. Everywhere, a check of ``os.getppid()``: if the parent died before step 1 took effect (the
   race between fork and prctl) the worker has already been re-parented and exits now; and a
   daemon thread repeats the check every :data:`POLL_S` seconds, the fallback where prctl does
   not exist (macOS, BSD) or a start method puts another process between (forkserver).

Workers only parse, protect and score: what they compute reaches the store through the parent,
which commits each batch whole, so killing a worker at any point loses no committed data.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_S = 1.0


def die_with_parent(parent_pid: int) -> None:
    """In a worker, first thing: make its parent's death (``parent_pid``) end it too."""
    _set_parent_death_signal()
    parent = os.getppid()
    if parent != parent_pid and not _is_between(parent, parent_pid):
        os._exit(1)  # the parent is gone already: this worker was re-parented
    watch = threading.Thread(target=_watch, args=(parent,), name="wildsift-parent-watch",
                             daemon=True)
    watch.start()


def guarded(initializer: Callable[..., Any] | None, *args: Any) -> tuple[Callable, tuple]:
    """``(initializer, initargs)`` for a pool whose workers die with this process and then run
    ``initializer(*args)``."""
    return _guarded_start, (os.getpid(), initializer, args)


def _guarded_start(parent_pid: int, initializer: Callable[..., Any] | None,
                   args: tuple) -> None:
    die_with_parent(parent_pid)
    if initializer is not None:
        initializer(*args)


def _set_parent_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):  # no libc symbol: the getppid watch still runs
        return False


def _is_between(parent: int, owner: int) -> bool:
    """Is ``parent`` a process the owner started (a forkserver) rather than init or a
    subreaper that adopted an orphan? Read from /proc where there is one."""
    try:
        with open(f"/proc/{parent}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return parent != 1
    fields = stat[stat.rfind(b")") + 2:].split()
    return len(fields) > 1 and int(fields[1]) == owner


def _watch(parent: int) -> None:
    stop = threading.Event()
    while not stop.wait(POLL_S):
        if os.getppid() != parent:
            os._exit(1)
