"""Scenario steps of the technician's maintenance mode (issue 10), mixed into the ScenarioRunner.

Each action here is declared in MAINTENANCE_ACTIONS (action -> accepted value types, as scenario.ACTIONS) and
implemented as ``do_<action>(self, value, step)``; the runner's helpers (wait_until, button, click, within, pump)
are available through ``self``.
"""

from __future__ import annotations

MAINTENANCE_ACTIONS: dict[str, tuple[type, ...]] = {}


class MaintenanceSteps:
    """The maintenance-mode actions of a scenario."""
