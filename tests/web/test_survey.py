"""The survey a respondent answers: pages, saving, resuming, submitting, and what they see."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from placelab.core.toolkit.bank import load_bank
from placelab.web.studies.models import Answer, Nomination, Participant, Response
from placelab.web.studies.services.responses import (
    AnswerRejected,
    response_answers_save,
    response_nominations_save,
)

GROUPS = [g.id for g in load_bank().groups]


def url(invitation, page: str | None = None) -> str:
    if page is None:
        return reverse("survey:start", args=[invitation.token])
    return reverse("survey:page", args=[invitation.token, page])


def items_of(group: str) -> list[str]:
    bank = load_bank()
    scales = {s.id for s in bank.scales if s.group == group}
    return [i.id for i in bank.items if i.scale in scales]


def pid(study, key: str) -> int:
    return study.participants.get(key=key).pk


def consent(client, invitation):
    return client.post(url(invitation, "consent"), {"agree": "on"})


@pytest.fixture
def study(study):
    """This file tests the survey with a page per network; test_survey_grid.py tests the grid."""
    study.survey_layout = "pages"
    study.save()
    return study


@pytest.fixture
def short_study(study):
    """Riverside asking two networks and two item groups, a page per network: seven pages."""
    study.networks = ["work", "innovation"]
    study.excluded_groups = [g for g in GROUPS if g not in ("lifecycle", "triangle")]
    study.attributes = [{"key": "years_in_post", "label": "How many years have you been in post?"}]
    study.save()
    return study


def test_the_link_sends_a_new_respondent_to_consent(client, invitation):
    response = client.get(url(invitation))
    assert response.status_code == 302
    assert response["Location"] == url(invitation, "consent")


def test_consent_must_be_ticked_to_go_on(client, invitation):
    response = client.post(url(invitation, "consent"), {"action": "next"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_agree"' in page
    assert not Response.objects.filter(consented__isnull=False).exists()


def test_pages_after_consent_wait_for_it(client, invitation):
    response = client.get(url(invitation, "about"))
    assert response["Location"] == url(invitation, "consent")
    client.post(url(invitation, "network-work"), {"alter": [pid(invitation.wave.study, "p02")]})
    assert not Nomination.objects.exists()


def test_the_consent_page_says_who_sees_names(client, invitation, analyst, viewer):
    page = client.get(url(invitation, "consent")).content.decode()
    assert "olive_owner" in page and "andy_analyst" in page
    assert "vera_viewer" not in page
    assert "pseudonymised" in page and "fewer than five" in page


def test_the_whole_flow_saves_everything_and_submit_marks_it_submitted(
    client, short_study, invitation
):
    steps = ["consent", "about", "network-work", "network-innovation", "assessment-lifecycle",
             "assessment-triangle", "review", "thanks"]  # fmt: skip
    council = short_study.organisations.get(name="Council")
    posts = {
        "consent": {"agree": "on"},
        "about": {"organisation": council.pk, "seniority": "senior", "attr_years_in_post": "7"},
        "network-work": {
            "alter": [pid(short_study, "p02"), pid(short_study, "p05")],
            f"freq-{pid(short_study, 'p02')}": "5",
            "outsider_1": "Øyvind Dahl, Harbour Trust",
            "outsider_1_freq": "2",
        },  # fmt: skip
        "network-innovation": {"alter": [pid(short_study, "p09")]},
        "assessment-lifecycle": {items_of("lifecycle")[0]: "4", items_of("lifecycle")[1]: "dk"},
        "assessment-triangle": {items_of("triangle")[0]: "1"},
        "review": {"action": "submit"},
    }
    assert client.get(url(invitation))["Location"] == url(invitation, "consent")
    for here, there in zip(steps, steps[1:], strict=False):
        assert client.get(url(invitation, here)).status_code == 200
        response = client.post(url(invitation, here), {"action": "next", **posts[here]})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == url(invitation, there)

    saved = Response.objects.get(invitation=invitation)
    assert saved.consented and saved.submitted and saved.page == "thanks"
    assert saved.about == {"organisation_id": council.pk, "organisation": "Council",
                           "seniority": "senior", "attributes": {"years_in_post": "7"}}  # fmt: skip
    ties = {(n.network, n.alter.key if n.alter else n.outsider, n.frequency)
            for n in saved.nominations.select_related("alter")}  # fmt: skip
    assert ties == {("work", "p02", 5), ("work", "p05", None),
                    ("work", "Øyvind Dahl, Harbour Trust", 2), ("innovation", "p09", None)}  # fmt: skip
    answers = dict(saved.answers.values_list("item", "value"))
    assert answers == {items_of("lifecycle")[0]: "4", items_of("lifecycle")[1]: "dk",
                       items_of("triangle")[0]: "1"}  # fmt: skip
    thanks = client.get(url(invitation, "thanks")).content.decode()
    assert "You can still change your answers" in thanks


def test_the_progress_says_how_many_minutes_are_left(client, short_study, invitation):
    consent(client, invitation)
    # Seconds per page (selectors.survey): about 40, each network page 20 + 3 people x 12,
    # lifecycle 10 + 8 a statement, triangle likewise, the review 30.
    lifecycle, triangle = len(items_of("lifecycle")), len(items_of("triangle"))
    left = 2 * 56 + 10 + 8 * lifecycle + 10 + 8 * triangle + 30
    page = client.get(url(invitation, "network-work")).content.decode()
    assert f"About {-(-left // 60)} minutes left" in page
    assert f'<progress max="{60 + 40 + left}" value="{60 + 40}"' in page
    assert "Less than a minute left" in client.get(url(invitation, "review")).content.decode()


def test_the_default_study_asks_seven_networks_and_every_item_group(client, invitation):
    consent(client, invitation)
    for slug in ["network-decision", *(f"assessment-{g}" for g in GROUPS)]:
        assert client.get(url(invitation, slug)).status_code == 200


def test_a_switched_off_group_or_unasked_network_has_no_page(client, short_study, invitation):
    consent(client, invitation)
    assert client.get(url(invitation, "assessment-omr_community")).status_code == 404
    assert client.get(url(invitation, "network-social")).status_code == 404
    response = client.post(url(invitation, "network-social"), {"outsider_1": "Someone"})
    assert response.status_code == 404
    assert not Nomination.objects.exists()


def test_a_study_network_whose_name_cannot_sit_in_a_url_has_a_page(client, study, invitation):
    study.networks = ["work", "peer support"]
    study.save()
    consent(client, invitation)
    page = client.get(url(invitation, "network-2"))
    assert page.status_code == 200
    client.post(url(invitation, "network-2"), {"alter": [pid(study, "p02")]})
    assert list(Nomination.objects.values_list("network", flat=True)) == ["peer support"]


def test_resume_goes_to_the_furthest_page_reached(client, short_study, invitation):
    consent(client, invitation)
    client.post(url(invitation, "about"), {"action": "next"})
    client.post(url(invitation, "network-work"), {"action": "next"})
    # Going back saves, but does not move the furthest page back.
    client.post(url(invitation, "network-innovation"), {"action": "back"})
    client.post(url(invitation, "network-work"), {"action": "back"})
    assert client.get(url(invitation))["Location"] == url(invitation, "network-innovation")


def test_earlier_answers_show_when_the_respondent_returns(client, short_study, invitation):
    consent(client, invitation)
    p05 = pid(short_study, "p05")
    client.post(url(invitation, "network-work"),
                {"alter": [p05], f"freq-{p05}": "3", "outsider_1": "Mo Ali", "outsider_1_freq": "4"})  # fmt: skip
    item = items_of("lifecycle")[2]
    client.post(url(invitation, "assessment-lifecycle"), {item: "5"})
    page = client.get(url(invitation, "network-work")).content.decode()
    assert re.search(rf'name="alter" value="{p05}" id="alter-{p05}" checked', page)
    assert re.search(rf'id="freq-{p05}">.*?<option value="3" selected>', page, re.S)
    assert 'value="Mo Ali"' in page
    page = client.get(url(invitation, "assessment-lifecycle")).content.decode()
    assert re.search(rf'name="{item}" value="5"[^>]*checked', page)


def test_about_starts_from_the_roster_and_other_organisation_needs_a_name(client, invitation):
    consent(client, invitation)
    page = client.get(url(invitation, "about")).content.decode()
    council = invitation.participant.organisation
    assert re.search(rf'<option value="{council.pk}" selected>Council</option>', page)
    response = client.post(url(invitation, "about"), {"organisation": "other"})
    assert response.status_code == 200
    assert 'href="#id_organisation_other"' in response.content.decode()
    assert Response.objects.get().about == {}
    client.post(url(invitation, "about"), {"organisation": "other", "organisation_other": "PTA"})
    assert Response.objects.get().about["organisation"] == "PTA"


def test_repeating_a_post_does_not_duplicate(client, short_study, invitation):
    p02, p03 = pid(short_study, "p02"), pid(short_study, "p03")
    post = {"alter": [p02, p03, p02], f"freq-{p02}": "4",
            "outsider_1": "Mo  Ali", "outsider_2": "mo ali", "action": "next"}  # fmt: skip
    for _ in range(3):
        consent(client, invitation)
        client.post(url(invitation, "network-work"), post)
        client.post(url(invitation, "assessment-lifecycle"), {items_of("lifecycle")[0]: "2"})
    assert Response.objects.count() == 1
    assert Nomination.objects.filter(alter__isnull=False).count() == 2
    assert list(Nomination.objects.filter(alter=None).values_list("outsider", flat=True)) == [
        "Mo Ali"
    ]
    assert Answer.objects.count() == 1


def test_saving_a_page_replaces_only_that_page(client, short_study, invitation):
    p02, p03 = pid(short_study, "p02"), pid(short_study, "p03")
    consent(client, invitation)
    client.post(url(invitation, "network-work"), {"alter": [p02]})
    client.post(url(invitation, "network-innovation"), {"alter": [p03]})
    client.post(url(invitation, "assessment-lifecycle"), {items_of("lifecycle")[0]: "2"})
    client.post(url(invitation, "assessment-triangle"), {items_of("triangle")[0]: "3"})
    # Saving work again with someone else and no answers to lifecycle: only those pages change.
    client.post(url(invitation, "network-work"), {"alter": [p03], "action": "back"})
    client.post(url(invitation, "assessment-lifecycle"), {})
    ties = set(Nomination.objects.values_list("network", "alter__key"))
    assert ties == {("work", "p03"), ("innovation", "p03")}
    assert dict(Answer.objects.values_list("item", "value")) == {items_of("triangle")[0]: "3"}


def test_submitting_twice_changes_nothing_and_saving_after_keeps_it_submitted(
    client, short_study, invitation
):
    consent(client, invitation)
    client.post(url(invitation, "review"), {"action": "submit"})
    first = Response.objects.get().submitted
    response = client.post(url(invitation, "review"), {"action": "submit"})
    assert response["Location"] == url(invitation, "thanks")
    client.post(url(invitation, "network-work"), {"alter": [pid(short_study, "p04")]})
    saved = Response.objects.get()
    assert saved.submitted == first and saved.page == "thanks"
    assert "You submitted your answers" in client.get(url(invitation, "review")).content.decode()


def test_the_thanks_page_waits_for_submit(client, invitation):
    consent(client, invitation)
    assert client.get(url(invitation, "thanks"))["Location"] == url(invitation, "review")


def test_the_review_page_lists_answers_with_links_back(client, short_study, invitation):
    consent(client, invitation)
    client.post(url(invitation, "network-work"), {"alter": [pid(short_study, "p05")],
                                                  f"freq-{pid(short_study, 'p05')}": "4"})  # fmt: skip
    client.post(url(invitation, "assessment-triangle"), {items_of("triangle")[0]: "3"})
    page = client.get(url(invitation, "review")).content.decode()
    assert "Zoë Ångström" in page and "(weekly)" in page
    assert f"1 of {len(items_of('triangle'))} statements answered" in page
    for slug in ["about", "network-work", "network-innovation", "assessment-lifecycle"]:
        assert f'href="{url(invitation, slug)}?from=review"' in page


def test_names_with_html_show_as_text_on_the_network_page(client, study, invitation):
    Participant.objects.filter(key="p02").update(name="<script>alert('x')</script>")
    study.organisations.filter(name="Council").update(name="<b>Council</b>")
    consent(client, invitation)
    client.post(url(invitation, "network-work"), {"alter": [pid(study, "p02")]})
    page = client.get(url(invitation, "network-work") + "?q=script").content.decode()
    assert "<script>alert" not in page and "<b>Council" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    # The page holds no roster: the type-ahead asks the server (test_survey_grid.py).
    assert "roster-data" not in page
    review = client.get(url(invitation, "review")).content.decode()
    assert "<script>alert" not in review and "&lt;script&gt;" in review


def test_finding_people_without_javascript(client, study, invitation):
    consent(client, invitation)
    p02, p06, p07 = pid(study, "p02"), pid(study, "p06"), pid(study, "p07")
    page = client.get(url(invitation, "network-work")).content.decode()
    assert 'name="action" value="find"' in page and 'id="results"' not in page
    # "Find" saves the people ticked so far, then lists matches as checkboxes.
    response = client.post(url(invitation, "network-work"),
                           {"alter": [p02], f"freq-{p02}": "5", "q": "school", "action": "find"})  # fmt: skip
    assert response["Location"] == url(invitation, "network-work") + "?q=school#results"
    assert list(Nomination.objects.values_list("alter__key", "frequency")) == [("p02", 5)]
    page = client.get(url(invitation, "network-work") + "?q=school").content.decode()
    results = page[page.index('id="results"') : page.index("People you chose")]
    assert f'value="{p06}" id="alter-{p06}">' in results and "Bea Kwan" not in results
    assert "Ann Lee" not in page  # never oneself
    picked = page[page.index("People you chose") :]
    assert f'value="{p02}" id="alter-{p02}" checked' in picked
    # Ticking results keeps the earlier choices; accents and case do not matter.
    client.post(url(invitation, "network-work"),
                {"alter": [p02, p06, p07], f"freq-{p02}": "5", f"freq-{p07}": "1"})  # fmt: skip
    assert set(Nomination.objects.values_list("alter__key", "frequency")) == {
        ("p02", 5), ("p06", None), ("p07", 1)}  # fmt: skip
    page = client.get(url(invitation, "network-work") + "?q=ZOE angstrom").content.decode()
    assert "Zoë Ångström" in page[page.index('id="results"') : page.index("People you chose")]


def test_a_search_matching_no_one_says_so(client, invitation):
    consent(client, invitation)
    page = client.get(url(invitation, "network-work") + "?q=nobody").content.decode()
    assert "No one on the list matches" in page


def test_the_network_page_is_one_form_with_labels_for_every_control(client, study, invitation):
    consent(client, invitation)
    client.post(url(invitation, "network-work"), {"alter": [pid(study, "p02")]})
    page = client.get(url(invitation, "network-work") + "?q=trust").content.decode()
    assert page.count("<form") == 1
    ids = re.findall(r'<(?:input|select)[^>]*\sid="([^"]+)"', page)
    assert ids
    for control in ids:
        assert f'for="{control}"' in page, control
    assert 'src="/static/placelab/picker.js"' in page and "http" not in page.split("<body>")[1]


def test_naming_oneself_or_someone_off_the_roster_is_refused(client, study, invitation, owner):
    consent(client, invitation)
    for forged in [invitation.participant_id, 10**9]:
        response = client.post(url(invitation, "network-work"), {"alter": [forged]})
        assert response.status_code == 200
        assert "is not on it" in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_frequency_outside_one_to_five_is_refused(client, study, invitation):
    consent(client, invitation)
    p02 = pid(study, "p02")
    for post in [
        {"alter": [p02], f"freq-{p02}": "9"},
        {"outsider_1": "Mo", "outsider_1_freq": "0"},
    ]:
        response = client.post(url(invitation, "network-work"), post)
        assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not Nomination.objects.exists()


def test_an_answer_off_the_scale_is_refused(client, invitation):
    consent(client, invitation)
    item = items_of("lifecycle")[0]
    response = client.post(url(invitation, "assessment-lifecycle"), {item: "7"})
    assert response.status_code == 200
    assert f'href="#id_{item}_0"' in response.content.decode()
    assert not Answer.objects.exists()


def test_the_services_refuse_what_the_survey_does_not_ask(invitation, study):
    study.networks = ["work"]
    study.save()
    with pytest.raises(AnswerRejected):
        response_nominations_save(invitation=invitation, network="social", alters=[],
                                  outsiders=[("Mo", None)], reached="about")  # fmt: skip
    with pytest.raises(AnswerRejected):
        response_nominations_save(invitation=invitation, network="work",
                                  alters=[(pid(study, "p02"), 6)], outsiders=[], reached="about")  # fmt: skip
    with pytest.raises(AnswerRejected):
        response_answers_save(invitation=invitation, group="lifecycle",
                              values={"not_an_item": "3"}, reached="about")  # fmt: skip
    with pytest.raises(AnswerRejected):
        response_answers_save(invitation=invitation, group="lifecycle",
                              values={items_of("triangle")[0]: "3"}, reached="about")  # fmt: skip
    assert not Nomination.objects.exists() and not Answer.objects.exists()


def _to_network_page(page, live_server, invitation) -> None:
    page.goto(live_server.url + url(invitation))
    page.get_by_label("I have read this and agree to take part").check()
    page.get_by_role("button", name="Agree and continue").click()
    page.goto(live_server.url + url(invitation, "network-work"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_type_ahead_works_with_a_keyboard_on_a_phone(browser, live_server, invitation):
    page = browser.new_page(viewport={"width": 375, "height": 740}, has_touch=True)
    _to_network_page(page, live_server, invitation)
    box = page.get_by_role("combobox", name="Find someone on the list")
    assert page.get_by_role("button", name="Find").count() == 0
    box.focus()
    page.keyboard.type("school b")
    options = page.get_by_role("listbox", name="People on the list").get_by_role("option")
    # The matches come from the server (people.json), a moment after the typing stops.
    expect(options).to_have_count(2)
    assert box.get_attribute("aria-expanded") == "true"
    assert options.all_inner_texts() == ["Fay Gu\nSchool B", "Gus Hay\nSchool B"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    page.keyboard.press("Enter")
    page.keyboard.type("zoe")
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")  # Down searches again
    expect(options).to_have_count(1)
    page.keyboard.press("Enter")
    page.get_by_label("How often are you in touch with Gus Hay?").select_option("Weekly")
    page.keyboard.type("trust")
    page.get_by_role("option", name="Kai Lo").tap()
    page.get_by_role("button", name="Remove Kai Lo").press("Enter")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"**{url(invitation, 'network-social')}")
    ties = set(Nomination.objects.values_list("alter__name", "frequency"))
    assert ties == {("Gus Hay", 4), ("Zoë Ångström", None)}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_network_page_works_in_a_browser_without_javascript(browser, live_server, invitation):
    page = browser.new_page(java_script_enabled=False)
    _to_network_page(page, live_server, invitation)
    page.get_by_label("Find someone on the list").fill("trust")
    page.keyboard.press("Enter")
    page.get_by_role("checkbox", name="Ida Joy").check()
    page.get_by_label("How often are you in touch with Ida Joy?").select_option("Monthly")
    page.get_by_label("Name 1").fill("Mo Ali, Harbour Trust")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"**{url(invitation, 'network-social')}")
    ties = set(Nomination.objects.values_list("alter__name", "outsider", "frequency"))
    assert ties == {("Ida Joy", "", 3), (None, "Mo Ali, Harbour Trust", None)}
