"""The analysis runs in the real worker, stores what reproduces it, and fails cleanly.

These tests queue through the service and run ``manage.py db_worker --batch``, on a database
the worker can see (transactional tests), as the production worker would.
"""

from __future__ import annotations

import io
import json
import shlex
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from web.builders import answer_everything, run_worker, submit

from placelab.cli import main as placelab_cli
from placelab.core.toolkit.bank import bank_versions
from placelab.web.studies.models import AnalysisRun, Answer, Nomination, Response, Wave
from placelab.web.studies.selectors.analysis_inputs import wave_export, wave_inputs_hash
from placelab.web.studies.selectors.results import expected_steps, reproduce_commands
from placelab.web.studies.selectors.survey import survey_bank
from placelab.web.studies.services.analysis import (
    analysis_execute,
    analysis_request,
    analysis_run_now,
)

worker_db = pytest.mark.django_db(transaction=True)


@pytest.fixture
def answered_wave(study, wave) -> Wave:
    study.networks = ["work", "innovation", "expert"]  # the small study's three
    study.save()
    answer_everything(wave)
    return Wave.objects.select_related("study").get(pk=wave.pk)


@pytest.fixture
def answered_wave_asking_all_seven(wave) -> Wave:
    """The study asks all seven networks; the answers name people in only three of them."""
    answer_everything(wave)
    return Wave.objects.select_related("study").get(pk=wave.pk)


def snapshot(wave: Wave) -> list:
    """Everything a run must leave as it was: responses, nominations and answers."""
    responses = Response.objects.filter(invitation__wave=wave)
    return [
        sorted(responses.values_list("pk", "submitted", "page")),
        sorted(Nomination.objects.filter(response__in=responses).values_list(
            "pk", "network", "alter_id", "outsider", "frequency")),
        sorted(Answer.objects.filter(response__in=responses).values_list("pk", "item", "value")),
    ]  # fmt: skip


@worker_db
def test_the_worker_runs_a_queued_analysis_and_stores_it(answered_wave, analyst):
    run = analysis_request(wave=answered_wave, user=analyst)
    assert run.status == AnalysisRun.QUEUED
    run.refresh_from_db()
    assert run.task_id  # queued once the run was committed
    run_worker()
    run.refresh_from_db()
    assert run.status == AnalysisRun.DONE, run.error
    assert run.started <= run.finished
    assert run.result["inputs"]["people"] == 12
    assert run.result["inputs"]["respondents"] == 11
    assert run.diagnosis["lifecycle"]["phase"]["name"]
    assert run.inputs_hash == wave_inputs_hash(answered_wave)
    assert run.parameters["seed"] == 0
    assert run.parameters["networks"]["seed"] == run.parameters["diagnosis"]["seed"] == 0
    assert run.versions["placelab"] and run.versions["item_bank"]
    assert run.steps_done == expected_steps(run) == 11
    assert run.step == "done"
    assert DBTaskResult.objects.get(id=run.task_id).status == "SUCCESSFUL"


@worker_db
def test_the_stored_numbers_are_the_command_lines_on_the_exported_files(
    answered_wave_asking_all_seven, analyst, tmp_path, monkeypatch
):
    wave = answered_wave_asking_all_seven
    run = analysis_request(wave=wave, user=analyst)
    run_worker()
    run.refresh_from_db()
    assert len(run.result["networks"]) == 8  # seven and "all", though four have no ties
    wave_export(wave=wave, folder=tmp_path)
    monkeypatch.chdir(tmp_path)
    for command in reproduce_commands(run):  # the commands the analysis page shows
        assert placelab_cli(shlex.split(command)[1:] + ["--quiet"]) == 0
    cli = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert cli["inputs"]["fingerprint"] == run.result["inputs"]["fingerprint"]
    assert {n: v["density"] for n, v in cli["networks"].items()} == {
        n: v["density"] for n, v in run.result["networks"].items()
    }
    assert cli["findings"] == run.result["findings"]
    # Everything else too, bar where the files were read from.
    cli["inputs"]["files"] = run.result["inputs"]["files"]
    assert cli == run.result
    diagnosis = json.loads((tmp_path / "diagnosis.json").read_text(encoding="utf-8"))
    diagnosis["inputs"]["answers_file"] = run.diagnosis["inputs"]["answers_file"]
    assert diagnosis == run.diagnosis


def test_a_new_study_asks_the_newest_item_bank(study):
    assert study.item_bank == bank_versions()[-1] != "1"


@pytest.mark.django_db
def test_a_study_that_asked_bank_1_keeps_it_and_its_answers_are_diagnosed(study, wave):
    # A study made before bank 2 (migration 0003 gives existing studies "1") answered
    # latent_slow, which bank 2 dropped: its survey still asks it and its analysis reads it.
    study.item_bank = "1"
    study.networks = ["work", "innovation", "expert"]
    study.save()
    assert "latent_slow" in survey_bank(study=study).item_ids
    answer_everything(wave)
    assert Answer.objects.filter(item="latent_slow").exists()
    run = analysis_run_now(wave=wave)
    assert run.status == AnalysisRun.DONE
    assert "unavailable" not in run.diagnosis
    assert run.versions["item_bank"] == "1"


@worker_db
def test_a_wave_no_one_submitted_fails_with_a_clear_message_and_changes_nothing(wave, analyst):
    submit(wave, "p01", [("work", "p02", 3)], {"latent_pockets": "4"}, submitted=False)
    before = snapshot(wave)
    run = analysis_request(wave=wave, user=analyst)
    run_worker()
    run.refresh_from_db()
    assert run.status == AnalysisRun.FAILED
    assert "No one has submitted an answer to Wave 1 yet" in run.error
    assert run.result is None and run.diagnosis is None
    assert snapshot(wave) == before


@worker_db
def test_a_bad_answer_fails_naming_the_file_row_and_column(answered_wave, analyst):
    response = Response.objects.get(invitation__participant__key="p01")
    Answer.objects.create(response=response, item="latent_pocket", value="4")
    before = snapshot(answered_wave)
    run = analysis_request(wave=answered_wave, user=analyst)
    run_worker()
    run.refresh_from_db()
    assert run.status == AnalysisRun.FAILED
    assert run.error.startswith("answers.csv, row ")
    assert "column 'item': unknown item 'latent_pocket'" in run.error
    assert snapshot(answered_wave) == before


@worker_db
def test_too_few_answers_store_the_networks_and_say_why_there_is_no_diagnosis(wave, analyst):
    submit(wave, "p01", [("work", "p02", 3)], {"latent_pockets": "4"})
    run = analysis_request(wave=wave, user=analyst)
    run_worker()
    run.refresh_from_db()
    assert run.status == AnalysisRun.DONE
    assert run.result["networks"]["work"]["ties"] == 1
    assert "Too few answers to diagnose" in run.diagnosis["unavailable"]


@worker_db
def test_no_self_assessment_answers_store_the_networks_without_a_diagnosis(wave, analyst):
    submit(wave, "p01", [("work", "p02", None)])
    run = analysis_request(wave=wave, user=analyst)
    run_worker()
    run.refresh_from_db()
    assert run.status == AnalysisRun.DONE
    assert "answered the self-assessment" in run.diagnosis["unavailable"]


@worker_db
def test_a_second_request_while_one_is_queued_returns_it(answered_wave, analyst, owner):
    first = analysis_request(wave=answered_wave, user=analyst)
    assert analysis_request(wave=answered_wave, user=owner).pk == first.pk
    assert AnalysisRun.objects.filter(wave=answered_wave).count() == 1
    assert DBTaskResult.objects.count() == 1
    run_worker()
    second = analysis_request(wave=answered_wave, user=owner)
    assert second.pk != first.pk  # once done, a new run can be asked for


@worker_db
def test_asking_again_for_a_run_whose_worker_vanished_queues_it_again(answered_wave, analyst):
    a_while_ago = timezone.now() - timedelta(minutes=2)
    lost = AnalysisRun.objects.create(
        wave=answered_wave, status=AnalysisRun.RUNNING, started=a_while_ago,
        heartbeat=a_while_ago, attempts=1, step="placing people on the maps",
    )  # fmt: skip
    run = analysis_request(wave=answered_wave, user=analyst)
    assert run.pk == lost.pk and run.status == AnalysisRun.QUEUED
    run_worker()
    run.refresh_from_db()
    assert (run.status, run.attempts) == (AnalysisRun.DONE, 2)


@worker_db
def test_a_run_whose_worker_vanished_three_times_is_failed_and_a_new_one_queued(
    answered_wave, analyst
):
    a_while_ago = timezone.now() - timedelta(minutes=2)
    lost = AnalysisRun.objects.create(
        wave=answered_wave, status=AnalysisRun.RUNNING, started=a_while_ago,
        heartbeat=a_while_ago, attempts=3,
    )  # fmt: skip
    run = analysis_request(wave=answered_wave, user=analyst)
    lost.refresh_from_db()
    assert run.pk != lost.pk
    assert lost.status == AnalysisRun.FAILED and "stopped three times" in lost.error


@worker_db
def test_a_run_whose_worker_still_beats_is_left_to_it(answered_wave, analyst):
    long_ago, just_now = timezone.now() - timedelta(hours=3), timezone.now()
    running = AnalysisRun.objects.create(
        wave=answered_wave, status=AnalysisRun.RUNNING, started=long_ago, heartbeat=just_now,
        attempts=1,
    )  # fmt: skip
    assert analysis_request(wave=answered_wave, user=analyst).pk == running.pk
    running.refresh_from_db()
    assert (running.status, DBTaskResult.objects.count()) == (AnalysisRun.RUNNING, 0)


@pytest.mark.django_db
def test_a_run_that_is_not_queued_is_left_alone(answered_wave):
    done = AnalysisRun.objects.create(wave=answered_wave, status=AnalysisRun.DONE, step="done")
    analysis_execute(run_id=done.pk)
    done.refresh_from_db()
    assert (done.status, done.result, done.started) == (AnalysisRun.DONE, None, None)


def test_an_analyst_downloads_the_files_that_reproduce_a_run(
    answered_wave_asking_all_seven, analyst, analyst_client, tmp_path, monkeypatch
):
    wave = answered_wave_asking_all_seven
    run = analysis_run_now(wave=wave)
    response = analyst_client.get(reverse("studies:wave_export", args=[wave.study.pk, wave.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["answers.csv", "people.csv", "ties.csv"]
        archive.extractall(tmp_path)
    monkeypatch.chdir(tmp_path)
    command = reproduce_commands(run)[0]
    assert placelab_cli(shlex.split(command)[1:] + ["--quiet"]) == 0
    cli = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert cli["inputs"]["fingerprint"] == run.result["inputs"]["fingerprint"]
    assert cli["findings"] == run.result["findings"]


def close(client, wave):
    return client.post(
        reverse("studies:wave", args=[wave.study.pk, wave.number]), {"action": "close"}
    )


def test_closing_a_wave_with_answers_queues_its_analysis(answered_wave, owner_client):
    close(owner_client, answered_wave)
    run = answered_wave.analyses.get()
    assert run.status == AnalysisRun.QUEUED


def test_closing_again_queues_nothing_when_the_answers_have_not_changed(
    answered_wave, owner, owner_client
):
    analysis_run_now(wave=answered_wave)
    close(owner_client, answered_wave)
    assert answered_wave.analyses.count() == 1  # the finished run still holds
    owner_client.post(
        reverse("studies:wave", args=[answered_wave.study.pk, answered_wave.number]),
        {"action": "reopen"},
    )
    submit(answered_wave, "p08", [("work", "p01", 2)])  # the one who had not answered
    close(owner_client, answered_wave)
    assert answered_wave.analyses.filter(status=AnalysisRun.QUEUED).count() == 1


def test_closing_a_wave_no_one_answered_queues_nothing(wave, owner_client):
    close(owner_client, wave)
    wave.refresh_from_db()
    assert wave.status == wave.CLOSED
    assert not wave.analyses.exists()
