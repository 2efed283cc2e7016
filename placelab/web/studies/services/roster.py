"""Writes to a study's roster: organisations, participants one by one, and a checked import.

An import is kept in the database (``PendingImport``), never in the session: the upload is
read and checked by the worker, previewed, and saved only when its owner confirms; what no
one confirms is deleted within a day.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from placelab.core.errors import InputError
from placelab.core.io.tables import Table, read_table_bytes
from placelab.web.studies.models import Organisation, Participant, PendingImport, Study
from placelab.web.studies.selectors.roster import (
    ImportRow,
    RosterPreview,
    roster_columns,
    roster_preview,
    roster_rows_over,
)
from placelab.web.studies.services.workers import recovery_register, work_claim, work_heartbeat

logger = logging.getLogger(__name__)

QUEUED, RUNNING = PendingImport.QUEUED, PendingImport.RUNNING
DONE, FAILED = PendingImport.DONE, PendingImport.FAILED
UNEXPECTED = (
    "An unexpected error stopped the work on this file and nothing from it was saved; the error "
    "was logged for the site's administrators. Try again, and tell them if it happens again."
)


@dataclass(frozen=True)
class PersonFields:
    """What a participant form says about one person."""

    key: str
    name: str
    email: str
    sector: str
    layer: str
    seniority: str
    attributes: dict[str, str]
    organisation: Organisation | None = None
    new_organisation: str = ""  # a name typed in: found or created with the person's sector


def organisation_create(*, study: Study, name: str, sector: str, layer: str) -> Organisation:
    organisation = Organisation(study=study, name=name, sector=sector, layer=layer)
    _save_unique(organisation, "name", f"There is already an organisation called {name!r}.")
    return organisation


def organisation_update(
    *, organisation: Organisation, name: str, sector: str, layer: str
) -> Organisation:
    organisation.name, organisation.sector, organisation.layer = name, sector, layer
    _save_unique(organisation, "name", f"There is already an organisation called {name!r}.")
    return organisation


def participant_create(*, study: Study, person: PersonFields) -> Participant:
    return participant_update(participant=Participant(study=study), person=person)


def participant_update(*, participant: Participant, person: PersonFields) -> Participant:
    with transaction.atomic():
        organisation = person.organisation
        if person.new_organisation:
            organisation = _organisation_named(
                participant.study, person.new_organisation, person.sector, person.layer
            )
        participant.key, participant.name, participant.email = person.key, person.name, person.email
        participant.organisation = organisation
        participant.sector, participant.layer = person.sector, person.layer
        participant.seniority = person.seniority
        # A blank answer clears the attribute; attributes the form does not ask are kept.
        merged = {**participant.attributes, **person.attributes}
        participant.attributes = {k: v for k, v in merged.items() if v}
        _save_unique(participant, "key", f"The roster id {person.key!r} is already used.")
    return participant


@transaction.atomic
def roster_import(*, study: Study, rows: Sequence[ImportRow]) -> tuple[int, int]:
    """Add or update every row in one transaction; return (added, updated).

    The rows must have been checked (:func:`~placelab.web.studies.selectors.roster.roster_preview`)
    with no problems. An organisation not yet in the study is created with the sector and layer
    of the first row that names it. Written in bulk: 20,000 people are a few queries, not
    40,000 (a query per person took 45 s for 100,000).
    """
    # Lock the study so that two imports of the same roster do not race on the same keys.
    Study.objects.select_for_update().get(pk=study.pk)
    existing = {p.key: p for p in study.participants.all()}
    organisations = _organisations_for(study, rows)
    added: dict[str, Participant] = {}
    updated: dict[str, Participant] = {}
    for row in rows:  # a checked file names each id once
        person = existing.get(row.key)
        if person is None:
            person = added[row.key] = Participant(study=study, key=row.key)
        else:
            updated[row.key] = person
        _fill(person, row, organisations.get(row.organisation))
    Participant.objects.bulk_create(added.values(), batch_size=BATCH)
    Participant.objects.bulk_update(updated.values(), IMPORTED_FIELDS, batch_size=BATCH)
    return len(added), len(updated)


BATCH = 1_000
IMPORTED_FIELDS = ["name", "organisation", "sector", "layer", "seniority", "email", "attributes"]


def _organisations_for(study: Study, rows: Sequence[ImportRow]) -> dict[str, Organisation]:
    """The study's organisations by name, with those the rows name first created."""
    organisations = {o.name: o for o in study.organisations.all()}
    new: dict[str, Organisation] = {}
    for row in rows:
        name = row.organisation
        if name and name not in organisations and name not in new:
            new[name] = Organisation(study=study, name=name, sector=row.sector, layer=row.layer)
    Organisation.objects.bulk_create(new.values())
    if new:  # not every database returns the new rows' ids from a bulk insert
        organisations = {o.name: o for o in study.organisations.all()}
    return organisations


def _fill(person: Participant, row: ImportRow, organisation: Organisation | None) -> None:
    person.name, person.organisation = row.name, organisation
    person.sector, person.layer, person.seniority = row.sector, row.layer, row.seniority
    if row.email is not None:
        person.email = row.email
    person.attributes = {**person.attributes, **row.attributes}


def _organisation_named(study: Study, name: str, sector: str, layer: str) -> Organisation:
    found = study.organisations.filter(name=name).first()
    return found or organisation_create(study=study, name=name, sector=sector, layer=layer)


def _save_unique(instance: Organisation | Participant, field: str, message: str) -> None:
    """Save, turning a clash with the unique name or key into a form error on ``field``.

    The forms check first; this catches the race where two people save the same name at once.
    """
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError({field: message}) from None


# --- imports kept in the database, read and saved by the worker ----------------------------------

# An upload no one confirms is deleted after this: it holds names and emails.
IMPORT_KEPT_FOR = timedelta(hours=24)
# Above this many rows a confirmed import is saved by the worker, not in the request: bulk
# writes save 2,000 people in a fraction of a second, well inside any page's time.
SAVE_IN_REQUEST_UP_TO = 2_000
SAMPLE_ROWS = 50  # rows of the file the preview shows
SHOWN_PROBLEMS = 100  # kinds of problem the preview lists; it counts the rest
ROWS_PER_PROBLEM = 10  # rows named for one kind of problem; it counts the rest


def roster_upload(*, study: Study, user, file_name: str, data: bytes) -> PendingImport:
    """Keep an uploaded roster in the database and queue its reading by the worker.

    A file over the row limit is refused here, before anything reads it
    (:func:`~placelab.web.studies.selectors.roster.roster_rows_over`). The user's earlier
    upload for this study is dropped (unless it is confirmed and being saved): only the latest
    one can be confirmed.
    """
    _refuse_too_many(data, file_name)
    with transaction.atomic():
        roster_imports_purge()
        # Not one confirmed and being saved: the owner was told it is, and it finishes.
        PendingImport.objects.filter(study=study, user=user).exclude(
            status__in=(QUEUED, RUNNING), preview__has_key="confirmed"
        ).delete()
        pending = PendingImport.objects.create(
            study=study, user=user, file_name=file_name[:255], upload=data,
            expires=timezone.now() + IMPORT_KEPT_FOR,
        )  # fmt: skip
        transaction.on_commit(partial(_enqueue, pending.pk))
    return pending


def roster_import_work(*, import_id: int) -> None:
    """The worker's side: read and check a new upload, or save a confirmed one.

    Claimed by an atomic UPDATE that one worker wins; a worker killed mid-way leaves it
    RUNNING, and the workers' sweep queues it again (both steps can simply be done again).
    """
    mine = PendingImport.objects.filter(pk=import_id)
    if not work_claim(mine):
        return  # done, expired, or taken by another worker
    pending = PendingImport.objects.select_related("study").get(pk=import_id)
    try:
        with work_heartbeat(mine):
            if pending.preview.get("confirmed"):
                _save_checked(pending, skip_problems=pending.preview.get("skip_problems", False))
            else:
                _read(pending)
    except InputError as error:
        _finish(import_id, status=FAILED, error=str(error), upload=b"", rows=[])
    except Exception:
        logger.exception("roster import %s failed", import_id)
        _finish(import_id, status=FAILED, error=UNEXPECTED, upload=b"", rows=[])


def roster_import_confirm(*, pending: PendingImport, skip_problems: bool = False) -> dict | None:
    """Save a read import: now when it is small, else queued for the worker.

    A file with problems is saved only with ``skip_problems``, the owner's choice to import
    its good rows and skip the rows the preview listed. Checked again first: the study's
    sectors or roster may have changed since the preview. Returns the new summary: with
    ``saved`` (added, updated) when saved now (and ``bad``, the rows skipped), with
    ``problems`` and no ``saved`` when the check found new ones or the choice was not made,
    else with ``confirmed`` (the worker saves it); None when it was confirmed already (a
    second press, another tab) or has no row to save, and then nothing is done.
    """
    with transaction.atomic():
        # The claim: of two confirms at once, one changes the row and the other finds it gone.
        claimed = PendingImport.objects.filter(pk=pending.pk, status=DONE).exclude(
            preview__has_key="confirmed"
        )
        if not pending.rows:  # no good row: nothing to save
            return None
        if pending.preview.get("problem_count") and not skip_problems:
            return pending.preview  # saving nothing unless the owner chose to skip rows
        if len(pending.rows) > SAVE_IN_REQUEST_UP_TO:
            summary = {**pending.preview, "confirmed": True, "skip_problems": skip_problems}
            if not claimed.update(status=QUEUED, preview=summary):
                return None
            transaction.on_commit(partial(_enqueue, pending.pk))
            return summary
        if not claimed.update(status=RUNNING):
            return None
        summary = _save_checked(pending, skip_problems=skip_problems)
        if "saved" in summary and not summary.get("bad"):  # nothing left to show: gone
            PendingImport.objects.filter(pk=pending.pk).delete()
    return summary


def roster_imports_purge() -> int:
    """Delete the imports no one confirmed in time; how many. Run at each upload and by the
    workers' sweep."""
    return PendingImport.objects.filter(expires__lt=timezone.now()).delete()[0]


def preview_summary(preview: RosterPreview) -> dict:
    """What the preview page shows, small whatever the file's size: counts (people added and
    updated are those of the good rows, the rows saved), the problems (alike ones on many rows
    said once, the first ``SHOWN_PROBLEMS`` of them), the rows with problems that an import of
    the good rows skips (``skip_rows``), and ``SAMPLE_ROWS`` rows, those with problems when
    there are any."""
    problem_rows = preview.problem_rows
    lines = preview.lines()
    wrong = [(r, values) for r, values in lines if r.row in problem_rows]
    good = preview.good_rows
    columns_at: dict[int, list[str]] = {}
    for p in preview.problems:
        columns_at.setdefault(p.row or 0, []).append(p.column or "")
    return {
        "file": preview.file, "read_as": preview.read_as,
        "rows": len(preview.rows), "good": len(good), "bad": len(wrong),
        "adds": sum(not r.updates for r in good), "updates": sum(r.updates for r in good),
        "new_organisations": len({r.organisation for r in good if r.new_organisation}),
        **_problems_said(preview.problems),
        "skip_rows": sorted(problem_rows),
        "attribute_columns": list(preview.attribute_columns),
        "sample": [
            {**_shown(r), "values": values, "problem": r.row in problem_rows,
             "problem_columns": columns_at.get(r.row, [])}
            for r, values in (wrong or lines)[:SAMPLE_ROWS]
        ],
        "sample_of": len(wrong or lines), "sample_problems": bool(wrong),
        "skipped": list(getattr(preview, "skipped", ())),
    }  # fmt: skip


def _problems_said(problems: list[InputError]) -> dict:
    groups = _grouped(problems)
    return {
        "problem_count": len(problems), "problems": groups[:SHOWN_PROBLEMS],
        "more_problems": sum(g["count"] for g in groups[SHOWN_PROBLEMS:]),
    }  # fmt: skip


def _grouped(problems: list[InputError]) -> list[dict]:
    """One entry per kind of problem (its column, words and expectation), with the rows that
    have it, in order of first row: 200 rows with one wrong sector are one line to fix."""
    groups: dict[tuple, dict] = {}
    for p in problems:
        key = (p.column, p.detail, p.expected)
        if key not in groups:
            groups[key] = {"row": p.row, "column": p.column, "detail": p.detail,
                           "expected": p.expected, "rows": [], "count": 0}  # fmt: skip
        group = groups[key]
        group["count"] += 1
        if len(group["rows"]) < ROWS_PER_PROBLEM and p.row is not None:
            group["rows"].append(p.row)
    return [{**g, "more_rows": g["count"] - len(g["rows"])} for g in groups.values()]


def _shown(row: ImportRow) -> dict:
    shown = asdict(row)
    del shown["attributes"]  # shown as "values", in column order
    return shown


def _read(pending: PendingImport) -> None:
    data = bytes(pending.upload)
    _refuse_too_many(data, pending.file_name)  # an upload kept before the limit was lowered
    # Kept under placelab's column names and codes, so that the check on confirming reads
    # the same table.
    table = roster_columns(study=pending.study, table=read_table_bytes(data, pending.file_name))
    if len(table.rows) > settings.PLACELAB_ROSTER_MAX_ROWS:  # a workbook without its size
        raise InputError(_too_many(len(table.rows)), file=pending.file_name)
    preview = roster_preview(study=pending.study, table=table)
    # Every row is kept when any can be saved: all are checked again on confirming.
    rows = [[r, c] for r, c in table.rows] if preview.good_rows else []
    _finish(
        pending.pk, status=DONE, upload=b"", columns=list(table.columns), rows=rows,
        preview=preview_summary(preview),
    )  # fmt: skip


# After an import that skipped rows, the import keeps the list of their problems (for the page
# and its CSV) in place of the rows; it expires as the upload would have.
SKIPPED_COLUMNS = ["row", "id", "column", "problem", "expected"]


def _save_checked(pending: PendingImport, *, skip_problems: bool) -> dict:
    """Check the kept rows again and save the good ones; the summary written, which says
    ``saved`` unless a problem turned up on a row the owner did not choose to skip (the study
    changed since): then it is the preview again, with the problems."""
    preview = roster_preview(study=pending.study, table=_table(pending))
    agreed = set(pending.preview.get("skip_rows", ())) if skip_problems else set()
    if {p.row for p in preview.problems} - agreed:
        summary = {**preview_summary(preview), "read_as": pending.preview.get("read_as", "")}
        rows = pending.rows if preview.good_rows else []
        _finish(pending.pk, status=DONE, rows=rows, preview=summary)
        return summary
    with transaction.atomic():
        added, updated = roster_import(study=pending.study, rows=preview.good_rows)
        # Names leave with the rows; the counts stay until the owner's page reads them.
        summary = {"file": pending.file_name, "confirmed": True, "saved": [added, updated]}
        keys = {r.row: r.key for r in preview.rows}
        skipped = [[p.row, keys.get(p.row, ""), p.column or "", p.detail, p.expected or ""]
                   for p in preview.problems]  # fmt: skip
        if skipped:
            summary |= {"bad": len(preview.problem_rows), **_problems_said(preview.problems)}
        _finish(
            pending.pk, status=DONE, rows=skipped, columns=SKIPPED_COLUMNS if skipped else [],
            preview=summary,
        )  # fmt: skip
    return summary


def _table(pending: PendingImport) -> Table:
    rows = tuple((row, cells) for row, cells in pending.rows)
    return Table(pending.file_name, tuple(pending.columns), rows)


def _finish(import_id: int, **fields) -> None:
    PendingImport.objects.filter(pk=import_id, status=RUNNING).update(**fields)


def _refuse_too_many(data: bytes, file_name: str) -> None:
    """Refuse a file over the row limit by counting its rows, before anything parses it."""
    too_many = roster_rows_over(data, file_name, limit=settings.PLACELAB_ROSTER_MAX_ROWS)
    if too_many:
        raise InputError(_too_many(too_many), file=file_name)


def _too_many(rows: int) -> str:
    limit = settings.PLACELAB_ROSTER_MAX_ROWS
    return f"This file has {rows:,} rows; placelab takes up to {limit:,} people per study."


# The sweep, about every 20 s, also deletes expired uploads: one no one confirmed outlives its
# day by seconds, not until the next upload.
recovery_register(
    "roster import",
    rows=PendingImport.objects.all,
    requeue=lambda pending: _enqueue(pending.pk),
    expire=roster_imports_purge,
    gave_up="The worker reading or saving this file stopped three times before it finished; "
    "nothing from it was saved. Upload it again, and tell the site's administrators if it "
    "happens again.",
)


def _enqueue(import_id: int) -> None:
    from placelab.web.studies.tasks import import_roster  # tasks imports this module

    try:
        import_roster.enqueue(import_id)
    except Exception:
        logger.exception("could not queue roster import %s", import_id)
        PendingImport.objects.filter(pk=import_id, status=QUEUED).update(
            status=FAILED, error="The file could not be queued for reading. Try again in a moment."
        )
