""" "Answers have changed since": every write the analysis would see is caught, cheaply.

The check trusts the wave's stamp (counted by the database's triggers, migration 0008) while it
has not moved, so each kind of change below is made the way the product makes it (a service) or
the way the admin or a bulk update would (the ORM), and must be reported; the reference is the
exact hash of the inputs (``wave_inputs_hash``), which must differ from the run's too. Runs on
SQLite and, with DATABASE_URL, on PostgreSQL (whose triggers are other code).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from web.builders import submit

from placelab.web.studies.models import (
    AnalysisRun,
    Answer,
    Invitation,
    Nomination,
    Organisation,
    Participant,
    Response,
    Study,
    Wave,
)
from placelab.web.studies.selectors.analysis_inputs import inputs_stamp, wave_inputs_hash
from placelab.web.studies.selectors.results import run_is_stale
from placelab.web.studies.selectors.survey import survey_bank
from placelab.web.studies.services import roster
from placelab.web.studies.services.analysis import analysis_run_now
from placelab.web.studies.services.invitations import invitation_revoke
from placelab.web.studies.services.responses import (
    response_answers_save,
    response_nominations_save,
    response_submit,
)


def _invitation(wave: Wave, key: str) -> Invitation:
    return Invitation.objects.get(wave=wave, participant__key=key)


def _person(study: Study, key: str) -> Participant:
    return Participant.objects.get(study=study, key=key)


def _answer_changed(study, wave, owner) -> None:
    answer = Answer.objects.filter(response__invitation__wave=wave).order_by("pk").first()
    Answer.objects.filter(pk=answer.pk).update(value="dk" if answer.value != "dk" else "3")


def _answer_deleted(study, wave, owner) -> None:
    Answer.objects.filter(response__invitation__wave=wave).order_by("pk").first().delete()


def _answers_saved_by_the_survey(study, wave, owner) -> None:
    invitation = _invitation(wave, "p01")
    item, value = Answer.objects.filter(response__invitation=invitation).values_list(
        "item", "value"
    )[0]
    bank = survey_bank(study=study)
    scale = next(i.scale for i in bank.items if i.id == item)
    group = next(s.group for s in bank.scales if s.id == scale)
    response_answers_save(
        invitation=invitation, group=group, values={item: "dk" if value != "dk" else "3"},
        reached="review",
    )  # fmt: skip


def _tie_added_by_the_survey(study, wave, owner) -> None:
    invitation = _invitation(wave, "p01")
    named = list(
        Nomination.objects.filter(response__invitation=invitation, network="work").values_list(
            "alter_id", "frequency"
        )
    )
    taken = {pk for pk, _ in named} | {invitation.participant_id}
    new = Participant.objects.filter(study=study).exclude(pk__in=taken).order_by("key").first()
    response_nominations_save(
        invitation=invitation, network="work", alters=[*named, (new.pk, 2)], outsiders=[],
        reached="review",
    )  # fmt: skip


def _tie_weight_changed(study, wave, owner) -> None:
    tie = Nomination.objects.filter(response__invitation__wave=wave, alter__isnull=False).first()
    Nomination.objects.filter(pk=tie.pk).update(frequency=5 if tie.frequency != 5 else 1)


def _tie_deleted(study, wave, owner) -> None:
    Nomination.objects.filter(response__invitation__wave=wave, alter__isnull=False).first().delete()


def _outsider_named(study, wave, owner) -> None:
    response = Response.objects.get(invitation=_invitation(wave, "p02"))
    Nomination.objects.bulk_create([Nomination(response=response, network="work", outsider="Kit")])


def _new_submission(study, wave, owner) -> None:
    invitation = _invitation(wave, "p08")  # the one who had not answered
    response_nominations_save(
        invitation=invitation, network="work", alters=[(_person(study, "p01").pk, 3)],
        outsiders=[], reached="review",
    )  # fmt: skip
    Response.objects.filter(invitation=invitation).update(consented=timezone.now())
    response_submit(invitation=invitation)


def _submission_withdrawn(study, wave, owner) -> None:
    Response.objects.filter(invitation=_invitation(wave, "p01")).update(submitted=None)


def _response_deleted(study, wave, owner) -> None:
    # Erasing through services.erasure deletes the runs that hold the person too; a delete by
    # hand (a bulk delete) keeps the run, which must then read as out of date.
    Response.objects.filter(invitation=_invitation(wave, "p03")).delete()


def _person_renamed(study, wave, owner) -> None:
    person = _person(study, "p02")
    person.name = "Someone Else"
    person.save()


def _person_key_changed(study, wave, owner) -> None:
    Participant.objects.filter(study=study, key="p02").update(key="p02-new")


def _sector_changed_by_the_form(study, wave, owner) -> None:
    person = _person(study, "p03")
    fields = roster.PersonFields(
        key=person.key, name=person.name, email=person.email, sector="business",
        layer=person.layer, seniority=person.seniority, attributes={},
        organisation=person.organisation,
    )  # fmt: skip
    roster.participant_update(participant=person, person=fields)


def _seniority_changed_in_bulk(study, wave, owner) -> None:
    people = list(Participant.objects.filter(study=study, key__in=["p04", "p05"]))
    for person in people:
        person.seniority = "resident" if person.seniority != "resident" else "senior"
    Participant.objects.bulk_update(people, ["seniority"])


def _person_withdrawn(study, wave, owner) -> None:
    Participant.objects.filter(study=study, key="p05").update(withdrawn=timezone.now())


def _person_deleted(study, wave, owner) -> None:
    Participant.objects.filter(study=study, key="p06").delete()


def _person_added_and_invited(study, wave, owner) -> None:
    person = Participant.objects.create(
        study=study, key="p99", name="New Person", sector="health", layer="frontline"
    )
    Invitation.objects.bulk_create([Invitation(wave=wave, participant=person)])


def _organisation_renamed(study, wave, owner) -> None:
    organisation = Organisation.objects.filter(study=study).order_by("name").first()
    roster.organisation_update(
        organisation=organisation, name="Renamed Trust", sector=organisation.sector,
        layer=organisation.layer,
    )  # fmt: skip


def _network_dropped(study, wave, owner) -> None:
    study.networks = ["work", "innovation"]
    study.save()


def _sector_list_changed(study, wave, owner) -> None:
    # p07 is in a sector the study then adds: the CLI's --sector; the hash sees the sector list.
    Study.objects.filter(pk=study.pk).update(extra_sectors=["housing"])
    Participant.objects.filter(study=study, key="p07").update(sector="housing")


CHANGES: dict[str, Callable] = {
    "an answer's value (update)": _answer_changed,
    "an answer deleted": _answer_deleted,
    "an answer saved again by the survey": _answers_saved_by_the_survey,
    "a tie added by the survey": _tie_added_by_the_survey,
    "a tie's weight (update)": _tie_weight_changed,
    "a tie deleted": _tie_deleted,
    "an outsider named (bulk_create)": _outsider_named,
    "a new submission": _new_submission,
    "a submission taken back (update)": _submission_withdrawn,
    "a response deleted": _response_deleted,
    "a person renamed (save)": _person_renamed,
    "a roster id changed (update)": _person_key_changed,
    "a sector changed by the roster form": _sector_changed_by_the_form,
    "seniorities changed (bulk_update)": _seniority_changed_in_bulk,
    "a person withdrawn": _person_withdrawn,
    "a person deleted": _person_deleted,
    "a person added and invited": _person_added_and_invited,
    "an organisation renamed": _organisation_renamed,
    "a network dropped from the study": _network_dropped,
    "the study's sectors and a person's sector": _sector_list_changed,
}


def _fresh(run: AnalysisRun) -> AnalysisRun:
    return AnalysisRun.objects.get(pk=run.pk)


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_change_the_analysis_would_see_is_reported(analysed, study, wave, owner, change):
    assert run_is_stale(_fresh(analysed)) is False
    before = inputs_stamp(wave.pk)
    change(Study.objects.get(pk=study.pk), wave, owner)
    # The reference: the exact hash of the inputs (of the wave read afresh, with its study).
    assert wave_inputs_hash(Wave.objects.get(pk=wave.pk)) != analysed.inputs_hash
    assert inputs_stamp(wave.pk) > before
    assert run_is_stale(_fresh(analysed)) is True
    assert run_is_stale(_fresh(analysed)) is True  # and again, from what the first check kept


def test_an_unchanged_wave_is_answered_in_one_query(analysed, django_assert_num_queries):
    run = _fresh(analysed)
    assert run.inputs_stamp == inputs_stamp(run.wave_id)  # kept by the analysis itself
    with django_assert_num_queries(1):
        assert run_is_stale(run) is False


def test_an_attribute_the_study_asks_is_watched(analysed, study, wave):
    study.attributes = [{"key": "borough", "label": "Borough"}]
    study.save()
    Participant.objects.filter(study=study).update(attributes={"borough": "North"})
    run = analysis_run_now(wave=wave)
    assert run_is_stale(_fresh(run)) is False
    Participant.objects.filter(study=study, key="p04").update(attributes={"borough": "South"})
    assert wave_inputs_hash(wave) != run.inputs_hash
    assert run_is_stale(_fresh(run)) is True


def test_a_revoked_invitation_is_watched(analysed, study, wave):
    person = Participant.objects.create(
        study=study, key="p99", name="New Person", sector="health", layer="frontline"
    )
    invitation = Invitation.objects.create(wave=wave, participant=person)
    run = analysis_run_now(wave=wave)
    assert run_is_stale(_fresh(run)) is False
    invitation_revoke(invitation=invitation)
    assert wave_inputs_hash(wave) != run.inputs_hash  # p99 is no longer one of the people
    assert run_is_stale(_fresh(run)) is True


def test_writes_the_analysis_does_not_read_leave_the_answer_alone(analysed, study, wave):
    """A reminder sent, a draft saved, the study's title: no change to report, and the check
    stays one query once it has looked again."""
    before = inputs_stamp(wave.pk)
    Invitation.objects.filter(wave=wave).update(sent=timezone.now(), reminders=1)
    submit(wave, "p08", [("work", "p01", 2)], {"latent_pockets": "4"}, submitted=False)
    assert inputs_stamp(wave.pk) == before  # drafts and reminders do not move the stamp
    study.locality = "Riverside North"
    study.save()  # moves it (the study's row is watched whole), but the inputs are the same
    assert inputs_stamp(wave.pk) > before
    assert run_is_stale(_fresh(analysed)) is False
    assert _fresh(analysed).inputs_stamp == inputs_stamp(wave.pk)


def test_another_wave_answering_does_not_move_this_one(analysed, study, wave):
    second = Wave.objects.create(study=study, number=2, status=Wave.OPEN)
    for person in Participant.objects.filter(study=study):
        Invitation.objects.create(wave=second, participant=person)
    before = inputs_stamp(wave.pk)
    submit(second, "p01", [("work", "p02", 2)])
    assert inputs_stamp(wave.pk) == before
    assert inputs_stamp(second.pk) > 0


def test_a_new_analysis_is_current_again(analysed, study, wave):
    _tie_weight_changed(study, wave, None)
    assert run_is_stale(_fresh(analysed)) is True
    run = analysis_run_now(wave=wave)
    assert run_is_stale(_fresh(run)) is False
    assert run.inputs_hash == wave_inputs_hash(wave)


def test_a_run_from_before_the_stamps_is_checked_by_its_hash(analysed, wave):
    AnalysisRun.objects.filter(pk=analysed.pk).update(inputs_stamp=None)
    assert run_is_stale(_fresh(analysed)) is False
    assert _fresh(analysed).inputs_stamp == inputs_stamp(wave.pk)


@pytest.mark.django_db
def test_every_trigger_of_the_stamps_survives_the_later_migrations():
    """SQLite rebuilds a table to add a column with a default, dropping its triggers: a later
    migration that does so must put them back (0009 does, for the study's)."""
    from importlib import import_module

    from django.db import connection

    stamp = import_module("placelab.web.studies.migrations.0008_inputs_stamp")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            wanted = {s.split()[2] for s in stamp.sqlite_sql()}
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            wanted = {s.split()[2] for s in stamp.postgresql_sql() if "CREATE TRIGGER" in s}
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        present = {row[0] for row in cursor.fetchall()}
    assert sorted(wanted - present) == []
