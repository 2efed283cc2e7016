"""Readers and writers for placelab's files, with validation that names file, row and column."""
