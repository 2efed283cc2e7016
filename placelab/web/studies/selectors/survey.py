"""What the respondent's survey reads: the invitation behind a token, its pages, roster and answers.

The token is the only key a respondent holds, so every read here starts from the invitation it
opens and never reaches past that invitation's study.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from placelab.core.toolkit.bank import ItemBank, load_bank
from placelab.web.studies.models import (
    Invitation,
    Membership,
    Participant,
    Response,
    Study,
    Wave,
)

CONSENT, ABOUT, NETWORK, ASSESSMENT, REVIEW, THANKS = (
    "consent", "about", "network", "assessment", "review", "thanks",
)  # fmt: skip
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
# How often in touch: the stored number and what the respondent reads.
FREQUENCIES: dict[int, str] = {
    5: "Daily",
    4: "Weekly",
    3: "Monthly",
    2: "A few times a year",
    1: "Yearly",
}


@dataclass(frozen=True)
class Step:
    """One page of the survey: ``key`` is the network or the item group it asks about."""

    slug: str
    kind: str
    key: str = ""
    title: str = ""


@dataclass(frozen=True)
class Survey:
    """One invitation's survey as it stands: its pages in order and the response so far."""

    invitation: Invitation
    response: Response | None
    bank: ItemBank
    steps: tuple[Step, ...]

    @property
    def study(self) -> Study:
        return self.invitation.wave.study

    @property
    def wave(self) -> Wave:
        return self.invitation.wave

    @property
    def consented(self) -> bool:
        return self.response is not None and self.response.consented is not None

    @property
    def submitted(self) -> bool:
        return self.response is not None and self.response.submitted is not None

    @property
    def total(self) -> int:
        """Pages counted in "Page 3 of 14": every page but the thanks."""
        return len(self.steps) - 1

    def step(self, slug: str) -> Step | None:
        return next((s for s in self.steps if s.slug == slug), None)

    def number(self, step: Step) -> int:
        return self.steps.index(step) + 1

    def after(self, step: Step) -> Step:
        return self.steps[min(self.steps.index(step) + 1, len(self.steps) - 1)]

    def before(self, step: Step) -> Step:
        return self.steps[max(self.steps.index(step) - 1, 0)]

    @property
    def resume(self) -> str:
        """Where the same link takes the respondent back to: the furthest page they reached."""
        if not self.consented:
            return CONSENT
        reached = self.response.page if self.response else ""
        return reached if self.step(reached) else REVIEW


@cache
def shipped_bank(version: str) -> ItemBank:
    # Each bank is a frozen dataclass read from a file that ships with the code: read it once.
    return load_bank(version)


def survey_bank(*, study: Study) -> ItemBank:
    """The item bank as this study asks it: its own version, groups it switched off left out."""
    bank = shipped_bank(study.item_bank)
    known = {g.id for g in bank.groups}
    return bank.without_groups([g for g in study.excluded_groups if g in known])


def survey_steps(*, study: Study, bank: ItemBank) -> tuple[Step, ...]:
    """The pages in order: consent, about, one per network, one per item group, review, thanks."""
    networks = [
        # A study-defined name that cannot sit in a URL is addressed by its position instead.
        Step(f"network-{key if SLUG.match(key) else n}", NETWORK, key,
             f"{key.replace('_', ' ').capitalize()} network")
        for n, key in enumerate(study.networks, start=1)
    ]  # fmt: skip
    groups = [Step(f"assessment-{g.id}", ASSESSMENT, g.id, g.title) for g in bank.groups]
    return (
        Step(CONSENT, CONSENT, title="About this survey"),
        Step(ABOUT, ABOUT, title="About you"),
        *networks,
        *groups,
        Step(REVIEW, REVIEW, title="Check your answers"),
        Step(THANKS, THANKS, title="Thank you"),
    )


def survey_order(*, study: Study) -> tuple[str, ...]:
    """The page slugs in order, to tell which of two pages is further on."""
    return tuple(s.slug for s in survey_steps(study=study, bank=survey_bank(study=study)))


def invitation_by_token(*, token: str) -> Invitation | None:
    """The active invitation a token opens; None for an unknown or revoked token alike."""
    return (
        Invitation.objects.active()
        .select_related("wave__study", "participant")
        .filter(token=token)
        .first()
    )


def survey_get(*, invitation: Invitation) -> Survey:
    bank = survey_bank(study=invitation.wave.study)
    return Survey(
        invitation=invitation,
        response=Response.objects.filter(invitation=invitation).first(),
        bank=bank,
        steps=survey_steps(study=invitation.wave.study, bank=bank),
    )


def survey_readers(*, study: Study) -> list[str]:
    """Who sees respondents' names: the owner and the analysts the owner chose."""
    analysts = study.memberships.filter(role=Membership.ANALYST).select_related("user")
    people = [study.owner, *(m.user for m in analysts)]
    return [person.get_full_name() or person.get_username() for person in people]


def roster_get(*, invitation: Invitation) -> list[dict]:
    """The people a respondent may name: the study's roster without themselves.

    Plain data (id, name, organisation) for the type-ahead, embedded with ``json_script``.
    """
    # Plain rows, not model instances: every network page reads the whole roster.
    people = (
        Participant.objects.current()
        .filter(study_id=invitation.wave.study_id)
        .exclude(pk=invitation.participant_id)
        .order_by("name", "key")
        .values_list("pk", "name", "key", "organisation__name")
    )
    return [
        {"id": pk, "name": name or key, "organisation": organisation or ""}
        for pk, name, key, organisation in people
    ]


def roster_search(roster: list[dict], query: str) -> list[dict]:
    """People whose name or organisation holds every word of ``query`` (any case, any accent).

    picker.js applies the same rule in the browser.
    """
    words = _fold(query).split()
    return [p for p in roster if all(w in _fold(f"{p['name']} {p['organisation']}") for w in words)]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def network_picks(*, response: Response | None, network: str) -> tuple[dict[int, str], list]:
    """Who the respondent named in ``network``: {participant id: frequency} and the outsiders."""
    return all_network_picks(response=response, networks=[network])[network]


def all_network_picks(
    *, response: Response | None, networks: list[str]
) -> dict[str, tuple[dict[int, str], list]]:
    """``network_picks`` for several networks in one query: {network: (picks, outsiders)}."""
    found: dict[str, tuple[dict[int, str], list]] = {n: ({}, []) for n in networks}
    if response is None:
        return found
    rows = (
        response.nominations.filter(network__in=networks)
        .order_by("pk")
        .values_list("network", "alter_id", "outsider", "frequency")
    )
    for network, alter_id, outsider, frequency in rows:
        picks, outsiders = found[network]
        said = "" if frequency is None else str(frequency)
        if alter_id is not None:
            picks[alter_id] = said
        else:
            outsiders.append((outsider, said))
    return found


def assessment_values(*, response: Response | None, items: list[str]) -> dict[str, str]:
    if response is None:
        return {}
    return dict(response.answers.filter(item__in=items).values_list("item", "value"))


def group_items(bank: ItemBank, group: str) -> list:
    """The items of one item group, in the bank's order."""
    scales = {s.id for s in bank.scales if s.group == group}
    return [item for item in bank.items if item.scale in scales]


def review_sections(*, survey: Survey) -> list[dict]:
    """What the review page lists: each page with a short account of what was answered."""
    response = survey.response
    names = {p["id"]: p["name"] for p in roster_get(invitation=survey.invitation)}
    # One query for every network and one for every answer, not one per page.
    named = all_network_picks(
        response=response, networks=[s.key for s in survey.steps if s.kind == NETWORK]
    )
    answers = set(response.answers.values_list("item", flat=True)) if response else set()
    sections = []
    for step in survey.steps:
        if step.kind == NETWORK:
            picks, outsiders = named[step.key]
            people = [(names.get(pk, "?"), _often(f)) for pk, f in picks.items()]
            people += [(name, _often(f)) for name, f in outsiders]
            sections.append({"step": step, "people": people})
        elif step.kind == ASSESSMENT:
            items = [i.id for i in group_items(survey.bank, step.key)]
            answered = len(answers.intersection(items))
            sections.append({"step": step, "answered": answered, "asked": len(items)})
        elif step.kind == ABOUT:
            sections.append({"step": step, "about": about_summary(survey)})
    return sections


def about_summary(survey: Survey) -> list[tuple[str, str]]:
    about = survey.response.about if survey.response else {}
    rows = [
        ("Organisation", about.get("organisation", "")),
        ("Role", str(about.get("seniority", "")).capitalize()),
    ]
    attributes = about.get("attributes", {})
    for attribute in survey.study.attributes:
        rows.append((attribute.get("label", ""), attributes.get(attribute.get("key"), "")))
    return rows


def _often(frequency: str) -> str:
    return FREQUENCIES.get(int(frequency), "") if frequency else ""
