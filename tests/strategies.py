"""Hypothesis strategies shared by the network tests."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def directed_edges(draw, min_people: int = 2, max_people: int = 20) -> tuple[int, list]:
    """(n, edges): a simple directed graph on n people, as a sorted list of distinct ties."""
    n = draw(st.integers(min_people, max_people))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    return n, sorted(set(draw(st.lists(pairs, max_size=3 * n))))
