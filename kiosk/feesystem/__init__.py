"""The tax bureau's fee system (DESIGN.md §4): one interface, an embedded simulator, later an HTTP client."""
