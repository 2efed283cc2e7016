"""Reads: the one place where the database's shape meets the shape core takes."""
