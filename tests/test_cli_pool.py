"""``placelab pool`` builds a reference pool from analysis results, and ``placelab analyze
--reference`` reads a study against it; a bad file is named and nothing is written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from placelab.cli import main
from placelab.core import demo
from placelab.core.reference import field_key, read_pool, study_aggregates

FAST = ["--quiet", "--permutations", "9"]
FIELD = "Secondary education"
STUDIES = 6


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> list[tuple[Path, Path, Path]]:
    """Six generated localities of 60 people, each answered at its own rate, and analysed."""
    folder = tmp_path_factory.mktemp("studies")
    made = []
    for seed in range(1, STUDIES + 1):
        people, ties = demo.generate_locality(people=60, response_rate=0.4 + 0.08 * seed, seed=seed)
        files = folder / f"people{seed}.csv", folder / f"ties{seed}.csv", folder / f"r{seed}.json"
        people.to_csv(files[0], index=False)
        ties.to_csv(files[1], index=False)
        assert main(["analyze", str(files[0]), str(files[1]), "--json", str(files[2]), *FAST]) == 0
        made.append(files)
    return made


@pytest.fixture(scope="module")
def pool_path(studies, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pool") / "pool.json"
    results = [str(result) for _p, _t, result in studies]
    code = main(["pool", *results, "--field", FIELD, "--source", "Test councils",
                 "--date", "2026-11-30", "--out", str(out)])  # fmt: skip
    assert code == 0
    return out


def test_it_pools_each_result_as_one_anonymised_entry(studies, pool_path):
    pool = read_pool(pool_path)

    assert (pool["source"], pool["date"], pool["studies"]) == ("Test councils", "2026-11-30", 6)
    results = [json.loads(r.read_text(encoding="utf-8")) for _p, _t, r in studies]
    assert pool["entries"] == [study_aggregates(r, field=FIELD) for r in results]
    assert {e["field"] for e in pool["entries"]} == {field_key(FIELD)}
    assert {e["size_band"] for e in pool["entries"]} == {"50-199"}


def test_the_pool_file_holds_no_name_place_organisation_or_free_text(studies, pool_path):
    text = pool_path.read_text(encoding="utf-8")
    people = pd.concat([pd.read_csv(p) for p, _t, _r in studies])
    words = set(people["name"]) | set(people["organisation"]) | set(people["role_title"])
    words |= set(people["id"]) | {"Riverside", "Borough", "Secondary", "education"}
    for organisation in people["organisation"]:
        words |= set(re.findall(r"[A-Z][a-z]{4,}", organisation))
    assert sorted(w for w in words if w in text) == []


def test_analyze_reads_a_study_against_the_pool_leaving_itself_out(studies, pool_path, tmp_path):
    people, ties, _result = studies[0]
    out, html = tmp_path / "result.json", tmp_path / "report.html"

    code = main(["analyze", str(people), str(ties), "--json", str(out), "--html", str(html),
                 "--reference", str(pool_path), "--field", "secondary  EDUCATION", *FAST])  # fmt: skip

    assert code == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    reference = result["reference"]
    assert reference["comparable"] == STUDIES - 1 and reference["enough"]
    assert reference["basis"] == "of 50 to 199 people in the same field"
    others = [e for e in read_pool(pool_path)["entries"][1:]]
    for name, figures in reference["networks"].items():
        density = figures["density"]
        values = [e["networks"][name]["density"] for e in others]
        below = sum(v < density["value"] for v in values)
        equal = sum(v == density["value"] for v in values)
        assert density["percentile"] == pytest.approx(100 * (below + equal / 2) / 5)
        flagged = f"density-{name}" in {f["id"] for f in result["findings"]}
        if name != "all":  # the flag reads each network, not their union
            assert flagged == (density["band"] != "within")  # the finding and standing agree
    # The first locality answered least, so named fewest: its networks are the thinnest.
    assert reference["networks"]["work"]["density"]["band"] == "below"
    assert "among comparable studies" in html.read_text(encoding="utf-8")


def test_with_too_few_comparable_studies_analyze_says_so_and_flags_nothing(studies, tmp_path):
    small = tmp_path / "small.json"
    results = [str(r) for _p, _t, r in studies[:5]]  # the study itself and four others
    assert main(["pool", *results, "--source", "Four", "--out", str(small)]) == 0
    people, ties, _result = studies[0]
    out = tmp_path / "result.json"

    assert main(["analyze", str(people), str(ties), "--json", str(out),
                 "--reference", str(small), *FAST]) == 0  # fmt: skip

    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["reference"]["note"].startswith("Fewer than 5 other comparable studies")
    assert result["reference"]["networks"]["work"]["density"]["percentile"] is None
    assert not [f for f in result["findings"] if f["id"].startswith("density-")]


def test_add_to_keeps_an_earlier_pool_and_a_study_again_replaces_itself(studies, tmp_path, capsys):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    results = [str(r) for _p, _t, r in studies]
    assert main(["pool", *results[:3], "--source", "S", "--out", str(first)]) == 0

    code = main(
        ["pool", *results[2:], "--add-to", str(first), "--source", "S", "--out", str(second)]
    )

    assert code == 0
    assert read_pool(second)["studies"] == STUDIES
    assert "already in the pool" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "not JSON"),
        (json.dumps({"format": "placelab-reference-pool/1"}), "column 'format'"),
        (json.dumps([1, 2]), "column 'format'"),
        (json.dumps({"format": "placelab-result/1", "inputs": {}}), "column 'networks'"),
    ],
)
def test_a_bad_result_file_exits_2_and_writes_nothing(studies, tmp_path, capsys, content, words):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "pool.json"

    code = main(["pool", str(studies[0][2]), str(bad), "--source", "S", "--out", str(out)])

    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"placelab: {bad}") and words in err
    assert not out.exists()


def test_a_bad_pool_file_stops_analyze_and_names_the_field(studies, pool_path, tmp_path, capsys):
    broken = json.loads(pool_path.read_text(encoding="utf-8"))
    broken["entries"][2]["networks"]["work"]["density"] = 3
    bad = tmp_path / "pool.json"
    bad.write_text(json.dumps(broken), encoding="utf-8")
    people, ties, _result = studies[0]
    out = tmp_path / "result.json"

    code = main(["analyze", str(people), str(ties), "--json", str(out), "--reference", str(bad),
                 *FAST])  # fmt: skip

    assert code == 2
    assert f"{bad}, entry 3, attribute 'networks.work.density': 3" in capsys.readouterr().err
    assert not out.exists()


def test_the_pseudonymised_report_shows_the_pools_figures_too(studies, pool_path, tmp_path):
    from placelab.core.pseudonymise import result_pseudonyms
    from placelab.report import build_report, render_html

    people, ties, _result = studies[0]
    out = tmp_path / "result.json"
    assert main(["analyze", str(people), str(ties), "--json", str(out),
                 "--reference", str(pool_path), *FAST]) == 0  # fmt: skip
    result = json.loads(out.read_text(encoding="utf-8"))

    html = render_html(build_report(result, None, pseudonyms=result_pseudonyms(result, secret="s")))

    assert "Density among comparable studies" in html
    assert "This study was read against the reference pool of Test councils" in html
    assert "Comparable studies (reference pool)" in html  # the method, in the notes
    assert not [name for name in pd.read_csv(people)["name"] if name in html]


def test_report_reads_the_pool_as_analyze_does(studies, pool_path, tmp_path):
    """The report's notes print ``placelab report ... --reference`` to reproduce it: it works."""
    people, ties, _result = studies[0]
    html = tmp_path / "report.html"

    assert main(["report", str(people), str(ties), "--html", str(html), "--reference",
                 str(pool_path), "--field", FIELD, "--quiet"]) == 0  # fmt: skip

    text = html.read_text(encoding="utf-8")
    assert "Density among comparable studies" in text
    assert "of 50 to 199 people in the same field" in text


def test_the_reference_part_of_a_result_is_described_by_the_schema(studies, pool_path, tmp_path):
    from jsonschema import Draft202012Validator

    schema_path = Path(__file__).resolve().parents[1] / "schema" / "result.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    people, ties, _result = studies[0]
    out = tmp_path / "result.json"
    assert main(["analyze", str(people), str(ties), "--json", str(out),
                 "--reference", str(pool_path), *FAST]) == 0  # fmt: skip
    result = json.loads(out.read_text(encoding="utf-8"))

    Draft202012Validator(schema).validate(result)
    result["reference"]["response_rate"]["band"] = "middling"  # not a band the pool gives
    assert list(Draft202012Validator(schema).iter_errors(result))
