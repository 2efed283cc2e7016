"""Who is invited to a wave, how far each got, and whom respondents named off the roster."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.urls import reverse

from placelab.web.studies.models import Invitation, Nomination, Participant, Response, Wave

NOT_INVITED = "not invited"
NOT_SENT = "invited, not sent"
SENT = "sent"
REMINDED = "reminded"
STARTED = "started"
SUBMITTED = "submitted"
REVOKED = "revoked"
# People on one page of the invitations and responses lists: a 10,000-person roster is read a
# page at a time, never whole (issue 11).
ROWS_PER_PAGE = 100


def survey_link(token: str) -> str:
    """The private address a participant opens the survey with."""
    return settings.SITE_URL + reverse("survey:start", args=[token])


@dataclass(frozen=True)
class InvitationRow:
    """One person on the roster and their invitation to the wave, if any."""

    participant: Participant
    invitation: Invitation | None
    response: Response | None

    @property
    def status(self) -> str:
        inv, resp = self.invitation, self.response
        if inv is None:
            return NOT_INVITED
        if inv.revoked:
            return REVOKED
        if resp is not None:
            return SUBMITTED if resp.submitted else STARTED
        if inv.reminders:
            return REMINDED
        return SENT if inv.sent else NOT_SENT

    @property
    def link(self) -> str:
        if self.invitation is None or self.invitation.revoked:
            return ""
        return survey_link(self.invitation.token)

    @property
    def answered(self) -> bool:
        return self.status == SUBMITTED


def invitation_rows_get(*, wave: Wave) -> list[InvitationRow]:
    """Everyone on the study's roster, with their invitation to ``wave`` (two queries)."""
    return invitation_rows_for(wave=wave, people=list(roster_people(wave=wave)))


def roster_people(
    *, wave: Wave, search: str = "", without_email: bool = False, not_answered: bool = False
) -> QuerySet[Participant]:
    """The people of ``wave``'s study in roster order, chosen in the database: those whose name,
    email, organisation or roster id holds ``search``; only those with a working link and no
    email address; only those who have not submitted."""
    people = Participant.objects.current().filter(study_id=wave.study_id)
    if search.strip():
        text = search.strip()
        people = people.filter(
            Q(name__icontains=text) | Q(email__icontains=text)
            | Q(organisation__name__icontains=text) | Q(key__iexact=text)
        )  # fmt: skip
    if without_email:
        linked = Invitation.objects.active().filter(wave=wave).values("participant_id")
        people = people.filter(email="", pk__in=linked)
    if not_answered:
        answered = Invitation.objects.filter(
            wave=wave, revoked__isnull=True, response__submitted__isnull=False
        ).values("participant_id")
        people = people.exclude(pk__in=answered)
    return people.select_related("organisation")


def invitation_rows_for(*, wave: Wave, people: Iterable[Participant]) -> list[InvitationRow]:
    """``people`` (a page of them) with their invitations to ``wave``: one query for all."""
    people = list(people)
    invitations = {
        inv.participant_id: inv
        for inv in Invitation.objects.filter(
            wave=wave, participant_id__in=[p.pk for p in people]
        ).select_related("response")
    }
    rows = []
    for person in people:
        inv = invitations.get(person.pk)
        rows.append(InvitationRow(person, inv, _response_of(inv)))
    return rows


def invitation_rows_page(
    *, wave: Wave, number: str | int | None, per_page: int = ROWS_PER_PAGE, **choose
) -> tuple[Page, list[InvitationRow]]:
    """One page of :func:`roster_people` (``choose`` are its filters) with their invitations:
    counted, cut and joined in the database, three queries whatever the roster's size."""
    page = Paginator(roster_people(wave=wave, **choose), per_page).get_page(number)
    return page, invitation_rows_for(wave=wave, people=page.object_list)


def _response_of(invitation: Invitation | None) -> Response | None:
    if invitation is None:
        return None
    try:
        return invitation.response
    except Response.DoesNotExist:
        return None


def same_name(text: str) -> str:
    """Names compared regardless of case and spacing: ' ann  LEE' is 'ann lee'."""
    # split() splits at the same whitespace as the regular expression \s+, five times faster:
    # the outsiders page compares every name on a 10,000-person roster.
    return " ".join(text.split()).casefold()


@dataclass
class Outsider:
    """Someone named as 'not on the list', however many respondents named them."""

    key: str
    spellings: Counter = field(default_factory=Counter)
    respondents: set[int] = field(default_factory=set)
    networks: set[str] = field(default_factory=set)
    # The networks in the order the study asks them.
    networks_shown: list[str] = field(default_factory=list)
    added: Participant | None = None

    @property
    def name(self) -> str:
        """The spelling most respondents used (the first of equals, alphabetically)."""
        return min(self.spellings, key=lambda s: (-self.spellings[s], s))

    @property
    def named_by(self) -> int:
        return len(self.respondents)


def outsiders_get(*, wave: Wave) -> list[Outsider]:
    """The people named off the roster in ``wave``, most named first.

    Shown as added once someone on the study's roster has the same name.
    """
    found: dict[str, Outsider] = {}
    rows = Nomination.objects.filter(
        response__invitation__wave=wave, alter__isnull=True
    ).values_list("outsider", "network", "response_id")
    for text, network, response_id in rows:
        key = same_name(text)
        if not key:
            continue
        outsider = found.setdefault(key, Outsider(key=key))
        outsider.spellings[text.strip()] += 1
        outsider.respondents.add(response_id)
        if network:  # "" is named on the grid survey's people page, in no network yet
            outsider.networks.add(network)
    # Only names and ids are read for the whole roster; whole rows only for those matched.
    matched: dict[str, int] = {}
    names = Participant.objects.filter(study_id=wave.study_id, name__gt="").values_list(
        "pk", "name"
    )
    for pk, name in names:
        key = same_name(name)
        if key in found:
            matched.setdefault(key, pk)
    people = Participant.objects.in_bulk(matched.values())
    order = list(wave.study.networks)
    for outsider in found.values():
        outsider.added = people.get(matched.get(outsider.key))
        known = [n for n in order if n in outsider.networks]
        outsider.networks_shown = known + sorted(outsider.networks - set(known))
    return sorted(found.values(), key=lambda o: (-o.named_by, o.key))
