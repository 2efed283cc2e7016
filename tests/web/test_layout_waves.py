"""A person keeps one place on the maps from one wave to the next (the worker passes the layout on)."""

from __future__ import annotations

import pytest
from web.builders import answer_everything, submit

from placelab.web.studies.models import AnalysisRun, Invitation, Wave
from placelab.web.studies.services.analysis import analysis_run_now


def _tied(result: dict) -> set[str]:
    return {p for ties in result["ties"].values() for s, t, _w in ties for p in (s, t)}


@pytest.mark.django_db
def test_the_second_waves_map_keeps_everyone_where_the_first_put_them(study, wave):
    study.networks = ["work", "innovation", "expert"]
    study.save()
    answer_everything(wave)
    first = analysis_run_now(wave=wave)
    assert first.status == AnalysisRun.DONE, first.error
    second_wave = Wave.objects.create(study=study, number=2, status=Wave.OPEN)
    for invitation in wave.invitations.select_related("participant"):
        Invitation.objects.create(wave=second_wave, participant=invitation.participant)
    # Fewer and different ties: p11 and p12 now work together, the council talks to schools.
    submit(second_wave, "p01", [("work", "p02", 2), ("work", "p05", 1)])
    submit(second_wave, "p05", [("work", "p06", 1), ("innovation", "p01", 1)])
    submit(second_wave, "p09", [("work", "p10", 1)])
    submit(second_wave, "p11", [("work", "p12", 3)])
    second = analysis_run_now(wave=second_wave)
    assert second.status == AnalysisRun.DONE, second.error

    before, after = first.result["layout"], second.result["layout"]
    assert after["regions"] == before["regions"]
    kept = _tied(first.result) & _tied(second.result)
    assert {"p01", "p02", "p05", "p06", "p09", "p10", "p11", "p12"} <= kept
    for person in kept:
        assert after["positions"][person] == before["positions"][person], person
    assert after["margins"] == before["margins"]
