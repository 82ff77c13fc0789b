"""The independent columns of a large batch, made side by side.

numpy lets go of the interpreter while it gathers a million values, so the long columns of a large
batch are made by a small pool of threads, as pyarrow builds a frame's columns: the input columns
checked (jurisdiction, area type, households), the two halves of the cells' index, and the result
columns (each read from its own small table by the same cell index). No job writes what another
reads (the halves of the index are apart; a label cache shared under the interpreter's lock is only
added to), and each result is the one a single thread would make: the columns are the same, only
made sooner. A process forked from one that used the pool makes its own. Batches below
:data:`PARALLEL_ROWS` rows, or a machine of one core, make them one after another;
``FACILITY_SIZING_THREADS=1`` in the environment does so always (a process that runs many batches
side by side itself, say).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from ..errors import InputError

__all__ = ["PARALLEL_ROWS", "each", "threads"]

T = TypeVar("T")

#: A batch of fewer rows makes its columns one after another (the threads would not pay).
PARALLEL_ROWS = 200_000
#: At most this many threads (the columns are memory-bound: more cores do not help much).
MOST_THREADS = 2
#: The environment variable that sets the threads (1: one column after another).
SETTING = "FACILITY_SIZING_THREADS"

_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _forget_pool() -> None:
    """In a forked child: the parent's pool has no threads here, so the child makes its own when it needs one."""
    global _pool, _lock
    _pool, _lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool)


def threads() -> int:
    """How many threads make a large batch's columns: ``FACILITY_SIZING_THREADS`` if set, else up to two, one per core.

    Raises
    ------
    InputError
        ``FACILITY_SIZING_THREADS`` set to anything but a whole number of at least 1 (say ``0`` or ``two``).

    Examples
    --------
    >>> threads() >= 1
    True
    """
    said = os.environ.get(SETTING)
    if said is None or not said.strip():
        return max(1, min(os.cpu_count() or 1, MOST_THREADS))
    if not said.strip().isdigit() or int(said.strip()) < 1:
        raise InputError("threads.setting", field=SETTING, value=said)
    return min(int(said.strip()), MOST_THREADS)


def _executor(workers: int) -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="facility_sizing")
        return _pool


def each(jobs: Mapping[str, Callable[[], T]], rows: int) -> dict[str, T]:
    """Each job's result, by name (in the jobs' order): side by side for a batch of ``rows`` ≥ :data:`PARALLEL_ROWS`.

    Examples
    --------
    >>> each({"a": lambda: 1, "b": lambda: 2}, rows=10)
    {'a': 1, 'b': 2}
    """
    workers = threads() if rows >= PARALLEL_ROWS and len(jobs) > 1 else 1  # the setting read where it counts
    if workers < 2:
        return {name: job() for name, job in jobs.items()}
    pool = _executor(workers)
    futures = {name: pool.submit(job) for name, job in jobs.items()}
    return {name: future.result() for name, future in futures.items()}
