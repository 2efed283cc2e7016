"""Every kind of page passes axe-core's WCAG 2.1 A and AA rules, on a desk and on a phone.

axe-core (Deque) ships inside the axe-playwright-python package and runs in Debian's chromium;
it checks labels, names, contrast, landmarks, heading order and ARIA use. It cannot judge
everything WCAG asks (the tests of the type-ahead's keyboard use do more), but a page it
flags is not accessible.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect
from web.builders import answer_everything
from web.conftest import PASSWORD

from placelab.web.studies.models import Response
from placelab.web.studies.services.analysis import analysis_run_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def violations(page) -> str:
    results = Axe().run(page, options=WCAG_21_AA)
    return results.generate_report() if results.violations_count else ""


def owner_pages(study, wave) -> list[str]:
    s, n = study.pk, wave.number
    return [
        reverse("studies:list"),
        reverse("studies:create"),
        reverse("studies:detail", args=[s]),
        reverse("studies:settings", args=[s]),
        reverse("studies:access", args=[s]),
        reverse("studies:organisations", args=[s]),
        reverse("studies:roster", args=[s]),
        reverse("studies:roster_import", args=[s]),
        reverse("studies:waves", args=[s]),
        reverse("studies:wave", args=[s, n]),
        reverse("studies:invitations", args=[s, n]),
        reverse("studies:invitation_wording", args=[s, n]),
        reverse("studies:outsiders", args=[s, n]),
        reverse("studies:responses", args=[s, n]),
        reverse("studies:analysis", args=[s, n]),
        reverse("studies:study_archive", args=[s]),
        reverse("studies:wave_archive", args=[s, n]),
        *protection_pages(study, wave),
    ]


def protection_pages(study, wave) -> list[str]:
    """Data protection: the tab and each confirmation page (nothing is deleted by a visit)."""
    s, n = study.pk, wave.number
    person = study.participants.order_by("key").first()
    response = Response.objects.filter(invitation__wave=wave).order_by("pk").first()
    return [
        reverse("studies:protection", args=[s]),
        reverse("studies:study_delete", args=[s]),
        reverse("studies:wave_delete", args=[s, n]),
        reverse("studies:participant_delete", args=[s, person.pk]),
        reverse("studies:response_delete", args=[s, n, response.pk]),
        reverse("studies:audit", args=[s]),  # after the pages above, so it has lines to show
    ]


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_the_owners_pages_pass_axe(browser, live_server, study, wave, owner, viewport):
    answer_everything(wave)
    analysis_run_now(wave=wave)
    page = browser.new_page(viewport=viewport)
    page.goto(live_server.url + reverse("login"))
    assert not violations(page), "sign-in page"
    page.get_by_label("User name").fill(owner.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    found = {}
    for url in owner_pages(study, wave):
        page.goto(live_server.url + url)
        found[url] = violations(page)
    assert not any(found.values()), "\n".join(f"{u}:\n{r}" for u, r in found.items() if r)


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_every_page_of_the_survey_passes_axe(browser, live_server, invitation, viewport):
    page = browser.new_page(viewport=viewport)
    page.goto(live_server.url + reverse("survey:start", args=[invitation.token]))
    found, asked = {"consent": violations(page)}, False
    page.get_by_role("button", name="Agree and continue").click()  # without ticking: errors
    found["consent with an error"] = violations(page)
    page.get_by_label("I have read this and agree to take part").check()
    page.get_by_role("button", name="Agree and continue").click()
    while "/thanks/" not in page.url:
        found[page.url.rstrip("/").rsplit("/", 1)[-1]] = violations(page)
        if page.url.endswith("/people/"):  # and with the type-ahead's list open
            box = page.get_by_role("combobox", name=re.compile("Find someone"))
            box.fill("a")
            expect(page.get_by_role("listbox").get_by_role("option").first).to_be_visible()
            found["people, choosing"] = violations(page)
            box.press("ArrowDown")
            box.press("Enter")  # someone picked: the grid has a row, ticked in no network
        if "check=1" in page.url:  # the grid asking about someone ticked in no network
            found["grid, asking"] = violations(page)
            asked = True
        if "/review/" in page.url:
            page.get_by_role("button", name="Submit my answers").click()
        else:
            page.get_by_role("button", name="Save and continue").click()
    assert asked, "the grid never asked about someone ticked in no network"
    found["thanks"] = violations(page)
    page.get_by_role("link", name="withdraw from this study").click()
    found["withdraw"] = violations(page)
    page.get_by_role("button", name="Withdraw and delete my answers").click()
    found["withdrawn"] = violations(page)
    assert len(found) > 10  # consent, about, seven networks, the assessment, review...
    assert not any(found.values()), "\n".join(f"{p}:\n{r}" for p, r in found.items() if r)


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_the_invited_colleagues_set_password_pages_pass_axe(
    browser, live_server, study, owner, mailoutbox, settings, viewport
):
    from placelab.web.studies.services.access import access_grant

    settings.SITE_URL = live_server.url
    access_grant(study=study, email="new.colleague@example.org", role="viewer", by=owner)
    link = re.search(r"https?://\S+/accounts/invited/\S+/", mailoutbox[-1].body).group(0)
    page = browser.new_page(viewport=viewport)
    page.goto(link)
    found = {"set your password": violations(page)}
    page.get_by_label("New password:", exact=True).fill("12345678")
    page.get_by_role("button", name="Set my password and open the study").click()
    found["with errors"] = violations(page)
    spent = browser.new_page(viewport=viewport)
    spent.goto(link.rsplit("/", 2)[0] + "/not-a-token/")
    expect(spent.get_by_role("heading", name="This link no longer works")).to_be_visible()
    found["no longer works"] = violations(spent)
    assert not any(found.values()), "\n".join(f"{p}:\n{r}" for p, r in found.items() if r)
