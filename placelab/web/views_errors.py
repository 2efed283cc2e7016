"""The pages shown when a request fails: 500, and 503 when the database cannot be reached.

They must render when nothing else works, so they are rendered without the request: no context
processor runs, so nothing looks up the session, the user or a study. On a survey page (/s/...)
they tell the respondent that this page's answers were not saved and what to do; elsewhere a
plain "Something went wrong" with what to do.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# A lost database is usually back within a minute: a restart, a fail-over, a full pool.
RETRY_AFTER_SECONDS = 60
SURVEY_PREFIX = "/s/"


def error_page(request: HttpRequest, *, status: int) -> HttpResponse:
    """The 500 or 503 page for ``request``: never cached, 503 with Retry-After."""
    context = {"survey": request.path.startswith(SURVEY_PREFIX)}
    try:
        body = loader.render_to_string(f"{status}.html", context)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        log.exception("The %s page could not be rendered", status)
        body = "<!doctype html><title>Something went wrong</title><h1>Something went wrong</h1>"
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it while handling the exception, so sys.exc_info() holds it."""
    error = sys.exc_info()[1]
    return error_page(request, status=503 if isinstance(error, DATABASE_ERRORS) else 500)


class DatabaseUnavailableMiddleware:
    """A view that loses the database answers 503 with the page above, also under DEBUG (make
    demo), where Django would otherwise show its debug page instead of handler500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        log.error("Database unavailable: %s %s", request.method, request.path, exc_info=exception)
        return error_page(request, status=503)
