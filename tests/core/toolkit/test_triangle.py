"""The strategic triangle against what each phase needs (Table B2)."""

from __future__ import annotations

import pytest

from placelab.core.toolkit import diagnose, read_answers
from placelab.core.toolkit.guidance import load_guidance
from placelab.core.toolkit.triangle import triangle_shape

CORNERS = {"authority": "triangle_authority", "capacity": "triangle_capacity",
           "value": "triangle_value"}  # fmt: skip
LINKS = ("link_authority_capacity", "link_capacity_value", "link_value_authority")


def means(authority=4.2, capacity=4.2, value=4.2, links=4.2, **override) -> dict:
    out = {"triangle_authority": authority, "triangle_capacity": capacity, "triangle_value": value}
    out.update({link: links for link in LINKS})
    out.update(override)
    return out


@pytest.mark.parametrize("corner", list(CORNERS))
def test_a_triangle_with_a_weak_corner_names_that_corner(corner, bank, typical, pattern,
                                                         write_answers):  # fmt: skip
    targets = {**pattern(4), **{scale: 4.3 for scale in (*CORNERS.values(), *LINKS)}}
    targets[CORNERS[corner]] = 1.8
    path = write_answers(typical(bank, targets, respondents=20, seed=5))
    triangle = diagnose(read_answers(path, bank), bank=bank)["triangle"]
    assert triangle["weak_corner"]["corner"] == corner
    assert triangle["path"] == "failure"  # embedding fails when any corner falls short


def test_a_balanced_strong_triangle_in_embedding_is_the_success_path():
    shape = triangle_shape(means(), load_guidance(), 4)
    assert shape["path"] == "success"
    assert shape["weak_corner"] is None and shape["missing_links"] == []


def test_a_missing_link_is_named_and_marks_the_failure_path_where_b2_says_so():
    # Design and discover fails when authority does not connect with capacity.
    shape = triangle_shape(
        means(authority=4.0, capacity=3.0, value=1.5, link_authority_capacity=1.8),
        load_guidance(), 1,
    )  # fmt: skip
    assert shape["missing_links"] == ["authority_capacity"]
    assert shape["path"] == "failure"
    assert "connection" in shape["reading"]
    assert shape["seed"]["section"] == "Appendix B, Table B2"


def test_value_is_not_yet_needed_in_design_and_discover_but_is_still_named_as_weak():
    shape = triangle_shape(means(authority=4.0, capacity=3.2, value=1.9), load_guidance(), 1)
    assert shape["path"] == "success"
    assert shape["weak_corner"]["corner"] == "value"
    assert shape["weak_corner"]["needs"] is None and shape["weak_corner"]["next_needs"] == "some"


def test_a_shortfall_outside_the_failure_signature_is_at_risk():
    # Mobilisation needs value in some measure, but B2 names capacity and the links as its
    # failure; low value alone puts it at risk.
    shape = triangle_shape(means(value=2.0), load_guidance(), 2)
    assert shape["path"] == "at_risk" and shape["weak_corner"]["corner"] == "value"


def test_embedding_without_the_strong_links_looks_like_isolated_innovation():
    shape = triangle_shape(
        means(authority=3.0, capacity=4.0, value=3.0, links=2.8), load_guidance(), 4
    )
    assert shape["path"] == "isolated"
    assert "system change" in shape["reading"]


def test_without_a_phase_the_weak_corner_is_the_one_well_below_the_others():
    guidance = load_guidance()
    assert (
        triangle_shape(means(capacity=2.9), guidance, None)["weak_corner"]["corner"] == "capacity"
    )
    assert triangle_shape(means(capacity=3.9), guidance, None)["weak_corner"] is None
    assert triangle_shape(means(capacity=3.9), guidance, None)["path"] is None
