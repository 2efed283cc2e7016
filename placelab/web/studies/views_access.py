"""Who may see a study: the owner gives colleagues analyst or viewer access by email, sends the
invitation again, and takes access back; an invited colleague sets a password from the email."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from placelab.web.studies.access import OWNER, StudyAccess, role_of, study_view
from placelab.web.studies.forms_setup import GrantForm
from placelab.web.studies.models import Membership, Study
from placelab.web.studies.services import access as services
from placelab.web.studies.services.studies import account_named

# The same words whether or not the address had an account (issue 10, part 7; issue 11).
EMAILED = "We've emailed {email}: they have {role} access to this study once they sign in."
CHANGED = "We've emailed {email}: their access is now {role}."
NOT_EMAILED = (
    "{email} has {role} access, but the email could not be sent (the mail server did not "
    "answer). Try “Send again” later."
)


@study_view(needs=OWNER)
@require_http_methods(["GET", "POST"])
def access(request: HttpRequest, access: StudyAccess) -> HttpResponse:
    study = access.study
    form = GrantForm(request.POST if request.method == "POST" else None, study=study)
    if request.method == "POST" and form.is_valid():
        email, role = form.cleaned_data["email"], form.cleaned_data["role"]
        role_label = dict(Membership.ROLES)[role].lower()
        try:
            grant = services.access_grant(study=study, email=email, role=role, by=request.user)
        except ValidationError as error:
            form.add_error("email", error)
        except OSError:  # smtplib's errors: the access stands, the owner may send it again
            messages.warning(request, NOT_EMAILED.format(email=email, role=role_label))
            return redirect("studies:access", study.pk)
        else:
            said = CHANGED if grant.kind == services.CHANGED else EMAILED
            messages.success(request, said.format(email=email, role=role_label))
            return redirect("studies:access", study.pk)
    memberships = study.memberships.select_related("user").order_by("user__email", "user__pk")
    rows = [(m, account_named(m.user), services.is_invited(m)) for m in memberships]
    context = {
        "access": access, "tab": "access", "form": form, "rows": rows,
        "link_days": services.link_days(),
    }  # fmt: skip
    return render(request, "studies/setup/access.html", context)


@study_view(needs=OWNER)
@require_POST
def resend(request: HttpRequest, access: StudyAccess, membership_id: int) -> HttpResponse:
    membership, email = _membership(access, membership_id)
    try:
        services.access_resend(membership=membership, by=request.user)
    except OSError:
        messages.warning(request, f"The email to {email} could not be sent. Try again later.")
    else:
        messages.success(request, f"We've emailed {email} again.")
    return redirect("studies:access", access.study.pk)


@study_view(needs=OWNER)
@require_POST
def revoke(request: HttpRequest, access: StudyAccess, membership_id: int) -> HttpResponse:
    membership, email = _membership(access, membership_id)
    services.access_revoke(membership=membership, by=request.user)
    messages.success(request, f"{email} no longer has access to this study; we've told them.")
    return redirect("studies:access", access.study.pk)


def _membership(access: StudyAccess, membership_id: int) -> tuple[Membership, str]:
    """One of this study's memberships (404 for another study's) and the address it names."""
    membership = get_object_or_404(
        Membership.objects.select_related("user", "study"), pk=membership_id, study=access.study
    )
    return membership, account_named(membership.user)


class InvitationAccept(PasswordResetConfirmView):
    """The emailed link: Django's set-password page with our words. The link works once (the
    token dies when the password is set), for PASSWORD_RESET_TIMEOUT; then they are signed in
    and sent to the study they were invited to."""

    template_name = "registration/invitation_accept.html"
    token_generator = services.invitation_tokens
    post_reset_login = True
    # Two backends are configured (django-axes first): name the one that signs them in.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    title = "Set your password"

    def get_user(self, uidb64: str):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        study = Study.objects.filter(pk=self.kwargs["study_pk"]).first()
        invited = study is not None and self.user is not None and role_of(self.user, study)
        context.update(study=study if invited else None, account=self.user)
        return context

    def get_success_url(self) -> str:
        study = Study.objects.filter(pk=self.kwargs["study_pk"]).first()
        if study is not None and role_of(self.user, study):
            messages.success(self.request, "Your password is set and you are signed in.")
            return reverse("studies:detail", args=[study.pk])
        return reverse("studies:list")


invitation_accept = InvitationAccept.as_view()
