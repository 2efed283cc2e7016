"""The whole flow in Debian's chromium: roster, invitations, two respondents, watching, findings.

An owner imports a roster and invites; one respondent answers on a phone-sized screen, another
closes the browser half-way and resumes from the same link; the owner watches the response rate,
runs the analysis (queued for the real worker, which this test runs in batch) and reads the
findings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from web.builders import run_worker
from web.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}

ROSTER = """\
id,name,organisation,sector,layer,seniority,email
r01,Amara Okafor,Riverside Council,local_authority,systemic,senior,amara@example.org
r02,Ben Castillo,Riverside Council,local_authority,sectoral,middle,ben@example.org
r03,Chloé Duval,Riverside Council,local_authority,frontline,frontline,chloe@example.org
r04,Dev Patel,Hillside Academy,school_college,systemic,senior,dev@example.org
r05,Erin Walsh,Hillside Academy,school_college,frontline,frontline,erin@example.org
r06,Femi Adeyemi,Riverside Youth Trust,voluntary_community,sectoral,senior,femi@example.org
r07,Grace Liu,Riverside Youth Trust,voluntary_community,public,resident,
r08,<b>Hal</b> Ivers,Hillside Academy,school_college,sectoral,middle,hal@example.org
"""


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def owner_sets_up_and_invites(page: Page, base: str, tmp_path: Path) -> None:
    page.goto(base + "/studies/new/")
    page.get_by_label("Locality").fill("Riverside")
    page.get_by_label("Field").fill("secondary education")
    page.get_by_role("button", name="Create the study").click()
    page.get_by_role("link", name="Roster").click()
    page.get_by_role("link", name=re.compile("Import")).first.click()
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    page.get_by_label(re.compile("file", re.I)).set_input_files(roster)
    page.get_by_role("button", name="Upload and preview").click()
    run_worker()  # the worker reads the file; its page follows it to the preview
    expect(page.get_by_text("8 people will be added")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name=re.compile("Confirm and save 8 rows")).click()
    # The name shows as text, not HTML; its row's Edit, Export and Delete sit under it.
    expect(page.get_by_role("cell", name=re.compile(r"^<b>Hal<\/b> Ivers\s*Edit"))).to_be_visible()
    page.get_by_role("link", name="Waves").click()
    page.get_by_role("link", name=re.compile("Wave 1")).first.click()
    page.get_by_role("button", name="Open the wave").click()
    page.get_by_role("link", name="Invitations").click()
    page.get_by_role("button", name="Create invitations for everyone on the roster").click()
    page.get_by_role("button", name=re.compile("Email invitations")).click()


def link_for(mailoutbox, address: str) -> str:
    (message,) = [m for m in mailoutbox if address in m.to]
    return re.search(r"https?://\S+/s/[\w-]+/", message.body).group(0)


def answer_network(page: Page, names: list[tuple[str, str]]) -> None:
    """Pick people with the type-ahead, by keyboard alone, say how often, then tick the work
    network for each on the grid."""
    for typed, name in names:
        box = page.get_by_role("combobox", name=re.compile("Find someone"))
        box.fill(typed)
        page.get_by_role("listbox").get_by_role("option").first.wait_for()  # asked of the server
        box.press("ArrowDown")
        box.press("Enter")
        page.get_by_label(f"How often are you in touch with {name}?").select_option("4")
    page.get_by_role("button", name="Save and continue").click()
    for _typed, name in names:
        page.get_by_role("checkbox", name=f"Work · {name}").check()
    page.get_by_role("button", name="Save and continue").click()


def start_survey(page: Page, link: str) -> None:
    page.goto(link)
    page.get_by_label(re.compile("I have read")).check()
    page.get_by_role("button", name="Agree and continue").click()
    page.get_by_role("button", name="Save and continue").click()  # about you: nothing to add


def finish_survey(page: Page) -> None:
    """Answer the networks not yet answered with no one, a few statements, then submit."""
    while "/network-" in page.url or "/assessment-" in page.url:
        radios = page.get_by_role("radio", name="Agree", exact=True)
        if radios.count():
            radios.first.check()
        page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")


def watched(page: Page, errors: list[str]) -> Page:
    """``page``, with its console errors and uncaught script errors added to ``errors``."""
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    return page


def test_an_owner_runs_a_study_from_roster_to_findings(
    live_server, browser, owner, tmp_path, mailoutbox, settings
):
    base = settings.SITE_URL = live_server.url  # the emails' links point at this server
    errors: list[str] = []  # a script that fails, or anything the page's policy refuses
    browser.on("disconnected", lambda _browser: errors.append("chromium went away"))
    owner_page = watched(browser.new_page(), errors)
    sign_in(owner_page, base, owner.username)
    owner_sets_up_and_invites(owner_page, base, tmp_path)
    expect(owner_page.get_by_text("7 invitations are going out now")).to_be_visible()
    run_worker()  # the worker sends them
    assert len(mailoutbox) == 7  # Grace Liu has no email: her link is copied by hand

    phone = watched(browser.new_context(**PHONE).new_page(), errors)
    start_survey(phone, link_for(mailoutbox, "amara@example.org"))
    answer_network(phone, [("dev", "Dev Patel"), ("youth", "Femi Adeyemi")])
    finish_survey(phone)

    first = browser.new_context()
    link = link_for(mailoutbox, "dev@example.org")
    page = watched(first.new_page(), errors)
    start_survey(page, link)
    answer_network(page, [("amara", "Amara Okafor")])
    resumed_at = page.url
    first.close()  # the browser is closed half-way
    page = watched(browser.new_context().new_page(), errors)
    page.goto(link)
    assert page.url == resumed_at
    finish_survey(page)

    owner_page.get_by_role("link", name="Waves").click()
    owner_page.get_by_role("link", name=re.compile("Wave 1")).first.click()
    owner_page.get_by_role("link", name="Responses").click()
    expect(owner_page.get_by_text("25%").first).to_be_visible()  # 2 of 8 submitted

    owner_page.get_by_role("link", name="Waves").click()
    owner_page.get_by_role("link", name=re.compile("Wave 1")).first.click()
    owner_page.get_by_role("link", name="Analysis").click()
    owner_page.get_by_role("button", name="Run analysis").click()
    expect(owner_page.get_by_text(re.compile("queued", re.I)).first).to_be_visible()
    run_worker()
    expect(owner_page.get_by_text(re.compile("done", re.I)).first).to_be_visible(timeout=15000)
    owner_page.get_by_role("link", name="Overview").click()
    expect(owner_page.get_by_role("heading", name="Findings", exact=True)).to_be_visible()
    expect(owner_page.get_by_text("Questions to ask next").first).to_be_visible()
    assert errors == []
