"""A respondent's answers, saved page by page: no answer lost, none duplicated.

Every save locks the response row (``select_for_update``) and then replaces that page's answers
whole, so two saves of the same page (a double click, two tabs) run one after the other and the
last one wins, while saves of different pages touch different rows and never clobber each other.
The response itself is created on first save; two first saves at once race on the unique
invitation, and the loser reads the winner's row (see ``_locked``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from placelab.core.errors import PlacelabError
from placelab.web.studies.models import (
    Answer,
    Invitation,
    Nomination,
    Participant,
    Response,
    Wave,
)
from placelab.web.studies.selectors.invitations import same_name
from placelab.web.studies.selectors.survey import (
    FREQUENCIES,
    THANKS,
    asked_items,
    asked_items_draw,
    group_items,
    survey_bank,
    survey_order,
)
from placelab.web.studies.selectors.survey_people import NAMED

ANSWER_VALUES = ("1", "2", "3", "4", "5", "dk")
OUTSIDER_LENGTH = 200


class WaveClosed(PlacelabError):
    """The wave is not open: it takes no answers, and nothing was changed."""


class AnswerRejected(PlacelabError):
    """An answer naming a person, network or item this survey does not have; nothing saved."""


def response_consent_give(*, invitation: Invitation, reached: str) -> Response:
    with transaction.atomic():
        response = _locked(invitation)
        if response.consented is None:
            response.consented = timezone.now()
        return _save(response, reached)


def response_about_save(*, invitation: Invitation, about: dict, reached: str) -> Response:
    """Replace what the respondent says of themselves."""
    with transaction.atomic():
        response = _locked(invitation)
        response.about = about
        return _save(response, reached)


def response_nominations_save(
    *,
    invitation: Invitation,
    network: str,
    alters: Sequence[tuple[int, int | None]],
    outsiders: Sequence[tuple[str, int | None]],
    reached: str,
) -> Response:
    """Replace the people named in one network: (participant id, frequency) and (name, frequency).

    A participant who is not on this study's roster, the respondent themselves, a frequency
    outside 1-5 or a network the study does not ask is refused, and nothing is saved.
    """
    _check_nominations(invitation, network, alters, outsiders)
    rows = [Nomination(network=network, alter_id=pk, frequency=f) for pk, f in _once(alters)]
    names = [(" ".join(name.split()), f) for name, f in outsiders]
    rows += [Nomination(network=network, outsider=n, frequency=f) for n, f in _once(names)]
    with transaction.atomic():
        response = _locked(invitation)
        response.nominations.filter(network=network).delete()
        for row in rows:
            row.response = response
        Nomination.objects.bulk_create(rows)
        return _save(response, reached)


def response_people_save(
    *,
    invitation: Invitation,
    alters: Sequence[tuple[int, int | None]],
    outsiders: Sequence[tuple[str, int | None]],
    reached: str,
) -> Response:
    """Replace everyone named on the people page (the grid survey), each with how often.

    A person kept keeps the networks ticked for them, now with the frequency just said in each;
    a person new is stored as named in no network yet (``NAMED``) until the grid is saved; a
    person left out is gone from every network. Refused as ``response_nominations_save`` is.
    """
    _check_people(invitation, alters, outsiders)
    people = [*_once(alters), *_once((" ".join(n.split()), f) for n, f in outsiders)]
    with transaction.atomic():
        response = _locked(invitation)
        ticked = _networks_by_person(response)
        rows = [
            Nomination(response=response, network=network, frequency=frequency,
                       **_who(who))
            for who, frequency in people
            for network in ticked.get(_person_key(who)) or [NAMED]
        ]  # fmt: skip
        response.nominations.all().delete()
        Nomination.objects.bulk_create(rows)
        return _save(response, reached)


def response_grid_save(
    *, invitation: Invitation, ticks: Sequence[tuple[int | str, Sequence[str]]], reached: str
) -> Response:
    """Replace the networks ticked for people already named: (participant id or name, networks).

    Each nomination carries the frequency the person page stored. Someone ticked in no network
    stays named (``NAMED``): nothing the respondent said is lost. Someone no longer named (left
    out on the people page in another tab) is not brought back.
    """
    asked = set(invitation.wave.study.networks)
    for _who, networks in ticks:
        if not set(networks) <= asked:
            raise AnswerRejected("Tick only the questions this survey asks.")
    with transaction.atomic():
        response = _locked(invitation)
        named = {_person_key(_stored_who(n)): n for n in response.nominations.order_by("-pk")}
        rows, changed = [], []
        for who, networks in ticks:
            first = named.get(_person_key(who))
            if first is None:
                continue
            changed.append(_person_key(who))
            rows += [
                Nomination(response=response, network=network, frequency=first.frequency,
                           alter_id=first.alter_id, outsider=first.outsider)
                for network in [n for n in invitation.wave.study.networks if n in networks]
                or [NAMED]
            ]  # fmt: skip
        stale = [n.pk for n in response.nominations.all() if _person_key(_stored_who(n)) in changed]
        response.nominations.filter(pk__in=stale).delete()
        Nomination.objects.bulk_create(rows)
        return _save(response, reached)


def _who(who: int | str) -> dict:
    return {"alter_id": who} if isinstance(who, int) else {"outsider": who}


def _stored_who(nomination: Nomination) -> int | str:
    return nomination.alter_id if nomination.alter_id is not None else nomination.outsider


def _person_key(who: int | str) -> object:
    """One person however their name was spaced or cased (``same_name``), as ``_once`` compares
    them."""
    return same_name(who) if isinstance(who, str) else who


def _networks_by_person(response: Response) -> dict[object, list[str]]:
    ticked: dict[object, list[str]] = {}
    for n in response.nominations.order_by("pk"):
        networks = ticked.setdefault(_person_key(_stored_who(n)), [])
        if n.network != NAMED:
            networks.append(n.network)
    return ticked


def response_answers_save(
    *, invitation: Invitation, group: str, values: dict[str, str], reached: str
) -> Response:
    """Replace the answers to one item group; blank answers (skipped) are simply not stored.

    Only the statements this respondent is asked belong to the page (see ``asked_items``).
    """
    bank = survey_bank(study=invitation.wave.study)
    response = Response.objects.filter(invitation=invitation).first()
    bank = bank.asking(asked_items(invitation=invitation, response=response, bank=bank))
    items = {item.id for item in group_items(bank, group)}
    if not items:
        raise AnswerRejected(f"This survey has no item group {group!r}.")
    for item, value in values.items():
        if item not in items:
            raise AnswerRejected(f"{item!r} is not a question of this page.")
        if value not in ANSWER_VALUES:
            raise AnswerRejected(f"{value!r} is not an answer (expected 1 to 5, or dk).")
    with transaction.atomic():
        response = _locked(invitation)
        response.answers.filter(item__in=items).delete()
        Answer.objects.bulk_create(
            Answer(response=response, item=item, value=value) for item, value in values.items()
        )
        return _save(response, reached)


def response_page_reach(*, invitation: Invitation, reached: str) -> Response:
    """Record a page reached without saving answers (leaving the review page)."""
    with transaction.atomic():
        return _save(_locked(invitation), reached)


def response_submit(*, invitation: Invitation) -> Response:
    """Mark the response submitted, once: submitting again changes nothing."""
    with transaction.atomic():
        response = _locked(invitation)
        if response.consented is None:
            raise AnswerRejected("Agree to take part before submitting your answers.")
        if response.submitted is None:
            response.submitted = timezone.now()
        return _save(response, THANKS)


def _locked(invitation: Invitation) -> Response:
    """The invitation's response, created if need be, locked until the transaction ends.

    Most saves find the row and lock it in one query. The first save creates it with
    ``get_or_create``, inside a savepoint: if another request created the row first
    (IntegrityError on the unique invitation), it reads that row instead, and the lock then
    makes this request wait for the other's transaction to finish. The wave is checked after
    the lock so that a save cannot slip in beside the owner closing the wave.
    """
    locking = Response.objects.select_for_update()
    response = locking.filter(invitation=invitation).first()
    if response is None:
        try:
            # The statements it asks are drawn once, here, and recorded: never drawn again.
            Response.objects.get_or_create(
                invitation=invitation,
                defaults={"asked_items": asked_items_draw(invitation=invitation)},
            )
        except IntegrityError:
            # Only if the row vanished between the failed insert and the read: the lock reads it.
            pass
        response = locking.get(invitation=invitation)
    response.invitation = invitation  # already loaded with its wave and study
    if not Wave.objects.filter(pk=invitation.wave_id, status=Wave.OPEN).exists():
        raise WaveClosed("This survey is closed: your answers were not changed.")
    return response


def _save(response: Response, reached: str) -> Response:
    """Save the response, moving its furthest page on to ``reached`` if that is further."""
    order = survey_order(study=response.invitation.wave.study)
    if reached in order and (
        response.page not in order or order.index(reached) > order.index(response.page)
    ):
        response.page = reached
    response.save()
    return response


def _check_nominations(
    invitation: Invitation,
    network: str,
    alters: Sequence[tuple[int, int | None]],
    outsiders: Sequence[tuple[str, int | None]],
) -> None:
    if network not in invitation.wave.study.networks:
        raise AnswerRejected(f"This survey does not ask about the {network!r} network.")
    _check_people(invitation, alters, outsiders)


def _check_people(
    invitation: Invitation,
    alters: Sequence[tuple[int, int | None]],
    outsiders: Sequence[tuple[str, int | None]],
) -> None:
    for _who, frequency in (*alters, *outsiders):
        if frequency is not None and frequency not in FREQUENCIES:
            raise AnswerRejected(f"{frequency!r} is not a frequency (expected 1 to 5, or blank).")
    for name, _frequency in outsiders:
        if not name.strip() or len(name) > OUTSIDER_LENGTH:
            raise AnswerRejected(f"Give each name in 1 to {OUTSIDER_LENGTH} characters.")
    wanted = {pk for pk, _frequency in alters}
    on_roster = set(
        Participant.objects.filter(study_id=invitation.wave.study_id, pk__in=wanted)
        .exclude(pk=invitation.participant_id)
        .values_list("pk", flat=True)
    )
    if wanted - on_roster:
        raise AnswerRejected("Choose people from this study's list.")


def _once(pairs: Iterable[tuple[Any, int | None]]) -> Iterator[tuple[Any, int | None]]:
    """Each person once, first mention kept; outsiders compare as the analysis does (case-folded)."""
    seen = set()
    for who, frequency in pairs:
        key = who.casefold() if isinstance(who, str) else who
        if key not in seen:
            seen.add(key)
            yield who, frequency
