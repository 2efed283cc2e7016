"""The reference pool (placelab.core.reference): a study's anonymised entry, the pool file, and
a study read against comparable studies, checked against hand-worked values and SciPy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from scipy.stats import percentileofscore

from placelab.core import demo
from placelab.core.errors import InputError
from placelab.core.networks.analysis import Parameters
from placelab.core.networks.findings import FindingRules, network_findings
from placelab.core.reference import (
    MIN_STUDIES,
    POOL_FORMAT,
    comparable,
    density_ranges,
    density_rules,
    field_key,
    is_pool,
    percentile,
    pool_document,
    read_pool,
    reference_range,
    size_band,
    standing,
    study_aggregates,
    study_key,
)
from placelab.core.study import load

FIELD = "Secondary education"


@pytest.fixture(scope="module")
def demo_study(tmp_path_factory):
    """The demo locality (137 people, 92 answered), analysed: real names, organisations, place."""
    folder = tmp_path_factory.mktemp("demo")
    people, ties = demo.generate_locality()
    people.to_csv(folder / "people.csv", index=False)
    ties.to_csv(folder / "ties.csv", index=False)
    study = load(folder / "people.csv", folder / "ties.csv", parameters=Parameters(permutations=19))
    return study, people


@pytest.fixture(scope="module")
def result(demo_study) -> dict:
    return demo_study[0].to_dict()


def entry(number: int, density: float, *, band: str = "50-199", field: str = FIELD) -> dict:
    """A generated study's entry: one work network of the given density."""
    return {
        "key": f"{number:016x}",
        "field": field_key(field),
        "size_band": band,
        "response_rate": 0.5,
        "networks": {
            "work": {
                "density": density,
                "reciprocity": 0.2,
                "degree_centralisation": 0.3,
                "ei_index": {"sector": {"health": 0.5}, "layer": {"public": -0.25}},
                "key_connector_share": {"sector": {"health": 0.1}},
            }
        },
    }


def pool(*entries: dict) -> dict:
    return pool_document(entries, source="Generated councils", date="2026-11-30")


# -- percentile and range, by hand and against SciPy -----------------------------------------


@pytest.mark.parametrize(
    ("value", "values", "expected"),
    [
        (0.035, [0.01, 0.02, 0.03, 0.04, 0.05], 60.0),  # 3 below of 5
        (0.03, [0.01, 0.02, 0.03, 0.04, 0.05], 50.0),  # 2 below, 1 equal: (2 + 0.5) / 5
        (0.02, [0.02, 0.02, 0.02, 0.04, 0.05], 30.0),  # 0 below, 3 equal: 1.5 / 5
        (0.001, [0.01, 0.02, 0.03, 0.04, 0.05], 0.0),
        (0.9, [0.01, 0.02, 0.03, 0.04, 0.05, 0.06], 100.0),
    ],
)
def test_the_percentile_is_hazens_as_scipy_gives_it(value, values, expected):
    assert percentile(value, values) == pytest.approx(expected)
    assert percentile(value, values) == pytest.approx(percentileofscore(values, value, "mean"))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0.05, 0.01, 0.03, 0.02, 0.04], (0.01, 0.05)),  # n = 5: positions 1 and 5
        ([1, 2, 3, 4, 5, 6], (1.1, 5.9)),  # n = 6: positions 1.1 and 5.9
        (list(range(1, 11)), (1.5, 9.5)),  # n = 10: positions 1.5 and 9.5
    ],
)
def test_the_range_runs_from_the_10th_to_the_90th_hazen_percentile(values, expected):
    assert reference_range(values) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("people", "band"),
    [(2, "under-50"), (49, "under-50"), (50, "50-199"), (199, "50-199"), (200, "200-999"),
     (999, "200-999"), (1000, "1000+"), (100_000, "1000+")],
)  # fmt: skip
def test_size_bands_have_documented_edges(people, band):
    assert size_band(people) == band


def test_a_field_matches_whatever_its_case_and_spacing_and_its_words_do_not_leave():
    key = field_key("  Secondary\tEDUCATION ")
    assert key == field_key("secondary education") and re.fullmatch(r"[0-9a-f]{16}", key)
    assert key != field_key("primary education")
    assert field_key("") == field_key("   ") == ""


# -- one study's entry -----------------------------------------------------------------------


def test_an_entry_holds_no_name_place_organisation_id_or_free_text(demo_study, result):
    _study, people = demo_study
    text = json.dumps(study_aggregates(result, field="Secondary education in Riverside"))

    forbidden = {"Riverside", "Borough", "Secondary", "education"}
    forbidden |= set(people["name"]) | set(people["organisation"]) | set(people["role_title"])
    forbidden |= set(people["id"])
    for organisation in people["organisation"]:  # and each capitalised word of their names
        forbidden |= {w for w in re.findall(r"[A-Z][a-z]{4,}", organisation)}
    found = sorted(word for word in forbidden if word in text)
    assert found == []


def test_an_entry_keeps_the_size_band_not_the_count(result):
    found = study_aggregates(result, field=FIELD)
    assert found["size_band"] == "50-199"
    assert "people" not in json.dumps(found)
    assert found["response_rate"] == 0.672  # 92 / 137 to three significant figures
    assert found["networks"]["work"]["density"] == 0.0393  # 732 / (137 x 136)
    assert found["key"] == study_key(result) and found["field"] == field_key(FIELD)


def test_groups_under_five_people_are_left_out(result):
    found = study_aggregates(result)["networks"]["work"]
    sizes = {
        g["group"]: g["people"] for g in result["networks"]["work"]["mixing"]["sector"]["groups"]
    }
    assert sizes["business"] == 4 and sizes["health"] == 5  # the demo's, as generated
    assert "business" not in found["ei_index"]["sector"]
    assert "health" in found["ei_index"]["sector"]
    assert set(found["key_connector_share"]["sector"]) == set(found["ei_index"]["sector"])


def test_a_standard_sectors_e_i_index_is_its_own_as_the_analysis_gives_it(result):
    groups = result["networks"]["innovation"]["mixing"]["sector"]["groups"]
    own = {g["group"]: g["ei_index"] for g in groups}
    found = study_aggregates(result)["networks"]["innovation"]["ei_index"]["sector"]
    for sector, value in found.items():
        assert value == pytest.approx(own[sector], abs=0.0005)


def _hand_result() -> dict:
    """Twelve people: five in the council, four in a youth service and three in a student
    council (the study's own sectors, both "other" in the pool), so merged they count."""
    sectors = ["local_authority"] * 5 + ["youth_service"] * 4 + ["student_council"] * 3
    ties = {  # from-sector -> to-sector: ties counted by the analysis
        "local_authority": {"local_authority": 6, "youth_service": 2, "student_council": 0},
        "youth_service": {"local_authority": 1, "youth_service": 2, "student_council": 3},
        "student_council": {"local_authority": 1, "youth_service": 1, "student_council": 0},
    }
    groups = [{"group": s, "people": sectors.count(s)} for s in dict.fromkeys(sectors)]
    mixing = {"groups": groups, "ties": ties}
    layer = {"groups": [{"group": "frontline", "people": 12}],
             "ties": {"frontline": {"frontline": 16}}}  # fmt: skip
    network = {
        "density": 16 / 132, "reciprocity": 0.25, "degree_centralisation": 0.4,
        "mixing": {"sector": mixing, "layer": layer},
        "key_connectors": {"hub": ["p01", "p06"], "gatekeeper": ["p06"], "pulsetaker": ["p07"]},
    }  # fmt: skip
    people = [{"id": f"p{i + 1:02d}", "sector": s} for i, s in enumerate(sectors)]
    return {
        "inputs": {"people": 12, "respondents": 9, "fingerprint": "hand"},
        "people": people,
        "networks": {"work": network, "study_own_network": network},
    }


def test_a_studys_own_sectors_count_together_as_other():
    found = study_aggregates(_hand_result())
    work = found["networks"]["work"]
    # other = youth + student: internal 2 + 3 + 1 + 0 = 6; external 1 + 1 (out) + 2 + 0 (in)
    # = 4: E-I (4 - 6) / 10 = -0.2. Council: internal 6, external 2 + 0 + 1 + 1 = 4: -0.2.
    assert work["ei_index"]["sector"] == {"local_authority": -0.2, "other": -0.2}
    # Key connectors p01 (council), p06 and p07 (youth service): one third and two thirds.
    assert work["key_connector_share"]["sector"] == {"local_authority": 0.333, "other": 0.667}
    assert work["ei_index"]["layer"] == {"frontline": -1.0}
    assert set(found["networks"]) == {"work"}  # a study's own network's name is free text
    assert found["size_band"] == "under-50" and found["response_rate"] == 0.75


# -- the pool file ---------------------------------------------------------------------------


def test_a_pool_read_back_equals_what_was_written(result, tmp_path):
    written = pool(study_aggregates(result, field=FIELD), entry(1, 0.02), entry(2, 0.03))
    path = tmp_path / "pool.json"
    path.write_text(json.dumps(written), encoding="utf-8")

    assert read_pool(path) == written
    assert written["format"] == POOL_FORMAT and written["studies"] == 3
    assert is_pool(written) and not is_pool({"source": "x", "ranges": {"work": [0, 1]}})


def _broken(change) -> dict:
    document = json.loads(json.dumps(pool(entry(1, 0.02), entry(2, 0.03))))
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(format="placelab-reference-pool/9"), "column 'format'"),
        (lambda d: d.update(source=" "), "column 'source'"),
        (lambda d: d.update(date="30/11/2026"), "column 'date'"),
        (lambda d: d.update(studies=3), "column 'studies'"),
        (lambda d: d.update(locality="Riverside"), "column 'locality'"),
        (lambda d: d["entries"][1].update(key="Riverside"), "entry 2, attribute 'key'"),
        (lambda d: d["entries"][0].update(field="Secondary education"), "entry 1, attribute 'field'"),
        (lambda d: d["entries"][0].update(size_band="137"), "entry 1, attribute 'size_band'"),
        (lambda d: d["entries"][0].update(name="Hartwell"), "entry 1, attribute 'name'"),
        (lambda d: d["entries"][0].update(response_rate=1.2), "entry 1, attribute 'response_rate'"),
        (lambda d: d["entries"][0]["networks"]["work"].update(density=1.5),
         "entry 1, attribute 'networks.work.density'"),
        (lambda d: d["entries"][0]["networks"]["work"].update(density="low"),
         "entry 1, attribute 'networks.work.density'"),
        (lambda d: d["entries"][0]["networks"].update({"Riverside youth": {}}),
         "entry 1, attribute 'networks'"),
        (lambda d: d["entries"][0]["networks"]["work"]["ei_index"]["sector"].update(
            {"Riverside Academy": 0.1}), "entry 1, attribute 'networks.work.ei_index.sector'"),
        (lambda d: d["entries"][0]["networks"]["work"]["ei_index"]["layer"].update(public=-2),
         "entry 1, attribute 'networks.work.ei_index.layer.public'"),
    ],
)  # fmt: skip
def test_a_bad_pool_file_is_refused_naming_the_file_entry_and_field(change, where, tmp_path):
    path = tmp_path / "pool.json"
    path.write_text(json.dumps(_broken(change)), encoding="utf-8")

    with pytest.raises(InputError) as raised:
        read_pool(path)

    assert str(raised.value).startswith(f"{path}, {where}: ")
    assert "expected" in str(raised.value)


def test_a_pool_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "pool.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not JSON"):
        read_pool(path)
    with pytest.raises(InputError, match="no such file"):
        read_pool(tmp_path / "nowhere.json")


# -- comparable studies ----------------------------------------------------------------------


def test_comparable_studies_share_size_band_and_field_when_five_do():
    same = [entry(n, 0.02) for n in range(5)]
    others = [entry(10, 0.02, field="Adult social care"), entry(11, 0.02, band="200-999")]
    found, basis = comparable(pool(*same, *others), people=137, field="secondary  EDUCATION")
    assert [e["key"] for e in found] == [e["key"] for e in same]
    assert basis == "of 50 to 199 people in the same field"


def test_with_fewer_than_five_of_the_field_the_size_band_is_compared():
    same_field = [entry(n, 0.02) for n in range(4)]
    other_field = [entry(10 + n, 0.02, field="Adult social care") for n in range(2)]
    found, basis = comparable(pool(*same_field, *other_field), people=137, field=FIELD)
    assert len(found) == 6
    assert basis == "of 50 to 199 people, since fewer than five share this study's field"


def test_with_fewer_than_five_of_the_size_band_all_studies_are_compared():
    entries = [entry(n, 0.02) for n in range(4)] + [entry(9, 0.02, band="1000+")]
    found, basis = comparable(pool(*entries), people=137, field=FIELD)
    assert len(found) == 5
    assert basis == "of every size, since fewer than five have 50 to 199 people"


# -- a study's standing ----------------------------------------------------------------------


def test_with_four_other_studies_there_is_no_percentile(result):
    others = [entry(n, d) for n, d in enumerate([0.01, 0.02, 0.05, 0.06])]
    found = standing(result, pool(study_aggregates(result, field=FIELD), *others), field=FIELD)

    assert found["comparable"] == MIN_STUDIES - 1 and not found["enough"]
    assert found["note"] == (
        "Fewer than 5 other comparable studies share their figures yet (4 do), so no "
        "percentile is given."
    )
    work = found["networks"]["work"]["density"]
    assert work == {"value": 0.0393, "studies": 4, "percentile": None, "band": None, "range": None}


def test_with_five_other_studies_the_percentile_and_band_are_given(result):
    densities = [0.01, 0.02, 0.03, 0.05, 0.06]  # the demo's 0.0393 has 3 below: 60th
    others = [entry(n, d) for n, d in enumerate(densities)]
    found = standing(result, pool(study_aggregates(result, field=FIELD), *others), field=FIELD)

    assert found["comparable"] == 5  # its own entry is left out
    assert found["networks"]["work"]["density"] == {
        "value": 0.0393, "studies": 5, "percentile": 60.0, "band": "within",
        "range": [0.01, 0.06],
    }  # fmt: skip
    assert found["networks"]["work"]["reciprocity"]["band"] == "below"  # 0.167 < all 0.2
    assert found["networks"]["social"]["density"]["studies"] == 0  # no other has a social one
    assert found["response_rate"]["percentile"] == 100.0  # 0.672 against five 0.5


def test_the_study_is_left_out_even_as_its_own_sixth_entry(result):
    own = study_aggregates(result, field=FIELD)
    found = standing(result, pool(own, *[entry(n, 0.0393) for n in range(5)]), field=FIELD)
    assert found["comparable"] == 5
    assert found["networks"]["work"]["density"]["percentile"] == 50.0  # five equal of five


# -- the density flag from a pool ------------------------------------------------------------


@pytest.mark.parametrize(
    ("densities", "side", "where"),
    [
        ([0.05, 0.06, 0.07, 0.08, 0.09], "below", "lower than all 5"),
        ([0.01, 0.012, 0.014, 0.016, 0.02], "above", "higher than all 5"),
    ],
)
def test_the_density_flag_reads_the_pools_range_and_gives_the_percentile(
    demo_study, result, densities, side, where
):
    study, _people = demo_study
    generated = pool(*[entry(n, d) for n, d in enumerate(densities)])
    ranges, words = density_ranges(generated, people=137, field=FIELD)
    assert ranges == {"work": (densities[0], densities[-1])}
    rules = FindingRules(**density_rules(generated, people=137, field=FIELD))

    found = {f["id"]: f for f in network_findings(study.networks, rules)}

    work = found["density-work"]
    assert side in work["title"]
    assert work["numbers"]["percentile"] in (0.0, 100.0) and work["numbers"]["studies"] == 5
    assert (
        "the 10th to 90th percentile of 5 comparable studies of 50 to 199 people in the same "
        "field, in the reference pool of Generated councils dated 2026-11-30" in work["text"]
    )
    assert f"Among the 5 comparable studies it is {where}." in work["text"]
    assert words in work["text"]
    expected = standing(result, generated, field=FIELD)["networks"]["work"]["density"]["band"]
    assert expected == side  # the standing and the finding agree


def test_a_pool_without_five_comparable_studies_flags_nothing(demo_study):
    study, _people = demo_study
    generated = pool(*[entry(n, 0.9) for n in range(4)])
    assert density_ranges(generated, people=137, field=FIELD) is None
    rules = FindingRules(**density_rules(generated, people=137, field=FIELD))
    assert not [f for f in network_findings(study.networks, rules) if f["id"].startswith("density")]


def test_reading_the_pool_changes_neither_the_pool_nor_the_result(result):
    generated = pool(*[entry(n, 0.02) for n in range(6)])
    before = json.dumps([generated, result], sort_keys=True)
    standing(result, generated, field=FIELD)
    assert json.dumps([generated, result], sort_keys=True) == before


def test_the_docs_name_every_size_band_and_the_format():
    docs = (Path(__file__).parents[2] / "docs" / "reference-pool.md").read_text(encoding="utf-8")
    for words in ("under 50", "50 to 199", "200 to 999", "1,000", POOL_FORMAT, "Hazen"):
        assert words in docs
