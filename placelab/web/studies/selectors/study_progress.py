"""What is done and what comes next in a study, for the checklist on its overview page.

Every figure is a count in the database (a handful of aggregate queries whatever the size of
the roster), so the page answers as fast at 10,000 people as at ten. The steps follow the order
the work is done in: a wave must be open before its invitations can be emailed
(services.invitations), so "open" comes before "sent". The current wave is the latest one not
archived: the one the owner is working on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from placelab.web.studies.access import ANALYST, StudyAccess
from placelab.web.studies.models import AnalysisRun, Participant, Response, Wave
from placelab.web.studies.selectors.response_rates import Rate, overall_rate_for
from placelab.web.studies.services.invitations import unsent_get, without_email_get

DONE, NEXT, LATER = "done", "next", "later"
STATE_LABELS = {DONE: "Done", NEXT: "Next", LATER: "To do"}


@dataclass(frozen=True)
class Step:
    """One line of the checklist: what it is, how far it is, and where to do it."""

    key: str
    title: str
    summary: str
    done: bool
    url: str = ""  # empty: nothing this user can do about it
    action: str = ""  # the link's words
    state: str = LATER

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class WaveCounts:
    """The figures of the current wave that change while it runs (and the live JSON's)."""

    rate: Rate
    unsent: int
    without_email: int

    @property
    def emailed(self) -> int:
        return (self.rate.invited or 0) - self.unsent - self.without_email

    def as_dict(self) -> dict:
        return {**self.rate.as_dict(), "sent": None if self.rate.hidden else self.emailed}


def current_wave(study) -> Wave | None:
    return study.waves.filter(archived__isnull=True).order_by("-number").first()


def wave_counts(*, access: StudyAccess, wave: Wave) -> WaveCounts:
    rate = overall_rate_for(access=access, wave=wave)
    if rate.hidden:
        return WaveCounts(rate=rate, unsent=0, without_email=0)
    return WaveCounts(
        rate=rate,
        unsent=unsent_get(wave=wave).count(),
        without_email=without_email_get(wave=wave).count(),
    )


def study_checklist(*, access: StudyAccess) -> tuple[list[Step], Wave | None, WaveCounts | None]:
    """The steps this user's role may act on or follow, the first not done marked next."""
    study = access.study
    wave = current_wave(study)
    counts = wave_counts(access=access, wave=wave) if wave else None
    steps = []
    if access.is_owner:
        steps += _setup_steps(study, wave, counts)
    steps += _running_steps(access, wave, counts)
    if not study.archived:
        first = next((i for i, s in enumerate(steps) if not s.done), None)
        if first is not None:
            steps[first] = _with_state(steps[first], NEXT)
    steps = [s if s.state == NEXT else _with_state(s, DONE if s.done else LATER) for s in steps]
    return steps, wave, counts


def _with_state(step: Step, state: str) -> Step:
    return Step(**{**step.__dict__, "state": state})


def _setup_steps(study, wave: Wave | None, counts: WaveCounts | None) -> list[Step]:
    organisations = study.organisations.count()
    people = Participant.objects.current().filter(study=study).count()
    url = lambda name, *a: reverse(f"studies:{name}", args=[study.pk, *a])  # noqa: E731
    steps = [
        Step("organisations", "Organisations", _n(organisations, "organisation"),
             organisations > 0, url("organisations"), "Add organisations"),
        Step("roster", "Roster", f"{_n(people, 'person', 'people')} on the roster",
             people > 0, url("roster"), "Add people or import a list"),
        Step("wave", "A wave of the survey",
             _wave_summary(study, wave),
             wave is not None, url("waves"), "Add a wave" if wave is None else "See the waves"),
    ]  # fmt: skip
    if wave is None:
        return steps
    invited = counts.rate.invited or 0
    steps += [
        Step("invitations", "Survey links for everyone",
             f"{invited} of {_n(people, 'person', 'people')} on the roster have a link",
             people > 0 and invited >= people, url("invitations", wave.number),
             "Make the links"),
        Step("open", "Open the wave", _opened(wave), wave.status != Wave.DRAFT,
             url("wave", wave.number), "Open the wave"),
        Step("sent", "Invitations emailed", _emailed(counts), invited > 0 and counts.unsent == 0,
             url("invitations", wave.number), "Send the invitations"),
    ]  # fmt: skip
    return steps


def _running_steps(access: StudyAccess, wave: Wave | None, counts: WaveCounts | None) -> list:
    if wave is None:
        return []
    study, rate = access.study, counts.rate
    url = lambda name: reverse(f"studies:{name}", args=[study.pk, wave.number])  # noqa: E731
    answered = (
        rate.hidden or f"{rate.submitted} of {rate.invited} submitted, {rate.started} started"
    )
    run = (
        AnalysisRun.objects.filter(wave=wave, status=AnalysisRun.DONE)
        .order_by("-finished", "-pk")
        .only("finished")
        .first()
    )
    newer = run is not None and _answers_since(wave, run)
    analysed = run is not None and not newer
    steps = [
        Step("responses", "Responses", answered, wave.status == Wave.CLOSED,
             url("responses"), "Follow the responses"),
        Step("analysis", "Analysis", _analysis_summary(run, newer), analysed, url("analysis"),
             "Run the analysis" if access.can(ANALYST) and not analysed else "See the analysis"),
    ]  # fmt: skip
    return steps


def _answers_since(wave: Wave, run: AnalysisRun) -> bool:
    last = Response.objects.filter(invitation__wave=wave).aggregate(last=Max("submitted"))["last"]
    return last is not None and run.finished is not None and last > run.finished


def _analysis_summary(run: AnalysisRun | None, newer: bool) -> str:
    if run is None:
        return "Not analysed yet"
    when = f"Analysed {date_format(timezone.localtime(run.finished), 'j F Y')}"
    return f"{when}; answers have come in since" if newer else when


def _wave_summary(study, wave: Wave | None) -> str:
    if wave is not None:
        return f"{wave}: {wave.get_status_display().lower()}"
    return "Every wave is archived" if study.waves.exists() else "No wave yet"


def _opened(wave: Wave) -> str:
    return {
        Wave.DRAFT: "A draft: it takes no answers yet",
        Wave.OPEN: "Open: invited people can answer",
        Wave.CLOSED: "Closed: answers are final",
    }[wave.status]


def _emailed(counts: WaveCounts) -> str:
    text = f"{counts.emailed} of {counts.rate.invited} emailed"
    if counts.without_email:
        text += f"; {counts.without_email} without an email address (copy their links)"
    return text


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"
