"""The study report in the web: written by the worker, stored with the run, downloaded as PDF or
HTML with names by those allowed to see them and pseudonymised by everyone with access."""

from __future__ import annotations

import re
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from playwright.sync_api import expect
from web.builders import run_worker
from web.test_browser_flow import sign_in

from placelab.web.studies.models import AnalysisRun, Participant, RunFile, Wave
from placelab.web.studies.selectors.reports import STEPS
from placelab.web.studies.services.analysis import analysis_request, analysis_run_now
from placelab.web.studies.services.reports import GAVE_UP, UNEXPECTED, reports_write
from placelab.web.studies.tasks import write_reports

OUTSIDER = "Øyvind Dahl"  # named in the innovation network, not on the roster


def report(
    client, study, format: str, variant: str | None = None, method: str = "get", accept: str = "*/*"
):
    url = reverse(f"studies:report_{format}", args=[study.pk, 1])
    return getattr(client, method)(
        url + (f"?variant={variant}" if variant else ""), HTTP_ACCEPT=accept
    )


def pdf_text(content: bytes) -> str:
    """The PDF's text as a reader's software extracts it (poppler's pdftotext), and its
    metadata (pdfinfo: title, subject, author...)."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        info = subprocess.run(
            ["pdfinfo", "-enc", "UTF-8", file.name], capture_output=True, check=True
        )
    return done.stdout.decode("utf-8") + info.stdout.decode("utf-8")


def text_of(response) -> str:
    if response["Content-Type"] == "application/pdf":
        return pdf_text(response.content)
    return response.content.decode("utf-8")


def roster_names(study) -> list[str]:
    return list(Participant.objects.filter(study=study).values_list("name", flat=True))


def named_anyone(text: str, study) -> list[str]:
    """Roster names, roster ids (as whole words) and the outsider's name found in ``text``."""
    ids = Participant.objects.filter(study=study).values_list("key", flat=True)
    found = [n for n in [*roster_names(study), OUTSIDER] if n in text]
    return found + [i for i in ids if re.search(rf"\b{i}\b", text)]


@pytest.fixture
def written(analysed) -> AnalysisRun:
    """The analysed wave's reports, written by the worker's task, run here directly.

    Writing takes seconds (two PDFs), so the tests that download them share one fixture each and
    check several things at once."""
    write_reports.call(analysed.pk)
    return analysed


def test_a_finished_analysis_queues_its_reports_in_both_variants_and_formats(analysed):
    stored = set(analysed.files.values_list("variant", "format", "status"))
    assert stored == {
        (v, f, RunFile.QUEUED) for v in ("full", "pseudonymised") for f in ("pdf", "html")
    }


def test_the_worker_stores_both_variants_and_the_owner_downloads_the_full_one(
    owner_client, written, study
):
    files = {(r.variant, r.format): r for r in written.files.all()}
    assert {r.status for r in files.values()} == {RunFile.DONE}, [r.error for r in files.values()]
    for r in files.values():
        assert r.size == len(bytes(r.content)) > 1000
        assert r.started <= r.finished and r.step == "done"
    assert bytes(files["full", "pdf"].content).startswith(b"%PDF")
    assert bytes(files["full", "html"].content).lower().startswith(b"<!doctype html>")

    for format, content_type in (("pdf", "application/pdf"), ("html", "text/html; charset=utf-8")):
        response = report(owner_client, study, format)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="riverside-secondary-education-wave-1-report-with-names.{format}"'
        )
        assert set(re.split(r",\s*", response["Cache-Control"])) >= {"private", "no-store"}
        text = text_of(response)
        assert "Ann Lee" in text and "Zoë Ångström" in text
        assert "Secondary education in Riverside" in text
    # The HTML report is a document, not a page of the site: it runs and loads nothing.
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "<script" not in response.content.decode().lower()


def test_a_viewer_gets_only_the_pseudonymised_report_and_an_outsider_nothing(
    viewer_client, analyst_client, outsider_client, analysed, study
):
    analysed.files.filter(variant="full").delete()  # not needed here: saves writing it
    write_reports.call(analysed.pk)
    for format in ("pdf", "html"):
        response = report(viewer_client, study, format)
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'-report-pseudonymised.{format}"')
        text = text_of(response)
        assert "Person " in text and "pseudonymised" in text
        assert named_anyone(text, study) == []
        for method in ("get", "post"):
            full = report(viewer_client, study, format, variant="full", method=method)
            assert full.status_code == 404 and b"Ann Lee" not in full.content
        for variant in (None, "full", "pseudonymised"):
            response = report(outsider_client, study, format, variant)
            assert response.status_code == 404
            assert b"Person 1" not in response.content and b"Ann Lee" not in response.content
    # Those allowed names may take the pseudonymised one, to share.
    shared = report(analyst_client, study, "pdf", variant="pseudonymised")
    assert shared.status_code == 200
    assert shared["Content-Disposition"].endswith('-report-pseudonymised.pdf"')
    assert named_anyone(pdf_text(shared.content), study) == []


def test_an_unknown_variant_or_a_wave_without_analysis_is_404(owner_client, analysed, study):
    assert report(owner_client, study, "pdf", variant="everything").status_code == 404
    Wave.objects.create(study=study, number=2)
    assert owner_client.get(reverse("studies:report_pdf", args=[study.pk, 2])).status_code == 404


def test_while_it_is_written_the_address_says_so_and_refreshes_itself(
    owner_client, analysed, study
):
    RunFile.objects.filter(run=analysed, variant="full").update(
        status=RunFile.RUNNING, step="laying out the pages of the PDF"
    )
    response = report(owner_client, study, "pdf")

    page = response.content.decode()
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert response["Content-Type"].startswith("text/html")
    assert "The report is being written" in page
    assert "Step 3 of 3: laying out the pages of the PDF." in page
    assert '<progress max="3" value="2"' in page
    # Without JavaScript the page refreshes itself; with it, a script asks for the status.
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "placelab/progress.js" in page
    assert "no-store" in response["Cache-Control"]
    status = report(owner_client, study, "pdf", accept="application/json")
    assert status.json() == {
        "status": "running", "steps_done": 2, "steps": 3,
        "message": "Step 3 of 3: laying out the pages of the PDF.",
    }  # fmt: skip
    RunFile.objects.filter(run=analysed).update(status=RunFile.DONE)
    assert report(owner_client, study, "pdf", accept="application/json").json()["status"] == "done"


def test_a_report_another_worker_is_writing_is_left_to_it(analysed):
    analysed.files.update(status=RunFile.RUNNING, step=STEPS[0], started=timezone.now())

    reports_write(run_id=analysed.pk)

    assert set(analysed.files.values_list("status", "size")) == {(RunFile.RUNNING, 0)}


def test_a_report_whose_worker_stopped_is_queued_again_when_its_page_is_opened(
    owner_client, analysed, study
):
    lost = timezone.now() - timedelta(minutes=2)
    analysed.files.update(status=RunFile.RUNNING, step=STEPS[2], started=lost, heartbeat=lost)

    page = report(owner_client, study, "pdf").content.decode()

    assert "The report is being written" in page
    assert set(analysed.files.values_list("status", "attempts")) == {(RunFile.QUEUED, 0)}


def test_a_report_whose_worker_stopped_three_times_says_so_and_can_be_tried_again(
    owner_client, analysed, study
):
    lost = timezone.now() - timedelta(minutes=2)
    analysed.files.update(
        status=RunFile.RUNNING, step=STEPS[2], started=lost, heartbeat=lost, attempts=3
    )

    page = report(owner_client, study, "pdf").content.decode()

    assert "The report could not be written" in page
    assert escape(GAVE_UP) in page
    report(owner_client, study, "pdf", method="post")
    assert set(analysed.files.values_list("status", "attempts")) == {(RunFile.QUEUED, 0)}


def test_a_queued_report_waits_for_the_worker(viewer_client, analysed, study):
    page = report(viewer_client, study, "html").content.decode()

    assert "Waiting for the background worker to start on it." in page
    assert "The pseudonymised report (HTML)" in page


def test_a_run_analysed_before_reports_were_stored_gets_them_on_first_request(
    owner_client, analysed, study
):
    analysed.files.all().delete()

    page = report(owner_client, study, "html").content.decode()

    assert "The report is being written" in page
    assert analysed.files.filter(status=RunFile.QUEUED).count() == 4


def test_a_failing_report_stores_why_leaves_the_run_and_can_be_tried_again(
    owner_client, analysed, study
):
    result = analysed.result
    # A stored result the report cannot read (as one made by an older, incompatible version).
    AnalysisRun.objects.filter(pk=analysed.pk).update(result={**result, "networks": None})

    reports_write(run_id=analysed.pk)

    analysed.refresh_from_db()
    assert analysed.status == AnalysisRun.DONE and analysed.error == ""
    assert set(analysed.files.values_list("status", "error")) == {(RunFile.FAILED, UNEXPECTED)}
    response = report(owner_client, study, "pdf")
    page = response.content.decode()
    assert "The report could not be written" in page and escape(UNEXPECTED) in page
    assert "The analysis and the study's data are unchanged." in page
    assert '<button type="submit">Try again</button>' in page
    assert "http-equiv" not in page  # nothing to wait for

    again = report(owner_client, study, "pdf", method="post")
    assert again.status_code == 302 and again["Location"].endswith("/analysis/report.pdf")
    assert analysed.files.filter(status=RunFile.QUEUED).count() == 4
    assert "The report is being written" in report(owner_client, study, "pdf").content.decode()


def test_a_result_stored_before_maps_says_to_run_the_analysis_again(owner_client, analysed, study):
    old = {k: v for k, v in analysed.result.items() if k not in ("ties", "layout")}
    AnalysisRun.objects.filter(pk=analysed.pk).update(result=old)

    reports_write(run_id=analysed.pk)

    page = report(owner_client, study, "html").content.decode()
    assert "The report could not be written" in page
    assert "run the analysis again to draw the maps" in page


def test_a_hostile_study_name_is_text_in_the_report_and_its_file_name(
    owner_client, analysed, study
):
    hostile = '<script>alert("pwned")</script>'
    study.locality, study.field = f"{hostile} Riverside", 'field"; filename="evil.exe'
    study.save()
    analysed.files.exclude(variant="full", format="html").delete()
    reports_write(run_id=analysed.pk)

    response = report(owner_client, study, "html")

    assert hostile.encode() not in response.content
    assert b"&lt;script&gt;alert" in response.content
    assert response["Content-Disposition"] == (
        'attachment; filename="scriptalertpwnedscript-riverside-field-filenameevilexe-wave-1-'
        'report-with-names.html"'
    )


def test_a_new_runs_report_is_not_the_earlier_runs(owner_client, analysed, study, wave):
    # Only the HTML with names is asked for here: the other files stay unwritten, to save time.
    only_full_html = dict(variant="full", format="html")
    analysed.files.exclude(**only_full_html).delete()
    reports_write(run_id=analysed.pk)
    assert "Ann Lee" in report(owner_client, study, "html").content.decode()
    Participant.objects.filter(study=study, key="p01").update(name="Ann Leigh")
    newer = analysis_run_now(wave=Wave.objects.get(pk=wave.pk))
    assert newer.status == AnalysisRun.DONE

    waiting = report(owner_client, study, "html")
    assert "Content-Disposition" not in waiting
    assert "The report is being written" in waiting.content.decode()

    newer.files.exclude(**only_full_html).delete()
    reports_write(run_id=newer.pk)
    text = report(owner_client, study, "html").content.decode()
    assert "Ann Leigh" in text and "Ann Lee" not in text
    assert not analysed.files.exists()  # no longer offered, so no longer kept


def test_an_earlier_runs_stored_report_is_never_served_for_the_latest(
    owner_client, analysed, study, wave
):
    analysed.files.update(status=RunFile.DONE, content=b"%PDF earlier", size=12)
    # A later run stored without reports (analysed before reports were kept with runs).
    later = AnalysisRun.objects.create(
        wave=wave, status=AnalysisRun.DONE, finished=timezone.now(), result=analysed.result,
        diagnosis=analysed.diagnosis, inputs_hash=analysed.inputs_hash,
    )  # fmt: skip

    response = report(owner_client, study, "pdf")

    assert "Content-Disposition" not in response and b"%PDF earlier" not in response.content
    assert "The report is being written" in response.content.decode()
    assert later.files.filter(status=RunFile.QUEUED).count() == 4
    assert not analysed.files.exists()


def test_the_analysis_page_offers_the_report_by_role(owner_client, viewer_client, analysed, study):
    page_url = reverse("studies:analysis", args=[study.pk, 1])
    pdf, html = (reverse(f"studies:report_{f}", args=[study.pk, 1]) for f in ("pdf", "html"))

    owner_page = owner_client.get(page_url).content.decode()
    viewer_page = viewer_client.get(page_url).content.decode()

    for page in (owner_page, viewer_page):
        assert f'href="{pdf}">Download report (PDF)</a>' in page
        assert f'href="{html}">Download report (HTML)</a>' in page
        assert page.index("Download report (PDF)") < page.index("Latest run")
    assert f'href="{pdf}?variant=pseudonymised">pseudonymised version, to share (PDF)' in owner_page
    assert "variant=" not in viewer_page and "It names people." not in viewer_page


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_the_reports_after_the_analysis(study, wave, analyst):
    from web.builders import answer_everything

    study.networks = ["work", "innovation", "expert"]
    study.save()
    answer_everything(wave)
    run = analysis_request(wave=Wave.objects.get(pk=wave.pk), user=analyst)

    run_worker()

    run.refresh_from_db()
    assert run.status == AnalysisRun.DONE, run.error
    assert set(run.files.values_list("status", flat=True)) == {RunFile.DONE}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_waiting_page_follows_the_worker_and_the_download_starts_when_ready(
    browser, live_server, analysed, study, owner
):
    analysed.files.exclude(variant="full", format="html").delete()  # one file is enough here
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server.url, owner.username)
    page.goto(live_server.url + reverse("studies:report_html", args=[study.pk, 1]))
    expect(page.get_by_role("heading", level=1)).to_have_text("The report is being written")
    expect(page.get_by_role("status")).to_have_text(
        "Waiting for the background worker to start on it."
    )

    with page.expect_download(timeout=60_000) as download:
        reports_write(run_id=analysed.pk)

    assert download.value.suggested_filename == (
        "riverside-secondary-education-wave-1-report-with-names.html"
    )
    assert "Ann Lee" in Path(download.value.path()).read_text(encoding="utf-8")
    expect(page.get_by_role("status")).to_have_text(
        "The report is ready: your download starts now."
    )
    context.close()
