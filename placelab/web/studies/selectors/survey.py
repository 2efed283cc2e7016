"""What the respondent's survey reads: the invitation behind a token, its pages, roster and answers.

The token is the only key a respondent holds, so every read here starts from the invitation it
opens and never reaches past that invitation's study.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from placelab.core.toolkit.bank import ItemBank, load_bank
from placelab.core.toolkit.planned import planned_items
from placelab.web.studies.models import (
    Invitation,
    Membership,
    Response,
    Study,
    Wave,
)
from placelab.web.studies.selectors.survey_people import named_people, roster_people

CONSENT, ABOUT, NETWORK, PEOPLE, GRID, ASSESSMENT, REVIEW, THANKS = (
    "consent", "about", "network", "people", "grid", "assessment", "review", "thanks",
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
    def asks_a_share(self) -> bool:
        """True when this respondent is asked only some of the statements (planned missingness)."""
        return len(self.bank.items) < len(survey_bank(study=self.study).items)

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
    """The pages in order: consent, about, the networks, one per item group, review, thanks.

    The networks are asked as the study chose: everyone named once then a grid of the networks
    (two pages), or one page per network.
    """
    networks = [
        # A study-defined name that cannot sit in a URL is addressed by its position instead.
        Step(f"network-{key if SLUG.match(key) else n}", NETWORK, key,
             f"{network_label(key)} network")
        for n, key in enumerate(study.networks, start=1)
    ]  # fmt: skip
    if study.survey_layout == Study.GRID:
        networks = [
            Step(PEOPLE, PEOPLE, title="People you deal with"),
            Step(GRID, GRID, title="How you work with each of them"),
        ]
    groups = assessment_pages(bank)
    return (
        Step(CONSENT, CONSENT, title="About this survey"),
        Step(ABOUT, ABOUT, title="About you"),
        *networks,
        *groups,
        Step(REVIEW, REVIEW, title="Check your answers"),
        Step(THANKS, THANKS, title="Thank you"),
    )


# Statements on one page at most, unless one group alone has more: whole groups share a page up
# to this, so the short form's 20 or so take two pages and each full group keeps its own.
PAGE_STATEMENTS = 12
# Groups joined in a page's key: a group id never holds it.
JOINED = "+"


def assessment_pages(bank: ItemBank) -> list[Step]:
    """The self-assessment's pages: consecutive item groups packed whole, in the bank's order."""
    pages: list[tuple[list[str], int]] = []
    for group in bank.groups:
        size = len(group_items(bank, group.id))
        if pages and pages[-1][1] + size <= PAGE_STATEMENTS:
            pages[-1][0].append(group.id)
            pages[-1] = (pages[-1][0], pages[-1][1] + size)
        else:
            pages.append(([group.id], size))
    titles = {g.id: g.title for g in bank.groups}
    return [
        Step(f"assessment-{ids[0]}", ASSESSMENT, JOINED.join(ids),
             titles[ids[0]] if len(ids) == 1 else "A few more statements")
        for ids, _size in pages
    ]  # fmt: skip


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
    response = Response.objects.filter(invitation=invitation).first()
    bank = survey_bank(study=invitation.wave.study)
    # Only the statements drawn for this respondent; a group left with none is no page.
    bank = bank.asking(asked_items(invitation=invitation, response=response, bank=bank))
    return Survey(
        invitation=invitation,
        response=response,
        bank=bank,
        steps=survey_steps(study=invitation.wave.study, bank=bank),
    )


def asked_items(
    *, invitation: Invitation, response: Response | None, bank: ItemBank
) -> tuple[str, ...]:
    """The statements this respondent is asked: recorded on their response when it began, else
    drawn now from the invitation's token, which gives the same draw the response will record.

    A response with none recorded (begun before the study asked a share, or asking every
    statement) is asked every statement of the bank.
    """
    if response is not None:
        return tuple(response.asked_items) or bank.item_ids
    return planned_items(bank, invitation.wave.study.assessment_statements, seed=invitation.token)


def asked_items_draw(*, invitation: Invitation) -> list[str]:
    """What a new response records: [] when the study asks every statement (the default)."""
    study = invitation.wave.study
    if study.assessment_statements is None:
        return []
    bank = survey_bank(study=study)
    return list(planned_items(bank, study.assessment_statements, seed=invitation.token))


def survey_readers(*, study: Study) -> list[str]:
    """Who sees respondents' names: the owner and the analysts the owner chose."""
    analysts = study.memberships.filter(role=Membership.ANALYST).select_related("user")
    people = [study.owner, *(m.user for m in analysts)]
    return [person.get_full_name() or person.get_username() for person in people]


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
    """The items of one item group, or of a page's groups joined by ``JOINED``, in bank order."""
    groups = set(group.split(JOINED))
    scales = {s.id for s in bank.scales if s.group in groups}
    return [item for item in bank.items if item.scale in scales]


def review_sections(*, survey: Survey) -> list[dict]:
    """What the review page lists: each page with a short account of what was answered."""
    response = survey.response
    # One query for every network and one for every answer, not one per page.
    named = all_network_picks(
        response=response, networks=[s.key for s in survey.steps if s.kind == NETWORK]
    )
    picked = {pk for picks, _outsiders in named.values() for pk in picks}
    names = {p["id"]: p["name"] for p in roster_people(invitation=survey.invitation, ids=picked)}
    everyone = (
        named_people(response=response, networks=survey.study.networks)
        if any(s.kind == PEOPLE for s in survey.steps)
        else []
    )
    answers = set(response.answers.values_list("item", flat=True)) if response else set()
    sections = []
    for step in survey.steps:
        if step.kind == NETWORK:
            picks, outsiders = named[step.key]
            people = [(names.get(pk, "?"), _often(f)) for pk, f in picks.items()]
            people += [(name, _often(f)) for name, f in outsiders]
            sections.append({"step": step, "people": people})
        elif step.kind == PEOPLE:
            people = [(p.name, _often(p.frequency)) for p in everyone]
            sections.append({"step": step, "people": people})
        elif step.kind == GRID:
            ticked = [(p.name, [network_label(n) for n in p.networks]) for p in everyone]
            sections.append({"step": step, "ticked": ticked})
        elif step.kind == ASSESSMENT:
            items = [i.id for i in group_items(survey.bank, step.key)]
            answered = len(answers.intersection(items))
            sections.append({"step": step, "answered": answered, "asked": len(items)})
        elif step.kind == ABOUT:
            sections.append({"step": step, "about": about_summary(survey)})
    return sections


# How long a page takes, to say "About 6 minutes left": seconds for the page itself (reading,
# choosing), plus per person named and per statement. Eight seconds a statement is what an
# agreement item with six answers takes to read and tick on a phone; finding a person in the
# type-ahead and saying how often, fifteen; a grid's tick box, two. Before anyone is named the
# estimate counts five people (the target respondent), three on a page per network.
PAGE_SECONDS = {CONSENT: 60, ABOUT: 40, PEOPLE: 20, GRID: 30, NETWORK: 20, ASSESSMENT: 10,
                REVIEW: 30, THANKS: 0}  # fmt: skip
PERSON_SECONDS = {PEOPLE: 15, NETWORK: 12}
CELL_SECONDS = 2
STATEMENT_SECONDS = 8
EXPECTED_PEOPLE, EXPECTED_PER_NETWORK = 5, 3


def time_left(*, survey: Survey, step: Step) -> tuple[int, int]:
    """(seconds from the start of ``step`` to the end, seconds for the whole survey)."""
    named = _people_count(survey.response) or EXPECTED_PEOPLE
    seconds = [_seconds(survey, s, named) for s in survey.steps]
    return sum(seconds[survey.steps.index(step) :]), sum(seconds)


def _seconds(survey: Survey, step: Step, named: int) -> int:
    seconds = PAGE_SECONDS.get(step.kind, 30)
    if step.kind == PEOPLE:
        seconds += PERSON_SECONDS[PEOPLE] * named
    elif step.kind == GRID:
        seconds += CELL_SECONDS * named * len(survey.study.networks)
    elif step.kind == NETWORK:
        seconds += PERSON_SECONDS[NETWORK] * EXPECTED_PER_NETWORK
    elif step.kind == ASSESSMENT:
        seconds += STATEMENT_SECONDS * len(group_items(survey.bank, step.key))
    return seconds


def _people_count(response: Response | None) -> int:
    if response is None:
        return 0
    return response.nominations.values_list("alter_id", "outsider").distinct().count()


def network_label(key: str) -> str:
    """A network's short name, as a grid's column says it: "Work", "Innovation"."""
    return key.replace("_", " ").capitalize()


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
