"""Benchmarks of the network analysis: run by hand (``python -m bench.run``), never as tests."""
