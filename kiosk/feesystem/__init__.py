"""The kiosk's side of the tax bureau's fee system (DESIGN.md §4): the interface (api), the JSON wire format
and the HTTP client. The embedded simulator and the HTTP server are the bureau's side: parties/feesystem."""
