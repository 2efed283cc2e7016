"""The report's section "If key people leave": what happens to each network when its leading key
connectors leave (Borgatti 2006's key player problem; NESTA / Young Foundation 2008, Appendix C
4.3.4 and 4.4 on the turnover of the people a place's innovation rests on).

The figures are the core's (``result["networks"][n]["fragility"]``: the share of people in the
largest connected group and Borgatti's fragmentation after the first k of the ranked key
connectors leave, and the single leaver who would fragment the network most). This module puts
them in words, names the leavers as the variant names people, and draws the map with them
brought forward.
"""

from __future__ import annotations

import math
from typing import Any

from placelab.core.networks.findings import seed
from placelab.core.networks.parameters import TOP_SHARE
from placelab.core.vocabulary import ALL, label
from placelab.report.model import ReportContext, Section, cite
from placelab.report.words import NUMBER_WORDS, share_in_words

TITLE = "If key people leave"
# Up to this many people the leavers get a map of their own; above it each network keeps to one
# map, the one in "The networks" (a 1,000-person map takes seconds to lay out in the PDF).
OWN_MAP_UP_TO = 500
TURNOVER_SEED = seed("Appendix C 4.3.4 and 4.4", 11518, 11575, "turnover of elected members")


def build(context: ReportContext) -> Section:
    networks = [n for n in context.networks if _fragility(context, n)]
    data: dict[str, Any] = {"intro": _intro(context), "cite": cite(TURNOVER_SEED)}
    if not networks:
        data["empty"] = "This result holds no figures for people leaving."
        return Section(id="fragility", title=TITLE, template="sections/fragility.html", data=data)
    focus = _focus(context, networks)
    rows = [departure(context, n) for n in [*networks, *_all(context)]]
    data.update(
        focus=departure(context, focus, with_map=True),
        table=rows,
        measures=_measures(),
    )
    return Section(id="fragility", title=TITLE, template="sections/fragility.html", data=data)


def _fragility(context: ReportContext, network: str) -> dict | None:
    return (context.result["networks"].get(network) or {}).get("fragility")


def _focus(context: ReportContext, networks: list[str]) -> str:
    """The network the findings read first (``focus_network``, innovation by default)."""
    wanted = (context.result.get("finding_rules") or {}).get("focus_network", "innovation")
    return wanted if wanted in networks else networks[0]


def _all(context: ReportContext) -> list[str]:
    return [ALL] if _fragility(context, ALL) else []


def _intro(context: ReportContext) -> list[str]:
    return [
        "A place's capacity to innovate often rests on a few well-connected people, and people "
        "change jobs. This section asks what would happen to each network if its leading key "
        "connectors left: those holding most of the key connector roles (hub, gatekeeper, "
        "pulsetaker) in that network, then those with the highest scores. It follows Borgatti's "
        "key player method (Borgatti 2006).",
        "It reads ties both ways, whoever named whom, and looks at who could still reach whom "
        "through any chain of ties.",
    ]


def _measures() -> list[dict[str, str]]:
    return [
        {
            "term": "Main connected group",
            "text": "the largest set of people who can all reach each other through ties.",
        },
        {
            "term": "Fragmentation",
            "text": "the share of all pairs of people who cannot reach each other through any "
            "chain of ties (Borgatti 2006): 0% when everyone is connected, 100% when no one is.",
        },
    ]


# -- one network ----------------------------------------------------------------------------


def departure(context: ReportContext, network: str, *, with_map: bool = False) -> dict[str, Any]:
    """What the leading key connectors' leaving does to ``network``, in words and numbers."""
    figures = context.result["networks"][network]
    steps = figures["fragility"]["departures"]
    first, last = steps[0], steps[-1]
    people = int(figures["people"])
    leavers = [str(p) for p in last.get("who") or []]
    k = len(leavers)
    before = round(first["reach"] * people)
    after = round(last["reach"] * (people - k))
    leaving_inside = _inside(context, network, leavers)
    others = before - leaving_inside
    # A "main group" of one person is no group: everyone left is then cut off.
    cut_off = others if after <= 1 else max(0, others - after)
    out: dict[str, Any] = {
        "key": network,
        "label": label(network),
        "people": people,
        "leavers": [_person(context, network, p) for p in leavers],
        "count": k,
        "reach_before": first["reach"],
        "reach_after": last["reach"],
        "main_before": before,
        "main_after": after,
        "others": others,
        "cut_off": cut_off,
        "cut_off_share": cut_off / others if others else None,
        "fragmentation_before": first["fragmentation"],
        "fragmentation_after": last["fragmentation"],
        "headline": _headline(k, cut_off, others, figures["ties"]),
        "sentences": _sentences(first, last, k, people),
        "worst": _worst(context, network, figures["fragility"].get("worst_departure"), leavers),
        "small": _small(context, people, k),
        "fewer": _fewer(context, k, figures["ties"]),
    }
    if with_map and k and people > OWN_MAP_UP_TO:
        out["map_note"] = (
            f"At {people:,} people the report draws one map for each network: the people who "
            f"would leave are among the key connectors marked on the map of the "
            f"{label(network).lower()} network in “The networks”."
        )
    elif with_map and k:
        out["map"] = context.map_image(
            network,
            caption=f"Map of the {label(network).lower()} network with the {_count(k)} "
            f"{'person' if k == 1 else 'people'} who would leave brought forward",
            highlight=leavers,
        )
    return out


def _inside(context: ReportContext, network: str, leavers: list[str]) -> int:
    """How many leavers are in the main connected group now: their information centrality is
    computed there and is 0 elsewhere (result["method"]["key_connectors"]); without it, all."""
    by_id = _people(context)
    scores = [
        ((by_id.get(p) or {}).get("networks", {}).get(network) or {}).get("information")
        for p in leavers
    ]
    if any(score is None for score in scores):
        return len(leavers)
    return sum(1 for score in scores if score and score > 0)


def _people(context: ReportContext) -> dict[str, dict]:
    return {str(p["id"]): p for p in context.result.get("people", [])}


def _person(context: ReportContext, network: str, person: str) -> dict[str, str]:
    record = _people(context).get(person) or {}
    roles = ((record.get("networks") or {}).get(network) or {}).get("roles") or []
    organisation = "" if context.pseudonymised else str(record.get("organisation") or "")
    return {
        "name": context.name(person),
        "organisation": organisation,
        "roles": ", ".join(label(r).lower() for r in roles),
    }


def _headline(k: int, cut_off: int, others: int, ties: int) -> str:
    if not ties:
        return "No one named anyone in this network, so there is nothing for leavers to break."
    if not k:
        return "This network has no key connectors, so no one was taken out."
    who = "this person" if k == 1 else f"these {_count(k)} people"
    if not cut_off:
        return (
            f"If {who} left, everyone else in the main connected group would still be connected: "
            "the network does not hang on them alone."
        )
    if cut_off / others < 0.095:  # "fewer than one in ten" says less than the count
        amount = f"{_count(cut_off)} of the {others:,} others"
        return f"If {who} left, {amount} now in the main connected group would lose their route to the rest."
    return (
        f"If {who} left, {share_in_words(cut_off, others)} of the others now in the main "
        f"connected group would lose their route to the rest ({cut_off:,} of {others:,} people)."
    )


def _sentences(first: dict, last: dict, k: int, people: int) -> list[str]:
    if not k:
        return []
    return [
        f"Today {_percent(first['reach'])} of the {people:,} people are in the main connected "
        f"group; after {'the departure' if k == 1 else 'the departures'}, "
        f"{_percent(last['reach'])} of the {people - k:,} who remain would be.",
        f"Fragmentation {_change(first['fragmentation'], last['fragmentation'])}.",
    ]


def _change(before: float, after: float) -> str:
    """'would go from 23% to 26%, 3 points more', in the points the two figures print."""
    points = round(after * 100) - round(before * 100)
    if points == 0:
        return f"would stay at {_percent(before)}"
    more = "more" if points > 0 else "fewer"
    return (
        f"would go from {_percent(before)} to {_percent(after)}, "
        f"{abs(points)} point{'s' if abs(points) != 1 else ''} {more}"
    )


def _worst(
    context: ReportContext, network: str, worst: dict | None, leavers: list[str]
) -> dict[str, Any] | None:
    """The key connector whose leaving alone would fragment the network most (Borgatti's
    KPP-Neg for one player, among the first key connectors)."""
    if not worst:
        return None
    person = _person(context, network, str(worst["id"]))
    aside = ""
    if str(worst["id"]) not in leavers:
        aside = (
            ", who is not the person above"
            if len(leavers) == 1
            else f", who is not among the {_count(len(leavers))} above"
        )
    before, after = worst["fragmentation_before"], worst["fragmentation"]
    return {
        **person,
        "before": before,
        "after": after,
        "text": (
            f"Of the key connectors, the one whose leaving alone would split this network most "
            f"is {person['name']}{aside}: fragmentation {_change(before, after)}."
        ),
    }


def _small(context: ReportContext, people: int, k: int) -> str:
    """Say when the network is too small for a top share to mean anything (top 5 per cent of 12
    people is less than one person: the method still takes one)."""
    share = float((context.result.get("parameters") or {}).get("top_share", TOP_SHARE))
    if people * share >= 1:
        return ""
    return (
        f"This network is too small for the method: the top {share:.0%} of {people:,} people is "
        f"less than one person, so the key connectors are simply the best connected few, and "
        "with so few people each departure moves the figures a lot. Read this as a prompt for "
        "conversation, not a measurement."
    )


def _fewer(context: ReportContext, k: int, ties: int) -> str:
    """Say when fewer people leave than the method takes (the network has fewer key connectors)."""
    most = int((context.result.get("parameters") or {}).get("departures", 5))
    if not ties or not k or k >= most:
        return ""
    return (
        f"The method takes up to {_count(most)} leavers; this network has only {_count(k)} key "
        f"connector{'s' if k != 1 else ''}, so only {'they leave' if k != 1 else 'one leaves'}."
    )


def _count(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def _percent(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.0%}"
