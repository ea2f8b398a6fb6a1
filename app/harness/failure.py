"""A scenario step that did not do what it should: what was expected and what was found."""

from __future__ import annotations


class StepFailed(Exception):
    def __init__(self, expected: str, actual: str = "") -> None:
        super().__init__(expected)
        self.expected = expected
        self.actual = actual
