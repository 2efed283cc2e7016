"""The respondent's pages, reached only through a private invitation token."""

from django.urls import path

from placelab.web.surveys import views, views_withdraw

app_name = "survey"

urlpatterns = [
    path("<str:token>/", views.start, name="start"),
    # Before the survey's pages: "withdraw" is no page of the survey.
    path("<str:token>/withdraw/", views_withdraw.withdraw, name="withdraw"),
    path("<str:token>/withdraw/my-data.json", views_withdraw.my_data, name="my_data"),
    # The type-ahead's search, JSON: no page of the survey (a slug has no dot).
    path("<str:token>/people.json", views.people_found, name="people"),
    path("<str:token>/<slug:page>/", views.page, name="page"),
]
