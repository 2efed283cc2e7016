"""The database side of ``bench.load``: a fresh database, the study, the plans, and the check
that every acknowledged answer is stored exactly once.

Django is imported inside the functions: ``bench.load`` sets the environment first.
"""

from __future__ import annotations

import random
from collections import Counter
from urllib.parse import urlsplit

from bench.load_walk import Page, Plan

ANSWERS = ("1", "2", "3", "4", "5", "dk")


def prepare_database(url: str) -> None:
    """Drop ``url``'s database if it is there and create it empty."""
    drop_database(url, create=True)


def drop_database(url: str, create: bool = False) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def make_study(people: int, seed: int):
    """An open wave of a study of ``people`` (the demo's generator, put on the roster through
    the owner's import), everyone invited. Returns the wave and {page slug: page kind}."""
    from django.contrib.auth import get_user_model

    from placelab.core.demo import generate_locality
    from placelab.web.studies.management.commands.load_demo import roster
    from placelab.web.studies.models import Invitation, Study, Wave
    from placelab.web.studies.selectors.survey import survey_bank, survey_steps

    owner = get_user_model().objects.create_user(username="load-owner", email="o@example.org")
    study = Study.objects.create(
        locality="Loadborough", field="Secondary education", owner=owner,
        description="A synthetic locality for the load benchmark.",
    )  # fmt: skip
    wave = Wave.objects.create(study=study, number=1, status=Wave.OPEN, title="Load")
    frame, _ties = generate_locality(people=people, seed=seed + 1)
    on_roster = roster(study, frame.set_index("id"))
    Invitation.objects.bulk_create(Invitation(wave=wave, participant=p) for p in on_roster.values())
    steps = survey_steps(study=study, bank=survey_bank(study=study))
    return wave, {s.slug: s.kind for s in steps}


def make_plans(wave, respondents: int, doubles: int, seed: int) -> list[Plan]:
    """What each of the first ``respondents`` invited people answers, drawn at random."""
    from placelab.web.studies.selectors.survey import group_items, survey_bank, survey_steps

    study = wave.study
    bank = survey_bank(study=study)
    steps = survey_steps(study=study, bank=bank)
    items = {
        s.key: [i.id for i in group_items(bank, s.key)] for s in steps if s.kind == "assessment"
    }
    invitations = list(wave.invitations.select_related("participant").order_by("participant__key"))
    everyone = [i.participant_id for i in invitations]
    plans = []
    for number, invitation in enumerate(invitations[:respondents]):
        draw = random.Random(seed * 100_003 + number)
        person = invitation.participant
        others = [pk for pk in everyone if pk != person.pk]
        pages, named = [], []
        for s in steps:
            form = (
                _grid_form(named, study.networks, draw)
                if s.kind == "grid"
                else _form(s.kind, s.key, person, others, items, draw)
            )
            named = form if s.kind == "people" else named
            pages.append(Page(s.slug, s.kind, s.key, form))
        plans.append(Plan(number, invitation.token, pages, doubled=number < doubles))
    return plans


def _form(kind: str, key: str, person, others: list[int], items: dict, draw) -> list:
    if kind == "consent":
        return [("agree", "on"), ("action", "next")]
    if kind == "about":
        seniority = person.seniority or ""
        return [("organisation", str(person.organisation_id or "")), ("organisation_other", ""),
                ("seniority", seniority), ("action", "next")]  # fmt: skip
    if kind in ("network", "people"):
        return _network_form(others, draw) + [("action", "next")]
    if kind == "assessment":
        chosen = [(i, draw.choice(ANSWERS)) for i in items[key] if draw.random() < 0.9]
        return [*chosen, ("action", "next")]
    if kind == "review":
        return [("action", "submit")]
    return []


def _network_form(others: list[int], draw) -> list[tuple[str, str]]:
    """A few people from the list (how many people name in a network: 1 to 8) with how often,
    and now and then someone not on it."""
    form = []
    for pk in draw.sample(others, draw.randint(1, 8)):
        form += [("alter", str(pk)), (f"freq-{pk}", draw.choice(["", "1", "2", "3", "4", "5"]))]
    if draw.random() < 0.2:
        form += [("outsider_1", f"Sam Outsider {draw.randint(1, 999)}"), ("outsider_1_freq", "3")]
    return form


def _grid_form(named: list, networks: list[str], draw) -> list[tuple[str, str]]:
    """A tick in each network with a chance of two in five, and at least one, for everyone the
    people page named (so that the grid never stops to ask about someone ticked nowhere)."""
    people = [f"p{v}" for k, v in named if k == "alter"]
    people += [f"o:{v}" for k, v in named if k == "outsider_1"]
    form = []
    for n, who in enumerate(people):
        chosen = [key for key in networks if draw.random() < 0.4] or [draw.choice(networks)]
        form += [(f"row-{n}", who), *((f"row-{n}-net", key) for key in chosen)]
    return form + [("action", "next")]


# --- the check ---------------------------------------------------------------------------------


def check_exactly_once(plans: list[Plan], acknowledged: dict[int, list[str]]) -> dict:
    """Every page whose POST the server acknowledged is stored as posted: each nomination and
    answer once, no more and no fewer; consent, about and submission recorded."""
    from placelab.web.studies.models import Answer, Nomination, Response

    tokens = [plan.token for plan in plans]
    responses = {
        r.invitation.token: r
        for r in Response.objects.filter(invitation__token__in=tokens).select_related("invitation")
    }
    stored_ties: dict[tuple[int, str], Counter] = {}
    for row in Nomination.objects.filter(response__in=responses.values()).values_list(
        "response_id", "network", "alter_id", "outsider", "frequency"
    ):
        stored_ties.setdefault(row[:2], Counter())[row[2:]] += 1
    stored_answers: dict[int, Counter] = {}
    for rid, item, value in Answer.objects.filter(response__in=responses.values()).values_list(
        "response_id", "item", "value"
    ):
        stored_answers.setdefault(rid, Counter())[(item, value)] += 1
    found = {"responses": 0, "nominations": 0, "answers": 0, "submitted": 0, "problems": []}
    for plan in plans:
        slugs = set(acknowledged.get(plan.number, []))
        if slugs:
            found["responses"] += 1
            _check_one(plan, slugs, responses.get(plan.token), stored_ties, stored_answers, found)
    found["ok"] = not found["problems"] and found["responses"] > 0
    return found


def _check_one(plan, slugs, response, stored_ties, stored_answers, found) -> None:
    problems = found["problems"]
    if response is None:
        problems.append(f"respondent {plan.number}: no response stored")
        return
    for page in plan.pages:
        if page.slug not in slugs:
            continue
        fields = [(k, v) for k, v in page.form if k != "action"]
        if page.kind == "consent" and response.consented is None:
            problems.append(f"respondent {plan.number}: consent not stored")
        elif page.kind == "about" and not _about_matches(response.about, dict(fields)):
            problems.append(f"respondent {plan.number}: about you not stored as posted")
        elif page.kind == "people":
            expected = set(_expected_ties(dict(fields), fields))
            stored = {tie for (rid, _n), ties in stored_ties.items() if rid == response.pk
                      for tie in ties}  # fmt: skip
            if stored != expected:
                problems.append(f"respondent {plan.number}: people named not stored as posted")
        elif page.kind == "grid":
            named = next(p for p in plan.pages if p.kind == "people").form
            for network, expected in _expected_grid(named, fields).items():
                stored = stored_ties.get((response.pk, network), Counter())
                found["nominations"] += sum(expected.values())
                if stored != expected:
                    problems.append(
                        f"respondent {plan.number}, {network}: {_diff(expected, stored)}"
                    )
        elif page.kind == "network":
            expected = _expected_ties(dict(fields), fields)
            stored = stored_ties.get((response.pk, page.key), Counter())
            found["nominations"] += sum(expected.values())
            if stored != expected:
                problems.append(f"respondent {plan.number}, {page.key}: {_diff(expected, stored)}")
        elif page.kind == "assessment":
            expected = Counter(fields)
            items = {k for k, _v in fields}
            mine = stored_answers.get(response.pk, Counter())
            stored = Counter({k: n for k, n in mine.items() if k[0] in items})
            found["answers"] += len(fields)
            if stored != expected:
                problems.append(f"respondent {plan.number}, {page.key}: {_diff(expected, stored)}")
        elif page.kind == "review":
            found["submitted"] += 1
            if response.submitted is None:
                problems.append(f"respondent {plan.number}: submission not stored")


def _about_matches(about: dict, posted: dict) -> bool:
    chosen = posted.get("organisation")
    return about.get("organisation_id") == (int(chosen) if chosen else None) and about.get(
        "seniority", ""
    ) == posted.get("seniority", "")


def _expected_ties(posted: dict, fields: list) -> Counter:
    expected = Counter()
    for key, value in fields:
        if key == "alter":
            frequency = posted.get(f"freq-{value}", "")
            expected[(int(value), "", int(frequency) if frequency else None)] += 1
    if posted.get("outsider_1"):
        frequency = posted.get("outsider_1_freq", "")
        expected[(None, posted["outsider_1"], int(frequency) if frequency else None)] += 1
    return expected


def _expected_grid(named: list, fields: list) -> dict[str, Counter]:
    """{network: the ties its ticks make}, each with the frequency the people page said."""
    said = {
        (alter, outsider): often for alter, outsider, often in _expected_ties(dict(named), named)
    }
    rows = dict(fields)
    expected: dict[str, Counter] = {}
    for key, network in fields:
        if key.endswith("-net"):
            who = rows[key.removesuffix("-net")]
            person = (int(who[1:]), "") if who.startswith("p") else (None, who[2:])
            expected.setdefault(network, Counter())[(*person, said[person])] += 1
    return expected


def _diff(expected: Counter, stored: Counter) -> str:
    missing, extra = expected - stored, stored - expected
    return f"{sum(missing.values())} missing, {sum(extra.values())} duplicated or unexpected"
