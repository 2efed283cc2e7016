"""Pages of a study's data are never kept by a browser or a proxy: ``Cache-Control: no-store,
private`` on every response under /studies/ and /api/ (the survey's pages say so themselves).

A shared computer's back button or disk cache, or a proxy between an office and the site,
would otherwise keep names and answers after the officer signed out. A view that chose its own
caching keeps it: the map images of one finished run are kept by the browser alone
(``private``), so that switching networks does not redraw them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

NO_STORE = "no-store, private"
PREFIXES = ("/studies/", "/api/")


def no_store_on_study_pages(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.path.startswith(PREFIXES) and "Cache-Control" not in response:
            response["Cache-Control"] = NO_STORE
        return response

    return middleware
