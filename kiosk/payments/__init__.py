"""Payments: the crash-safe journal and the steps that move a payment through it (DESIGN.md §5)."""
