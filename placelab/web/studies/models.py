"""What a study stores: its set-up, roster, waves, invitations, answers and analyses.

Models hold fields, constraints and small properties; the workflows are in ``services`` and
the reads in ``selectors`` (STYLE.md).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from placelab.core.toolkit.bank import bank_versions
from placelab.core.vocabulary import LAYERS, NETWORKS, QUESTIONS, SECTORS, SENIORITIES, label


def choices(words: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """A vocabulary as choices for a field or a form: 'voluntary_community' reads as
    'Voluntary and community sector'."""
    return [(w, label(w)) for w in words]


def default_networks() -> list[str]:
    return list(NETWORKS)


def default_questions() -> dict[str, str]:
    return dict(QUESTIONS)


def newest_bank_version() -> str:
    """A new study asks the newest statements; an existing one keeps the version it asked."""
    return bank_versions()[-1]


def new_token() -> str:
    """An unguessable invitation token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


class Study(models.Model):
    """One diagnostic of one locality and field."""

    locality = models.CharField(max_length=200)
    field = models.CharField(max_length=200, help_text='e.g. "secondary education"')
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_studies"
    )
    created = models.DateTimeField(auto_now_add=True)
    # Which networks the survey asks, in order, and the wording of each question.
    networks = models.JSONField(default=default_networks)
    questions = models.JSONField(default=default_questions)
    # Item groups of the self-assessment (toolkit bank) the study switches off.
    excluded_groups = models.JSONField(default=list, blank=True)
    # The version of the item bank its survey asks: answers are read with the bank they answered.
    item_bank = models.CharField(max_length=20, default=newest_bank_version, editable=False)
    # Sectors beyond the standard list, and attributes respondents are asked about themselves:
    # [{"key": "years_in_post", "label": "How many years have you been in post?"}].
    extra_sectors = models.JSONField(default=list, blank=True)
    attributes = models.JSONField(default=list, blank=True)
    # The order the maps give the sectors' regions (placelab.core.networks.layout); empty for
    # the default, Figure C8's: local authority upper left, schools and colleges upper right.
    sector_order = models.JSONField(default=list, blank=True)
    # Data protection: answers are deleted this many days after a wave closes (none: kept until
    # the owner deletes them); the owner is told first (``services.retention``).
    retention_days = models.PositiveIntegerField(null=True, blank=True)
    retention_notice_sent = models.DateTimeField(null=True, blank=True)
    # How the survey asks the networks: everyone named once and then a grid of the networks
    # (respondents' burden, issue 11), or the older page per network.
    GRID = "grid"
    PAGES = "pages"
    SURVEY_LAYOUTS = [
        (GRID, "Name everyone once, then tick which questions apply"),
        (PAGES, "One page per network"),
    ]
    survey_layout = models.CharField(max_length=10, choices=SURVEY_LAYOUTS, default=GRID)
    # Planned missingness: each respondent is asked about this many of the self-assessment's
    # statements, drawn at random by a design in core.toolkit and recorded on their response;
    # none asks every statement.
    assessment_statements = models.PositiveSmallIntegerField(null=True, blank=True)
    # The invitation email's own wording; blank keeps the standard one.
    invitation_subject = models.CharField(max_length=200, blank=True)
    invitation_text = models.TextField(blank=True)
    # Archived: kept as it is, read-only, and listed apart from the studies in hand.
    archived = models.DateTimeField(null=True, blank=True)
    # The owner's choice to add this study's anonymised aggregates (placelab.core.reference) to
    # the installation's reference pool, against which every study's figures are read. Off by
    # default: nothing leaves a study unless its owner says so.
    reference_opt_in = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "studies"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.field} in {self.locality}"

    @property
    def sectors(self) -> tuple[str, ...]:
        return (*SECTORS, *self.extra_sectors)

    def question(self, network: str) -> str:
        return self.questions.get(network) or QUESTIONS.get(network, network)


class Membership(models.Model):
    """Access the owner grants to someone else: an analyst sees names and runs analyses."""

    ANALYST = "analyst"
    VIEWER = "viewer"
    ROLES = [(ANALYST, "Analyst"), (VIEWER, "Viewer")]

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=ROLES)
    granted = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study", "user"], name="one_membership_per_user")
        ]


class Wave(models.Model):
    """One round of the survey. Only an open wave takes answers."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    STATUSES = [(DRAFT, "Draft"), (OPEN, "Open"), (CLOSED, "Closed")]

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=DRAFT)
    created = models.DateTimeField(auto_now_add=True)
    closes = models.DateField(null=True, blank=True)  # the planned closing date
    # When it was closed (cleared if reopened): the retention period counts from here.
    closed = models.DateTimeField(null=True, blank=True)
    archived = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["study", "number"]
        constraints = [
            models.UniqueConstraint(fields=["study", "number"], name="one_wave_per_number")
        ]

    def __str__(self) -> str:
        return self.title or f"Wave {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.OPEN


class Organisation(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=60)
    layer = models.CharField(max_length=20, choices=choices(LAYERS))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["study", "name"], name="one_organisation_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class ParticipantQuerySet(models.QuerySet):
    def current(self) -> ParticipantQuerySet:
        """Everyone but those who withdrew: the people invited, named, counted and analysed."""
        return self.filter(withdrawn__isnull=True)


class Participant(models.Model):
    """A person on the study's roster; ``key`` is the roster id of people.csv."""

    objects = ParticipantQuerySet.as_manager()

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="participants")
    key = models.CharField(max_length=100)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    sector = models.CharField(max_length=60)
    layer = models.CharField(max_length=20, choices=choices(LAYERS))
    seniority = models.CharField(max_length=20, choices=choices(SENIORITIES), blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    added = models.DateTimeField(auto_now_add=True)
    # Set when the person withdrew from their own link: their answers and others' nominations of
    # them are gone, their name and email blanked; the key stays so they are not invited again.
    withdrawn = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "key"]
        constraints = [
            models.UniqueConstraint(fields=["study", "key"], name="one_participant_per_key")
        ]

    def __str__(self) -> str:
        return self.name or self.key


class InvitationQuerySet(models.QuerySet):
    def active(self) -> InvitationQuerySet:
        """Invitations whose link still opens the survey (never a withdrawn person's)."""
        return self.filter(revoked__isnull=True, participant__withdrawn__isnull=True)


class Invitation(models.Model):
    """A participant's private link to one wave; revoking it closes the link for good."""

    objects = InvitationQuerySet.as_manager()

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    sent = models.DateTimeField(null=True, blank=True)
    reminded = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveIntegerField(default=0)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "participant"], name="one_invitation_per_wave")
        ]

    @property
    def is_revoked(self) -> bool:
        return self.revoked is not None


class ResponseQuerySet(models.QuerySet):
    def submitted(self) -> ResponseQuerySet:
        """The responses that count: a respondent has answered when they submit (README)."""
        return self.filter(submitted__isnull=False)


class Response(models.Model):
    """What one participant answered in one wave, saved page by page."""

    objects = ResponseQuerySet.as_manager()

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    started = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    consented = models.DateTimeField(null=True, blank=True)
    submitted = models.DateTimeField(null=True, blank=True)
    # The furthest page reached, so the same link resumes there.
    page = models.CharField(max_length=60, blank=True)
    # What the respondent says of themselves (organisation, seniority, study attributes).
    about = models.JSONField(default=dict, blank=True)
    # The self-assessment statements this respondent is asked (planned missingness), drawn when
    # the response starts; empty: every statement of the study's bank.
    asked_items = models.JSONField(default=list, blank=True)


class Nomination(models.Model):
    """A tie: the respondent named someone in one network, with how often they are in touch."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="nominations")
    network = models.CharField(max_length=60)
    alter = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="named_by"
    )
    # "Someone not on the list": who, in the respondent's words.
    outsider = models.CharField(max_length=200, blank=True)
    # How often in touch, 1 (yearly) to 5 (daily); null when not said.
    frequency = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "network", "alter"],
                condition=Q(alter__isnull=False),
                name="one_nomination_per_alter",
            ),
            models.UniqueConstraint(
                fields=["response", "network", "outsider"],
                condition=Q(alter__isnull=True),
                name="one_nomination_per_outsider",
            ),
            models.CheckConstraint(
                condition=(Q(alter__isnull=False) & Q(outsider=""))
                | (Q(alter__isnull=True) & ~Q(outsider="")),
                name="nomination_names_one_person",
            ),
        ]


class Answer(models.Model):
    """One self-assessment answer: '1'-'5' or 'dk' for don't know."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(max_length=80)
    value = models.CharField(max_length=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")
        ]


class InputsStamp(models.Model):
    """How many times the rows a wave's analysis reads have changed (answers, nominations,
    submissions, invitations, the roster, the study's settings).

    Counted by the database's own triggers (migration 0008), never by the app, so no write (a
    service, the admin, a bulk update) can forget it; its own table so that no ``wave.save()``
    can write an old count back.
    """

    wave = models.OneToOneField(
        Wave, on_delete=models.CASCADE, primary_key=True, related_name="inputs_stamp"
    )
    changes = models.BigIntegerField(default=0)


class AnalysisRun(models.Model):
    """One analysis of a wave: queued, run by the worker, stored with what reproduces it."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STATUSES = [(QUEUED, "Queued"), (RUNNING, "Running"), (DONE, "Done"), (FAILED, "Failed")]

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="analyses")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    step = models.CharField(max_length=200, blank=True)
    steps_done = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # What reproduces it: the hash of the inputs, the parameters (seed included), the versions.
    inputs_hash = models.CharField(max_length=64, blank=True)
    # The wave's InputsStamp.changes when the inputs were last compared with inputs_hash, and
    # whether they differed: while the stamp has not moved, the answer stands without reading
    # the inputs again (selectors.results.run_is_stale).
    inputs_stamp = models.BigIntegerField(null=True, blank=True, editable=False)
    inputs_changed = models.BooleanField(default=False, editable=False)
    parameters = models.JSONField(default=dict, blank=True)
    versions = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    diagnosis = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Which worker runs it, when it last said it was alive, and how many times it was started:
    # a run whose worker stops beating is queued again, a bounded number of times.
    worker = models.CharField(max_length=200, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created"]
        get_latest_by = "created"


class RunFile(models.Model):
    """One stored file made from a finished analysis by the worker: a report (HTML or PDF, with
    names or pseudonymised; ``services.reports``) or an export for other tools (XLSX, GraphML,
    GEXF; with names only).

    A run's files belong to it: a new run has its own, so a file never outlives the numbers it
    shows, and deleting a run deletes them.
    """

    FULL = "full"
    PSEUDONYMISED = "pseudonymised"
    VARIANTS = [(FULL, "With names"), (PSEUDONYMISED, "Pseudonymised")]
    PDF = "pdf"
    HTML = "html"
    XLSX = "xlsx"
    GRAPHML = "graphml"
    GEXF = "gexf"
    REPORT_FORMATS = (PDF, HTML)
    EXPORT_FORMATS = (XLSX, GRAPHML, GEXF)
    FORMATS = [(PDF, "PDF"), (HTML, "HTML"), (XLSX, "Excel"), (GRAPHML, "GraphML"), (GEXF, "GEXF")]
    QUEUED, RUNNING = AnalysisRun.QUEUED, AnalysisRun.RUNNING
    DONE, FAILED = AnalysisRun.DONE, AnalysisRun.FAILED
    STATUSES = AnalysisRun.STATUSES

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="files")
    variant = models.CharField(max_length=20, choices=VARIANTS)
    format = models.CharField(max_length=10, choices=FORMATS)
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    step = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(default=b"", editable=False)
    size = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Which worker writes it, when it last said it was alive, and how many times it was started.
    worker = models.CharField(max_length=200, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["run", "variant", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "variant", "format"], name="one_report_per_variant_and_format"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_variant_display()} {self.get_format_display()} of run {self.run_id}"


class Worker(models.Model):
    """A running worker process (``manage.py worker``), seen alive by its heartbeat.

    A run or file whose worker has stopped beating is queued again (``services.workers``); the
    site's ``/health`` reads the newest heartbeat.
    """

    name = models.CharField(max_length=200, unique=True)  # host:pid:random, unique per start
    host = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started = models.DateTimeField(auto_now_add=True)
    seen = models.DateTimeField(db_index=True)
    stopped = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """Who saw names, exported, reported, deleted or granted access: the owner's record.

    Kept when what it speaks of is deleted (the study, the person), so its words never hold a
    participant's name: ``detail`` says what was done in terms a reader of the log may see.
    """

    SAW_NAMES = "saw_names"
    EXPORTED = "exported"
    REPORTED = "reported"
    DELETED = "deleted"
    WITHDREW = "withdrew"
    GRANTED = "granted"
    REVOKED = "revoked"
    RETAINED = "retention"
    ARCHIVED = "archived"
    RESTORED = "restored"
    COMPARED = "compared"
    ACTIONS = [
        (SAW_NAMES, "Saw names"),
        (EXPORTED, "Exported data"),
        (REPORTED, "Downloaded a report"),
        (DELETED, "Deleted"),
        (WITHDREW, "A participant withdrew"),
        (GRANTED, "Granted access"),
        (REVOKED, "Took access away"),
        (RETAINED, "Retention period"),
        (ARCHIVED, "Archived"),
        (RESTORED, "Restored from the archive"),
        (COMPARED, "Asked for a comparison of two waves"),
    ]

    study = models.ForeignKey(
        Study, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    # The study's title when the event was recorded, so a deleted study's events still read.
    study_title = models.CharField(max_length=420, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=ACTIONS)
    detail = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]


class PendingImport(models.Model):
    """An uploaded roster file waiting to be read by the worker, previewed and confirmed.

    Kept in the database, never in the session, and deleted on confirmation or when it expires
    (within a day); only the owner who uploaded it can confirm it.
    """

    QUEUED, RUNNING = AnalysisRun.QUEUED, AnalysisRun.RUNNING
    DONE, FAILED = AnalysisRun.DONE, AnalysisRun.FAILED
    STATUSES = AnalysisRun.STATUSES

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="pending_imports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    ticket = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    file_name = models.CharField(max_length=255)
    upload = models.BinaryField(default=b"", editable=False)
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    # What the worker read: the table's columns and rows, and the preview's summary.
    columns = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(db_index=True)
    worker = models.CharField(max_length=200, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)


class Comparison(models.Model):
    """Two analysed waves of a study compared (placelab.core.networks.compare), run by the
    worker like an analysis. It belongs to the two runs it compares: a new run of either wave
    needs a new comparison, and deleting a run deletes it."""

    QUEUED, RUNNING = AnalysisRun.QUEUED, AnalysisRun.RUNNING
    DONE, FAILED = AnalysisRun.DONE, AnalysisRun.FAILED
    STATUSES = AnalysisRun.STATUSES

    before = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="+")
    after = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    step = models.CharField(max_length=200, blank=True)
    steps_done = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    worker = models.CharField(max_length=200, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["before", "after"], name="one_comparison_per_pair")
        ]

    def __str__(self) -> str:
        return f"comparison of runs {self.before_id} and {self.after_id}"


class ReferenceEntry(models.Model):
    """One study's anonymised aggregates in the installation's reference pool
    (placelab.core.reference): a study here that opted in (``study`` set, one entry, its latest
    analysis), or a study of another installation, imported from a shared pool file
    (``study`` empty, ``source`` saying whose pool it came from)."""

    study = models.OneToOneField(
        Study, null=True, blank=True, on_delete=models.CASCADE, related_name="reference_entry"
    )
    run = models.ForeignKey(
        AnalysisRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=200, blank=True)
    aggregates = models.JSONField()
    added = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "reference entries"

    def __str__(self) -> str:
        return f"reference entry {self.pk} ({self.source or 'this installation'})"
