"""The item bank: its groups and scales, a study's changes, and what a survey renders."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from placelab.core.errors import InputError
from placelab.core.toolkit import bank_versions, load_bank, read_study_items


def test_the_bank_covers_every_part_of_the_model(bank):
    by_group = Counter(bank.group_of(item.scale) for item in bank.items)
    assert by_group == {"lifecycle": 23, "critical_factors": 13, "triangle": 18,
                        "omr_providers": 9, "omr_community": 9, "method_context": 8}  # fmt: skip
    scales = {s.id for s in bank.scales}
    assert {f"phase_{n}" for n in range(5)} <= scales
    assert {"factor_push", "factor_capacity", "factor_resources"} <= scales
    assert {"link_authority_capacity", "link_capacity_value", "link_value_authority"} <= scales


def test_every_scale_has_at_least_two_items_so_alpha_is_defined(bank):
    sizes = Counter(item.scale for item in bank.items)
    assert set(sizes) == {s.id for s in bank.scales}
    assert min(sizes.values()) >= 2


def test_ids_are_unique_and_never_a_scales_id(bank):
    ids = [item.id for item in bank.items]
    assert len(ids) == len(set(ids))
    assert not set(ids) & {s.id for s in bank.scales}


def test_pascals_conditions_are_asked_about_providers_and_community_separately(bank):
    about = {item.about for item in bank.items if bank.group_of(item.scale).startswith("omr_")}
    assert about == {"providers", "community"}
    for item in bank.items:
        if item.about:
            assert item.scale.startswith(f"omr_{item.about.rstrip('s')}")


def test_a_survey_can_render_any_shipped_version(bank):
    assert "1" in bank_versions()
    for version in bank_versions():
        rendered = json.loads(json.dumps(load_bank(version).to_dict()))
        assert rendered["version"] == version
        assert [p["value"] for p in rendered["answer_scale"]["points"]] == [1, 2, 3, 4, 5]
        assert rendered["answer_scale"]["dont_know"]["value"] == "dk"
        assert all(item["seed"]["file"] for item in rendered["items"])
    with pytest.raises(InputError, match="unknown item bank version"):
        load_bank("0")


def test_switching_a_group_off_removes_its_scales_and_items(bank):
    smaller = bank.without_groups(["method_context", "omr_community"])
    assert len(smaller.items) == len(bank.items) - 17
    assert not smaller.has_scale("context_urgency")
    assert smaller.switched_off("context_cannot_wait") and not bank.switched_off(
        "context_cannot_wait"
    )
    assert smaller.to_dict()["excluded_groups"] == ["method_context", "omr_community"]


def test_a_study_adds_items_to_its_own_scale_or_to_one_of_ours(bank, tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps({
        "scales": [{"id": "digital", "title": "Digital readiness"}],
        "items": [{"id": "digital_tools", "scale": "digital", "text": "Staff have the tools."},
                  {"id": "push_media", "scale": "factor_push", "text": "Local media press for change.",
                   "reverse": False}],
    }), encoding="utf-8")  # fmt: skip
    bigger = bank.with_items(read_study_items(path), file=str(path))
    assert bigger.added_items == ("digital_tools", "push_media")
    assert [g.id for g in bigger.groups][-1] == "study"
    assert {i.id for i in bigger.scale_items("factor_push")} >= {"push_media", "push_need"}
    assert next(i for i in bigger.items if i.id == "digital_tools").seed is None


@pytest.mark.parametrize(
    "spec, column",
    [
        ({"items": [{"id": "push_need", "scale": "factor_push", "text": "Again."}]}, "items[0].id"),
        ({"items": [{"id": "new_one", "scale": "nowhere", "text": "Where?"}]}, "items[0].scale"),
        ({"items": [{"id": "New One", "scale": "factor_push", "text": "Hm."}]}, "items[0].id"),
        ({"items": [{"id": "phase_1", "scale": "factor_push", "text": "Clash."}]}, "items[0].id"),
        ({"items": [{"id": "x", "scale": "factor_push", "text": " "}]}, "items[0].text"),
        ({"scales": [{"id": "s", "title": "S", "group": "nope"}], "items": []}, "scales[0].group"),
    ],
    ids=["taken id", "unknown scale", "not a plain id", "a scale's id", "blank text", "bad group"],
)
def test_a_study_items_file_is_checked_entry_by_entry(bank, tmp_path, spec, column):
    path = tmp_path / "items.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        bank.with_items(read_study_items(path), file=str(path))
    assert (caught.value.file, caught.value.column) == (str(path), column)


def test_an_unreadable_items_file_is_refused(tmp_path):
    path = tmp_path / "items.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable JSON file"):
        read_study_items(path)
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="no list of items"):
        read_study_items(path)


def test_version_2_asks_every_mark_of_table_a1_and_drops_statements_against_their_phase():
    old, new = load_bank("1"), load_bank("2")
    anchors = {i.seed["anchor"] for i in new.items if i.scale.startswith("phase_")}
    # phase 0's limited room to grow; phase 1's frontline-and-centre innovation and small
    # successes (what tells it from phase 0); phase 4's backing of good ideas
    assert {
        "limited scope for growth",
        "frontline and the centre",
        "emerging successfully at",
        "and support good ideas",
    } <= anchors
    dropped = {"latent_slow", "mainstream_not_shared", "mobilise_pilots"}
    assert dropped <= set(old.item_ids) and not dropped & set(new.item_ids)
    recognise = {i.id: i.scale for i in new.items if "Recognition of" in i.seed["anchor"]}
    assert recognise == {"push_recognise": "factor_push"}  # 4.2.1's push, not capacity


def test_answers_given_to_version_1_are_read_with_version_1():
    from placelab.core.toolkit.bank import bank_version_for

    assert bank_version_for({"latent_slow", "latent_pockets"}) == "1"
    assert bank_version_for({"latent_no_growth", "latent_pockets"}) == "2"
    assert bank_version_for({"latent_pockets", "my_own_item"}) == "2"  # shared: the newest
