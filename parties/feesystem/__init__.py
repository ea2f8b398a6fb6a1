"""The tax bureau's fee system, simulated (DESIGN.md §4): the server side of kiosk/feesystem's interface."""
