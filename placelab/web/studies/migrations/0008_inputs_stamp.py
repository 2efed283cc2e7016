"""Each wave's InputsStamp, counted by triggers on every table a wave's analysis reads.

The analysis page asks on every view whether the answers have changed since the last analysis;
hashing the inputs again costs seconds at 10,000 people. The count moves whenever a row the
analysis reads is written, by whatever writes it (a service, the admin, a bulk update), so an
unmoved count means unchanged inputs (``selectors.results.run_is_stale``). A moved count only
says "look again": the hash decides.

SQLite fires a trigger per row; PostgreSQL per statement, over the statement's rows (transition
tables), so a bulk insert of 300,000 nominations moves the count once, not 300,000 times.
"""

from django.db import migrations, models

STAMP = "studies_inputsstamp"

RESPONSE_WAVES = (
    "SELECT i.wave_id FROM {rows} JOIN studies_response r ON r.id = x.response_id "
    "JOIN studies_invitation i ON i.id = r.invitation_id WHERE r.submitted IS NOT NULL"
)
STUDY_WAVES = "SELECT w.id FROM {rows} JOIN studies_wave w ON w.study_id = x.study_id"
# For each table: the columns its rows give and the waves they belong to, from rows ``x``. Only
# submitted responses are read, so drafts being saved move nothing.
SOURCES = {
    "studies_study": (("id",), "SELECT w.id FROM {rows} JOIN studies_wave w ON w.study_id = x.id"),
    "studies_organisation": (("study_id",), STUDY_WAVES),
    "studies_participant": (("study_id",), STUDY_WAVES),
    "studies_invitation": (("wave_id",), "SELECT x.wave_id FROM {rows}"),
    "studies_response": (
        ("invitation_id", "submitted"),
        "SELECT i.wave_id FROM {rows} JOIN studies_invitation i ON i.id = x.invitation_id "
        "WHERE x.submitted IS NOT NULL",
    ),
    "studies_nomination": (("response_id",), RESPONSE_WAVES),
    "studies_answer": (("response_id",), RESPONSE_WAVES),
}
# An invitation's sending and reminders do not change the inputs; these columns do.
INVITATION_READ = ("wave_id", "participant_id", "revoked")


def _bump(waves: str) -> str:
    return f"UPDATE {STAMP} SET changes = changes + 1 WHERE wave_id IN ({waves});"


def _sqlite_rows(row: str, columns: tuple[str, ...]) -> str:
    return "(SELECT " + ", ".join(f"{row}.{c} AS {c}" for c in columns) + ") AS x"


def sqlite_sql() -> list[str]:
    sql = [
        f"CREATE TRIGGER placelab_stamp_new_wave AFTER INSERT ON studies_wave "
        f"BEGIN INSERT INTO {STAMP} (wave_id, changes) VALUES (NEW.id, 0); END;"
    ]
    for table, (columns, waves) in SOURCES.items():
        new = _bump(waves.format(rows=_sqlite_rows("NEW", columns)))
        old = _bump(waves.format(rows=_sqlite_rows("OLD", columns)))
        when = ""
        if table == "studies_invitation":
            when = "WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in INVITATION_READ)
        if table != "studies_study":  # a study's rows are read only once it has waves
            sql.append(f"CREATE TRIGGER {table}_stamp_insert AFTER INSERT ON {table} "
                       f"BEGIN {new} END;")  # fmt: skip
            sql.append(f"CREATE TRIGGER {table}_stamp_delete AFTER DELETE ON {table} "
                       f"BEGIN {old} END;")  # fmt: skip
        sql.append(f"CREATE TRIGGER {table}_stamp_update AFTER UPDATE ON {table} {when} "
                   f"BEGIN {old} {new} END;")  # fmt: skip
    return sql


def sqlite_reverse() -> list[str]:
    names = ["placelab_stamp_new_wave"]
    for table in SOURCES:
        names += [f"{table}_stamp_{event}" for event in ("insert", "delete", "update")]
    return [f"DROP TRIGGER IF EXISTS {name};" for name in names]


def postgresql_sql() -> list[str]:
    sql = [
        f"CREATE FUNCTION placelab_stamp_new_wave() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN INSERT INTO {STAMP} (wave_id, changes) SELECT id, 0 FROM new_rows; "
        f"RETURN NULL; END $$;",
        "CREATE TRIGGER placelab_stamp_new_wave AFTER INSERT ON studies_wave "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION placelab_stamp_new_wave();",
    ]
    for table, (_columns, waves) in SOURCES.items():
        new, old = waves.format(rows="new_rows AS x"), waves.format(rows="old_rows AS x")
        on_update = f"{_bump(old)} {_bump(new)}"
        if table == "studies_invitation":
            changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in INVITATION_READ)
            moved = f"SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}"
            on_update = (
                f"{_bump(old + f' WHERE x.id IN ({moved})')} "
                f"{_bump(new + f' WHERE x.id IN ({moved})')}"
            )
        sql.append(
            f"CREATE FUNCTION {table}_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'INSERT' THEN {_bump(new)} "
            f"ELSIF TG_OP = 'DELETE' THEN {_bump(old)} "
            f"ELSE {on_update} END IF; RETURN NULL; END $$;"
        )
        events = {
            "insert": "NEW TABLE AS new_rows",
            "delete": "OLD TABLE AS old_rows",
            "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        }
        if table == "studies_study":
            events = {"update": events["update"]}
        sql += [
            f"CREATE TRIGGER {table}_stamp_{event} AFTER {event.upper()} ON {table} "
            f"REFERENCING {rows} FOR EACH STATEMENT EXECUTE FUNCTION {table}_stamp();"
            for event, rows in events.items()
        ]
    return sql


def postgresql_reverse() -> list[str]:
    functions = ["placelab_stamp_new_wave"] + [f"{table}_stamp" for table in SOURCES]
    return [f"DROP FUNCTION IF EXISTS {name}() CASCADE;" for name in functions]


def create_triggers(apps, schema_editor) -> None:
    _run(schema_editor, sqlite_sql, postgresql_sql)
    Wave, InputsStamp = apps.get_model("studies", "Wave"), apps.get_model("studies", "InputsStamp")
    InputsStamp.objects.using(schema_editor.connection.alias).bulk_create(
        InputsStamp(wave_id=pk) for pk in Wave.objects.values_list("pk", flat=True)
    )


def drop_triggers(apps, schema_editor) -> None:
    _run(schema_editor, sqlite_reverse, postgresql_reverse)


def _run(schema_editor, sqlite, postgresql) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(
            f"the inputs' stamps have triggers for SQLite and PostgreSQL, not {vendor}"
        )
    for statement in sqlite() if vendor == "sqlite" else postgresql():
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("studies", "0007_survey_burden_archive_invitation_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="InputsStamp",
            fields=[
                (
                    "wave",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="inputs_stamp",
                        serialize=False,
                        to="studies.wave",
                    ),
                ),
                ("changes", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name="analysisrun",
            name="inputs_stamp",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="analysisrun",
            name="inputs_changed",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
