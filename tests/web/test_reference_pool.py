"""The reference pool in the web: a study's opt-in, what each analysis adds and is read
against, the page's "Among comparable studies", and pools shared between sites.

Pools are generated from the small study's own entry with known densities, so that the
percentiles the page shows are worked by hand (Hazen's, as placelab.core.reference says).
"""

from __future__ import annotations

import io
import itertools
import json
import shlex
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from web.builders import answer_everything
from web.conftest import client_for, make_user
from web.test_pseudonymisation import EXAMPLES, ROSTER, demo  # noqa: F401 (a fixture)

from placelab.cli import main as placelab_cli
from placelab.core import reference as core
from placelab.web.studies.models import (
    AnalysisRun,
    AuditEvent,
    Invitation,
    ReferenceEntry,
    Study,
    Wave,
)
from placelab.web.studies.selectors import analysis_page
from placelab.web.studies.selectors.analysis_inputs import wave_export
from placelab.web.studies.selectors.results import reproduce_commands
from placelab.web.studies.services import reference
from placelab.web.studies.services.analysis import analysis_run_now

SETTINGS = "studies:settings"
KEYS = itertools.count(1)  # each generated entry is another study, with its own key


def share(client, study: Study, *, opt_in: bool):
    data = {"reference_share": "1", **({"reference_opt_in": "on"} if opt_in else {})}
    return client.post(reverse(SETTINGS, args=[study.pk]), data)


def page(client, study: Study) -> str:
    return client.get(reverse(SETTINGS, args=[study.pk])).content.decode()


def generated(run: AnalysisRun, densities: list[float], *, network: str = "innovation") -> list:
    """Entries like the run's own study, but with ``network``'s density set to each value."""
    own = core.study_aggregates(run.result, field=run.wave.study.field)
    entries = []
    for density in densities:
        entry = json.loads(json.dumps(own))
        entry["key"] = f"{next(KEYS):016x}"
        entry["networks"][network]["density"] = core.rounded(density)  # as a pool keeps it
        entries.append(entry)
    return entries


def add_imported(entries: list, source: str = "Generated pool") -> None:
    ReferenceEntry.objects.bulk_create(ReferenceEntry(source=source, aggregates=e) for e in entries)


def analyse_again(wave: Wave) -> AnalysisRun:
    run = analysis_run_now(wave=Wave.objects.get(pk=wave.pk))
    assert run.status == AnalysisRun.DONE, run.error
    return run


def write_pool(path: Path, entries: list, *, source: str = "Northshire") -> Path:
    path.write_text(json.dumps(core.pool_document(entries, source=source, date="2026-03-01")))
    return path


# --- opting in and out ----------------------------------------------------------------------


def test_a_study_that_did_not_opt_in_contributes_nothing(analysed):
    assert not analysed.wave.study.reference_opt_in
    analyse_again(analysed.wave)
    assert not ReferenceEntry.objects.exists()
    assert reference.reference_export()["entries"] == []


def test_opting_in_shares_the_latest_analysis_and_opting_out_deletes_it(owner_client, analysed):
    study = analysed.wave.study
    response = share(owner_client, study, opt_in=True)
    assert response.status_code == 302
    entry = ReferenceEntry.objects.get(study=study)
    assert entry.run == analysed
    assert entry.aggregates == core.study_aggregates(analysed.result, field=study.field)
    assert reference.reference_export()["studies"] == 1
    assert "<strong>Shared:</strong> the figures of the analysis of" in page(owner_client, study)

    share(owner_client, study, opt_in=False)
    assert not ReferenceEntry.objects.exists()
    assert "<strong>Not shared.</strong>" in page(owner_client, study)
    assert not Study.objects.get(pk=study.pk).reference_opt_in
    events = AuditEvent.objects.filter(study=study).order_by("pk")
    assert list(events.values_list("action", flat=True)) == [
        AuditEvent.EXPORTED,
        AuditEvent.DELETED,
    ]


def test_each_finished_analysis_replaces_an_opted_in_studys_entry(owner_client, analysed):
    share(owner_client, analysed.wave.study, opt_in=True)
    again = analyse_again(analysed.wave)
    assert ReferenceEntry.objects.get().run == again


def test_re_analysing_an_earlier_wave_keeps_the_latest_waves_figures(owner_client, analysed):
    study = analysed.wave.study
    share(owner_client, study, opt_in=True)
    second = Wave.objects.create(study=study, number=2, status=Wave.CLOSED)
    for person in study.participants.all():
        Invitation.objects.create(wave=second, participant=person)
    answer_everything(second)
    later = analyse_again(second)
    analyse_again(analysed.wave)
    assert ReferenceEntry.objects.get().run == later


def test_a_deleted_analysis_leaves_the_pool_when_refreshed(owner_client, analysed):
    share(owner_client, analysed.wave.study, opt_in=True)
    earlier = analysed
    later = analyse_again(analysed.wave)
    later.delete()
    assert reference.reference_refresh(study=analysed.wave.study).run == earlier
    earlier.delete()
    assert reference.reference_refresh(study=analysed.wave.study) is None
    assert not ReferenceEntry.objects.exists()


def test_deleting_the_wave_takes_its_figures_out_of_the_pool(owner_client, analysed):
    study = analysed.wave.study
    share(owner_client, study, opt_in=True)
    assert ReferenceEntry.objects.filter(study=study).exists()

    response = owner_client.post(
        reverse("studies:wave_delete", args=[study.pk, analysed.wave.number]),
        {"confirm": str(analysed.wave.number)},
    )

    assert response.status_code == 302
    assert not ReferenceEntry.objects.exists()
    assert reference.reference_export()["entries"] == []


def test_erasing_a_person_takes_the_analysis_holding_them_out_of_the_pool(owner_client, analysed):
    study = analysed.wave.study
    share(owner_client, study, opt_in=True)
    person = study.participants.order_by("key").first()

    owner_client.post(
        reverse("studies:participant_delete", args=[study.pk, person.pk]), {"confirm": person.key}
    )

    # The analysis that held them is gone, and its figures with it: what is shared now, if
    # anything, is the figures of an analysis made without them.
    assert not AnalysisRun.objects.filter(pk=analysed.pk).exists()
    for entry in ReferenceEntry.objects.all():
        assert entry.run is not None
        assert entry.aggregates == core.study_aggregates(entry.run.result, field=study.field)
    assert ReferenceEntry.objects.filter(run__isnull=True).count() == 0


def test_a_study_opting_in_before_any_analysis_shares_its_first(owner_client, study, wave):
    response = share(owner_client, study, opt_in=True)
    assert ReferenceEntry.objects.count() == 0
    assert "once a wave has been analysed" in owner_client.get(response.url).content.decode()


def test_only_the_owner_chooses(analyst_client, viewer_client, study):
    for client in (analyst_client, viewer_client):
        assert share(client, study, opt_in=True).status_code == 404
    assert not Study.objects.get(pk=study.pk).reference_opt_in


def test_the_settings_page_says_what_is_shared_and_what_never_is(owner_client, study):
    page = owner_client.get(reverse(SETTINGS, args=[study.pk])).content.decode()
    assert "What is never shared" in page
    assert 'name="reference_opt_in"' in page and "checked" not in page.split("reference_opt_in")[1]


# --- what an analysis is read against -------------------------------------------------------


def test_with_no_pool_the_result_is_the_command_lines(analysed, viewer_client):
    assert "reference" not in analysed.result
    assert analysed.result["finding_rules"]["density_ranges"] == {}
    assert analysed.parameters["reference"]["studies"] == 0
    page = viewer_client.get(reverse("studies:analysis", args=[analysed.wave.study.pk, 1]))
    assert (
        "No other study had shared its figures when this wave was analysed" in page.content.decode()
    )


def test_a_study_is_never_read_against_its_own_entry(owner_client, analysed):
    share(owner_client, analysed.wave.study, opt_in=True)
    again = analyse_again(analysed.wave)
    assert again.parameters["reference"]["studies"] == 0
    assert "reference" not in again.result


def density_of(run: AnalysisRun, network: str = "innovation") -> float:
    return core.rounded(float(run.result["networks"][network]["density"]))


def test_an_entry_the_format_no_longer_takes_is_left_out_not_fatal(analysed):
    entries = generated(analysed, [0.1, 0.2])
    entries[1]["networks"]["innovation"]["density"] = "high"  # as no placelab writes it
    add_imported(entries)
    run = analyse_again(analysed.wave)
    assert run.parameters["reference"]["studies"] == 1
    assert reference.reference_export()["entries"] == entries[:1]


def test_under_five_other_studies_the_page_says_so(owner_client, analysed):
    d = density_of(analysed)
    add_imported(generated(analysed, [d * 0.5, d * 0.8, d * 1.25, d * 1.5]))
    run = analyse_again(analysed.wave)
    assert run.result["reference"]["enough"] is False
    page = owner_client.get(reverse("studies:analysis", args=[analysed.wave.study.pk, 1]))
    text = page.content.decode()
    assert "Fewer than 5 other comparable studies share their figures yet (4 do)" in text
    assert "percentile" not in text.split('id="comparable"')[1].split("<h3")[0].replace(
        "no percentile", ""
    )


def test_five_other_studies_give_the_percentile_worked_by_hand(viewer_client, analysed):
    d = density_of(analysed)
    # Two of the five below, three above: Hazen's percentile is 100 * 2 / 5 = 40; the 10th to
    # 90th percentile of five values by Hazen's plotting position is their lowest to highest.
    add_imported(generated(analysed, [d * 0.5, d * 0.8, d * 1.25, d * 1.5, d * 2]))
    run = analyse_again(analysed.wave)
    stood = run.result["reference"]["networks"]["innovation"]["density"]
    assert stood["percentile"] == pytest.approx(40.0)
    assert stood["range"] == pytest.approx([core.rounded(d * 0.5), core.rounded(d * 2)])
    assert stood["band"] == "within"
    assert run.parameters["reference"]["studies"] == 5
    page = viewer_client.get(reverse("studies:analysis", args=[analysed.wave.study.pk, 1]))
    assert "40th percentile, within the usual range" in page.content.decode()


def test_a_density_below_the_pools_range_is_a_finding(analysed):
    d = density_of(analysed)
    add_imported(generated(analysed, [d * 3, d * 4, d * 5, d * 6, d * 7]))
    run = analyse_again(analysed.wave)
    found = {f["id"]: f for f in run.result["findings"]}
    assert "density-innovation" in found
    numbers = found["density-innovation"]["numbers"]
    assert numbers["percentile"] == 0.0 and numbers["studies"] == 5
    assert "reference pool of this site" in numbers["range_source"]


def test_the_command_line_gives_the_same_comparisons_from_the_exported_pool(
    owner_client, analysed, tmp_path, monkeypatch
):
    d = density_of(analysed)
    add_imported(generated(analysed, [d * 2, d * 3, d * 4, d * 5, d * 6]))
    share(owner_client, analysed.wave.study, opt_in=True)  # its own entry is in the export
    run = analyse_again(analysed.wave)
    call_command("reference_export", str(tmp_path / "pool.json"), stdout=io.StringIO())
    wave_export(wave=run.wave, folder=tmp_path)
    monkeypatch.chdir(tmp_path)
    command = shlex.split(reproduce_commands(run)[0])[1:]
    field = run.wave.study.field
    assert placelab_cli([*command, "--reference", "pool.json", "--field", field, "--quiet"]) == 0
    cli = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    for part in ("networks", "response_rate", "comparable", "basis"):
        assert cli["reference"][part] == run.result["reference"][part]
    # The same density finding, but for the pool's name: "this site" here, the file's there.
    shown = {f["id"]: f["numbers"] for f in run.result["findings"]}
    for finding in cli["findings"]:
        assert {**finding["numbers"], "range_source": ""} == {
            **shown[finding["id"]],
            "range_source": "",
        }
    assert shown["density-innovation"]["percentile"] == 0.0


# --- sharing pools between sites ------------------------------------------------------------


def test_an_exported_pool_holds_no_name_place_or_free_text(demo, tmp_path):  # noqa: F811
    demo.description = "A confidential note about Riverside's heads of service"
    demo.save()
    reference.reference_opt_in_set(study=demo, opt_in=True, user=demo.owner)
    path = tmp_path / "pool.json"
    call_command("reference_export", str(path), stdout=io.StringIO())
    text = path.read_text(encoding="utf-8")
    assert json.loads(text)["studies"] == 1
    assert core.read_pool(path)["entries"][0] == ReferenceEntry.objects.get().aggregates
    words = {demo.locality, demo.field, demo.description, "Riverside", demo.owner.username}
    words |= {row[c] for row in ROSTER for c in ("name", "organisation") if row[c]}
    assert [w for w in words if w.lower() in text.lower()] == []


def test_importing_a_bad_file_changes_nothing_and_says_what_is_wrong(analysed, tmp_path):
    add_imported(generated(analysed, [0.1, 0.2]), source="Northshire")
    before = list(ReferenceEntry.objects.values_list("pk", "aggregates"))
    entries = generated(analysed, [0.1, 0.2, 0.3])
    path = write_pool(tmp_path / "bad.json", entries)
    spec = json.loads(path.read_text())
    spec["entries"][2]["networks"]["innovation"]["density"] = 1.5
    path.write_text(json.dumps(spec))
    with pytest.raises(CommandError) as error:
        call_command("reference_import", str(path), source="Northshire", stdout=io.StringIO())
    assert "bad.json" in str(error.value) and "entry 3" in str(error.value)
    assert "networks.innovation.density" in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert list(ReferenceEntry.objects.values_list("pk", "aggregates")) == before


def test_an_import_needs_a_short_name_for_its_source(analysed, tmp_path):
    path = write_pool(tmp_path / "theirs.json", generated(analysed, [0.1]))
    for source in ("  ", "x" * 201):
        with pytest.raises(CommandError, match="source"):
            call_command("reference_import", str(path), source=source, stdout=io.StringIO())
    assert not ReferenceEntry.objects.exists()


def test_import_then_export_round_trips(analysed, tmp_path):
    entries = generated(analysed, [0.1, 0.2, 0.3])
    path = write_pool(tmp_path / "theirs.json", entries)
    call_command("reference_import", str(path), source="Northshire", stdout=io.StringIO())
    out = tmp_path / "ours.json"
    call_command("reference_export", str(out), stdout=io.StringIO())
    exported = core.read_pool(out)
    assert exported["entries"] == entries
    assert "Northshire (3)" in exported["source"]


def test_importing_a_source_again_replaces_its_earlier_pool(analysed, tmp_path):
    add_imported(generated(analysed, [0.5]), source="Southdale")
    first = write_pool(tmp_path / "one.json", generated(analysed, [0.1, 0.2, 0.3]))
    reference.reference_import(path=first, source="Northshire")
    second = write_pool(tmp_path / "two.json", generated(analysed, [0.4]))
    assert reference.reference_import(path=second, source="Northshire") == 1
    sources = ReferenceEntry.objects.values_list("source", "aggregates__networks__innovation")
    assert sorted((s, n["density"]) for s, n in sources) == [
        ("Northshire", 0.4),
        ("Southdale", 0.5),
    ]


# --- the staff's page -----------------------------------------------------------------------


@pytest.fixture
def staff_client(db):
    return client_for(make_user("sam_staff", is_staff=True))


def test_only_site_staff_reach_the_pool(owner_client):
    for name in ("studies:reference_pool", "studies:reference_pool_download"):
        assert owner_client.get(reverse(name)).status_code == 404


def test_staff_see_the_pool_download_it_and_add_one(staff_client, analysed, tmp_path):
    add_imported(generated(analysed, [0.1, 0.2]), source="Southdale")
    page = staff_client.get(reverse("studies:reference_pool")).content.decode()
    assert "Southdale" in page and "Download the pool (JSON)" in page
    download = staff_client.get(reverse("studies:reference_pool_download"))
    assert download["Content-Disposition"].startswith("attachment")
    assert json.loads(download.content)["studies"] == 2

    path = write_pool(tmp_path / "northshire.json", generated(analysed, [0.3, 0.4, 0.5]))
    with path.open("rb") as upload:
        response = staff_client.post(
            reverse("studies:reference_pool"), {"file": upload, "source": "Northshire"}
        )
    assert response.status_code == 302
    assert ReferenceEntry.objects.filter(source="Northshire").count() == 3


def test_a_bad_upload_is_refused_with_its_problem(staff_client, analysed, tmp_path):
    path = tmp_path / "pool.json"
    path.write_text('{"format": "placelab-reference-pool/1", "source": "x"}')
    with path.open("rb") as upload:
        response = staff_client.post(
            reverse("studies:reference_pool"), {"file": upload, "source": "Northshire"}
        )
    text = response.content.decode()
    assert response.status_code == 200
    assert "pool.json" in text and "date" in text and "Nothing was added" in text
    assert not ReferenceEntry.objects.exists()


def test_the_page_words_each_group_against_comparable_studies():
    stood = {"value": 0.5, "studies": 5, "percentile": 90.0, "band": "above", "range": [0, 0.4]}
    few = {"value": -0.2, "studies": 4, "percentile": None, "band": None, "range": None}
    result = {
        "inputs": {"networks": ["innovation"]},
        "networks": {"innovation": {}},
        "reference": {
            "enough": True,
            "networks": {
                "innovation": {
                    "ei_index": {"sector": {"health": few}, "layer": {"systemic": stood}},
                    "key_connector_share": {"sector": {"health": stood}},
                }
            },
        },
    }
    groups = analysis_page.reference_part(result, "innovation")["groups"]
    assert [(g["grouping"], g["label"]) for g in groups] == [
        ("Sector", "Health"),
        ("Layer", "Systemic"),
    ]
    assert groups[0]["ei"] == {"value": "-0.20", "band": None, "words": "too few studies give it"}
    assert groups[0]["share"]["words"] == "90th percentile, above the usual range"
    assert groups[0]["share"]["range"] == "0% to 40%"
    assert groups[1]["share"] is None
