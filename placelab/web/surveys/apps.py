from django.apps import AppConfig
from django.db.backends.signals import connection_created


class SurveysConfig(AppConfig):
    name = "placelab.web.surveys"
    label = "surveys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_sqlite_functions)


def _sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite has no accent folding of its own: the survey's search (selectors.survey.Folded)
    calls Python's, the one rule, on every connection."""
    if connection.vendor == "sqlite":
        from placelab.web.studies.selectors.survey_people import fold

        connection.connection.create_function("placelab_fold", 1, fold, deterministic=True)
