"""Latency and errors of the calls the kiosk makes to other parties (the fee system, the bank host).

``TimedCalls`` stands in front of a client where the application composes it: every public method call is
timed into a histogram labelled by operation, and a call that raises counts under the error's machine code (the
fee system's ``code``, the bank link's ``DeviceError.code``) before the error goes on unchanged. Attributes that
are not methods pass through, so callers see the client they had.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import Counter, Histogram


def error_code(error: BaseException) -> str:
    """A short, bounded label for an error: its machine code where it has one, else its class name."""
    code = getattr(error, "code", None)
    return code if isinstance(code, str) and code else type(error).__name__


class TimedCalls:
    """A proxy of ``target`` whose public methods are timed (``seconds``) and counted when they fail (``errors``)."""

    def __init__(self, target: Any, seconds: Histogram, errors: Counter) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_seconds", seconds)
        object.__setattr__(self, "_errors", errors)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if name.startswith("_") or not inspect.ismethod(value):  # a clock or a pad the client holds: as is
            return value
        return self._timed(name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)

    def _timed(self, operation: str, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            except Exception as error:
                self._errors.labels(operation, error_code(error)).inc()
                raise
            finally:
                self._seconds.labels(operation).observe(time.perf_counter() - started)

        return call
