"""Who may see a study: the owner grants analyst or viewer access, and takes it back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from placelab.web.studies.access import OWNER, StudyAccess, study_view
from placelab.web.studies.forms_setup import GrantForm
from placelab.web.studies.models import Membership
from placelab.web.studies.services import studies as services

GRANTED = (
    "If {who} has a placelab account, they now have {role} access to this study and are listed "
    "below. If not, ask the site's administrator to create one, then give access again."
)


@study_view(needs=OWNER)
@require_http_methods(["GET", "POST"])
def access(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    study = access.study
    form = GrantForm(request.POST if request.method == "POST" else None, study=study)
    if request.method == "POST" and form.is_valid():
        who, role = form.cleaned_data["who"], form.cleaned_data["role"]
        try:
            services.membership_grant_asked(
                study=study, account=form.account, role=role, by=request.user
            )
        except ValidationError as error:
            form.add_error("who", error)
        else:
            # The same answer whether or not the account exists (issue 10, part 7).
            messages.success(request, GRANTED.format(who=who, role=role))
            return redirect("studies:access", study.pk)
    memberships = study.memberships.select_related("user").order_by("user__username")
    context = {"access": access, "tab": "access", "form": form, "memberships": memberships}
    return render(request, "studies/setup/access.html", context)


@study_view(needs=OWNER)
@require_POST
def revoke(request: HttpRequest, access: StudyAccess, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=membership_id, study=access.study)
    name = membership.user.get_username()
    services.membership_revoke(membership=membership, by=request.user)
    messages.success(request, f"{name} no longer has access to this study.")
    return redirect("studies:access", access.study.pk)
