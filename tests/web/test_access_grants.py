"""The owner grants analyst or viewer access to a study by email, changes it and takes it back.
What the emails say and the set-password link are tests/web/test_colleague_invites.py's."""

from __future__ import annotations

import statistics
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from web.conftest import PASSWORD, build_study, client_for, make_user

from placelab.web.studies.models import Membership


def _access(study) -> str:
    return reverse("studies:access", args=[study.pk])


def _revoke(membership: Membership) -> str:
    return reverse("studies:access_revoke", args=[membership.study_id, membership.pk])


def _roles(study) -> dict[str, str]:
    return dict(study.memberships.values_list("user__username", "role"))


BEFORE = {"andy_analyst": "analyst", "vera_viewer": "viewer"}


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_on_the_access_page_and_revoke(outsider_client, study, method):
    membership = study.memberships.get(role=Membership.VIEWER)
    send = getattr(outsider_client, method)

    asked = {"email": "oscar_outsider@example.org", "role": "analyst"}
    assert send(_access(study), asked).status_code == 404
    assert send(_revoke(membership)).status_code == 404
    assert _roles(study) == BEFORE


@pytest.mark.parametrize("persona", ["analyst_client", "viewer_client"])
def test_only_the_owner_grants_and_revokes(request, study, persona):
    client = request.getfixturevalue(persona)
    make_user("newcomer")
    viewer = study.memberships.get(role=Membership.VIEWER)

    assert client.get(_access(study)).status_code == 404
    for email in ("newcomer@example.org", "vera_viewer@example.org"):
        asked = {"email": email, "role": "analyst"}
        assert client.post(_access(study), asked).status_code == 404
    assert client.post(_revoke(viewer)).status_code == 404
    assert _roles(study) == BEFORE


def test_revoke_takes_a_post_only(owner_client, study):
    membership = study.memberships.get(role=Membership.VIEWER)

    assert owner_client.get(_revoke(membership)).status_code == 405
    assert _roles(study) == BEFORE


def test_a_membership_of_another_study_cannot_be_revoked_through_this_one(owner, study):
    other_owner = make_user("other_owner")
    other = build_study(other_owner, locality="Hilltop")
    theirs = Membership.objects.create(study=other, user=owner, role=Membership.VIEWER)
    url = reverse("studies:access_revoke", args=[study.pk, theirs.pk])

    assert client_for(owner).post(url).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


# --- what the owner does ------------------------------------------------------------------------


def test_the_owner_sees_who_has_which_role(owner_client, study):
    text = owner_client.get(_access(study)).content.decode()

    for email in ("andy_analyst@example.org", "vera_viewer@example.org", "olive_owner@example"):
        assert email in text


def test_the_owner_grants_a_role_by_email(owner_client, study):
    make_user("newcomer")

    asked = {"email": "newcomer@example.org", "role": "analyst"}
    response = owner_client.post(_access(study), asked)

    assert response["Location"] == _access(study)
    assert _roles(study) == {**BEFORE, "newcomer": "analyst"}


def test_the_owner_grants_a_role_by_email_in_any_case(owner_client, study):
    make_user("newcomer")

    owner_client.post(_access(study), {"email": "NewComer@Example.org", "role": "viewer"})

    assert _roles(study)["newcomer"] == "viewer"


def test_a_new_user_can_open_the_study_once_granted(owner_client, study):
    newcomer = make_user("newcomer")
    client = client_for(newcomer)
    page = reverse("studies:waves", args=[study.pk])
    before = client.get(page).status_code

    owner_client.post(_access(study), {"email": "newcomer@example.org", "role": "viewer"})

    assert (before, client.get(page).status_code) == (404, 200)


def test_granting_again_changes_the_role(owner_client, study):
    owner_client.post(_access(study), {"email": "vera_viewer@example.org", "role": "analyst"})

    assert _roles(study) == {"andy_analyst": "analyst", "vera_viewer": "analyst"}
    assert study.memberships.count() == 2


def _answer(client, study, who: str) -> tuple[int, str, list[str]]:
    """What the owner is told after giving ``who`` viewer access: status, where they are sent,
    and the page's messages with ``who`` written as WHO."""
    response = client.post(_access(study), {"email": who, "role": "viewer"}, follow=True)
    said = [str(m).replace(who, "WHO") for m in response.context["messages"]]
    return response.redirect_chain[0][1], response.redirect_chain[0][0], said


def test_the_answer_is_the_same_whether_or_not_the_account_exists(owner_client, study):
    make_user("newcomer")

    known = _answer(owner_client, study, "newcomer@example.org")
    unknown = _answer(owner_client, study, "nobody@example.org")

    assert known == unknown
    assert "We've emailed WHO: they have viewer access" in known[2][0]
    assert _roles(study) == {**BEFORE, "newcomer": "viewer", "nobody@example.org": "viewer"}


def test_an_email_several_accounts_share_gives_access_to_the_one_signed_in_last(
    owner_client, study
):
    users = get_user_model().objects
    users.create_user(username="twin_one", password=PASSWORD, email="shared@example.org")
    twin_two = users.create_user(username="twin_two", password=PASSWORD, email="Shared@Example.org")
    client_for(twin_two)  # signs in
    make_user("newcomer")

    shared = _answer(owner_client, study, "shared@example.org")
    known = _answer(owner_client, study, "newcomer@example.org")

    assert shared == known
    assert _roles(study) == {**BEFORE, "newcomer": "viewer", "twin_two": "viewer"}


def test_the_answer_takes_as_long_whether_or_not_the_account_exists(owner_client, study):
    """Both look the address up, grant in one transaction, write one audit line, send one email
    and redirect to the same page; a new address adds the account's insert (with no password to
    hash), well inside a request's ordinary jitter."""
    make_user("newcomer")
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for number in range(15):
        for kind, taken in times.items():
            who = "newcomer@example.org" if kind == "known" else f"nobody{number}@example.org"
            start = time.perf_counter()
            owner_client.post(_access(study), {"email": who, "role": "viewer"}, follow=True)
            taken.append(time.perf_counter() - start)

    known, unknown = (statistics.median(t) for t in times.values())
    assert abs(known - unknown) < 0.2 * max(known, unknown) + 0.005, (known, unknown)


def test_the_owner_cannot_be_granted_a_role(owner_client, study):
    asked = {"email": "olive_owner@example.org", "role": "viewer"}
    response = owner_client.post(_access(study), asked)

    assert "owner" in " ".join(response.context["form"].errors["email"])
    assert _roles(study) == BEFORE


def test_a_role_must_be_analyst_or_viewer(owner_client, study):
    make_user("newcomer")

    asked = {"email": "newcomer@example.org", "role": "owner"}
    response = owner_client.post(_access(study), asked)

    assert "role" in response.context["form"].errors
    assert _roles(study) == BEFORE


def test_a_revoked_user_gets_404_afterwards(owner_client, analyst_client, study):
    membership = study.memberships.get(role=Membership.ANALYST)
    page = reverse("studies:waves", args=[study.pk])
    before = analyst_client.get(page).status_code

    response = owner_client.post(_revoke(membership))

    assert response["Location"] == _access(study)
    assert (before, analyst_client.get(page).status_code) == (200, 404)
    assert _roles(study) == {"vera_viewer": "viewer"}


def test_a_user_name_with_html_shows_as_text(owner_client, study):
    Membership.objects.create(
        study=study, user=make_user("<script>alert(1)</script>"), role=Membership.VIEWER
    )

    text = owner_client.get(_access(study)).content.decode()

    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
