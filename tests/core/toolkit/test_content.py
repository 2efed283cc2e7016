"""The toolkit's content: every entry cites a passage that exists, and the wording is our own."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from placelab.core.citations import DOCUMENTS
from placelab.core.toolkit.guidance import load_guidance
from placelab.core.toolkit.methods import load_methods

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
DATA = Path(str(resources.files("placelab.core.toolkit") / "data"))
FILES = sorted(DATA.rglob("*.json"))
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are not beside the repo")


def citations_in(value, where=""):
    """Every ``seed`` (and other citation) object in a JSON document, with where it is."""
    if isinstance(value, dict):
        if "anchor" in value and "lines" in value:
            yield where, value
        for key, inner in value.items():
            yield from citations_in(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from citations_in(inner, f"{where}[{n}]")


def seed_lines(doc: str) -> list[str]:
    return (SEEDS / DOCUMENTS[doc]["file"]).read_text(encoding="utf-8").splitlines()


def passage(doc: str, first: int, last: int) -> str:
    """The cited lines joined as the network findings' test joins them."""
    return " ".join(line.strip() for line in seed_lines(doc)[first - 1 : last])


def test_the_data_files_are_versioned():
    assert FILES, "no data files found"
    for path in FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["version"] and data["format"].startswith("placelab-"), path.name


def test_every_entry_that_users_read_carries_a_citation(bank):
    guidance, chooser = load_guidance(), load_methods()
    entries = [
        *bank.items, *bank.scales, *guidance.phases, *guidance.pitfalls, *guidance.questions,
        *(c for _, steps in guidance.progression.values() for c in steps),
        *guidance.needs.values(), *chooser.options,
    ]  # fmt: skip
    assert all(entry.seed and entry.seed["anchor"] for entry in entries)
    assert all(f["seed"]["anchor"] for f in (*guidance.factors, *chooser.factors))


@needs_seeds
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_cited_passage_exists_in_its_seed(path):
    found = list(citations_in(json.loads(path.read_text(encoding="utf-8"))))
    assert found
    for where, cite in found:
        doc = cite.get("doc", "nesta")
        first, last = cite["lines"]
        assert 0 < first <= last <= len(seed_lines(doc)), where
        assert cite["anchor"] in passage(doc, first, last), f"{path.name}{where}"
        assert 2 <= len(cite["anchor"].split()) <= 4, where


@needs_seeds
def test_sections_cited_from_the_report_exist_in_it():
    report = "\n".join(seed_lines("nesta"))
    for path in FILES:
        for where, cite in citations_in(json.loads(path.read_text(encoding="utf-8"))):
            if cite.get("doc", "nesta") != "nesta":
                continue
            for part in re.findall(
                r"Appendix [AB]|Table [AB]\d|Figure \d|Step \w+", cite["section"]
            ):
                assert part in report, f"{path.name}{where}: {part}"
            number = re.match(r"\d(\.\d)*", cite["section"])
            if number:
                assert re.search(rf"^\s*{re.escape(number.group())}\.?\s", report, re.M), where


def user_texts(value, key=""):
    """Every string in the data meant to be read by a user (not ids, citations or anchors)."""
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            if inner_key not in ("seed", "cycle_seed", "sections", "id", "scale", "doc"):
                yield from user_texts(inner, inner_key)
    elif isinstance(value, list):
        for inner in value:
            yield from user_texts(inner, key)
    elif isinstance(value, str) and len(value.split()) >= 4:
        yield value


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


@needs_seeds
def test_no_statement_copies_six_words_running_from_a_seed():
    seed_words = [w for doc in DOCUMENTS for w in words("\n".join(seed_lines(doc)))]
    runs = {tuple(seed_words[i : i + 6]) for i in range(len(seed_words) - 5)}
    copied = []
    for path in FILES:
        for text in user_texts(json.loads(path.read_text(encoding="utf-8"))):
            found = words(text)
            if any(tuple(found[i : i + 6]) in runs for i in range(len(found) - 5)):
                copied.append(text)
    assert not copied
