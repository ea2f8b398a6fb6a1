"""The acquiring bank's host, simulated (DESIGN.md §3.4): the other end of drivers/bankhost's client."""
