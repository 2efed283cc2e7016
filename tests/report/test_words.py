"""Numbers in words (placelab.report.words), shared by the report and the analysis page."""

from __future__ import annotations

import pytest

from placelab.report.words import ei_words, inside_words, share_in_words


@pytest.mark.parametrize(
    ("part", "whole", "words"),
    [(2, 3, "two in three"), (1, 2, "half"), (0, 5, "none"), (5, 5, "all"), (3, 5, "three in five"),
     (1, 40, "fewer than one in ten"), (27, 100, "about one in four"), (0, 0, "none")],
)  # fmt: skip
def test_shares_read_as_words(part, whole, words):
    assert share_in_words(part, whole) == words


def test_a_groups_ties_inside_it_read_as_a_share():
    assert inside_words(1, 2) == "One in three of this group's ties stay inside it."
    assert inside_words(0, 0) == "This group has no ties in this network."


def test_an_ei_index_reads_as_the_share_of_ties_across():
    # E-I = (E - I) / (E + I), so the share across is (EI + 1) / 2: 0.5 -> three in four.
    assert ei_words(0.5) == "Three in four of the ties reach across sectors."
    assert ei_words(None) == "No ties to read."
    assert "counting each direction" in ei_words(-1 / 3, each_way=True)
