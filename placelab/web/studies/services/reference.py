"""The installation's reference pool: studies' anonymised figures, read against one another.

The rules (what an entry holds, how a pool file reads, percentiles and bands, the five-study
threshold) are ``placelab.core.reference``'s; this module stores and moves entries:

- a study whose owner opted in has one entry, its latest finished analysis's aggregates
  (:func:`reference_opt_in_set`, :func:`reference_contribute`); opting out deletes it at once;
- imported entries come from another installation's pool file, under a ``source`` that says
  whose; importing the same source again replaces them (:func:`reference_import`);
- a study is read against every entry but its own (:func:`reference_pool_for`), and the run
  records which pool that was (:func:`pool_record`), so that its figures can be reproduced.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from placelab.core import reference as core
from placelab.core.errors import InputError
from placelab.web.studies.models import AnalysisRun, AuditEvent, ReferenceEntry, Study
from placelab.web.studies.services.audit import audit_record

logger = logging.getLogger(__name__)

# How a pool built here names itself in a run's record and on its pages ("the reference pool of
# this site"), and in a file shared with other sites unless the staff name it (a site's name may
# name its place, so it is theirs to give).
HERE = "this site"
EXPORTED = "a placelab site"


# --- a study's own entry --------------------------------------------------------------------


def reference_opt_in_set(*, study: Study, opt_in: bool, user) -> ReferenceEntry | None:
    """Share the study's figures (its latest finished analysis's, if any) or stop sharing them:
    stopping deletes its entry at once. Returns the entry now in the pool, if any."""
    with transaction.atomic():
        locked = Study.objects.select_for_update().get(pk=study.pk)
        was = locked.reference_opt_in
        Study.objects.filter(pk=study.pk).update(reference_opt_in=opt_in)
        study.reference_opt_in = locked.reference_opt_in = opt_in
        entry = _entry_refresh(locked)
        if was != opt_in:
            _audit(study, user, opt_in=opt_in)
    return entry


def reference_refresh(*, study: Study) -> ReferenceEntry | None:
    """Bring the study's entry back in line with what it holds now (after a wave or an
    analysis is deleted, say): its latest finished analysis's figures if it opted in and has
    one, else no entry."""
    with transaction.atomic():
        return _entry_refresh(Study.objects.select_for_update().get(pk=study.pk))


def _entry_refresh(study: Study) -> ReferenceEntry | None:
    from placelab.web.studies.selectors.results import study_latest_done_run

    run = study_latest_done_run(study) if study.reference_opt_in else None
    if run is None:
        ReferenceEntry.objects.filter(study=study).delete()
        return None
    return _entry_write(study, run)


def opt_in_words(*, opt_in: bool, entry: ReferenceEntry | None) -> str:
    """What the owner is told after choosing."""
    if not opt_in:
        return "The study's figures are not shared: anything shared before has been deleted."
    if entry is None:
        return "The study's anonymised figures will be shared once a wave has been analysed."
    return "The study's anonymised figures, from its latest analysis, are now shared."


def reference_contribute(*, run_id: int) -> ReferenceEntry | None:
    """After a run finished: an opted-in study's entry becomes its latest wave's latest
    analysis, this run unless it re-analysed an earlier wave.

    Never raises: the run stands whatever happens here (the error is logged), and the study's
    entry is then the one before.
    """
    try:
        study = Study.objects.get(waves__analyses=run_id)
        return reference_refresh(study=study) if study.reference_opt_in else None
    except Exception:
        logger.exception("could not add analysis run %s to the reference pool", run_id)
        return None


def _entry_write(study: Study, run: AnalysisRun) -> ReferenceEntry:
    aggregates = core.study_aggregates(run.result, field=study.field)
    entry, _ = ReferenceEntry.objects.update_or_create(
        study=study, defaults={"run": run, "source": "", "aggregates": aggregates}
    )
    return entry


def _audit(study: Study, user, *, opt_in: bool) -> None:
    if opt_in:
        detail = "Chose to share the study's anonymised figures with the site's reference pool"
        action = AuditEvent.EXPORTED
    else:
        detail = "Stopped sharing the study's anonymised figures; the shared figures were deleted"
        action = AuditEvent.DELETED
    audit_record(user=user, study=study, action=action, detail=detail)


# --- the pool a study is read against -------------------------------------------------------


def reference_pool_for(*, study: Study) -> dict:
    """Every entry but the study's own, as a pool document (placelab.core.reference)."""
    entries = ReferenceEntry.objects.exclude(study_id=study.pk)
    return _document(entries, source=HERE)


def reference_standing(result: dict, pool: dict, *, field: str) -> dict | None:
    """Where the result's figures fall in the pool; None for an empty pool, so that a result
    read against nothing is the command line's without ``--reference``."""
    if not pool["entries"]:
        return None
    return core.standing(result, pool, field=field)


def pool_record(pool: dict) -> dict:
    """Which pool a run was read against, for its parameters: its source, date, number of
    studies and a fingerprint of its figures (the same figures give the same fingerprint)."""
    text = json.dumps(pool["entries"], sort_keys=True, separators=(",", ":"))
    return {
        "source": pool["source"], "date": pool["date"], "studies": len(pool["entries"]),
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
    }  # fmt: skip


# --- sharing pools between installations ----------------------------------------------------


def reference_export(*, source: str = EXPORTED) -> dict:
    """The whole pool as a file to share: this installation's opted-in studies and the
    imported ones; its source names them all (the format keeps no source per entry)."""
    sources = reference_sources()
    imported = [f"{s['source']} ({s['studies']})" for s in sources if s["imported"]]
    if imported:
        source = f"{source}, with studies from {'; '.join(imported)}"
    return _document(ReferenceEntry.objects.all(), source=source)


def reference_import(*, path: Path | str, source: str) -> int:
    """Add the pool file at ``path`` under ``source``, replacing what that source gave before.

    The file is checked whole first (core.read_pool raises InputError naming what is wrong);
    the replacement is one transaction, so a bad file or a failure changes nothing. An entry
    already in the pool from elsewhere (the same key: this site's own study come back through
    another's pool, say) is not added twice. Returns the number of entries added.
    """
    source = source.strip()
    limit = ReferenceEntry._meta.get_field("source").max_length
    if not source or len(source) > limit:
        raise InputError(
            "say whose pool this is" if not source else f"a name of {len(source)} characters",
            column="source", expected=f"a name of 1 to {limit} characters",
        )  # fmt: skip
    pool = core.read_pool(path)
    with transaction.atomic():
        ReferenceEntry.objects.filter(study__isnull=True, source=source).delete()
        held = set(ReferenceEntry.objects.values_list("aggregates__key", flat=True))
        added = [e for e in pool["entries"] if e["key"] not in held]
        ReferenceEntry.objects.bulk_create(
            ReferenceEntry(source=source, aggregates=entry) for entry in added
        )
    return len(added)


def reference_sources() -> list[dict]:
    """The pool's make-up, for the staff: this installation's studies, then each import."""
    here = ReferenceEntry.objects.filter(study__isnull=False).count()
    imported = (
        ReferenceEntry.objects.filter(study__isnull=True)
        .values("source")
        .annotate(studies=Count("pk"))
        .order_by("source")
    )
    return [
        {"source": HERE, "studies": here, "imported": False},
        *({**row, "imported": True} for row in imported),
    ]


def _document(entries, *, source: str) -> dict:
    aggregates, date = [e.aggregates for e in entries], timezone.localdate().isoformat()
    try:
        return core.pool_document(aggregates, source=source, date=date)
    except InputError as error:
        # An entry the format no longer takes (stored by an earlier placelab, say) is left
        # out rather than allowed to stop every study's analysis; the staff's log says which.
        logger.warning("reference pool entries left out: %s", error)
        kept = [a for a in aggregates if _readable(a, date)]
        return core.pool_document(kept, source=source, date=date)


def _readable(aggregates: dict, date: str) -> bool:
    try:
        core.pool_document([aggregates], source=HERE, date=date)
    except InputError:
        return False
    return True
