"""Who may do what with a study: the one access check every study view goes through.

Roles, from most to least: the owner (set-up, invitations, access, who has not answered),
an analyst (names, analyses), a viewer (figures and findings, pseudonymised). Someone with no
role gets 404, never 403, so that a study's existence is not revealed.

An archived study, or an archived wave, is read-only: ``study_view`` refuses any request that
would change it (not GET or HEAD) with a message saying so, unless the view is one that must
stay open (deleting, data protection, reports, restoring): ``study_view(archived_ok=True)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from placelab.web.studies.models import Membership, Study, Wave

OWNER = "owner"
ANALYST = Membership.ANALYST
VIEWER = Membership.VIEWER
RANK = {VIEWER: 1, ANALYST: 2, OWNER: 3}
READING = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class StudyAccess:
    """A study as one user may see it."""

    study: Study
    role: str

    def can(self, role: str) -> bool:
        """Does this user hold ``role`` or a stronger one?"""
        return RANK[self.role] >= RANK[role]

    @property
    def sees_names(self) -> bool:
        return self.can(ANALYST)

    @property
    def is_owner(self) -> bool:
        return self.role == OWNER


def role_of(user, study: Study) -> str | None:
    if not user.is_authenticated:
        return None
    if study.owner_id == user.id:
        return OWNER
    membership = study.memberships.filter(user=user).first()
    return membership.role if membership else None


def study_access(request: HttpRequest, study_id: int, needs: str = VIEWER) -> StudyAccess:
    """The study if the user holds ``needs`` or more on it; Http404 otherwise."""
    study = get_object_or_404(Study, pk=study_id)
    role = role_of(request.user, study)
    if role is None or RANK[role] < RANK[needs]:
        raise Http404("No such study")
    return StudyAccess(study, role)


def wave_of(access: StudyAccess, number: int) -> Wave:
    return get_object_or_404(Wave, study=access.study, number=number)


def study_view(needs: str = VIEWER, *, archived_ok: bool = False) -> Callable:
    """Decorate a view taking ``(request, access, ...)`` from a URL with ``study_id``.

    A change to an archived study or wave is refused here, for every view at once, unless
    ``archived_ok``: the user is sent back to the page where it can be restored, with why.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, study_id: int, *args, **kwargs) -> HttpResponse:
            access = study_access(request, study_id, needs)
            if not archived_ok and request.method not in READING:
                refused = archived_refusal(access.study, kwargs.get("number"))
                if refused is not None:
                    messages.error(request, refused[0])
                    return redirect(refused[1])
            return view(request, access, *args, **kwargs)

        return wrapper

    return decorate


def archived_refusal(study: Study, number: int | None = None) -> tuple[str, str] | None:
    """Why a change to ``study`` (or to its wave ``number``) is refused, and the page to go
    back to; None when neither is archived."""
    if study.archived:
        return (
            f"{study} is archived, so it can be read but not changed. "
            "To change it, restore it from its overview page.",
            reverse("studies:detail", args=[study.pk]),
        )
    wave = None if number is None else Wave.objects.filter(study=study, number=number).first()
    if wave is not None and wave.archived:
        return (
            f"{wave} is archived, so it can be read but not changed. "
            "To change it, restore it from its page.",
            reverse("studies:wave", args=[study.pk, wave.number]),
        )
    return None


def visible_studies(user):
    """Studies the user owns or was given a role on, newest first."""
    return (
        Study.objects.filter(owner=user) | Study.objects.filter(memberships__user=user)
    ).distinct()
