"""PYTEST_DONT_REWRITE. What the checkout state machines' tests share: a runner answered by hand, a hand clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Job:
    name: str
    work: Callable[[], Any]
    done: Callable[[Any], None] | None
    failed: Callable[[Exception], None] | None


class HandRunner:
    """Keeps the jobs; answer(name, value) or fail(name, error) ends the oldest one of that name."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []

    def __call__(self, work, done, failed) -> None:
        name = getattr(work, "__name__", "job")
        self.jobs.append(Job(name, work, done, failed))

    def names(self) -> list[str]:
        return [job.name for job in self.jobs]

    def _take(self, name: str) -> Job:
        for job in self.jobs:
            if job.name == name:
                self.jobs.remove(job)
                return job
        raise AssertionError(f"no {name!r} job waiting; waiting: {self.names()}")

    def answer(self, name: str, value: Any = None) -> None:
        done = self._take(name).done
        if done is not None:
            done(value)

    def fail(self, name: str, error: Exception) -> None:
        failed = self._take(name).failed
        if failed is not None:
            failed(error)

    def run(self, name: str) -> None:
        """Run the job's own work (the fake checkout's method) and hand on what it returns, or what it raised."""
        self._finish(self._take(name))

    def run_next(self) -> None:
        """Run the oldest job's own work, as a worker thread would."""
        assert self.jobs, "no job waiting"
        self._finish(self.jobs.pop(0))

    @staticmethod
    def _finish(job: Job) -> None:
        try:
            value = job.work()
        except Exception as error:
            if job.failed is not None:
                job.failed(error)
            return
        if job.done is not None:
            job.done(value)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
