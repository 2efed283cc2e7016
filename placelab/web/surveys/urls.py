"""The respondent's pages, reached only through a private invitation token."""

from django.urls import path

from placelab.web.surveys import views

app_name = "survey"

urlpatterns = [
    path("<str:token>/", views.start, name="start"),
    path("<str:token>/<slug:page>/", views.page, name="page"),
]
