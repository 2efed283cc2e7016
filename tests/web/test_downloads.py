"""A wave's analysis downloaded as GraphML, GEXF and XLSX by those who may see names."""

from __future__ import annotations

import io
from collections import Counter

import networkx as nx
import openpyxl
import pytest
from django.urls import reverse
from exported import mismatches, tie_counts

from placelab.web.studies.models import AnalysisRun

DOWNLOADS = ("studies:analysis_graphml", "studies:analysis_gexf", "studies:analysis_xlsx")


def _get(client, name: str, study, number: int = 1):
    return client.get(reverse(name, args=[study.pk, number]))


def _graph(response, reader) -> nx.MultiDiGraph:
    return reader(io.BytesIO(response.content))


def test_an_analyst_downloads_graphml_with_every_measure_and_tie(analyst_client, analysed, study):
    response = _get(analyst_client, "studies:analysis_graphml", study)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/graphml+xml")
    assert (
        'filename="riverside-secondary-education-wave-1.graphml"' in response["Content-Disposition"]
    )
    graph = _graph(response, nx.read_graphml)
    assert mismatches(analysed.result, dict(graph.nodes(data=True))) == []
    networks = Counter(d["network"] for _, _, d in graph.edges(data=True))
    assert networks == tie_counts(analysed.result)
    assert graph.nodes["p01"]["name"] == "Ann Lee"


def test_an_owner_downloads_gexf_placed_and_coloured(owner_client, analysed, study):
    response = _get(owner_client, "studies:analysis_gexf", study)

    assert response.status_code == 200
    graph = _graph(response, nx.read_gexf)
    assert graph.nodes["p01"]["label"] == "Ann Lee"
    assert {"position", "color", "size"} <= set(graph.nodes["p01"]["viz"])
    assert graph.number_of_edges() == sum(tie_counts(analysed.result).values())


def test_an_analyst_downloads_the_workbook(analyst_client, analysed, study):
    response = _get(analyst_client, "studies:analysis_xlsx", study)

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    people = list(book["People"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in people] == [p["id"] for p in analysed.result["people"]]
    assert "Ann Lee" in {row[1] for row in people}
    ties = list(book["Ties"].iter_rows(min_row=2, values_only=True))
    assert len(ties) == sum(tie_counts(analysed.result).values())


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_viewer_gets_404_and_no_name(viewer_client, analysed, study, name):
    response = _get(viewer_client, name, study)

    assert response.status_code == 404
    assert b"Ann Lee" not in response.content


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_wave_without_a_finished_analysis_is_404(analyst_client, study, wave, name):
    assert _get(analyst_client, name, study).status_code == 404
    assert _get(analyst_client, name, study, number=9).status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_an_analysis_stored_before_ties_and_layout_asks_to_run_it_again(
    analyst_client, analysed, study, name
):
    old = {k: v for k, v in analysed.result.items() if k not in ("ties", "layout")}
    AnalysisRun.objects.filter(pk=analysed.pk).update(result=old)

    response = analyst_client.get(reverse(name, args=[study.pk, 1]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("studies:analysis", args=[study.pk, 1])
    assert "Run the analysis again to download it" in response.content.decode()


def test_the_analysis_page_links_the_downloads_for_those_who_see_names_only(
    analyst_client, viewer_client, analysed, study
):
    page = reverse("studies:analysis", args=[study.pk, 1])
    links = [reverse(name, args=[study.pk, 1]) for name in DOWNLOADS]

    analyst_page = analyst_client.get(page).content.decode()
    viewer_page = viewer_client.get(page).content.decode()

    assert all(f'href="{link}"' in analyst_page for link in links)
    assert not any(link in viewer_page for link in links)
