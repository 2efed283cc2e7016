"""Social capital reports: leaders, mentors and mentees, problem solvers, rising stars.

Appendix C 2.4 of the NESTA / Young Foundation report combines the networks with the key
connectors (Appendix C 2.2) into "social capital reports" that name key individuals as leaders
(recognised and potential), mentors and mentees, problem solvers (innovators and implementers)
and rising stars. It names the categories but not their rules; placelab's rules below rest on
the questions of the seven networks (Appendix C 2.3) and the roster's attributes, with their
thresholds in :class:`SocialCapitalRules`:

- recognised leaders: the people named by most people in the strategic ("to whom do you go for
  advice about the future") and decision networks together; the top ``top_share`` of everyone
  (as key connectors are chosen, :func:`placelab.core.networks.roles.top_share`), named by at
  least ``leader_min_named_by`` people. A tie points from the person who answered to the person
  named, so being named is being sought out.
- potential leaders: key connectors (any role) of the innovation or learning network who hold no
  senior post and are not recognised leaders; people whose seniority is not recorded are left
  out, since they may hold one.
- mentors: the people named in the expert or strategic network by most people from other
  organisations; the top ``top_share`` of everyone, named so by at least ``mentor_min_outside``
  people. Mentees: the people, not mentors themselves, who name a mentor from another
  organisation there. A blank organisation is no one's "other" organisation.
- innovators: key connectors of the innovation network; implementers: key connectors of the
  learning network ("improve existing processes or methods").
- rising stars: frontline staff (seniority "frontline"; where seniority is not recorded, the
  frontline layer) or people in post for ``rising_max_years`` years or less, not in a senior
  post, who are key connectors in at least one network.

Each rule is a pure function of plain tables (the roster indexed by id, the ties, the per-network
measures with their ``roles``) returning a :class:`Found`: the people with the numbers behind each,
or why the list could not be drawn up (a network the study did not ask, a column it lacks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from placelab.core.citations import citation
from placelab.core.networks.analysis import NetworkAnalysis
from placelab.core.networks.parameters import TOP_SHARE
from placelab.core.networks.roles import top_share
from placelab.core.vocabulary import label, listed

# What being named in each network means, completing "named by N people ...".
NAMED_FOR: dict[str, str] = {
    "work": "to exchange information in daily work",
    "social": "to check in with",
    "innovation": "to kick around new ideas",
    "expert": "for expertise or advice",
    "strategic": "for advice about the future",
    "learning": "to improve existing processes or methods",
    "decision": "when a decision has to be made",
}


def _nesta(section: str, first: int, last: int, anchor: str) -> dict:
    return citation({"doc": "nesta", "section": section, "lines": [first, last], "anchor": anchor})


# Where each category is named (Appendix C 2.4) and what its rule rests on.
SEEDS: dict[str, dict] = {
    "leaders": _nesta("Appendix C 2.4", 11059, 11060, "potential and recognised leaders"),
    "mentoring": _nesta("Appendix C 2.4", 11066, 11068, "seek expert advice"),
    "problem_solvers": _nesta("Appendix C 2.4", 11071, 11072, "innovators or implementers"),
    "rising_stars": _nesta("Appendix C 2.4", 11073, 11074, "potential to be outstanding"),
}
RESTS_ON: dict[str, dict] = {
    "key_connectors": _nesta("Appendix C 2.2", 10938, 10942, "top five per cent"),
    "strategic": _nesta("Appendix C 2.3", 11006, 11008, "advice about the future"),
    "strategy_and_decisions": _nesta("Appendix C 2.3", 10950, 10952, "confidence in leaders"),
    "mentoring": _nesta("Appendix C 2.3", 11008, 11010, "mentoring and career guidance"),
    "expert": _nesta("Appendix C 2.3", 10995, 10997, "turn for expertise"),
    "innovation": _nesta("Appendix C 2.3", 10981, 10983, "kick around new ideas"),
    "learning": _nesta("Appendix C 2.3", 11015, 11017, "improve existing processes"),
}
CATEGORIES: tuple[str, ...] = (
    "recognised_leaders", "potential_leaders", "mentors", "mentees", "innovators",
    "implementers", "rising_stars",
)  # fmt: skip


@dataclass(frozen=True)
class SocialCapitalRules:
    """The thresholds of the social capital reports: placelab's choices, not the source's.

    The top share for recognised leaders and mentors is the key connectors' (``top_share``), so
    that "the top 5 per cent" means one thing throughout a report.
    """

    leader_networks: tuple[str, ...] = ("strategic", "decision")
    leader_min_named_by: int = 3  # so that in a small study one or two names make no leader
    senior: tuple[str, ...] = ("senior",)
    potential_networks: tuple[str, ...] = ("innovation", "learning")
    mentor_networks: tuple[str, ...] = ("expert", "strategic")
    # Mentors are the top share by the people from other organisations who name them for
    # advice, and at least this many of them: with a bare count most of the demo's well-linked
    # locality (72 of 137) were mentors, which picks out no one.
    mentor_min_outside: int = 3
    innovator_network: str = "innovation"
    implementer_network: str = "learning"
    frontline: tuple[str, ...] = ("frontline",)  # seniorities that count as frontline staff
    frontline_layers: tuple[str, ...] = ("frontline",)  # used where seniority is not recorded
    rising_max_years: float = 2.0  # "short tenure": this many years in post or fewer
    years_column: str = "years_in_post"

    def describe(self, share: float) -> dict:
        return {**asdict(self), "top_share": share}


@dataclass(frozen=True)
class Found:
    """One category's people, or why it is empty; ``note`` says what limited it."""

    people: list[dict] = field(default_factory=list)
    unavailable: str | None = None
    note: str | None = None


# --- reading the roster -----------------------------------------------------------------


def _column(people: pd.DataFrame, column: str) -> pd.Series:
    """A roster column as stripped text, "" where blank or where the roster lacks it."""
    if column not in people.columns:
        return pd.Series("", index=people.index, dtype=object)
    return people[column].fillna("").astype(str).str.strip()


def _recorded(values: pd.Series) -> bool:
    return bool((values != "").any())


def _not_asked(missing: Sequence[str]) -> str:
    """ "this study did not ask the decision question" (or questions)."""
    names = [label(n).lower() for n in missing]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"this study did not ask the {joined} question" + ("s" if len(names) > 1 else "")


def _named_for(networks: Sequence[str]) -> str:
    """What being named in ``networks`` means: "for expertise or advice, or for advice about
    the future" (a comma, as the phrases hold an "or" of their own)."""
    phrases = [NAMED_FOR.get(n, f"in the {label(n).lower()} network") for n in networks]
    return ", or ".join(phrases)


def _people_count(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


# --- key connectors ----------------------------------------------------------------------


def connector_roles(measures: pd.DataFrame, network: str) -> dict[str, list[str]]:
    """Who holds a key connector role in ``network``, and which (hub, gatekeeper, pulsetaker)."""
    rows = measures.loc[measures["network"].to_numpy() == network, ["id", "roles"]]
    return {str(i): list(r) for i, r in zip(rows["id"], rows["roles"], strict=True) if len(r)}


def _roles_text(roles: Sequence[str]) -> str:
    return listed([label(r).lower() for r in roles])


def key_connectors_of(measures: pd.DataFrame, network: str, *, available: Sequence[str]) -> Found:
    """Key connectors of one network (innovators, implementers), most roles first."""
    if network not in available:
        return Found(unavailable=_not_asked([network]))
    held = connector_roles(measures, network)
    rows = measures.loc[measures["network"].to_numpy() == network, ["id", "degree"]]
    degree = {str(i): d for i, d in zip(rows["id"], rows["degree"], strict=True) if str(i) in held}
    ordered = sorted(held, key=lambda i: (-len(held[i]), -degree[i], i))
    found = [
        {
            "id": person,
            "because": f"A {_roles_text(held[person])} of the {label(network).lower()} network, "
            f"tied to {_people_count(int(degree[person]))} in it.",
            "numbers": {"network": network, "roles": held[person], "degree": int(degree[person])},
        }
        for person in ordered
    ]
    return Found(found)


# --- recognised and potential leaders ----------------------------------------------------


def named_by(ties: pd.DataFrame, networks: Sequence[str]) -> pd.DataFrame:
    """How many distinct people name each person in ``networks``: a column per network and
    ``total``, the people naming them in any of them (each counted once)."""
    chosen = ties[ties["network"].isin(networks)]
    per = chosen.groupby(["target", "network"])["source"].nunique().unstack(fill_value=0)
    per = per.reindex(columns=list(networks), fill_value=0)
    return per.assign(total=chosen.groupby("target")["source"].nunique()).astype(int)


def recognised_leaders(
    people: pd.DataFrame,
    ties: pd.DataFrame,
    networks: Sequence[str],
    *,
    share: float = TOP_SHARE,
    rules: SocialCapitalRules = SocialCapitalRules(),
) -> Found:
    """The most sought-out people of the strategic and decision networks together.

    Scores every person on the roster by the distinct people naming them in any of
    ``rules.leader_networks`` the study asked; the top ``share`` of the roster (at least one,
    people level with the last included, as :func:`~placelab.core.networks.roles.top_share`)
    who are also named by at least ``rules.leader_min_named_by`` people are recognised leaders.
    """
    asked = [n for n in rules.leader_networks if n in networks]
    missing = [n for n in rules.leader_networks if n not in networks]
    if not asked:
        return Found(unavailable=_not_asked(missing))
    counts = named_by(ties, asked).reindex(people.index, fill_value=0)
    leading, threshold = _leading(counts["total"], share, rules.leader_min_named_by)
    chosen = counts[leading]
    found = [
        {
            "id": str(person),
            "because": _named_by_text(row, asked),
            "numbers": {
                "named_by": int(row["total"]),
                "top_share_from": threshold,
                "by_network": {n: int(row[n]) for n in asked},
            },
        }  # fmt: skip
        for person, row in chosen.sort_values("total", ascending=False, kind="stable")
        .to_dict(orient="index")
        .items()
    ]
    return Found(found, note=_rests_on(asked, missing))


def _leading(scores: pd.Series, share: float, minimum: int) -> tuple[np.ndarray, int | None]:
    """Who is in the top ``share`` of ``scores`` (as key connectors are chosen) and scores at
    least ``minimum``; and the score at which that top share starts (None when empty)."""
    top = top_share(scores.to_numpy(), share=share)
    threshold = int(scores[top].min()) if top.any() else None
    return top & (scores.to_numpy() >= minimum), threshold


def _rests_on(asked: Sequence[str], missing: Sequence[str]) -> str | None:
    """ "this study did not ask the decision question, so this list rests on the strategic
    network alone", or None when nothing is missing."""
    if not missing:
        return None
    names = " and ".join(label(n).lower() for n in asked)
    plural = "networks" if len(asked) > 1 else "network"
    return f"{_not_asked(missing)}, so this list rests on the {names} {plural} alone"


def _named_by_text(row: Mapping[str, Any], networks: Sequence[str]) -> str:
    """ "Named by 9 people: 6 for advice about the future, 5 when a decision has to be made." """
    total = _people_count(int(row["total"]))
    if len(networks) < 2:
        return f"Named by {total} {_named_for(networks)}."
    parts = [f"{int(row[n])} {_named_for([n])}" for n in networks]
    return f"Named by {total}: " + ", ".join(parts) + "."


def potential_leaders(
    people: pd.DataFrame,
    measures: pd.DataFrame,
    networks: Sequence[str],
    *,
    recognised: Sequence[str] = (),
    rules: SocialCapitalRules = SocialCapitalRules(),
) -> Found:
    """Key connectors of the innovation or learning network without a senior post.

    People in ``recognised`` (the recognised leaders) are left out, as are people whose
    seniority is not recorded: they may hold a senior post.
    """
    asked = [n for n in rules.potential_networks if n in networks]
    if not asked:
        return Found(unavailable=_not_asked(rules.potential_networks))
    seniority = _column(people, "seniority")
    if not _recorded(seniority):
        return Found(unavailable="the people file records no seniority, so no one can be told "
                     "apart from senior post holders")  # fmt: skip
    held = {n: connector_roles(measures, n) for n in asked}
    connectors = set().union(*held.values())
    posts = seniority.to_dict()
    found: list[tuple[int, dict]] = []
    for person in (str(p) for p in people.index if str(p) in connectors):  # roster order
        post = posts.get(person, "")
        if post == "" or post in rules.senior or person in recognised:
            continue
        where = {n: held[n][person] for n in asked if person in held[n]}
        found.append((-sum(map(len, where.values())), _potential(person, where, post)))
    found.sort(key=lambda pair: pair[0])  # most roles first; stable, so in roster order after
    missing = [n for n in rules.potential_networks if n not in networks]
    notes = [str(_rests_on(asked, missing))] if missing else []
    if (seniority == "").any():
        notes.append("people whose seniority is not recorded are left out")
    return Found([entry for _roles, entry in found], note="; ".join(notes) or None)


def _potential(person: str, where: dict[str, list[str]], post: str) -> dict:
    places = " and the ".join(
        f"{label(n).lower()} network ({_roles_text(r)})" for n, r in where.items()
    )
    return {
        "id": person,
        "because": f"A key connector of the {places}, {_post(post)}.",
        "numbers": {"networks": where, "seniority": post},
    }


# --- mentors and mentees -----------------------------------------------------------------


def _across(people: pd.DataFrame, ties: pd.DataFrame, networks: Sequence[str]) -> pd.DataFrame:
    """Ties of ``networks`` between people of two different, recorded organisations."""
    organisation = _column(people, "organisation")
    chosen = ties[ties["network"].isin(networks)]
    source = chosen["source"].map(organisation).fillna("")
    target = chosen["target"].map(organisation).fillna("")
    return chosen[(source != "") & (target != "") & (source != target)]


def mentoring(
    people: pd.DataFrame,
    ties: pd.DataFrame,
    networks: Sequence[str],
    *,
    share: float = TOP_SHARE,
    rules: SocialCapitalRules = SocialCapitalRules(),
) -> tuple[Found, Found]:
    """(mentors, mentees): who is sought for advice across organisations, and who seeks them.

    People are scored by the distinct people from other organisations naming them in
    ``rules.mentor_networks`` (expertise, advice about the future); mentors are the top
    ``share`` of the roster by that score (as :func:`~placelab.core.networks.roles.top_share`:
    at least one, people level with the last included) named so by at least ``rules.mentor_min_outside`` people.
    Mentees are the people, not mentors themselves, who name a mentor from another
    organisation there. Each mentor's entry lists its mentees, each mentee's its mentors.
    """
    asked = [n for n in rules.mentor_networks if n in networks]
    if not asked:
        why = _not_asked(rules.mentor_networks)
        return Found(unavailable=why), Found(unavailable=why)
    if not _recorded(_column(people, "organisation")):
        why = "the people file records no organisations, so advice across them cannot be found"
        return Found(unavailable=why), Found(unavailable=why)
    across = _across(people, ties, asked)
    outside = across.groupby("target")["source"].nunique().reindex(people.index, fill_value=0)
    leading, threshold = _leading(outside, share, rules.mentor_min_outside)
    chosen = outside[leading]
    everyone = ties[ties["network"].isin(asked)].groupby("target")["source"].nunique()
    sought = across[across["target"].isin(chosen.index) & ~across["source"].isin(chosen.index)]
    theirs = _grouped(sought, "target", "source")
    mentors = [
        _mentor(
            str(m), {"named_by_outside": int(chosen[m]), "top_share_from": threshold,
                     "named_by": int(everyone[m])}, theirs.get(m, []), asked,
        )
        for m in sorted(chosen.index, key=lambda m: (-chosen[m], m))
    ]  # fmt: skip
    mentees = _mentees(sought)
    note = _partial_note(rules.mentor_networks, networks, people)
    return Found(mentors, note=note), Found(mentees, note=note)


def _mentor(person: str, numbers: dict, mentees: list[str], networks: Sequence[str]) -> dict:
    """A mentor's entry; ``mentees`` leaves out the other mentors who name them."""
    return {
        "id": person,
        "because": f"Named for advice by {_people_count(numbers['named_by_outside'])} from "
        f"other organisations ({_people_count(numbers['named_by'])} in all).",
        "numbers": numbers,
        "mentees": list(mentees),
    }


def _grouped(ties: pd.DataFrame, by: str, other: str) -> dict[str, list[str]]:
    """``by`` -> the sorted, distinct ``other`` ends of its ties."""
    pairs = ties[[by, other]].drop_duplicates().sort_values([by, other])
    return {str(k): list(v) for k, v in pairs.groupby(by, sort=False)[other].agg(list).items()}


def _mentees(ties: pd.DataFrame) -> list[dict]:
    sought = _grouped(ties, "source", "target")
    return [
        {
            "id": person,
            "because": f"Turns for advice to {len(sought[person])} "
            f"mentor{'s' if len(sought[person]) != 1 else ''} in other organisations.",
            "numbers": {"mentors": len(sought[person])},
            "mentors": sought[person],
        }
        for person in sorted(sought, key=lambda p: (-len(sought[p]), p))
    ]


def _partial_note(
    wanted: Sequence[str], networks: Sequence[str], people: pd.DataFrame
) -> str | None:
    notes = []
    missing = [n for n in wanted if n not in networks]
    if missing:
        notes.append(str(_rests_on([n for n in wanted if n in networks], missing)))
    if (_column(people, "organisation") == "").any():
        notes.append("people whose organisation is not recorded count as no one's outsider")
    return "; ".join(notes) or None


# --- rising stars ------------------------------------------------------------------------


def rising_stars(
    people: pd.DataFrame,
    measures: pd.DataFrame,
    networks: Sequence[str],
    *,
    rules: SocialCapitalRules = SocialCapitalRules(),
) -> Found:
    """Frontline or newly appointed people, not in senior posts, who are key connectors.

    Frontline: seniority in ``rules.frontline``, or, where seniority is blank, a layer in
    ``rules.frontline_layers``. Newly appointed: ``rules.years_column`` at most
    ``rules.rising_max_years``. A key connector in any of the study's ``networks``.
    """
    seniority, layer = _column(people, "seniority"), _column(people, "layer")
    years = pd.to_numeric(_column(people, rules.years_column), errors="coerce")
    has_years = bool(years.notna().any())
    if not _recorded(seniority) and not has_years and not _recorded(layer):
        return Found(unavailable="the people file records neither seniority nor years in post")
    frontline = seniority.isin(rules.frontline) | ((seniority == "") & layer.isin(
        rules.frontline_layers))  # fmt: skip
    new = (years <= rules.rising_max_years).fillna(False) & ~seniority.isin(rules.senior)
    held = {n: connector_roles(measures, n) for n in networks}
    connectors = set().union(*held.values())
    posts, tenure = seniority.to_dict(), years.to_dict()
    found = []
    for person in (str(p) for p in people.index[(frontline | new).to_numpy()]):
        if person in connectors:
            where = [n for n in networks if person in held[n]]
            found.append(_rising(person, where, posts[person], tenure[person]))
    found.sort(key=lambda e: -len(e["numbers"]["networks"]))
    notes = [] if has_years else ["the people file has no years in post, so only frontline "
                                  "staff are considered"]  # fmt: skip
    if (seniority == "").any():
        notes.append("where seniority is not recorded, frontline staff are those in the "
                     "frontline layer")  # fmt: skip
    return Found(found, note="; ".join(notes) or None)


def _post(seniority: str) -> str:
    """ "in a middle post"; a resident holds no post."""
    return "a resident" if seniority == "resident" else f"in a {label(seniority).lower()} post"


def _rising(person: str, networks: list[str], post: str, years: float) -> dict:
    who = _post(post) if post else "in the frontline layer"
    who = who[:1].upper() + who[1:]
    if not np.isnan(years):
        who += f", {years:g} year{'s' if years != 1 else ''} in post"
    names = ", ".join(label(n).lower() for n in networks)
    return {
        "id": person,
        "because": f"{who}; a key connector of {len(networks)} network"
        f"{'s' if len(networks) != 1 else ''} ({names}).",
        "numbers": {"networks": networks, "seniority": post or None,
                    "years_in_post": None if np.isnan(years) else float(years)},
    }  # fmt: skip


# --- the report --------------------------------------------------------------------------

# Plain words first: "mentor" here means sought out for advice across organisations, and a
# capitalised "Mentor" is also a job title (the demo has three), which a viewer's copy must
# never hold.
TITLES: dict[str, str] = {
    "recognised_leaders": "Recognised leaders", "potential_leaders": "Potential leaders",
    "mentors": "Advisers across organisations (mentors)",
    "mentees": "Those who seek their advice (mentees)", "innovators": "Innovators",
    "implementers": "Implementers", "rising_stars": "Rising stars",
}  # fmt: skip


def rule_texts(rules: SocialCapitalRules, share: float) -> dict[str, str]:
    """Each category's rule in one plain sentence, with the thresholds in force."""
    r = rules
    leaders = " and ".join(f"{label(n).lower()}" for n in r.leader_networks)
    return {
        "recognised_leaders": f"The people most often named {_named_for(r.leader_networks)} "
        f"({leaders} networks together): the {_percent(share)} of everyone named by the most "
        f"people ({_LEVEL}), and only if at least {r.leader_min_named_by} people name them.",
        "potential_leaders": "Key connectors (hubs, gatekeepers or pulsetakers) of the "
        + " or ".join(label(n).lower() for n in r.potential_networks)
        + " network who hold no senior post and are not recognised leaders.",
        "mentors": "The people most often named by people from other organisations "
        f"{_named_for(r.mentor_networks)}: the {_percent(share)} of everyone named so by the "
        f"most such people ({_LEVEL}), and only if at least {r.mentor_min_outside} of them "
        "name them.",
        "mentees": "People who turn to a mentor in another organisation "
        f"{_named_for(r.mentor_networks)}, and are not mentors themselves.",
        "innovators": f"Key connectors of the {label(r.innovator_network).lower()} network, "
        f"where people {_NETWORK_DOING.get(r.innovator_network, 'work together')}.",
        "implementers": f"Key connectors of the {label(r.implementer_network).lower()} network, "
        f"where people {_NETWORK_DOING.get(r.implementer_network, 'work together')}.",
        "rising_stars": f"Frontline staff, or people in post for {r.rising_max_years:g} years or "
        "less, who hold no senior post and are key connectors in at least one network.",
    }


# The top share as key connectors take it (roles.top_share), in words.
_LEVEL = "at least one person, and anyone level with the last of them"


def _percent(share: float) -> str:
    """0.05 -> "5%", 0.025 -> "2.5%"."""
    return f"{share * 100:.3g}%"


_NETWORK_DOING = {
    "innovation": "collaborate on or kick around new ideas",
    "learning": "work together to improve existing processes or methods",
}
_SEED_OF = {
    "recognised_leaders": ("leaders", ["strategic", "strategy_and_decisions"]),
    "potential_leaders": ("leaders", ["key_connectors", "innovation", "learning"]),
    "mentors": ("mentoring", ["expert", "mentoring"]),
    "mentees": ("mentoring", ["expert", "mentoring"]),
    "innovators": ("problem_solvers", ["key_connectors", "innovation"]),
    "implementers": ("problem_solvers", ["key_connectors", "learning"]),
    "rising_stars": ("rising_stars", ["key_connectors"]),
}


def find_all(
    people: pd.DataFrame,
    ties: pd.DataFrame,
    measures: pd.DataFrame,
    networks: Sequence[str],
    *,
    share: float = TOP_SHARE,
    rules: SocialCapitalRules = SocialCapitalRules(),
) -> dict[str, Found]:
    """Every category, in :data:`CATEGORIES` order, from plain tables."""
    recognised = recognised_leaders(people, ties, networks, share=share, rules=rules)
    mentors, mentees = mentoring(people, ties, networks, share=share, rules=rules)
    later: dict[str, Callable[[], Found]] = {
        "potential_leaders": lambda: potential_leaders(
            people, measures, networks, recognised=[e["id"] for e in recognised.people],
            rules=rules,
        ),
        "innovators": lambda: key_connectors_of(
            measures, rules.innovator_network, available=networks
        ),
        "implementers": lambda: key_connectors_of(
            measures, rules.implementer_network, available=networks
        ),
        "rising_stars": lambda: rising_stars(people, measures, networks, rules=rules),
    }  # fmt: skip
    done = {"recognised_leaders": recognised, "mentors": mentors, "mentees": mentees}
    return {key: done[key] if key in done else later[key]() for key in CATEGORIES}


def social_capital(analysis: NetworkAnalysis, rules: SocialCapitalRules | None = None) -> dict:
    """The social capital reports of an analysis, as the result JSON holds them."""
    rules = rules or SocialCapitalRules()
    share = analysis.parameters.top_share
    data = analysis.data
    found = find_all(
        data.people, data.ties, analysis.measures, data.networks, share=share, rules=rules
    )
    return social_capital_dict(found, rules, share)


def social_capital_dict(
    found: Mapping[str, Found], rules: SocialCapitalRules, share: float
) -> dict:
    """``{"parameters", "categories"}``: each category's title, rule, citations and people."""
    texts = rule_texts(rules, share)
    categories = {}
    for key in CATEGORIES:
        seed, rests = _SEED_OF[key]
        categories[key] = {
            "title": TITLES[key],
            "rule": texts[key],
            "seed": SEEDS[seed],
            "rests_on": [RESTS_ON[r] for r in rests],
            "unavailable": found[key].unavailable,
            "note": found[key].note,
            "people": found[key].people,
        }
    return {"parameters": rules.describe(share), "categories": categories}
