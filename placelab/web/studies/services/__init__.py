"""Writes: each function changes the database in one transaction (STYLE.md, services)."""
