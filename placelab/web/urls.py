"""The site's addresses: staff admin, sign-in, studies, the survey and the JSON API."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="studies:list", permanent=False)),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("studies/", include("placelab.web.studies.urls")),
    path("api/", include("placelab.web.api.urls")),
    path("s/", include("placelab.web.surveys.urls")),
]
