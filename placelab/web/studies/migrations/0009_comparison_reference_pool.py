"""Issue 13: a study's opt-in to the reference pool, the pool's entries, and comparisons.

SQLite adds a column with a default by rebuilding the table, which drops the table's triggers:
the study's inputs-stamp trigger (0008) is put back right after.
"""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def restore_study_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL adds the column in place, its triggers untouched
    stamp = import_module("placelab.web.studies.migrations.0008_inputs_stamp")
    for statement in stamp.sqlite_sql():
        if " ON studies_study " in statement:
            name = statement.split()[2]
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("studies", "0008_inputs_stamp"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="study",
            name="reference_opt_in",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(restore_study_triggers, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ReferenceEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.CharField(blank=True, max_length=200)),
                ("aggregates", models.JSONField()),
                ("added", models.DateTimeField(auto_now_add=True)),
                ("updated", models.DateTimeField(auto_now=True)),
                (
                    "run",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="studies.analysisrun",
                    ),
                ),
                (
                    "study",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reference_entry",
                        to="studies.study",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "reference entries",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="Comparison",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("done", "Done"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("step", models.CharField(blank=True, max_length=200)),
                ("steps_done", models.PositiveIntegerField(default=0)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("started", models.DateTimeField(blank=True, null=True)),
                ("finished", models.DateTimeField(blank=True, null=True)),
                ("task_id", models.CharField(blank=True, max_length=64)),
                ("parameters", models.JSONField(blank=True, default=dict)),
                ("result", models.JSONField(blank=True, null=True)),
                ("error", models.TextField(blank=True)),
                ("worker", models.CharField(blank=True, max_length=200)),
                ("heartbeat", models.DateTimeField(blank=True, null=True)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                (
                    "after",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="studies.analysisrun",
                    ),
                ),
                (
                    "before",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="studies.analysisrun",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("before", "after"), name="one_comparison_per_pair"
                    )
                ],
            },
        ),
    ]
