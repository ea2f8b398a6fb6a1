"""Technician maintenance mode: the logic behind screens/maintenance (no widgets here).

``MaintenanceService`` (service.py) gathers what the screens use: sign-in with lock-out, the audit log, device
status and tests, the paper counter, the PIN pad key ceremony, journal browsing, reconciliation, configuration
editing and log export. docs/maintenance.md describes it.
"""
