"""The site answers at all: the sign-in page renders and a study page needs a signed-in user."""

from django.urls import reverse


def test_the_sign_in_page_renders(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_a_study_page_sends_an_anonymous_visitor_to_sign_in(client, study):
    response = client.get(reverse("studies:detail", args=[study.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
