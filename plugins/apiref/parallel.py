"""Run independent jobs on several CPU cores, or in this process when that is not possible.

Reading and rendering one spec is pure Python work that holds the GIL, so threads do not
help and processes do. A job and its result travel between processes as pickles. A checked
upstream spec pickles in about 10 ms (measured on a 2-core AMD EPYC), far less than the
second or so it takes to parse and render it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

Job = TypeVar("Job")
Result = TypeVar("Result")

#: Errors that mean the worker processes, not the job, failed; the job then runs here.
POOL_ERRORS = (OSError, BrokenProcessPool, pickle.PicklingError, NotImplementedError)


def default_workers() -> int:
    """Return the number of CPU cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    # ``fork`` starts a worker in milliseconds with every module already imported, but a
    # process that runs other threads (``mkdocs serve`` does) may fork while one of them holds
    # a lock, so such processes start clean interpreters instead.
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class PendingResult(Generic[Result]):
    """The result of a submitted job; ``result()`` waits for it."""

    def __init__(
        self, function: Callable[[Any], Result], job: Any, future: Future[Result] | None
    ) -> None:
        self._function = function
        self._job = job
        self._future = future

    def result(self) -> Result:
        """Return the job's result, running the job here if no worker process can."""
        if self._future is not None:
            try:
                return self._future.result()
            except POOL_ERRORS as error:
                log.warning(
                    "A worker process failed (%s: %s); running its job in this process",
                    type(error).__name__,
                    error,
                )
        return self._function(self._job)

    def cancel(self) -> None:
        """Drop the job if it has not started."""
        if self._future is not None:
            self._future.cancel()


class WorkerPool:
    """Up to ``workers`` processes, started on the first job that needs them.

    With one worker, every job runs in this process when its result is asked for. When
    worker processes cannot be started (no process support, a sandbox without shared
    memory), the pool logs a warning once and runs the jobs in this process instead.
    Functions must be defined at module level, and jobs and results must pickle.
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._executor: ProcessPoolExecutor | None = None
        self._failed = False

    def _get_executor(self) -> ProcessPoolExecutor | None:
        if self.workers <= 1 or self._failed:
            return None
        if self._executor is None:
            try:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=_context()
                )
            except POOL_ERRORS as error:
                self._fail(error)
        return self._executor

    def _fail(self, error: BaseException) -> None:
        log.warning(
            "Cannot use worker processes (%s: %s); working in this process only",
            type(error).__name__,
            error,
        )
        self._failed = True
        self.close()

    def submit(self, function: Callable[[Job], Result], job: Job) -> PendingResult[Result]:
        """Start ``function(job)`` in a worker process, or defer it to ``result()``."""
        executor = self._get_executor()
        future = None
        if executor is not None:
            try:
                future = executor.submit(function, job)
            except (*POOL_ERRORS, RuntimeError) as error:
                self._fail(error)
        return PendingResult(function, job, future)

    def map(self, function: Callable[[Job], Result], jobs: Iterable[Job]) -> list[Result]:
        """Return ``[function(job) for job in jobs]``, computed in parallel where possible."""
        jobs = list(jobs)
        if len(jobs) <= 1:
            return [function(job) for job in jobs]
        pending = [self.submit(function, job) for job in jobs]
        return [item.result() for item in pending]

    def close(self) -> None:
        """Stop the worker processes, dropping jobs that have not started."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
