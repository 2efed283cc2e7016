"""No page of a study's data is kept by a browser or a proxy: every address of a study answers
with ``Cache-Control: no-store, private`` (or a view's own stricter or private choice)."""

from __future__ import annotations

import re

import pytest
from web.test_access_everywhere import NEEDS, address


def directives(response) -> set[str]:
    return set(re.split(r",\s*", response.get("Cache-Control", ""))) - {""}


@pytest.mark.parametrize("name", sorted(NEEDS))
def test_every_study_address_tells_caches_to_keep_nothing(name, owner_client, analysed, study):
    url = address(name, study, study.waves.get(number=1))

    for response in (owner_client.get(url), owner_client.post(url)):
        assert "no-store" in directives(response), (url, response.status_code)


@pytest.mark.parametrize("name", sorted(NEEDS))
def test_so_do_the_not_found_answers_to_others(name, outsider_client, study, wave):
    response = outsider_client.get(address(name, study, wave))

    assert response.status_code == 404
    assert directives(response) >= {"no-store", "private"}


def test_a_result_page_says_private_as_well(analyst_client, analysed, study):
    response = analyst_client.get(f"/studies/{study.pk}/waves/1/analysis/")

    assert response.status_code == 200
    assert directives(response) == {"no-store", "private"}


def test_a_map_image_of_one_run_is_kept_by_the_browser_alone(analyst_client, analysed, study):
    """The analysis page asks for each map by its run: it never changes, so the browser may keep
    it (switching networks back and forth), but no shared cache may."""
    url = f"/studies/{study.pk}/waves/1/maps/work.svg?run={analysed.pk}"

    assert directives(analyst_client.get(url)) == {"private", "max-age=86400"}
