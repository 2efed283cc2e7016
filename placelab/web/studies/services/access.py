"""Colleagues given a role on a study by email, and told so (issue 11, "Inviting colleagues").

The owner types an email address. An account with that address gets the role; an address with
no account gets a new account with no password, and the email links to a page where they set
one. The owner is told the same either way, and the table of who has access shows every grant as
"invited" until its person signs in after it, so neither reveals whether an account existed.

The set-password link is Django's password-reset token with its own salt (it opens only the
invitation's page): it dies when the password is set or the person signs in, and after
``settings.PASSWORD_RESET_TIMEOUT`` (three days). Emails leave after the transaction, as the
survey's invitations do, so no write lock is held while a mail server answers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from placelab.web.studies.models import Membership, Study
from placelab.web.studies.services.studies import membership_grant, membership_revoke

logger = logging.getLogger(__name__)
GIVEN, CHANGED, TAKEN = "given", "changed", "taken"
# What each role may do, in the words the access page and the emails use.
ROLE_MEANS = {
    Membership.ANALYST: "sees the results with people's names, runs analyses and writes reports",
    Membership.VIEWER: "sees the figures, maps and findings, with people's names replaced by codes",
}


class InvitationTokens(PasswordResetTokenGenerator):
    """Django's reset tokens, salted apart: a link from an invitation is not a reset link."""

    key_salt = "placelab.web.studies.services.access.InvitationTokens"


invitation_tokens = InvitationTokens()


@dataclass(frozen=True)
class Grant:
    """What giving access did: the membership, and whether it was new or changed a role."""

    membership: Membership
    kind: str  # GIVEN or CHANGED


def account_for_email(email: str) -> AbstractBaseUser | None:
    """The account that holds ``email`` (any case). Should several share it, the one that
    signed in last: the address is theirs whichever it is, and only its owner reads the mail."""
    users = get_user_model().objects.filter(email__iexact=email.strip())
    return users.order_by(F("last_login").desc(nulls_last=True), "pk").first()


def is_invited(membership: Membership) -> bool:
    """Not yet signed in since access was given: true of new and existing accounts alike."""
    last = membership.user.last_login
    return last is None or last < membership.granted


def access_grant(*, study: Study, email: str, role: str, by: AbstractBaseUser) -> Grant:
    """Give the holder of ``email`` ``role`` on the study, making an account if none has the
    address, and email them. Giving it again changes the role (and says so) or repeats the
    email. Raises ``ValidationError`` for the owner or an unknown role; ``OSError`` if the email
    could not leave (the access stands: the owner can send it again)."""
    with transaction.atomic():
        user = account_for_email(email) or _account_create(email)
        before = Membership.objects.filter(study=study, user=user).values_list("role", flat=True)
        previous = before.first()
        membership = membership_grant(study=study, user=user, role=role, by=by)
    membership = Membership.objects.select_related("user", "study__owner").get(pk=membership.pk)
    grant = Grant(membership, CHANGED if previous not in (None, role) else GIVEN)
    access_email(membership=membership, kind=grant.kind, by=by).send(fail_silently=False)
    return grant


def access_resend(*, membership: Membership, by: AbstractBaseUser) -> None:
    """Email the invitation again, with a fresh link if they have no password yet."""
    access_email(membership=membership, kind=GIVEN, by=by).send(fail_silently=False)


def access_revoke(*, membership: Membership, by: AbstractBaseUser) -> None:
    """Take the role away and tell them. An account made by an invitation and never used
    (no password, never signed in, nothing else on the site) goes too, and its link with it."""
    message = access_email(membership=membership, kind=TAKEN, by=by)
    user = membership.user
    with transaction.atomic():
        membership_revoke(membership=membership, by=by)
        if _never_used(user):
            user.delete()
    try:
        message.send(fail_silently=False)
    except OSError:  # the access is gone either way; a missed goodbye is no reason to keep it
        logger.warning("access: could not email the end of access to study %s", membership.study_id)


def _account_create(email: str) -> AbstractBaseUser:
    """An account for ``email`` with no usable password: its user name is the address in
    lower case, as people type it to sign in (or, if that name is taken or too long, the
    address's first part and a number)."""
    users = get_user_model().objects
    email = users.normalize_email(email.strip())
    username, number = email.lower(), 1
    field = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD)
    while len(username) > field.max_length or users.filter(username__iexact=username).exists():
        number += 1
        username = f"{email.lower().split('@')[0][: field.max_length - 12]}-{number}"
    try:
        with transaction.atomic():  # a savepoint: the grant goes on if this insert loses
            return users.create_user(username=username, email=email, password=None)
    except IntegrityError:  # the same address given access twice at once: one account
        existing = account_for_email(email)
        if existing is None:
            raise
        return existing


def _never_used(user: AbstractBaseUser) -> bool:
    return (
        user.last_login is None
        and not user.has_usable_password()
        and not (user.is_staff or user.is_superuser)
        and not user.memberships.exists()
        and not Study.objects.filter(owner=user).exists()
    )


def link_days() -> int:
    """How many days an emailed set-password link works, as the emails and pages say it."""
    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))


def set_password_link(*, user: AbstractBaseUser, study: Study) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    return settings.SITE_URL + reverse("invitation_accept", args=[study.pk, uid, token])


def access_email(
    *, membership: Membership, kind: str, by: AbstractBaseUser, connection=None
) -> mail.EmailMultiAlternatives:
    """The email telling someone their access was given, changed or taken: text and HTML."""
    study, user = membership.study, membership.user
    role = membership.get_role_display().lower()
    needs_password = kind != TAKEN and not user.has_usable_password()
    context = {
        "kind": kind,
        "study": study,
        "role": role,
        "a_role": f"{'an' if role[0] in 'aeiou' else 'a'} {role}",
        "role_means": ROLE_MEANS[membership.role],
        "by": by.get_full_name() or by.get_username(),
        "by_email": by.email,
        "username": user.get_username(),
        "needs_password": needs_password,
        "days": link_days(),
        "link": set_password_link(user=user, study=study)
        if needs_password
        else settings.SITE_URL + reverse("studies:detail", args=[study.pk]),
        "sign_in": settings.SITE_URL + reverse("login"),
    }
    message = mail.EmailMultiAlternatives(
        subject=" ".join(render_to_string("email/access_subject.txt", context).split()),
        body=render_to_string("email/access.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        reply_to=[by.email] if by.email else None,
        connection=connection,
    )
    message.attach_alternative(render_to_string("email/access.html", context), "text/html")
    return message
