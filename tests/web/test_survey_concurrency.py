"""Many respondents answering at once lose no answer and duplicate none.

On PostgreSQL, twelve respondents each answer from three threads at the same moment (a barrier
starts them together): all three post the same network page and each starts by agreeing, so the
response row is created in a race; two of them submit; two post *different* choices for the same
page, of which exactly one must win whole. On SQLite, which has no row locks to race on, the same
script runs one request after another, so the counting is tested on both databases.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from web.conftest import build_study, make_user, on_postgres

from placelab.core.toolkit.bank import load_bank
from placelab.web.studies.models import Answer, Invitation, Nomination, Response

RESPONDENTS = 12


def items_of(group: str) -> list[str]:
    bank = load_bank()
    scales = {s.id for s in bank.scales if s.group == group}
    return [i.id for i in bank.items if i.scale in scales]


def choices(invitation: Invitation, n: int) -> dict:
    """What respondent ``n`` posts on each page, and the two versions of the innovation page."""
    others = list(
        invitation.wave.study.participants.exclude(pk=invitation.participant_id).order_by("key")
    )
    a, b, c, d = (others[(n + k) % len(others)].pk for k in range(4))
    lifecycle, triangle = items_of("lifecycle"), items_of("triangle")
    return {
        "consent": {"agree": "on"},
        "about": {"seniority": "middle"},
        "network-work": {
            "alter": [a, b, c],
            f"freq-{a}": str(1 + n % 5),
            f"freq-{c}": "5",
            "outsider_1": f"Visitor {n}",
            "outsider_1_freq": "2",
        },  # fmt: skip
        "innovation-x": {"alter": [d], f"freq-{d}": "3"},
        "innovation-y": {"alter": [a, d], "outsider_1": f"Guest {n}"},
        "assessment-lifecycle": {lifecycle[n % 5]: str(1 + n % 5), lifecycle[5]: "dk"},
        "assessment-triangle": {triangle[0]: "2"},
    }


# Each respondent's three browser tabs: every one agrees first, all post the work page.
SCRIPTS = (
    ("consent", "about", "network-work", "assessment-lifecycle", "submit"),
    ("consent", "network-work", "innovation-x", "submit"),
    ("consent", "assessment-triangle", "innovation-y", "network-work"),
)


def post(client: Client, invitation: Invitation, step: str, posts: dict) -> int:
    if step == "submit":
        page, data = "review", {"action": "submit"}
    else:
        page, data = ("network-innovation" if step.startswith("innovation") else step), posts[step]
    url = reverse("survey:page", args=[invitation.token, page])
    return client.post(url, {"action": "next", **data}).status_code


def expected_ties(posts: dict, innovation: str) -> set:
    ties = set()
    for network, page in (("work", "network-work"), ("innovation", innovation)):
        data = posts[page]
        ties |= {(network, pk, _number(data.get(f"freq-{pk}", ""))) for pk in data["alter"]}
        if data.get("outsider_1"):
            ties.add((network, data["outsider_1"], _number(data.get("outsider_1_freq", ""))))
    return ties


def _number(text: str) -> int | None:
    return int(text) if text else None


def check_everything_saved_once(invitations: list[Invitation]) -> None:
    assert Response.objects.count() == len(invitations)
    for n, invitation in enumerate(invitations):
        posts = choices(invitation, n)
        response = Response.objects.get(invitation=invitation)
        assert response.consented and response.submitted and response.page == "thanks"
        assert response.about["seniority"] == "middle"
        rows = [
            (t.network, t.alter_id or t.outsider, t.frequency) for t in response.nominations.all()
        ]
        assert len(rows) == len(set(rows)), "a nomination was saved twice"
        # The two versions of the innovation page serialise: one wins whole, never a mixture.
        assert set(rows) in (
            expected_ties(posts, "innovation-x"),
            expected_ties(posts, "innovation-y"),
        )
        answers = list(response.answers.values_list("item", "value"))
        wanted = {**posts["assessment-lifecycle"], **posts["assessment-triangle"]}
        assert sorted(answers) == sorted(wanted.items())


@pytest.fixture
def invitations() -> list[Invitation]:
    study = build_study(make_user("crowd_owner"), locality="Crowdham")
    study.survey_layout = "pages"  # the script posts network pages (the grid: test_survey_grid)
    study.save()
    return list(
        Invitation.objects.filter(wave__study=study)
        .select_related("wave__study")
        .order_by("participant__key")[:RESPONDENTS]
    )


def _answer(invitation: Invitation, n: int, script: tuple, barrier, failures: list) -> None:
    client = Client()
    posts = choices(invitation, n)
    try:
        barrier.wait()
        for step in script:
            status = post(client, invitation, step, posts)
            if status != 302:
                failures.append((invitation.participant_id, step, status))
    except Exception as error:  # noqa: BLE001 - reported to the test's thread below
        failures.append((invitation.participant_id, "error", repr(error)))
    finally:
        connection.close()


@pytest.mark.skipif(not on_postgres(), reason="needs PostgreSQL's row locks and many connections")
@pytest.mark.django_db(transaction=True)
def test_many_respondents_at_once_lose_nothing_and_duplicate_nothing(invitations):
    failures: list = []
    jobs = [(inv, n, script) for n, inv in enumerate(invitations) for script in SCRIPTS]
    barrier = threading.Barrier(len(jobs), timeout=60)
    threads = [
        threading.Thread(target=_answer, args=(inv, n, script, barrier, failures))
        for inv, n, script in jobs
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    check_everything_saved_once(invitations)
    assert Nomination.objects.count() == sum(r.nominations.count() for r in Response.objects.all())


@pytest.mark.django_db(transaction=True)
def test_the_same_script_one_request_at_a_time_saves_everything_once(invitations):
    for n, invitation in enumerate(invitations):
        client, posts = Client(), choices(invitation, n)
        for script in SCRIPTS:
            for step in script:
                assert post(client, invitation, step, posts) == 302
    check_everything_saved_once(invitations)
    assert Answer.objects.count() == RESPONDENTS * 3
