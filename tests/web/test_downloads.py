"""A wave's analysis downloaded as GraphML, GEXF and XLSX by those who may see names: written by
the worker on first request, then served from the stored bytes."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import networkx as nx
import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import escape
from exported import mismatches, tie_counts
from playwright.sync_api import expect
from web.builders import run_worker
from web.test_browser_flow import sign_in

from placelab.core.io.exports import gexf_text, graphml_text
from placelab.core.io.workbook import xlsx_bytes
from placelab.web.studies.models import AnalysisRun, Participant, RunFile, Wave
from placelab.web.studies.services.analysis import analysis_run_now
from placelab.web.studies.services.reports import UNEXPECTED, reports_write

DOWNLOADS = ("studies:analysis_graphml", "studies:analysis_gexf", "studies:analysis_xlsx")
FORMATS = {"studies:analysis_graphml": "graphml", "studies:analysis_gexf": "gexf",
           "studies:analysis_xlsx": "xlsx"}  # fmt: skip
THINGS = {"graphml": "GraphML file", "gexf": "GEXF file", "xlsx": "Excel workbook"}


def _get(client, name: str, study, number: int = 1, accept: str = "*/*"):
    return client.get(reverse(name, args=[study.pk, number]), HTTP_ACCEPT=accept)


def _graph(response, reader) -> nx.MultiDiGraph:
    return reader(io.BytesIO(response.content))


def _exports(run: AnalysisRun):
    return run.files.filter(format__in=RunFile.EXPORT_FORMATS)


def _written(client, study, run: AnalysisRun, name: str):
    """Ask for the export (which queues it), let the worker's code write it here, ask again."""
    assert "Content-Disposition" not in _get(client, name, study)
    reports_write(run_id=run.pk)
    return _get(client, name, study)


@pytest.fixture
def analysed(analysed) -> AnalysisRun:
    """The analysed wave without its queued reports: writing their PDFs is not tested here."""
    analysed.files.all().delete()
    return analysed


def _members(xlsx: bytes) -> dict[str, bytes]:
    """An .xlsx's parts, but for docProps/core.xml, which records when it was written."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("name", DOWNLOADS)
def test_the_first_request_queues_the_file_and_shows_the_waiting_page(
    analyst_client, analysed, study, name
):
    response = _get(analyst_client, name, study)

    page = response.content.decode()
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert f"The {THINGS[FORMATS[name]]} is being written" in page
    assert "Waiting for the background worker to start on it." in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "placelab/progress.js" in page and "no-store" in response["Cache-Control"]
    assert set(_exports(analysed).values_list("variant", "format", "status")) == {
        ("full", FORMATS[name], "queued")
    }
    _get(analyst_client, name, study)  # asking again queues nothing more
    assert analysed.files.count() == 1
    status = _get(analyst_client, name, study, accept="application/json").json()
    assert status == {"status": "queued", "steps_done": 0, "steps": 1,
                      "message": "Waiting for the background worker to start on it."}  # fmt: skip


def test_while_the_worker_writes_it_the_page_says_so(owner_client, analysed, study):
    _get(owner_client, "studies:analysis_xlsx", study)
    _exports(analysed).update(status=RunFile.RUNNING)

    page = _get(owner_client, "studies:analysis_xlsx", study).content.decode()
    status = _get(owner_client, "studies:analysis_xlsx", study, accept="application/json")

    assert "The background worker is writing it now." in page
    assert status.json()["status"] == "running"


def test_an_analyst_downloads_graphml_with_every_measure_and_tie(analyst_client, analysed, study):
    response = _written(analyst_client, study, analysed, "studies:analysis_graphml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/graphml+xml; charset=utf-8"
    assert (
        'filename="riverside-secondary-education-wave-1.graphml"' in response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content == graphml_text(analysed.result).encode("utf-8")
    graph = _graph(response, nx.read_graphml)
    assert mismatches(analysed.result, dict(graph.nodes(data=True))) == []
    networks = Counter(d["network"] for _, _, d in graph.edges(data=True))
    assert networks == tie_counts(analysed.result)
    assert graph.nodes["p01"]["name"] == "Ann Lee"


def test_an_owner_downloads_gexf_placed_and_coloured(owner_client, analysed, study):
    response = _written(owner_client, study, analysed, "studies:analysis_gexf")

    assert response.status_code == 200
    assert response.content == gexf_text(analysed.result).encode("utf-8")
    assert response["Content-Disposition"].endswith('-wave-1.gexf"')
    graph = _graph(response, nx.read_gexf)
    assert graph.nodes["p01"]["label"] == "Ann Lee"
    assert {"position", "color", "size"} <= set(graph.nodes["p01"]["viz"])
    assert graph.number_of_edges() == sum(tie_counts(analysed.result).values())


def test_an_analyst_downloads_the_workbook(analyst_client, analysed, study):
    response = _written(analyst_client, study, analysed, "studies:analysis_xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert response["Content-Disposition"].endswith('-wave-1.xlsx"')
    assert _members(response.content) == _members(xlsx_bytes(analysed.result))
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    people = list(book["People"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in people] == [p["id"] for p in analysed.result["people"]]
    assert "Ann Lee" in {row[1] for row in people}
    ties = list(book["Ties"].iter_rows(min_row=2, values_only=True))
    assert len(ties) == sum(tie_counts(analysed.result).values())


def test_a_written_file_is_served_from_its_stored_bytes(owner_client, analysed, study):
    _written(owner_client, study, analysed, "studies:analysis_graphml")
    _exports(analysed).update(content=b"<graphml>as stored</graphml>")

    response = _get(owner_client, "studies:analysis_graphml", study)

    assert response.content == b"<graphml>as stored</graphml>"
    assert set(analysed.files.values_list("format", flat=True)) == {"graphml"}  # nothing else


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_viewer_gets_404_and_no_name(viewer_client, owner_client, analysed, study, name):
    _written(owner_client, study, analysed, name)

    for method in ("get", "post"):
        response = getattr(viewer_client, method)(reverse(name, args=[study.pk, 1]))
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
    assert not analysed.files.exists()  # nothing queued that could only fail


def test_a_failed_file_says_why_and_can_be_tried_again(owner_client, analysed, study):
    url = reverse("studies:analysis_xlsx", args=[study.pk, 1])
    owner_client.get(url)
    result = analysed.result
    # A stored result the writer cannot read (as one made by an older, incompatible version).
    AnalysisRun.objects.filter(pk=analysed.pk).update(result={**result, "people": None})
    reports_write(run_id=analysed.pk)

    page = owner_client.get(url).content.decode()

    assert "The Excel workbook could not be written" in page and escape(UNEXPECTED) in page
    assert "The analysis and the study's data are unchanged." in page
    assert '<button type="submit">Try again</button>' in page and "http-equiv" not in page
    AnalysisRun.objects.filter(pk=analysed.pk).update(result=result)
    again = owner_client.post(url)
    assert again.status_code == 302 and again["Location"] == url
    assert set(_exports(analysed).values_list("status", flat=True)) == {RunFile.QUEUED}
    assert "Content-Disposition" in _written(owner_client, study, analysed, "studies:analysis_xlsx")


def test_a_new_runs_exports_are_its_own(owner_client, analysed, study, wave):
    first = _written(owner_client, study, analysed, "studies:analysis_graphml")
    assert b"Ann Lee" in first.content
    Participant.objects.filter(study=study, key="p01").update(name="Ann Leigh")
    newer = analysis_run_now(wave=Wave.objects.get(pk=wave.pk))
    assert newer.status == AnalysisRun.DONE
    newer.files.all().delete()  # its reports: not needed here

    response = _written(owner_client, study, newer, "studies:analysis_graphml")

    assert b"Ann Leigh" in response.content and b"Ann Lee" not in response.content
    assert not analysed.files.exists()  # no longer offered, so no longer kept


def test_the_analysis_page_links_the_downloads_for_those_who_see_names_only(
    analyst_client, viewer_client, analysed, study
):
    page = reverse("studies:analysis", args=[study.pk, 1])
    links = [reverse(name, args=[study.pk, 1]) for name in DOWNLOADS]

    analyst_page = analyst_client.get(page).content.decode()
    viewer_page = viewer_client.get(page).content.decode()

    # Plain links, not "download" ones: the first click shows the waiting page, not a file of it.
    assert all(f'href="{link}">' in analyst_page for link in links)
    assert not any(link in viewer_page for link in links)
    assert not analysed.files.exists()  # showing the page writes nothing


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_writes_what_the_first_request_queued(analyst_client, analysed, study):
    _get(analyst_client, "studies:analysis_gexf", study)

    run_worker()

    stored = _exports(analysed).get()
    assert (stored.status, stored.error) == (RunFile.DONE, "")
    assert bytes(stored.content) == gexf_text(analysed.result).encode("utf-8")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_waiting_page_follows_the_worker_and_the_download_starts_when_ready(
    browser, live_server, analysed, study, owner
):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server.url, owner.username)
    page.goto(live_server.url + reverse("studies:analysis", args=[study.pk, 1]))
    page.get_by_role("link", name="Excel workbook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Excel workbook is being written")
    expect(page.get_by_role("status")).to_have_text(
        "Waiting for the background worker to start on it."
    )

    with page.expect_download(timeout=60_000) as download:
        reports_write(run_id=analysed.pk)

    assert download.value.suggested_filename == "riverside-secondary-education-wave-1.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "Ann Lee" in {row[1] for row in book["People"].iter_rows(values_only=True)}
    expect(page.get_by_role("status")).to_have_text(
        "The Excel workbook is ready: your download starts now."
    )
    context.close()
