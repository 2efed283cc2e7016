"""``/health``: can this app server reach the database, and is a worker alive?

For a load balancer or a monitor: no sign-in, no names, no secrets, just the two checks. 200
when both are ok, 503 otherwise, so that a probe needs to read no more than the status.
"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from placelab.web.studies.models import Worker
from placelab.web.studies.services.workers import stale_after


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        worker = _worker()
        database = "ok"
    except DatabaseError as error:
        database = f"unreachable: {type(error).__name__}"
        worker = {"newest_heartbeat_age_s": None, "ok": False}
    ok = database == "ok" and worker["ok"]
    return JsonResponse({"database": database, "worker": worker}, status=200 if ok else 503)


def _worker() -> dict:
    """The age of the newest heartbeat of a worker that has not said it stopped; a worker
    counts as alive while that age is within the time after which its work is queued again."""
    newest = Worker.objects.filter(stopped__isnull=True).aggregate(newest=Max("seen"))["newest"]
    if newest is None:
        return {"newest_heartbeat_age_s": None, "ok": False}
    age = max(0, round((timezone.now() - newest).total_seconds()))
    return {"newest_heartbeat_age_s": age, "ok": age <= stale_after().total_seconds()}
