from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "placelab.web.surveys"
    label = "surveys"
    default_auto_field = "django.db.models.BigAutoField"
