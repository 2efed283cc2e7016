"""Two analysed waves compared in the web: asked for, run by the real worker, shown, refused
when a wave's answers changed since its analysis, and pseudonymised for viewers.

The demo (loaded once for the module, as ``make demo`` loads it) has two analysed waves, a year
apart, in which the voluntary sector reaches the core group more than twice as often; the
small study of tests/small_study.py, answered twice, is used where the worker runs.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from web.builders import answer_everything, run_worker, submit
from web.conftest import client_for, make_user

from placelab.cli import main as placelab_cli
from placelab.web.studies.models import (
    AnalysisRun,
    AuditEvent,
    Comparison,
    Invitation,
    Membership,
    RunFile,
    Study,
    Wave,
)
from placelab.web.studies.selectors.analysis_inputs import wave_export
from placelab.web.studies.selectors.comparison import compare_command
from placelab.web.studies.services.analysis import analysis_request, analysis_run_now
from placelab.web.studies.services.comparison import (
    ComparisonRefused,
    comparison_execute,
    comparison_request,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MAP = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')
worker_db = pytest.mark.django_db(transaction=True)


# --- the small study, answered in two waves ----------------------------------------------------


def second_wave(study: Study) -> Wave:
    """Wave 2 of the small study, everyone invited again and answering as in wave 1."""
    wave = Wave.objects.create(study=study, number=2, status=Wave.OPEN)
    Invitation.objects.bulk_create(
        Invitation(wave=wave, participant=p) for p in study.participants.all()
    )
    answer_everything(wave)
    return Wave.objects.select_related("study").get(pk=wave.pk)


@pytest.fixture
def two_waves(study, wave) -> tuple[AnalysisRun, AnalysisRun]:
    """Both waves analysed, and no comparison yet (the analysis of wave 2 made one: gone)."""
    study.networks = ["work", "innovation", "expert"]  # the small study's three
    study.save()
    answer_everything(wave)
    first = analysis_run_now(wave=Wave.objects.get(pk=wave.pk))
    second = analysis_run_now(wave=second_wave(study))
    of_study(study).delete()
    return first, second


def of_study(study: Study):
    """The study's comparisons (the demo's, loaded for the module, are in the database too)."""
    return Comparison.objects.filter(before__wave__study=study)


def compare_url(study: Study, before: int = 1, after: int = 2) -> str:
    return reverse("studies:compare", args=[study.pk]) + f"?before={before}&after={after}"


def ask(client, study: Study, before: int = 1, after: int = 2):
    data = {"before": before, "after": after}
    return client.post(reverse("studies:compare_run", args=[study.pk]), data, follow=True)


def saved(run: AnalysisRun) -> tuple:
    run = AnalysisRun.objects.get(pk=run.pk)
    return (run.status, run.result, run.diagnosis, run.inputs_hash, run.finished)


@worker_db
def test_a_comparison_asked_for_is_run_by_the_worker_and_shown(
    two_waves, study, analyst, analyst_client
):
    response = ask(analyst_client, study)
    assert "The comparison is queued" in response.content.decode()
    comparison = of_study(study).get()
    assert (comparison.before_id, comparison.after_id) == (two_waves[0].pk, two_waves[1].pk)
    assert comparison.status == Comparison.QUEUED and comparison.task_id
    run_worker()
    comparison.refresh_from_db()
    assert comparison.status == Comparison.DONE, comparison.error
    assert comparison.parameters == {
        "seed": 0, "resamples": 200, "networks": ["work", "innovation", "expert", "all"],
    }  # fmt: skip
    assert comparison.result["format"] == "placelab-comparison/1"
    assert comparison.result["response"]["answered_both"] == 11
    # Everyone answered the same twice: every tie kept, none new or lost.
    ties = comparison.result["everyone"]["networks"]["work"]["ties"]
    assert (ties["kept"], ties["new"], ties["lost"]) == (10, 0, 0)
    assert comparison.result["diagnosis"] is not None  # both waves answered the assessment
    page = analyst_client.get(compare_url(study)).content.decode()
    assert "Download the comparison (JSON)" in page
    assert "placelab compare wave-1 wave-2 --networks work,innovation,expert --seed 0" in page


@pytest.mark.django_db
def test_the_command_the_page_shows_gives_the_stored_comparison(
    two_waves, study, analyst, tmp_path, monkeypatch
):
    comparison = comparison_request(before=two_waves[0], after=two_waves[1], user=analyst)
    comparison_execute(comparison_id=comparison.pk)
    comparison.refresh_from_db()
    for run in two_waves:  # each wave as its analysis page downloads it, unzipped
        folder = tmp_path / f"wave-{run.wave.number}"
        folder.mkdir()
        wave_export(wave=run.wave, folder=folder)
    monkeypatch.chdir(tmp_path)
    command = compare_command(comparison)
    assert placelab_cli(shlex.split(command)[1:] + ["--quiet"]) == 0
    cli = json.loads((tmp_path / "comparison.json").read_text(encoding="utf-8"))
    assert cli == comparison.result


@worker_db
def test_the_same_pair_asked_for_twice_is_queued_once(two_waves, study, analyst, analyst_client):
    first = comparison_request(before=two_waves[0], after=two_waves[1], user=analyst)
    again = comparison_request(before=two_waves[0], after=two_waves[1], user=analyst)
    assert again.pk == first.pk
    page = analyst_client.get(compare_url(study)).content.decode()
    assert "<progress" in page
    status = reverse("studies:compare_status", args=[study.pk, first.pk])
    assert f'data-status-url="{status}"' in page
    assert analyst_client.get(status).json()["status"] == "queued"
    tasks = DBTaskResult.objects.filter(task_path__endswith="run_comparison")
    assert tasks.count() == 1
    run_worker()
    done = comparison_request(before=two_waves[0], after=two_waves[1], user=analyst)
    assert done.pk == first.pk and done.status == Comparison.DONE
    assert tasks.count() == 1


@pytest.mark.django_db
def test_asking_records_it_in_the_audit_log(two_waves, study, analyst, analyst_client):
    ask(analyst_client, study)
    event = AuditEvent.objects.get(study=study, action=AuditEvent.COMPARED)
    assert event.user == analyst
    assert event.detail == "Asked for a comparison of Wave 1 with Wave 2"


@pytest.mark.django_db
def test_a_wave_whose_answers_changed_is_not_compared(two_waves, study, wave, analyst_client):
    submit(wave, "p08", [("work", "p01", None)])  # p08 answers wave 1 after its analysis
    with pytest.raises(ComparisonRefused, match="Analyse Wave 1 again first"):
        comparison_request(before=two_waves[0], after=two_waves[1], user=None)
    page = html.unescape(ask(analyst_client, study).content.decode())
    assert "Answers to Wave 1 have changed since its analysis" in page
    assert "Analyse Wave 1 again first, then compare." in page
    assert '<button type="submit">Compare</button>' not in page
    assert reverse("studies:analysis", args=[study.pk, 1]) in page
    assert not of_study(study).exists()


@pytest.mark.django_db
def test_a_later_wave_is_analysed_and_reported_when_it_cannot_be_compared(study, wave):
    study.networks = ["work", "innovation", "expert"]
    study.save()
    answer_everything(wave)
    analysis_run_now(wave=Wave.objects.get(pk=wave.pk))
    submit(wave, "p08", [("work", "p01", None)])  # wave 1's analysis is out of date
    run = analysis_run_now(wave=second_wave(study), write_reports=True)
    assert run.status == AnalysisRun.DONE and run.result["inputs"]["respondents"] == 11
    assert not of_study(study).exists()
    report = RunFile.objects.get(run=run, variant=RunFile.FULL, format=RunFile.HTML)
    assert report.status == RunFile.DONE, report.error
    assert "What changed since the last wave" not in bytes(report.content).decode()


@worker_db
def test_a_failed_comparison_says_why_and_leaves_the_runs_as_they_were(
    two_waves, study, wave, analyst, analyst_client
):
    before = [saved(run) for run in two_waves]
    comparison_request(before=two_waves[0], after=two_waves[1], user=analyst)
    submit(wave, "p08", [("work", "p01", None)])  # the answers change before the worker starts
    run_worker()
    comparison = of_study(study).get()
    assert comparison.status == Comparison.FAILED
    assert "Answers to Wave 1 have changed since its analysis" in comparison.error
    page = html.unescape(analyst_client.get(compare_url(study)).content.decode())
    assert "The comparison failed." in page and comparison.error in page
    assert "both analyses are unchanged" in page
    assert [saved(run) for run in two_waves] == before


@pytest.mark.django_db
def test_the_later_wave_is_second_whichever_way_round_they_are_chosen(
    two_waves, study, analyst, analyst_client
):
    ask(analyst_client, study, before=2, after=1)
    comparison = of_study(study).get()
    assert (comparison.before_id, comparison.after_id) == (two_waves[0].pk, two_waves[1].pk)
    with pytest.raises(ComparisonRefused):
        comparison_request(before=two_waves[1], after=two_waves[0], user=analyst)


@pytest.mark.django_db
def test_one_wave_chosen_twice_is_not_compared(two_waves, study, analyst_client):
    page = html.unescape(ask(analyst_client, study, before=2, after=2).content.decode())
    assert "Choose two different waves that have been analysed." in page
    assert not of_study(study).exists()
    page = html.unescape(analyst_client.get(compare_url(study, 1, 1)).content.decode())
    assert "Choose two different waves that have been analysed. The latest two are shown." in page


@pytest.mark.django_db
def test_a_viewer_cannot_ask_and_sees_no_comparison_under_way(
    two_waves, study, analyst, viewer_client
):
    assert ask(viewer_client, study).status_code == 404
    comparison_request(before=two_waves[0], after=two_waves[1], user=analyst)
    page = viewer_client.get(compare_url(study)).content.decode()
    assert "have not been compared yet" in page
    assert "<progress" not in page and reverse("studies:compare_run", args=[study.pk]) not in page


@pytest.mark.django_db
def test_an_outsider_reaches_nothing(two_waves, study, analyst, outsider_client):
    comparison = comparison_request(before=two_waves[0], after=two_waves[1], user=analyst)
    for name, args in (
        ("compare", [study.pk]),
        ("compare_status", [study.pk, comparison.pk]),
        ("compare_json", [study.pk, comparison.pk]),
    ):
        assert outsider_client.get(reverse(f"studies:{name}", args=args)).status_code == 404


@pytest.mark.django_db
def test_one_analysed_wave_has_nothing_to_compare(analysed, study, analyst_client):
    page = analyst_client.get(reverse("studies:compare", args=[study.pk])).content.decode()
    assert "A comparison needs two waves of the study that have been analysed" in page
    detail = analyst_client.get(reverse("studies:detail", args=[study.pk])).content.decode()
    assert reverse("studies:compare", args=[study.pk]) not in detail


@worker_db
def test_analysing_a_later_wave_compares_it_before_its_reports_are_written(study, wave, analyst):
    study.networks = ["work", "innovation", "expert"]
    study.save()
    answer_everything(wave)
    analysis_request(wave=wave, user=analyst)
    run_worker()
    assert not of_study(study).exists()  # wave 1 has nothing earlier
    later = second_wave(study)
    run = analysis_request(wave=later, user=analyst)
    run_worker()
    comparison = of_study(study).get()
    assert comparison.after_id == run.pk and comparison.status == Comparison.DONE
    report = RunFile.objects.get(run=run, variant=RunFile.FULL, format=RunFile.HTML)
    assert report.status == RunFile.DONE, report.error
    assert "What changed since the last wave" in bytes(report.content).decode()


# --- the demo ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_pk(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module's tests (each rolls back its own changes), and
    emptied from the database after them."""
    with django_db_blocker.unblock():
        call_command("load_demo", str(EXAMPLES), stdout=io.StringIO())
        yield Study.objects.get(locality="Riverside", field="Secondary education").pk
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_pk, db) -> Study:
    return Study.objects.get(pk=demo_pk)


def demo_client(demo: Study, role: str):
    user = make_user(f"demo-{role}")
    Membership.objects.create(study=demo, user=user, role=role)
    return client_for(user)


def demo_comparison(demo: Study) -> Comparison:
    return Comparison.objects.get(before__wave__study=demo)


def roster_words() -> set[str]:
    """Every name, organisation and several-word role title on either wave's roster."""
    words = set()
    for folder in (EXAMPLES, EXAMPLES / "wave2"):
        for row in csv.DictReader((folder / "people.csv").open(encoding="utf-8")):
            words |= {row["name"], row["organisation"]}
            words |= {row["role_title"]} if " " in row["role_title"] else set()
    return words


def leaks(text: str) -> list[str]:
    """Roster words in ``text``, the maps drawn into it (as data addresses) read too."""
    text = html.unescape(text)
    text += "".join(base64.b64decode(svg).decode() for svg in MAP.findall(text))
    return sorted(word for word in roster_words() if word in text)


def maps_on(page: str) -> list[str]:
    return [base64.b64decode(svg).decode() for svg in MAP.findall(html.unescape(page))]


def test_the_demos_second_wave_was_compared_with_its_first(demo):
    comparison = demo_comparison(demo)
    assert comparison.status == Comparison.DONE, comparison.error
    assert (comparison.before.wave.number, comparison.after.wave.number) == (1, 2)
    titles = [f["title"] for f in comparison.result["findings"]]
    assert "Voluntary and community sector: reach to the core rose in the expert network" in titles


def test_the_page_shows_the_voluntary_sector_moved_closer_to_the_core(demo):
    page = demo_client(demo, Membership.ANALYST).get(compare_url(demo)).content.decode()
    text = html.unescape(page)
    assert "Voluntary and community sector" in text
    assert "reach to the core rose" in text
    first, second = (str(w) for w in demo.waves.order_by("number"))
    assert f"{first} and {second} compared" in text  # the page's title
    assert AuditEvent.objects.filter(
        study=demo, action=AuditEvent.SAW_NAMES, detail__contains=f"the comparison of {first}"
    ).exists()


def test_a_viewer_sees_pseudonyms_and_no_names(demo):
    client = demo_client(demo, Membership.VIEWER)
    page = client.get(compare_url(demo)).content.decode()
    assert "reach to the core rose" in html.unescape(page)
    assert leaks(page) == []
    download = client.get(reverse("studies:compare_json", args=[demo.pk, demo_comparison(demo).pk]))
    shown = download.json()
    assert shown["pseudonymised"] is True
    assert leaks(json.dumps(shown, ensure_ascii=False)) == []
    assert "Person " in json.dumps(shown["comparison"]["everyone"]["networks"])  # connectors
    # An analyst's copy does name them: the check above would see a leak.
    named = demo_client(demo, Membership.ANALYST).get(download.request["PATH_INFO"]).json()
    assert named["pseudonymised"] is False and leaks(json.dumps(named, ensure_ascii=False))


def test_the_page_draws_one_networks_maps_side_by_side_and_links_the_others(demo):
    client = demo_client(demo, Membership.ANALYST)
    page = client.get(compare_url(demo)).content.decode()
    assert len(maps_on(page)) == 2  # innovation, as the analysis page opens on
    assert "Innovation network" in html.unescape(page).split('id="map-pair-title">')[1][:40]
    for name in ("work", "social", "expert", "strategic", "learning", "decision", "all"):
        assert f"network={name}#change-maps" in page
    earlier, later = maps_on(client.get(compare_url(demo) + "&network=work").content.decode())
    assert "Work network" in earlier
    assert "stroke-dasharray" in earlier  # the ties lost are drawn dashed on the earlier map


def test_the_study_and_analysis_pages_link_to_the_comparison(demo):
    client = demo_client(demo, Membership.VIEWER)
    link = reverse("studies:compare", args=[demo.pk])
    assert link in client.get(reverse("studies:detail", args=[demo.pk])).content.decode()
    analysis = html.unescape(
        client.get(reverse("studies:analysis", args=[demo.pk, 1])).content.decode()
    )
    first = demo.waves.get(number=1)
    assert f'href="{link}?before=1&after=2"' in analysis
    assert f"What changed between {first} and the analysed wave after it" in analysis


def test_the_later_waves_report_shows_what_changed(demo):
    run = demo_comparison(demo).after
    for variant in (RunFile.FULL, RunFile.PSEUDONYMISED):
        report = RunFile.objects.get(run=run, variant=variant, format=RunFile.HTML)
        text = html.unescape(bytes(report.content).decode())
        assert "What changed since the last wave" in text
        assert "Voluntary and community sector" in text
    assert leaks(text) == []


@pytest.mark.browser
@worker_db
@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 800}]
)
def test_the_comparison_page_passes_axe(
    browser, live_server, study, wave, analyst, viewer, viewport
):
    from axe_playwright_python.sync_playwright import Axe
    from web.conftest import PASSWORD

    from placelab.web.studies.services.comparison import comparison_after_analysis

    study.networks = ["work", "innovation", "expert"]
    study.save()
    answer_everything(wave)
    analysis_run_now(wave=Wave.objects.get(pk=wave.pk))
    run = analysis_run_now(wave=second_wave(study))
    assert of_study(study).get().status == Comparison.DONE
    assert comparison_after_analysis(run_id=run.pk).pk == of_study(study).get().pk  # no twin
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    found = {}
    for user in (analyst, viewer):
        page = browser.new_page(viewport=viewport)
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("User name").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(live_server.url + compare_url(study))
        page.locator("details.change-network").first.evaluate("d => d.open = true")
        results = Axe().run(page, options=options)
        found[user.username] = results.generate_report() if results.violations_count else ""
        page.close()
    assert not any(found.values()), "\n".join(found.values())
