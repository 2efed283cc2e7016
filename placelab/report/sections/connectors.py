"""The report's section "Key connectors and social capital" (Appendix C 2.2, 2.4 and 4.3.3).

Three parts, each built from the stored result as this variant shows it:

- the key connectors (NetForm's hubs, gatekeepers and pulsetakers, Appendix C 2.2): what each
  role means, the rule that chooses its holders, how many hold it in each network, and one table
  of everyone holding a role, person by network, those in the most networks first; where a
  score is estimated (large studies), the roles held only borderline are marked and explained;
- the core group (key connectors in more than half the networks) and how closed it is
  (Appendix C 4.3.3: a clique that can filter ideas);
- the social capital lists (Appendix C 2.4) of ``result["social_capital"]``: named, with why,
  in the full report; counted only in the pseudonymised one, whose viewer copy has no names.

"Gatekeeper" here is always the key connector; Gould and Fernandez's brokerage role of that
name is never called so in this section.
"""

from __future__ import annotations

import math
import re
from typing import Any

from placelab.core.errors import PlacelabError
from placelab.core.networks.findings import seed
from placelab.core.networks.parameters import TOP_SHARE
from placelab.core.networks.roles import ROLE_SCORES
from placelab.core.vocabulary import label
from placelab.report.maps import ROLE_SHAPES
from placelab.report.model import ReportContext, Section, cite
from placelab.report.words import closure_words

TITLE = "Key connectors and social capital"
ROLES = tuple(ROLE_SCORES)  # hub, gatekeeper, pulsetaker
LETTERS = {"hub": "H", "gatekeeper": "G", "pulsetaker": "P"}
# How the maps draw each role: the source's colours (Figure C8), and maps.ROLE_SHAPES' shapes.
COLOUR_WORDS = {"hub": "yellow", "gatekeeper": "green", "pulsetaker": "red"}
MARKS = {role: f"{COLOUR_WORDS[role]} {ROLE_SHAPES[role]}" for role in ROLES}
MEANING = {
    "hub": "A hub has many direct ties: they know a great many people themselves.",
    "gatekeeper": "A gatekeeper sits on the routes between other people, often with few ties "
    "but to a strategic few: what passes between groups goes through them, so they can open "
    "the way or close it.",
    "pulsetaker": "A pulsetaker is close to everyone through indirect ties (they know the "
    "people who know the right people), so they know what is going on.",
}
MEASURE = {
    "hub": "Chosen by the number of people they are tied to, whoever named whom.",
    "gatekeeper": "Chosen by how often they lie on the shortest route between two other people.",
    "pulsetaker": "Chosen by how near they are to everyone over every route, short and long, "
    "within the largest connected part of the network.",
}
CONNECTORS_SEED = seed("Appendix C 2.2", 10911, 10942, "The top five per cent of these are")
CORE_SEED = seed("Appendix C 4.3.3", 11415, 11466, "clique or cartel")
SOCIAL_SEED = seed("Appendix C 2.4", 11044, 11075, "series of social capital reports")
# Mentors list their mentees, and mentees their mentors (result["social_capital"]).
LINKS = {"mentors": "mentees", "mentees": "mentors"}
LINKED_MOST = 10  # a mentor's mentees past this many are counted, not named (each mentee's row
# under "Mentees" names their mentors, so no pair is lost)
LINKS_NOTE = {"mentors": f"Past {LINKED_MOST} mentees, the rest are counted."}
# A report is read, not searched: past this many people a table names the first and counts the
# rest, which the result's JSON lists in full (at 1,000 people the lists ran to 118 A4 pages).
LISTED_MOST = 25
MORE_WORDS = (
    "{more} more {people} {verb} on this list; the analysis's data file (the result's JSON, which "
    "analysts can download) lists every one."
)
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
BORDERLINE_WORDS = (
    "borderline: the estimate cannot tell them apart from the next people, so a fresh estimate "
    "or a slightly different answer could give the role to someone just below them instead"
)


def build(context: ReportContext) -> Section:
    networks = [n for n in context.networks if "key_connectors" in context.result["networks"][n]]
    people = People(context)
    data = {
        "connectors": key_connectors(context, networks, people),
        "core": core_group(context, networks, people),
        "social": social_capital(context, people),
    }
    return Section(id="connectors", title=TITLE, template="sections/connectors.html", data=data)


# --- small words ----------------------------------------------------------------------------


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'one person', '7 people': numbers under ten in words, as prose writes them."""
    word = NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"
    return f"{word} {noun if n == 1 else plural or noun + 's'}"


def natural(text: str) -> tuple:
    """Sort key that puts "Person 2" before "Person 10"."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text))


class People:
    """People as this variant shows them: name, sector and layer labels, and (full report only)
    organisation. The viewer copy's sector and layer are already generalised to "other"."""

    def __init__(self, context: ReportContext) -> None:
        self.context = context
        self.records = {str(p["id"]): p for p in context.result.get("people", [])}

    def __call__(self, key: str) -> dict[str, str]:
        record = self.records.get(str(key), {})
        about = [label(record[k]) for k in ("sector", "layer") if record.get(k)]
        organisation = record.get("organisation") if not self.context.pseudonymised else None
        return {"name": self.context.name(key), "about": " · ".join(about),
                "organisation": str(organisation or "")}  # fmt: skip


# --- key connectors -------------------------------------------------------------------------


def key_connectors(context: ReportContext, networks: list[str], people: People) -> dict[str, Any]:
    """What the roles mean, the rule, how many hold each, and who holds them where."""
    share = float((context.result.get("parameters") or {}).get("top_share", TOP_SHARE))
    roster = len(context.result.get("people", []))
    per_role = max(1, math.ceil(share * roster)) if roster else 0
    scores = ((context.result.get("method") or {}).get("key_connectors") or {}).get("scores", {})
    roles = [
        {"role": r, "label": label(r), "letter": LETTERS[r], "meaning": MEANING[r],
         "measure": MEASURE[r], "method": scores.get(r, ""), "mark": MARKS[r]}
        for r in ROLES
    ]  # fmt: skip
    counts = holder_counts(context, networks)
    return {
        "borderline": borderline_words(counts),
        "roles": roles,
        "rule": rule_words(share, roster, per_role),
        "few": few_words(share, roster, per_role, context.min_group),
        "per_role": per_role,
        "ties": (
            f"Where more than {count(per_role, 'person', 'people')} "
            f"{'holds' if per_role == 1 else 'hold'} a role, several were tied at the cut-off "
            "and all of them hold it."
            if any(row[r] > per_role for row in counts for r in ROLES)
            else None
        ),
        "counts": counts,
        "table": connector_table(context, networks, people),
        "cite": cite(CONNECTORS_SEED),
    }


def rule_words(share: float, roster: int, per_role: int) -> str:
    return (
        f"In each network, a role goes to the top {share:.0%} of people by its score: with "
        f"{roster:,} people on the roster, the {count(per_role, 'person', 'people')} with the "
        "highest scores, and anyone tied with the last of them; a score of zero never counts. "
        "One person may hold several roles. All three scores read a tie as two-way, whoever "
        "named whom."
    )


def few_words(share: float, roster: int, per_role: int, min_group: int) -> str | None:
    """Say so when the top share is too few people to be a layer of connectors at all: fewer
    per role than the study's smallest group it would break out (``min_group``, five)."""
    if per_role >= min_group:
        return None
    return (
        f"Too few people for the method: the top {share:.0%} of {roster:,} people is "
        f"{count(per_role, 'person', 'people')} in each role. The method was made for networks of "
        "hundreds; here the roles name the best-connected few of a small group, and one answer "
        "more or less can change who they are."
    )


def holder_counts(context: ReportContext, networks: list[str]) -> list[dict[str, Any]]:
    """Per network: how many hold each role, and how many hold any."""
    rows = []
    for network in networks:
        held = context.result["networks"][network]["key_connectors"]
        anyone = {str(k) for r in ROLES for k in held.get(r, [])}
        unsure = context.result["networks"][network].get("key_connectors_borderline") or {}
        rows.append(
            {"network": label(network), **{r: len(held.get(r, [])) for r in ROLES},
             "any": len(anyone), "borderline": len({str(k) for r in ROLES
                                                    for k in unsure.get(r, [])})}
        )  # fmt: skip
    return rows


def borderline_words(counts: list[dict[str, Any]]) -> str | None:
    """Why some roles are marked borderline, and how many people hold one so; None when every
    role rests on an exact score (or none is in doubt)."""
    unsure = sum(row["borderline"] for row in counts)
    if not unsure:
        return None
    return (
        "In a study this large some scores are estimated from samples rather than worked out "
        "exactly (see How the numbers were made). Most key connectors stand clear of the rest; "
        f"a role is marked {BORDERLINE_WORDS}. Counting a person once in each network where "
        f"it happens, key connectors hold a role only borderline {count(unsure, 'time')}; the "
        "table of key connectors marks the role with a question mark. Treat them as likely, "
        "not certain, key connectors."
    )


def connector_table(context: ReportContext, networks: list[str], people: People) -> dict[str, Any]:
    """One row per key connector, one column per network: their roles there.

    Rows in order of the number of networks, then of roles held, then of name.
    """
    rows = []
    unsure = roles_held(context, networks, "key_connectors_borderline")
    for key, where in roles_held(context, networks).items():
        doubt = unsure.get(key, {})
        cells = [_cell(where.get(n, []), doubt.get(n, [])) for n in networks]
        roles = sum(len(r) for r in where.values())
        rows.append({**people(key), "cells": cells, "networks": len(where), "roles": roles})
    rows.sort(key=lambda r: (-r["networks"], -r["roles"], natural(r["name"])))
    return {"networks": [label(n) for n in networks], "rows": rows[:LISTED_MOST],
            "summary": table_words(rows, len(networks)), "more": more_words(len(rows))}  # fmt: skip


def more_words(total: int, shown: int = LISTED_MOST) -> str | None:
    """What a table cut at ``shown`` rows leaves out, and where the rest are."""
    if total <= shown:
        return None
    more = total - shown
    return MORE_WORDS.format(
        more=f"{more:,}",
        people="person" if more == 1 else "people",
        verb="is" if more == 1 else "are",
    )


def roles_held(
    context: ReportContext, networks: list[str], field: str = "key_connectors"
) -> dict[str, dict[str, list[str]]]:
    """Person -> network -> the roles they hold there (only where they hold one); with
    ``field="key_connectors_borderline"``, the roles they hold only borderline."""
    held: dict[str, dict[str, list[str]]] = {}
    for network in networks:
        stored = context.result["networks"][network].get(field) or {}
        for role in ROLES:
            for key in stored.get(role, []):
                held.setdefault(str(key), {}).setdefault(network, []).append(role)
    return held


def _cell(roles: list[str], unsure: list[str] | tuple[str, ...] = ()) -> dict[str, str] | None:
    """A role's letter, with "?" where it is held only borderline."""
    if not roles:
        return None
    ordered = [r for r in ROLES if r in roles]
    mark = {r: ("?", " (borderline)") if r in unsure else ("", "") for r in ordered}
    return {"letters": " ".join(LETTERS[r] + mark[r][0] for r in ordered),
            "words": ", ".join(label(r).lower() + mark[r][1] for r in ordered)}  # fmt: skip


def table_words(rows: list[dict], networks: int) -> str:
    if not rows:
        return "No one holds a key connector role in any network."
    everywhere = sum(1 for r in rows if r["networks"] == networks)
    once = sum(1 for r in rows if r["networks"] == 1)
    text = (
        f"{count(len(rows), 'person', 'people').capitalize()} hold a role in at least one network"
    )
    if networks > 1:
        text += (
            f"; {count(everywhere, 'person', 'people')} in all {count(networks, 'network')}, "
            f"{count(once, 'person', 'people')} in only one"
        )
    return text + "."


# --- the core group -------------------------------------------------------------------------


def core_group(
    context: ReportContext, networks: list[str], people: People
) -> dict[str, Any] | None:
    """Who is in the core group, how closed it is, and whether it looks like a clique."""
    core = context.result.get("core_group")
    if core is None:
        return None
    members = [str(k) for k in core.get("members", [])]
    held = roles_held(context, networks)
    rows = [{**people(k), "networks": len(held.get(k, {}))} for k in members]
    rows.sort(key=lambda r: (-r["networks"], natural(r["name"])))
    rules = context.result.get("finding_rules") or {}
    return {
        "members": rows,
        "definition": (
            f"The core group is everyone who holds a key connector role in more than half of "
            f"the {count(len(networks), 'network')} (any role, in at least "
            f"{len(networks) // 2 + 1} of them)."
        ),
        "size": closure_size(core, len(members)),
        "meaning": core_meaning(context, len(members), rules),
        "overlap": overlap_words(core.get("overlap") or []),
        "map": core_map(context, members),
        "cite": cite(CORE_SEED),
    }


def core_map(context: ReportContext, members: list[str]) -> dict[str, Any] | None:
    """The core group brought forward on the map of the study's focus network (innovation by
    default): a person keeps one place in every map, and one network draws far faster than all
    seven together."""
    focus = (context.result.get("finding_rules") or {}).get("focus_network") or "innovation"
    network = focus if focus in context.networks else (context.networks or [None])[0]
    if not members or network is None:
        return None
    caption = (
        f"The core group on the map of the {label(network).lower()} network, in the sector "
        "template: its members are drawn in full, everyone else is faded."
    )
    try:
        image = context.map_image(network, highlight=members, caption=caption)
    except PlacelabError:  # an old result without a stored layout draws no map
        return None
    return {**image, "caption": caption}


def closure_size(core: dict, size: int) -> list[str]:
    """How closed the core is, in the analysis page's words (:func:`words.closure_words`), and
    how much likelier a tie is inside it than across its edge."""
    if size < 2:
        return []
    sentences = closure_words(core)
    ratio = (core.get("closure") or {}).get("closure_ratio")
    if ratio is not None:
        sentences.insert(
            2 if len(sentences) > 1 else 1,
            f"A tie between two of them is {ratio:.1f} times as likely as one between one of "
            "them and someone outside the group.",
        )
    return sentences


def core_meaning(context: ReportContext, size: int, rules: dict) -> dict[str, Any]:
    """The study's own rule for a dominant core (the "dominant-core" finding), in words."""
    found = next(
        (f for f in context.result.get("findings", []) if f.get("id") == "dominant-core"), None
    )
    shown: dict[str, Any] = {"severity": None, "title": "", "questions": []}
    if size == 0:
        text = (
            "No one is a key connector in more than half the networks: there is no core group, "
            "and no one clique holds every network."
        )
    elif size < int(rules.get("core_min_size", 3)):
        text = (
            f"A core of {count(size, 'person', 'people')} is too few to be a group that could "
            "shut others out; it does show how much of every network rests on very few people."
        )
    elif found:
        shown.update(
            severity=found.get("severity", "medium"),
            title=found.get("title", ""),
            questions=found.get("questions", []),
        )
        text = (
            "A small group is named by many and mostly names itself. That helps get things "
            "done, and risks a clique that filters or blocks ideas from outside it."
        )
    else:
        text = (
            "This core does not look like a closed clique by the study's rule (one is a group "
            f"of at most {rules.get('core_max_share', 0.2):.0%} of people, named in at least "
            f"{rules.get('core_min_inward', 0.3):.0%} of everyone else's nominations, with at "
            f"most {rules.get('core_max_outward', 0.5):.0%} of its own reaching outside). It "
            "still holds much of the place's know-how: ask who would carry it if its members "
            "moved on."
        )
    return {**shown, "text": text}


def overlap_words(overlap: list[dict]) -> str | None:
    """How far the networks' key connectors are the same people (Jaccard overlap)."""
    pairs = [p for p in overlap if p.get("jaccard") is not None]
    if not pairs:
        return None
    mean = sum(p["jaccard"] for p in pairs) / len(pairs)
    most = max(pairs, key=lambda p: p["jaccard"])
    least = min(pairs, key=lambda p: p["jaccard"])
    text = (
        "How far the networks' key connectors are the same people: taking any two networks, "
        f"on average {mean:.0%} of the people who hold a role in either hold one in both. "
        f"Most alike: {label(most['network_a'])} and "
        f"{label(most['network_b'])} ({most['jaccard']:.0%})"
    )
    if least is not most:
        text += (
            f"; least alike: {label(least['network_a'])} and {label(least['network_b'])} "
            f"({least['jaccard']:.0%})"
        )
    return text + "."


# --- social capital -------------------------------------------------------------------------


def social_capital(context: ReportContext, people: People) -> dict[str, Any]:
    """The social capital lists (Appendix C 2.4), named in the full report, counted otherwise."""
    stored = context.result.get("social_capital")
    if not stored:
        return {"missing": "This analysis was made before placelab drew up these lists. Run the "
                "analysis again to see them.", "categories": [], "cite": cite(SOCIAL_SEED),
                "named": not context.pseudonymised, "counted": ""}  # fmt: skip
    categories = [
        _category(context, people, key, category)
        for key, category in (stored.get("categories") or {}).items()
    ]
    return {
        "missing": None, "categories": categories, "cite": cite(SOCIAL_SEED),
        "named": not context.pseudonymised,
        "counted": "These lists rest on who named whom and on details (seniority, years in post) "
        "that this version does not show, so it gives only how many people each holds; their "
        "names appear only in the full report.",
    }  # fmt: skip


def _category(context: ReportContext, people: People, key: str, category: dict) -> dict[str, Any]:
    listed = category.get("people")
    total = len(listed) if listed is not None else int(category.get("count") or 0)
    named = listed is not None and not context.pseudonymised
    size = f"{count(total, 'person', 'people').capitalize()}."
    if total and not named:
        size = size[:-1] + ". Their names appear only in the full report."
    if not total:
        size = category.get("unavailable") or "No one meets this rule in this study."
    links = LINKS.get(key)
    rows, cut = [], False
    for entry in (listed or [])[:LISTED_MOST] if named else []:
        cut = cut or len(entry.get(links or "", [])) > LINKED_MOST
        linked = [context.name(str(k)) for k in entry.get(links or "", [])]
        rows.append({**people(str(entry["id"])), "because": entry.get("because", ""),
                     "linked": linked_words(linked)})  # fmt: skip
    return {
        "key": key, "title": category.get("title") or label(key), "rule": category.get("rule", ""),
        "cite": cite(category.get("seed")), "count": total, "size": size, "people": rows,
        "caption": f"{category.get('title') or label(key)}: {count(total, 'person', 'people')}",
        "links": label(links) if links else None,
        "links_note": LINKS_NOTE.get(key) if cut else None,
        "note": category.get("note"), "more": more_words(total) if named else None,
    }  # fmt: skip


def linked_words(names: list[str], most: int = LINKED_MOST) -> str:
    """'A, B and C'; past ``most`` names, the first of them and how many more."""
    if len(names) > most:
        return f"{', '.join(names[:most])} and {len(names) - most:,} more"
    if len(names) > 1:
        return f"{', '.join(names[:-1])} and {names[-1]}"
    return names[0] if names else ""
