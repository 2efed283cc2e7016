"""The invitation email's own wording: edited, previewed as sent, checked, escaped, and used."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape
from web.builders import run_worker
from web.conftest import build_study, client_for

from placelab.web.studies.models import Invitation, Participant, Study, Wave
from placelab.web.studies.selectors.invitations import survey_link
from placelab.web.studies.services.invitations import (
    REMINDER,
    invitation_email,
    invitations_send,
    standard_wording,
    wording_save,
)

SCRIPT = "<script>alert('x')</script>"
OWN_TEXT = "Dear {name},\n\nPlease tell us about {study} by {closes}.\n\nYour link: {link}\n"
worker_db = pytest.mark.django_db(transaction=True)


def url(wave: Wave) -> str:
    return reverse("studies:invitation_wording", args=[wave.study_id, wave.number])


def post(client, wave: Wave, action: str, subject: str = "", text: str = ""):
    return client.post(url(wave), {"action": action, "subject": subject, "text": text})


def the_html(message) -> str:
    return message.alternatives[0][0]


@pytest.fixture
def dated(wave) -> Wave:
    wave.closes = dt.date(2027, 3, 31)
    wave.save()
    return wave


# The page


def test_the_page_starts_from_the_standard_wording_with_placeholders(owner_client, dated):
    page = owner_client.get(url(dated)).content.decode()
    subject, text = standard_wording(wave=dated)
    assert subject == "Your invitation to the survey of {study}"
    assert text.startswith("Dear {name},\n\nYou are invited to take part in a survey of {study}.")
    assert "{link}" in text and "The survey closes on {closes}." in text
    assert escape(text).strip() in page  # what the text box holds
    for placeholder in ("{name}", "{study}", "{closes}", "{link}"):
        assert f"<code>{placeholder}</code>" in page  # each explained


def test_the_preview_is_the_real_email_to_the_first_person_with_a_stand_in_link(
    owner_client, dated
):
    page = owner_client.get(url(dated)).content.decode()
    # Ann Lee (p01) is first on the roster; the standard email, its link never a real one.
    assert "Dear Ann Lee," in page
    assert "Your invitation to the survey of secondary education in Riverside" in page
    assert survey_link("example-private-link") in page
    assert not any(inv.token in page for inv in dated.invitations.all())
    assert "The survey closes on 31 March 2027." in page


def test_preview_shows_unsaved_wording_and_saves_nothing(owner_client, study, dated):
    response = post(owner_client, dated, "preview", "About {study}", OWN_TEXT)
    assert response.status_code == 200
    page = response.content.decode()
    assert "not saved yet" in page
    assert "About secondary education in Riverside" in page
    assert "Please tell us about secondary education in Riverside by 31 March 2027." in page
    study.refresh_from_db()
    assert study.invitation_text == "" and study.invitation_subject == ""


def test_saving_keeps_the_wording_and_the_next_send_uses_it(owner_client, study, dated, mailoutbox):
    response = post(owner_client, dated, "save", "About {study}, {name}", OWN_TEXT)
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.invitation_subject == "About {study}, {name}"
    invitations_send(wave=Wave.objects.get(pk=dated.pk))
    ann = next(m for m in mailoutbox if m.to == ["p01@example.org"])
    token = dated.invitations.get(participant__key="p01").token
    assert ann.subject == "About secondary education in Riverside, Ann Lee"
    assert ann.body == (
        "Dear Ann Lee,\n\nPlease tell us about secondary education in Riverside by 31 March "
        f"2027.\n\nYour link: {survey_link(token)}"
    )
    assert f'<a href="{survey_link(token)}"' in the_html(ann)
    assert "<p>Dear Ann Lee,</p>" in the_html(ann)


@worker_db
def test_the_worker_sends_the_owners_wording(owner, mailoutbox):
    study = build_study(owner)
    wave = study.waves.get()
    wording_save(study=study, wave=wave, subject="Hello {name}", text="Here: {link}")
    client_for(owner).post(reverse("studies:invitations_send", args=[study.pk, 1]))
    run_worker()
    assert len(mailoutbox) == 12
    assert {m.subject for m in mailoutbox if m.to == ["p01@example.org"]} == {"Hello Ann Lee"}


def test_someone_without_a_name_is_greeted_as_colleague(study, wave):
    person = Participant.objects.create(
        study=study, key="x1", email="x1@example.org", sector="other", layer="public"
    )
    invitation = Invitation.objects.create(wave=wave, participant=person)
    study.invitation_text = "Dear {name}, {link}"
    assert invitation_email(invitation=invitation).body.startswith("Dear colleague, ")


def test_reminders_keep_the_standard_wording(study, invitation):
    study.invitation_subject, study.invitation_text = "Mine", "Mine {link}"
    study.save()
    reminder = invitation_email(invitation=Invitation.objects.get(pk=invitation.pk), kind=REMINDER)
    assert reminder.subject == "Reminder: the survey of secondary education in Riverside"
    assert reminder.body.startswith("Dear Ann Lee,\n\nA short reminder")


def test_the_standard_email_is_unchanged_by_the_placeholders(dated, invitation):
    message = invitation_email(invitation=Invitation.objects.get(pk=invitation.pk))
    assert message.subject == "Your invitation to the survey of secondary education in Riverside"
    assert "The survey closes on 31 March 2027." in message.body
    assert "{" not in message.body and "{" not in the_html(message)


# Refused wording


def test_wording_without_the_link_is_refused_and_nothing_saved(owner_client, study, wave):
    response = post(owner_client, wave, "save", "", "Dear {name}, please answer.")
    assert response.status_code == 400
    assert "Put {link} where the person&#x27;s private link should go" in response.content.decode()
    study.refresh_from_db()
    assert study.invitation_text == ""


def test_an_unknown_placeholder_is_refused_by_name(owner_client, study, wave):
    response = post(owner_client, wave, "save", "", "Dear {nmae}, {link}")
    assert response.status_code == 400
    assert "{nmae} is not a placeholder we can fill" in response.content.decode()
    study.refresh_from_db()
    assert study.invitation_text == ""


def test_the_link_is_refused_in_the_subject(owner_client, study, wave):
    response = post(owner_client, wave, "save", "Open {link}", "Hello {link}")
    assert response.status_code == 400
    assert "belongs in the text, not the subject" in response.content.decode()


# Escaping


def test_html_in_the_wording_and_in_a_name_is_text_in_the_email(study, wave):
    person = Participant.objects.create(
        study=study, key="x1", name=SCRIPT, email="x1@example.org", sector="other", layer="public"
    )
    invitation = Invitation.objects.create(wave=wave, participant=person)
    study.invitation_subject = "Hi {name}"
    study.invitation_text = f"{SCRIPT}\nDear {{name}} & co,\n\n<b>{{link}}</b>"
    message = invitation_email(invitation=invitation)
    body = the_html(message)
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>Dear &lt;script&gt;" in body
    assert "&amp; co" in body
    assert message.body.startswith(f"{SCRIPT}\nDear {SCRIPT} & co")  # plain text stays text


def test_html_in_the_wording_shows_as_text_in_the_preview(owner_client, wave):
    page = post(owner_client, wave, "preview", SCRIPT, f"{SCRIPT} {{link}}").content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    # The formatted preview sits in a sandboxed frame, its document escaped into the attribute.
    assert '<iframe class="email" sandbox' in page
    assert 'srcdoc="&lt;!doctype html&gt;\n&lt;html lang=&quot;en-GB&quot;&gt;' in page
    assert "&amp;lt;script&amp;gt;" in page


# Back to the standard


def test_the_standard_text_saved_unchanged_stays_the_standard(owner_client, study, wave):
    subject, text = standard_wording(wave=wave)
    post(owner_client, wave, "save", subject, text.replace("\n", "\r\n"))
    study.refresh_from_db()
    assert (study.invitation_subject, study.invitation_text) == ("", "")


def test_going_back_to_the_standard_wording_clears_the_studys_own(owner_client, study, wave):
    post(owner_client, wave, "save", "Mine", "Mine {link}")
    assert Study.objects.get(pk=study.pk).invitation_text == "Mine {link}"
    response = owner_client.post(url(wave), {"action": "standard"})
    assert response.status_code == 302
    study.refresh_from_db()
    assert (study.invitation_subject, study.invitation_text) == ("", "")


def test_the_invitations_page_links_to_the_email(owner_client, wave):
    page = owner_client.get(
        reverse("studies:invitations", args=[wave.study_id, wave.number])
    ).content.decode()
    assert url(wave) in page and "See the email and change its wording" in page


def test_the_preview_says_when_closes_has_no_date_to_fill(owner_client, wave):
    page = post(owner_client, wave, "preview", "", "Answer by {closes}: {link}").content.decode()
    assert "Wave 1 has no closing date, so <code>{closes}</code> is left empty." in page
    assert "As Ann Lee (p01@example.org) would get it" in page


def test_a_study_described_in_html_shows_as_text_in_the_standard_preview(owner_client, study):
    study.description = SCRIPT
    study.save()
    page = owner_client.get(url(study.waves.get())).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page  # the text, as text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_preview_shows_the_email_styled_as_it_arrives_and_runs_no_script(
    browser, live_server, owner
):
    from web.conftest import PASSWORD

    wave = build_study(owner).waves.get()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("User name").fill(owner.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + url(wave))
    heading = page.frame_locator("iframe.email").get_by_role("heading", name="Your private link")
    # The email styles its headings inline at 1.1rem (17.6 px), not a browser's 24 px.
    assert heading.evaluate("h => getComputedStyle(h).fontSize") == "17.6px"
    assert refused == []


def test_only_the_wording_page_allows_inline_styles_and_no_page_inline_scripts(owner_client, wave):
    def policy(address: str) -> dict[str, str]:
        header = owner_client.get(address).headers["Content-Security-Policy"]
        return dict(d.strip().split(" ", 1) for d in header.split(";"))

    wording = policy(url(wave))
    assert wording["style-src"] == "'self' 'unsafe-inline'" and wording["script-src"] == "'self'"
    invitations = policy(reverse("studies:invitations", args=[wave.study_id, wave.number]))
    assert invitations["style-src"] == "'self'"
