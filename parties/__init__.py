"""Other parties' systems, simulated: the tax bureau's fee system and the acquiring bank's host.

The kiosk reaches them only through its clients (kiosk/feesystem: api, wire, http_client; drivers/bankhost: the
ISO 8583 client), never by importing them: only app/ (the composition root and the harness), the tests and the
scripts import this package (docs/architecture.md).

- ``parties.feesystem``: the fee system's server side. The embedded simulator (SQLite: people and offers, quotes,
  payments, the QR payment channel, certificates), its policy figures and demo people, and the HTTP gateway that
  serves it on loopback with its ``/sim/`` fault controls.
- ``parties.bankhost``: the bank host simulator (ISO 8583 over TCP on loopback), its accounts, and the test terminal
  master key it shares with a simulated PIN pad.
"""
