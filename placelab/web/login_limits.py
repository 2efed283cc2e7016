"""Limits on signing in (django-axes): after too many wrong passwords for one user name from one
address, that pair is refused for a cool-off, with a page that says when to try again.

The client's address is the connection's, or, behind a proxy (``PLACELAB_BEHIND_PROXY=1``), the
last one in ``X-Forwarded-For``: the address the proxy itself saw. Earlier entries are whatever
the client sent, so trusting them would let an attacker pick a fresh address for every guess;
and without a proxy the header is not read at all, for the same reason.
"""

from __future__ import annotations

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def forwarded_client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE behind a proxy: the address failures are counted against."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    return forwarded or request.META.get("REMOTE_ADDR")


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the styled page, 429, saying when signing in opens again: a
    cool-off after the last wrong password (tries refused meanwhile do not extend it)."""
    cool_off = settings.AXES_COOLOFF_TIME
    last = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=getattr(request, "axes_ip_address", None),
    ).aggregate(last=Max("attempt_time"))["last"]
    context = {
        "minutes": int(cool_off.total_seconds() // 60),
        "until": timezone.localtime((last or timezone.now()) + cool_off),
        "attempts": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "registration/locked_out.html", context, status=429)
