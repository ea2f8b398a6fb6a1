"""The technician's maintenance screens (issue 10): ``open_maintenance(ctx, parent_window)`` returns the
``MaintenanceWindow``; ``LongPress(widget, seconds, callback)`` is the hidden gesture on Home."""

from screens.maintenance.common import LongPress
from screens.maintenance.window import MaintenanceWindow, open_maintenance

__all__ = ["LongPress", "MaintenanceWindow", "open_maintenance"]
