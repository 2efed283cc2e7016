"""What every page shares: sign-in, and a policy that loads nothing from another host."""

from django.urls import reverse


def test_the_sign_in_page_renders(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_a_study_page_sends_an_anonymous_visitor_to_sign_in(client, study):
    response = client.get(reverse("studies:detail", args=[study.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_pages_may_load_scripts_styles_and_images_from_this_site_alone(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "http" not in policy and "unsafe-inline" not in policy


def test_the_admin_keeps_djangos_own_headers(admin_client):
    assert "Content-Security-Policy" not in admin_client.get("/admin/")
