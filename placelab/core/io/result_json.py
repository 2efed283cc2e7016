"""The analysis as plain, JSON-ready data: the documented result format.

``schema/result.schema.json`` describes it; a test validates every result against it.
"""

from __future__ import annotations

import math
import platform
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import orjson
import pandas as pd

from placelab.core.data import StudyData
from placelab.core.errors import PlacelabError
from placelab.core.networks.analysis import GROUPINGS, NetworkAnalysis
from placelab.core.networks.brokerage import BROKERAGE_ROLES
from placelab.core.networks.findings import FindingRules
from placelab.core.networks.roles import ROLE_SCORES
from placelab.core.networks.social_capital import SocialCapitalRules, social_capital

FORMAT = "placelab-result/1"
PERSON_MEASURES = (
    "in_degree", "out_degree", "in_strength", "out_strength", "degree", "betweenness",
    "harmonic", "information", "pagerank", "k_core", "constraint",
)  # fmt: skip


def result_dict(
    analysis: NetworkAnalysis,
    findings: list[dict],
    rules: FindingRules,
    social: SocialCapitalRules | None = None,
) -> dict:
    """Everything a report shows, keyed for readers of the JSON rather than for pandas;
    ``social`` holds the social capital reports' thresholds (placelab's defaults if None)."""
    data = analysis.data
    result = plain({
        "format": FORMAT,
        "inputs": {
            "files": data.sources,
            "fingerprint": data.fingerprint(),
            "people": len(data.people),
            "respondents": int(data.people["responded"].sum()),
            "networks": list(data.networks),
        },
        "parameters": asdict(analysis.parameters),
        "versions": versions(),
        "method": method_notes(analysis),
        "networks": {name: _network(analysis, name) for name in analysis.summary.index},
        "people": _people(analysis),
        "outsiders": analysis.outsiders.to_dict(orient="records"),
        "core_group": {
            "members": analysis.core["members"],
            "closure": analysis.core["closure"],
            "overlap": analysis.core["overlap"].to_dict(orient="records"),
        },
        "alignment": analysis.alignment.to_dict(orient="records"),
        "finding_rules": rules.describe(),
        "findings": findings,
        "layout": analysis.layout,
        "ties": None,  # below: plain already, and a tenth of a second for plain to walk
        "social_capital": social_capital(analysis, social),
    })  # fmt: skip
    result["ties"] = network_ties(data)
    return result


def network_ties(data: StudyData) -> dict[str, list[list]]:
    """Every nomination between people on the roster, by network: [source, target, weight],
    as plain Python values (the ids are strings, the weights floats above 0)."""
    ties = data.ties
    found = {}
    for name in data.networks:
        chosen = ties[ties["network"] == name]
        columns = (chosen["source"], chosen["target"], chosen["weight"].astype(float))
        found[name] = [list(tie) for tie in zip(*(c.tolist() for c in columns), strict=True)]
    return found


def result_text(result: dict) -> str:
    """The result as JSON text, indented; strict JSON, NaN and infinity written as null."""
    # orjson, not json: with an indent the standard library encodes in Python, five times slower.
    return orjson.dumps(
        result, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
    ).decode()


def write_texts(texts: dict[Path, str | bytes]) -> None:
    """Write every output or none: all go to side files first, then each takes its place.

    Text is written as UTF-8; bytes (an XLSX workbook) as they are.
    """
    partials = {path: path.with_name(path.name + ".partial") for path in texts}
    try:
        for path, text in texts.items():
            if isinstance(text, bytes):
                partials[path].write_bytes(text)
            else:
                partials[path].write_text(text, encoding="utf-8")
        for path, partial in partials.items():
            partial.replace(path)
    except OSError as error:
        for partial in partials.values():
            if not partial.is_dir():  # a folder in the way is the user's, not ours to remove
                partial.unlink(missing_ok=True)
        # Name the file the user asked for, not its side file.
        target = next((p for p, side in partials.items() if str(side) == error.filename), None)
        raise PlacelabError(
            f"could not write {target or error.filename}: {error.strerror}"
        ) from None


def method_notes(analysis: NetworkAnalysis) -> dict:
    """How each number was made, in words a reader can check against the code."""
    p = analysis.parameters
    return {
        "tie_direction": "A tie points from the person who answered to the person named. In the "
        "expert, strategic and decision networks advice flows the other way.",
        "symmetrised": "Betweenness, harmonic closeness, information centrality, k-core, "
        "constraint, communities and fragility read a tie as two-way (an edge where either "
        "named the other): people who did not answer can only be named.",
        "density": "Directed ties over n(n-1), n = everyone in the people file.",
        "reciprocity": "The share of directed ties that are returned.",
        "key_connectors": {
            "rule": f"Top {p.top_share:.0%} of people (at least one) by each score, ties "
            "included, zero scores never.",
            "scores": {
                "hub": "degree on the symmetrised network (Freeman 1979)",
                "gatekeeper": "betweenness on the symmetrised network (Freeman 1977)",
                "pulsetaker": "information centrality (Stephenson and Zelen 1989) on the "
                "largest connected component of the symmetrised network; 0 elsewhere",
            },
            "primary_role": "the role in which the person ranks highest, ties in the order "
            "hub, gatekeeper, pulsetaker",
        },
        "exact": analysis.exact,
        "approximation": None if analysis.exact else (
            f"Above {p.exact_limit} people betweenness is estimated by KADABRA (Borassi and "
            f"Natale 2019) unless people x ties is at most {p.betweenness_exact_work:,} (then "
            f"exact): random pairs of people and one shortest path between them, drawn "
            f"until, with probability at least {1 - p.betweenness_delta:.0%}, every estimate is "
            f"within {p.betweenness_error_for(len(analysis.data.people)):.2g} of the true value, "
            f"seed {p.seed}; each estimate has a binomial standard error. A network of more "
            f"than {p.betweenness_kadabra_ties:,} ties uses {p.samples} seeded sample sources "
            "instead (Brandes and Pich 2007), with a standard error from ten batches. "
            f"Harmonic closeness uses {p.samples} seeded sample "
            f"sources and information centrality a {p.information_probes}-probe Hutchinson "
            "estimate with control variates (the near-neighbour terms of the Laplacian's "
            "inverse taken out first), each with the standard error of its probes; see "
            "bench/README.md for measured agreement."
        ),
        "borderline": None if analysis.exact else (
            "A key connector whose score is estimated holds the role borderline when the "
            "estimate minus 1.96 standard errors falls below the role's threshold (the k-th "
            "highest estimate): the estimate cannot tell them apart from the next people."
        ),
        "ei_index": "Krackhardt and Stern (1988): (external - internal)/(external + internal) "
        "over directed ties, each counted once.",
        "brokerage": "Gould and Fernandez (1989) on open two-paths a->b->c by sector; expected "
        "counts for a random graph of the same density.",
        "alignment": f"QAP (Krackhardt 1987): Pearson r over off-diagonal cells of binary "
        f"adjacency matrices; one-sided p from {p.permutations_for(len(analysis.data.people))} "
        f"permutations, seed {p.seed}.",
        "core_group": "Key connectors (any role) in more than half the networks.",
        "fragility": "Borgatti (2006) fragmentation and the share in the largest component "
        "after the leading key connectors leave; the worst single leaver searched among the "
        f"first {p.departure_candidates} key connectors.",
        "communities": f"Leiden (Traag et al. 2019), modularity, seed {p.seed}.",
        "layout": analysis.layout["method"] + f" Seed {p.seed}; a person keeps one position in "
        "every network, and in later waves when an earlier layout is given as anchors.",
        "social_capital": "Leaders, mentors and mentees, problem solvers and rising stars "
        "(Appendix C 2.4) by placelab's own rules, since the source gives none: each list "
        "under social_capital states its rule, what it rests on and its thresholds.",
    }  # fmt: skip


def _network(analysis: NetworkAnalysis, name: str) -> dict:
    measures = analysis.measures[analysis.measures["network"] == name]
    return {
        **analysis.summary.to_dict(orient="index")[name],
        "ei_index": {g: analysis.ei.at[name, g] for g in GROUPINGS},
        "mixing": {g: _mixing(analysis, name, g) for g in GROUPINGS},
        "layer_links": _rows(analysis.layer_links, name),
        "key_connectors": {
            role: measures.loc[measures["roles"].map(lambda r, role=role: role in r), "id"].tolist()
            for role in ROLE_SCORES
        },
        "key_connectors_borderline": {
            role: measures.loc[measures["borderline"].map(lambda r, role=role: role in r),
                               "id"].tolist()
            for role in ROLE_SCORES
        },
        "brokerage": {
            "totals": analysis.brokerage.loc[analysis.brokerage["network"] == name,
                                             list(BROKERAGE_ROLES)].sum().to_dict(),
            "expected_per_broker": _rows(analysis.brokerage_expected, name),
        },
        "fragility": {
            "departures": _rows(analysis.departures, name),
            "worst_departure": next(iter(_rows(analysis.worst_departures, name)), None),
        },
        "communities": {
            "count": int(measures["community"].nunique()),
            "makeup": {str(k): v for k, v in
                       analysis.community_makeup[name].to_dict(orient="index").items()},
        },
    }  # fmt: skip


def _mixing(analysis: NetworkAnalysis, name: str, grouping: str) -> dict:
    frame = analysis.group_mixing
    groups = frame[(frame["network"] == name) & (frame["grouping"] == grouping)]
    return {
        "ties": analysis.tie_matrices[(name, grouping)].to_dict(orient="index"),
        "groups": groups.drop(columns=["network", "grouping"]).to_dict(orient="records"),
    }


def _rows(frame: pd.DataFrame, name: str) -> list[dict]:
    if frame.empty:
        return []
    return frame[frame["network"] == name].drop(columns=["network"]).to_dict(orient="records")


def _people(analysis: NetworkAnalysis) -> list[dict]:
    """One record per person: the roster's columns, then each network's measures."""
    columns = ["id", "network", *PERSON_MEASURES, "roles", "primary_role", "borderline"]
    columns += ["community"]
    merged = analysis.measures[columns].merge(analysis.brokerage, on=["id", "network"])
    people = {
        person: {"id": person, **row, "networks": {}}
        for person, row in analysis.data.people.to_dict(orient="index").items()
    }
    for row in merged.to_dict(orient="records"):
        person, name = row.pop("id"), row.pop("network")
        row["primary_role"] = row["primary_role"] or None
        row["brokerage"] = {role: row.pop(role) for role in BROKERAGE_ROLES}
        people[person]["networks"][name] = row
    return list(people.values())


def versions(
    packages: tuple[str, ...] = ("placelab", "igraph", "networkx", "numpy", "scipy", "pandas"),
) -> dict:
    """The versions of Python and of ``packages``, stored with a result to reproduce it."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for package in packages:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def plain(value):
    """Convert numpy and pandas scalars to Python ones; NaN and infinity become null.

    A round trip through orjson does the walk in C (a result at 1,000 people holds a third of
    a million values); what orjson refuses (a key that is not a string, a pandas scalar) takes
    the walk in Python, which gives the same.
    """
    try:
        return orjson.loads(orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY))
    except TypeError:
        return _plain_walk(value)


def _plain_walk(value):
    if isinstance(value, dict):
        return {str(k): _plain_walk(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain_walk(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
