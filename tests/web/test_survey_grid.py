"""The grid survey (the study's default): everyone named once with how often, then a tick box per
person and network; the type-ahead that asks the server; Change on the review coming back."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from placelab.web.studies.models import Nomination, Participant, Response
from placelab.web.studies.selectors.analysis_inputs import wave_tables

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def url(invitation, page: str) -> str:
    return reverse("survey:page", args=[invitation.token, page])


def find(client, invitation, **query):
    return client.get(reverse("survey:people", args=[invitation.token]), query)


def pid(study, key: str) -> int:
    return study.participants.get(key=key).pk


def ties() -> set[tuple]:
    rows = Nomination.objects.values_list("network", "alter__key", "outsider", "frequency")
    return {(network, key or outsider, frequency) for network, key, outsider, frequency in rows}


@pytest.fixture
def three(study):
    """Riverside asking three networks, on the grid (the default layout)."""
    study.networks = ["work", "innovation", "expert"]
    study.save()
    return study


@pytest.fixture
def consented(client, invitation):
    client.post(url(invitation, "consent"), {"agree": "on"})
    return client


def name_people(client, invitation, study, **extra):
    p02, p05 = pid(study, "p02"), pid(study, "p05")
    return client.post(url(invitation, "people"), {
        "alter": [p02, p05], f"freq-{p02}": "5",
        "outsider_1": "Øyvind  Dahl", "outsider_1_freq": "2", **extra,
    })  # fmt: skip


def test_the_default_survey_names_people_then_asks_a_grid(client, three, invitation, consented):
    assert three.survey_layout == "grid"
    response = client.post(url(invitation, "about"), {"action": "next"})
    assert response["Location"] == url(invitation, "people")
    assert client.get(url(invitation, "network-work")).status_code == 404
    page = client.get(url(invitation, "people")).content.decode()
    assert "Whom do you deal with in secondary education in Riverside?" in page
    assert "roster-data" not in page and "Bea Kwan" not in page  # no roster in the page


def test_each_person_and_network_ticked_is_one_nomination_with_the_frequency_said_once(
    client, three, invitation, consented
):
    p02, p05 = pid(three, "p02"), pid(three, "p05")
    response = name_people(client, invitation, three)
    assert response["Location"] == url(invitation, "grid")
    # Named, in no network yet: kept (network ""), never read by an analysis.
    assert ties() == {("", "p02", 5), ("", "p05", None), ("", "Øyvind Dahl", 2)}
    page = client.get(url(invitation, "grid")).content.decode()
    assert page.count('type="checkbox"') == 3 * 3
    assert "With whom do you collaborate on or kick around new ideas?" in page
    response = client.post(url(invitation, "grid"), {
        "row-0": f"p{p02}", "row-0-net": ["work", "innovation"],
        "row-1": f"p{p05}", "row-1-net": ["expert"],
        "row-2": "o:Øyvind Dahl", "row-2-net": ["work"],
    })  # fmt: skip
    assert response["Location"].endswith("/assessment-lifecycle/")
    assert ties() == {("work", "p02", 5), ("innovation", "p02", 5), ("expert", "p05", None),
                      ("work", "Øyvind Dahl", 2)}  # fmt: skip
    # How often, said again on the people page, reaches every network; the ticks stay.
    client.post(url(invitation, "people"), {"alter": [p02, p05], f"freq-{p02}": "3",
                                            f"freq-{p05}": "1"})  # fmt: skip
    assert ties() == {("work", "p02", 3), ("innovation", "p02", 3), ("expert", "p05", 1)}
    page = client.get(url(invitation, "grid")).content.decode()
    assert re.search(r'value="innovation" id="cell-0-1" checked', page)
    assert "In touch: monthly" in page


def test_someone_ticked_in_no_network_is_kept_and_the_grid_asks_once(
    client, three, invitation, consented
):
    p02, p05 = pid(three, "p02"), pid(three, "p05")
    name_people(client, invitation, three)
    post = {"row-0": f"p{p02}", "row-0-net": ["work"], "row-1": f"p{p05}", "row-2": "o:Øyvind Dahl"}
    response = client.post(url(invitation, "grid"), post)
    assert response["Location"] == url(invitation, "grid") + "?check=1#unticked"
    assert ties() == {("work", "p02", 5), ("", "p05", None), ("", "Øyvind Dahl", 2)}
    page = client.get(url(invitation, "grid") + "?check=1").content.decode()
    assert "You ticked no question for Zoë Ångström and Øyvind Dahl" in page
    assert f'name="confirmed" value="p{p05}"' in page
    # Continuing again keeps them as named; the analysis reads the study's networks only.
    confirmed = {"confirmed": [f"p{p05}", "o:Øyvind Dahl"]}
    response = client.post(url(invitation, "grid"), {**post, **confirmed})
    assert response["Location"].endswith("/assessment-lifecycle/")
    client.post(url(invitation, "review"), {"action": "submit"})
    tables = wave_tables(invitation.wave)
    assert [(row["source"], row["network"]) for _n, row in tables.ties.rows] == [("p01", "work")]
    review = client.get(url(invitation, "review")).content.decode()
    assert 'Zoë Ångström: <span class="muted">no question ticked</span>' in review


def test_a_forged_grid_changes_nothing(client, three, invitation, consented):
    p02 = pid(three, "p02")
    name_people(client, invitation, three)
    before = ties()
    for post in [{"row-0": f"p{p02}", "row-0-net": ["social"]}, {"row-0": "x"}]:
        response = client.post(url(invitation, "grid"), post)
        assert response.status_code == 200 and "There is a problem" in response.content.decode()
    # Someone no longer named (another tab) is not brought back.
    client.post(url(invitation, "grid"), {"row-0": f"p{pid(three, 'p09')}", "row-0-net": "work"})
    assert ties() == before


def test_the_type_ahead_asks_the_database_any_case_any_accent(client, three, invitation):
    assert find(client, invitation, q="zoe").status_code == 403  # consent first
    client.post(url(invitation, "consent"), {"agree": "on"})
    found = find(client, invitation, q="ZOE angstrom").json()
    assert found == {
        "people": [{"id": pid(three, "p05"), "name": "Zoë Ångström", "organisation": "School A"}],
        "more": False,
    }
    assert find(client, invitation, q="ann lee").json()["people"] == []  # never oneself
    school_b = find(client, invitation, q="school b").json()["people"]
    assert [p["name"] for p in school_b] == ["Fay Gu", "Gus Hay"]
    assert find(client, invitation, q="school b", **{"not": str(school_b[0]["id"])}).json() == {
        "people": [school_b[1]], "more": False,
    }  # fmt: skip
    council = three.organisations.get(name="Council")
    Participant.objects.bulk_create(
        Participant(study=three, key=f"x{n:02}", name=f"Extra Person {n:02}",
                    organisation=council, sector=council.sector, layer=council.layer)
        for n in range(25)
    )  # fmt: skip
    found = find(client, invitation, q="extra").json()
    assert len(found["people"]) == 20 and found["more"] is True
    assert found["people"][0]["name"] == "Extra Person 00"


def test_change_on_the_review_comes_back_to_the_review(client, three, invitation, consented):
    review = client.get(url(invitation, "review")).content.decode()
    assert f'href="{url(invitation, "about")}?from=review"' in review
    page = client.get(url(invitation, "about") + "?from=review").content.decode()
    assert "Save and return to review" in page and 'name="from" value="review"' in page
    response = client.post(url(invitation, "about"), {"from": "review", "action": "next"})
    assert response["Location"] == url(invitation, "review")
    # The people page goes by the grid, so that anyone just named is asked about.
    response = name_people(client, invitation, three, **{"from": "review"})
    assert response["Location"] == url(invitation, "grid") + "?from=review"
    row = {"row-0": f"p{pid(three, 'p02')}", "row-0-net": "work", "from": "review"}
    confirmed = [f"p{pid(three, 'p05')}", "o:Øyvind Dahl"]  # ticked in no network: asked before
    response = client.post(url(invitation, "grid"), {**row, "confirmed": confirmed})
    assert response["Location"] == url(invitation, "review")


def test_the_consent_page_states_the_same_estimate_as_the_progress(client, three, invitation):
    consent = client.get(url(invitation, "consent")).content.decode()
    minutes = int(re.search(r"It takes about (\d+) minutes", consent).group(1))
    client.post(url(invitation, "consent"), {"agree": "on"})
    about = client.get(url(invitation, "about")).content.decode()
    left = int(re.search(r"About (\d+) minutes left", about).group(1))
    assert left <= minutes <= left + 1  # the consent page's minute is spent


# --- in a browser ------------------------------------------------------------------------------


def violations(page) -> str:
    results = Axe().run(page, options=WCAG_21_AA)
    return results.generate_report() if results.violations_count else ""


def start(page, live_server, invitation) -> None:
    page.goto(live_server.url + reverse("survey:start", args=[invitation.token]))
    page.get_by_label("I have read this and agree to take part").check()
    page.get_by_role("button", name="Agree and continue").click()
    page.get_by_role("button", name="Save and continue").click()  # about you
    page.wait_for_url(f"**{url(invitation, 'people')}")


def pick(page, typed: str, name: str, often: str) -> None:
    box = page.get_by_role("combobox", name="Find someone on the list")
    box.fill(typed)
    page.get_by_role("listbox").get_by_role("option", name=re.compile(name)).click()
    page.get_by_label(f"How often are you in touch with {name}?").select_option(often)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
                         ids=["phone", "desk"])  # fmt: skip
def test_the_grid_end_to_end(browser, live_server, three, invitation, viewport):
    page = browser.new_page(viewport=viewport, has_touch=viewport["width"] < 500)
    start(page, live_server, invitation)
    pick(page, "zoe", "Zoë Ångström", "Weekly")
    pick(page, "trust", "Kai Lo", "Daily")
    page.get_by_label("Name 1").fill("Mo Ali, Harbour Trust")
    found = {"people": violations(page)}
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"**{url(invitation, 'grid')}")
    found["grid"] = violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.get_by_role("checkbox", name="Work · Zoë Ångström").check()
    page.get_by_role("checkbox", name="Expert · Zoë Ångström").check()
    page.get_by_role("checkbox", name="Innovation · Kai Lo").check()
    page.get_by_role("checkbox", name="Work · Mo Ali, Harbour Trust").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/assessment-lifecycle/")
    assert not any(found.values()), "\n".join(f"{k}:\n{r}" for k, r in found.items() if r)
    assert ties() == {("work", "p05", 4), ("expert", "p05", 4), ("innovation", "p12", 5),
                      ("work", "Mo Ali, Harbour Trust", None)}  # fmt: skip


def tab_to(page, text: str) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return
    raise AssertionError(f"Tab never reached {text!r}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_grid_by_keyboard_alone(browser, live_server, three, invitation):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    start(page, live_server, invitation)
    box = page.get_by_role("combobox", name="Find someone on the list")
    box.focus()
    page.keyboard.type("gus")
    expect(page.get_by_role("listbox").get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # on to how often, for the person just picked
    page.keyboard.press("End")  # the last of the list: yearly
    tab_to(page, "Save and continue")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{url(invitation, 'grid')}")
    tab_to(page, "")  # past the links and the page's text, to the first tick box
    assert page.evaluate("document.activeElement.id") == "cell-0-0"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # expert
    tab_to(page, "Save and continue")
    page.keyboard.press("Enter")
    page.wait_for_url("**/assessment-lifecycle/")
    assert ties() == {("work", "p08", 1), ("expert", "p08", 1)}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_grid_without_javascript(browser, live_server, three, invitation):
    page = browser.new_page(java_script_enabled=False)
    start(page, live_server, invitation)
    page.get_by_label("Find someone on the list").fill("trust")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("checkbox", name="Ida Joy").check()
    page.get_by_label("How often are you in touch with Ida Joy?").select_option("Monthly")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"**{url(invitation, 'grid')}")
    assert page.get_by_role("checkbox", name="Learning · Ida Joy").count() == 0  # not asked
    page.get_by_role("checkbox", name="Expert · Ida Joy").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/assessment-lifecycle/")
    assert ties() == {("expert", "p10", 3)}
    assert Response.objects.get().page == "assessment-lifecycle"


def test_the_owner_chooses_a_page_per_network_in_the_survey_set_up(owner_client, three):
    settings = reverse("studies:settings", args=[three.pk])
    page = owner_client.get(settings).content.decode()
    assert "Name everyone once, then tick which questions apply" in page
    form = {"locality": three.locality, "field": three.field, "description": "",
            "networks": three.networks, "survey_layout": "pages"}  # fmt: skip
    response = owner_client.post(settings, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    three.refresh_from_db()
    assert three.survey_layout == "pages"
