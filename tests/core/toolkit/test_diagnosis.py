"""The whole diagnosis on the demo locality: one story told by the survey and the networks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from placelab.core.citations import DOCUMENTS
from placelab.core.study import load
from placelab.core.toolkit import DiagnosisParameters, diagnose_files

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
ANSWERS, PEOPLE, TIES = (EXAMPLES / f for f in ("answers.csv", "people.csv", "ties.csv"))


@pytest.fixture(scope="module")
def network() -> list[dict]:
    return load(PEOPLE, TIES).findings


@pytest.fixture(scope="module")
def result(network) -> dict:
    return diagnose_files(ANSWERS, PEOPLE, network_findings=network)


def test_the_demo_is_early_in_the_cycle_between_design_and_mobilisation(result):
    life = result["lifecycle"]
    assert (life["phase"]["key"], life["runner_up"]["key"]) == ("design_discover", "mobilisation")
    assert life["confidence"]["bootstrap_share"] >= 0.9
    assert result["inputs"]["respondents"] == 92


def test_the_demo_has_strong_authority_stretched_capacity_and_little_visible_value(result):
    corners = result["triangle"]["corners"]
    assert corners["authority"]["band"] == "strong"
    assert corners["capacity"]["band"] == "some"
    assert corners["value"]["band"] == "absent"
    assert result["triangle"]["weak_corner"]["corner"] == "value"


def test_providers_have_more_opportunity_and_motivation_than_the_community(result):
    providers, community = result["omr"]["providers"], result["omr"]["community"]
    for condition in ("opportunity", "motivation"):
        assert providers["levels"][condition] > community["levels"][condition]
    assert community["limiting"] == ["resources"]
    assert "omr-community-behind" in {f["id"] for f in result["findings"]}


def test_network_findings_that_bear_on_the_diagnosis_join_one_list(result, network):
    merged = result["findings"]
    from_networks = [f for f in merged if f["origin"] == "networks"]
    assert any(f["id"] == "excluded-sector-voluntary_community" for f in from_networks)
    assert all(f["bears_on"] for f in from_networks)
    originals = {f["id"]: f for f in network}
    for found in from_networks:  # each keeps its seed citation and its numbers
        assert found["seed"] == originals[found["id"]]["seed"]
        numbers = {k: v for k, v in found["numbers"].items() if k != "phase"}
        assert numbers == json.loads(json.dumps(originals[found["id"]]["numbers"]))
    # Exclusion weighs by phase (Appendix C 4.3.4): early in the cycle it is not yet pressing.
    excluded = next(f for f in merged if f["id"] == "excluded-sector-voluntary_community")
    assert (excluded["numbers"]["phase"], excluded["severity"]) == (1, "low")
    order = {"high": 0, "medium": 1, "low": 2, "info": 3}
    assert [order[f["severity"]] for f in merged] == sorted(order[f["severity"]] for f in merged)


def test_a_network_finding_can_signal_a_pitfall_of_the_phase(result):
    pitfall = next(p for p in result["next_steps"]["pitfalls"] if p["id"] == "key-idea-missed")
    assert pitfall["network_findings"] and pitfall["network_findings"][0].startswith(
        "thin-vertical"
    )
    found = next(f for f in result["findings"] if f["id"] == "pitfall-key-idea-missed")
    assert found["severity"] == "high"  # the item on ideas reaching leaders, and the networks
    assert "thin-vertical" not in found["text"]  # named by its title, not its code
    assert "Thin links between the frontline and public layers" in found["text"]


def test_every_finding_has_the_shape_of_the_network_findings(result):
    for found in result["findings"]:
        assert found["severity"] in {"high", "medium", "low", "info"}
        assert found["title"] and found["text"] and found["numbers"] and found["questions"]
        assert set(found["seed"]) == {"document", "file", "section", "lines", "anchor"}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not beside the repo")
def test_every_passage_the_diagnosis_cites_exists_in_its_seed(result):
    files = {d["file"]: (SEEDS / d["file"]).read_text(encoding="utf-8").splitlines()
             for d in DOCUMENTS.values()}  # fmt: skip
    cited = [f["seed"] for f in result["findings"]]
    cited += [p["seed"] for p in result["next_steps"]["pitfalls"]]
    cited += [q["seed"] for q in result["next_steps"]["questions"]]
    cited += [c["seed"] for c in result["next_steps"]["progression"]["conditions"]]
    for seed in cited:
        first, last = seed["lines"]
        passage = " ".join(line.strip() for line in files[seed["file"]][first - 1 : last])
        assert seed["anchor"] in passage, seed


def test_the_diagnosis_steps_through_the_phase(result):
    steps = result["next_steps"]
    assert steps["progression"]["to"] == {"id": 2, "name": "Mobilisation"}
    assert len(steps["questions"]) >= 3 and all(p["phase"] == 1 for p in steps["pitfalls"])
    assert {p["id"] for p in steps["pitfalls"] if p["signalled"]} >= {"weak-management"}


def test_scales_report_alpha_with_their_scores_and_spread(result):
    for scale in result["scales"]:
        assert scale["alpha"]["items"] >= 2 and scale["alpha"]["respondents"] > 40
        assert scale["alpha"]["value"] is not None and scale["alpha"]["value"] > 0.3
        assert sum(scale["views"].values()) == pytest.approx(1.0)
    assert len(result["respondents"]) == result["inputs"]["scored_respondents"]


def test_breakdowns_never_show_a_group_under_five_and_find_the_divided_sector(result):
    shown = result["breakdowns"]["shown"]
    assert shown and all(row["n"] >= 5 for row in shown)
    assert not any(row["group"] in {"resident_group", "public", "resident"} for row in shown)
    divided = result["breakdowns"]["divided"]
    assert any(d["grouping"] == "sector" and d["lowest"]["group"] == "voluntary_community"
               for d in divided)  # fmt: skip


def test_the_result_is_strict_json_and_reproducible(result, network):
    text = json.dumps(result, allow_nan=False)
    again = diagnose_files(ANSWERS, PEOPLE, network_findings=network)
    assert json.dumps(again, allow_nan=False) == text
    other = diagnose_files(ANSWERS, PEOPLE, parameters=DiagnosisParameters(seed=5, resamples=200))
    assert (
        other["parameters"]["seed"] == 5
        and other["lifecycle"]["phase"] == result["lifecycle"]["phase"]
    )
    assert "Cronbach 1951" in result["method"]["alpha"]


def test_without_people_there_are_no_breakdowns(result):
    alone = diagnose_files(ANSWERS)
    assert alone["breakdowns"]["shown"] == [] and alone["inputs"]["people"] is None
    assert alone["lifecycle"]["phase"] == result["lifecycle"]["phase"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are not beside the repo")
def test_no_finding_pastes_six_words_running_from_a_seed(result):
    # What users read paraphrases the source and cites its section (DESIGN.md).
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))

    seed_words = [w for doc in DOCUMENTS.values()
                  for w in words((SEEDS / doc["file"]).read_text(encoding="utf-8"))]  # fmt: skip
    runs = {tuple(seed_words[i : i + 6]) for i in range(len(seed_words) - 5)}
    for found in result["findings"]:
        said = words(f"{found['title']}. {found['text']} {' '.join(found['questions'])}")
        pasted = [said[i : i + 6] for i in range(len(said) - 5) if tuple(said[i : i + 6]) in runs]
        assert not pasted, (found["id"], pasted)
