"""The site's addresses: staff admin, sign-in, studies, the survey, the JSON API, the health
check, and the pages shown when a request fails."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from placelab.web.studies import views_access
from placelab.web.views_health import health

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="studies:list", permanent=False)),
    path("admin/", admin.site.urls),
    # A colleague invited to a study sets a password here (studies.views_access). The token,
    # not a role, guards it: so not ``study_id``, the name of every role-checked study address.
    path(
        "accounts/invited/<int:study_pk>/<uidb64>/<token>/",
        views_access.invitation_accept,
        name="invitation_accept",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("studies/", include("placelab.web.studies.urls")),
    path("api/", include("placelab.web.api.urls")),
    path("s/", include("placelab.web.surveys.urls")),
    path("health", health, name="health"),
]

handler500 = "placelab.web.views_errors.server_error"
