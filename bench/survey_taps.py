"""How many taps and pages a respondent on a phone needs to submit the survey, in each layout.

``python -m bench.survey_taps [--json taps.json]``

A throwaway site (SQLite in a temporary folder, the demo's generator for a 60-person roster,
one open wave) is served by gunicorn; Debian's chromium, driven by Playwright at 390 x 844 with
touch, answers the survey as the issue's target respondent does: five people named with how
often, each in three of the seven networks on average, and every self-assessment statement the
pages show answered with one tap. A tap is a click, a tick or a choice from a list; typing is
counted as text (characters), not taps. A page is each survey page shown up to "submitted"
(the thanks page not counted). It runs the grid (the default), then a page per network.

It exits 1 if the grid needs more than 60 taps or 8 pages (issue 11's target). See
``bench/README.md``, "Survey taps".
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.load import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
PEOPLE, NETWORKS_EACH = 5, 3
TAPS_LIMIT, PAGES_LIMIT = 60, 8


@dataclass
class Count:
    layout: str
    taps: int = 0
    typed: int = 0  # characters
    pages: list[str] = field(default_factory=list)
    statements: int = 0

    def tap(self, locator) -> None:
        self.taps += 1
        locator.click()

    def tick(self, locator) -> None:
        self.taps += 1
        locator.check()

    def choose(self, locator, option: str) -> None:
        self.taps += 1
        locator.select_option(option)

    def type(self, locator, text: str) -> None:
        self.typed += len(text)
        locator.fill(text)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = args.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="placelab-taps-") as folder:
        env = site_env(Path(folder), free_port())
        os.environ.update(env)
        tokens, names, networks = make_site()
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "placelab/web/gunicorn_conf.py",
             "placelab.web.wsgi"], cwd=ROOT, env={**os.environ, **env},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_until_serving(
                int(env["PLACELAB_BIND"].rsplit(":", 1)[1]), server, time.time() + 60
            )
            base = env["PLACELAB_SITE_URL"]
            counts = [walk(base, tokens["grid"], names, networks, "grid")]
            set_layout("pages")
            counts.append(walk(base, tokens["pages"], names, networks, "pages"))
        finally:
            server.terminate()
            server.wait(timeout=20)
    return report(counts, args.json)


def site_env(folder: Path, port: int) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "placelab.web.settings",
        "PLACELAB_DATA_DIR": str(folder),
        "PLACELAB_DEBUG": "1",
        "PLACELAB_SECRET_KEY": secrets.token_urlsafe(50),
        "PLACELAB_BIND": f"127.0.0.1:{port}",
        "PLACELAB_SITE_URL": f"http://127.0.0.1:{port}",
        "PLACELAB_WEB_WORKERS": "2",
    }


def make_site() -> tuple[dict[str, str], list[str], list[str]]:
    """The study (grid layout), two respondents' tokens, the names the respondents pick."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from bench.load_data import make_study
    from placelab.core.toolkit.planned import SHORT_FORM

    call_command("migrate", verbosity=0)
    wave, _order = make_study(60, seed=11)
    # As the set-up makes a new study (services.studies.study_create): each respondent asked
    # a share of the statements.
    wave.study.assessment_statements = SHORT_FORM
    wave.study.save()
    invitations = list(wave.invitations.select_related("participant").order_by("participant__key"))
    respondents = {invitations[0].participant_id, invitations[1].participant_id}
    names = [i.participant.name for i in invitations if i.participant_id not in respondents]
    tokens = {"grid": invitations[0].token, "pages": invitations[1].token}
    networks = list(wave.study.networks)
    connections.close_all()
    return tokens, names[:PEOPLE], networks


def set_layout(layout: str) -> None:
    from placelab.web.studies.models import Study

    Study.objects.update(survey_layout=layout)


def ticked(person: int, networks: list[str]) -> list[str]:
    """The networks the respondent ticks for their n-th person: three, in turn round the list."""
    return [networks[(person + k) % len(networks)] for k in range(NETWORKS_EACH)]


def walk(base: str, token: str, names: list[str], networks: list[str], layout: str) -> Count:
    from playwright.sync_api import sync_playwright

    count = Count(layout)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport=PHONE, has_touch=True)
        page.goto(f"{base}/s/{token}/")
        while "/thanks/" not in page.url:
            slug = page.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
            count.pages.append(slug)
            answer(page, slug, count, names, networks)
        browser.close()
    return count


def answer(page, slug: str, count: Count, names: list[str], networks: list[str]) -> None:
    save = page.get_by_role("button", name="Save and continue")
    if slug == "consent":
        count.tick(page.get_by_label("I have read this and agree to take part"))
        save = page.get_by_role("button", name="Agree and continue")
    elif slug == "people":
        pick(page, count, names)
    elif slug == "grid":
        for n, name in enumerate(names):
            for network in ticked(n, networks):
                label = network.replace("_", " ").capitalize()
                count.tick(page.get_by_role("checkbox", name=f"{label} · {name}"))
    elif slug.startswith("network-"):
        key = slug.removeprefix("network-")
        pick(page, count, [name for n, name in enumerate(names) if key in ticked(n, networks)])
    elif slug.startswith("assessment-"):
        for item in page.locator("fieldset.item").all():
            count.tick(item.get_by_role("radio").nth(3))  # "Agree"
            count.statements += 1
    elif slug == "review":
        save = page.get_by_role("button", name="Submit my answers")
    current = page.url
    count.tap(save)
    page.wait_for_url(lambda url: url != current)


def pick(page, count: Count, names: list[str]) -> None:
    """Each person through the type-ahead: the box tapped once (it keeps the focus after a
    pick), the name typed, the match tapped, how often chosen."""
    box = page.get_by_role("combobox", name="Find someone on the list")
    if names:
        count.tap(box)
    for name in names:
        count.type(box, name)
        option = page.get_by_role("listbox").get_by_role("option", name=name)
        count.tap(option.first)
        count.choose(page.get_by_label(f"How often are you in touch with {name}?"), "Weekly")


def report(counts: list[Count], path: Path | None) -> int:
    print(f"A phone respondent naming {PEOPLE} people, each in {NETWORKS_EACH} networks:")
    print(f"  {'layout':8} {'taps':>5} {'pages':>5} {'typed':>6} {'statements':>10}")
    for c in counts:
        print(f"  {c.layout:8} {c.taps:5} {len(c.pages):5} {c.typed:6} {c.statements:10}")
    for c in counts:
        print(f"  {c.layout} pages: {', '.join(c.pages)}")
    grid = counts[0]
    passed = grid.taps <= TAPS_LIMIT and len(grid.pages) <= PAGES_LIMIT
    verdict = "PASS" if passed else "FAIL"
    print(f"[{verdict}] the grid: {grid.taps} taps (at most {TAPS_LIMIT}), "
          f"{len(grid.pages)} pages (at most {PAGES_LIMIT})")  # fmt: skip
    if path:
        path.write_text(json.dumps([asdict(c) for c in counts], indent=2))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
