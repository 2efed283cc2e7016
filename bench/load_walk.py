"""The respondents of ``bench.load``: each walks the survey over HTTP as a browser would.

No Django here: a child process gets plain plans (token, pages, what to answer) and returns
plain records. Many respondents share one asyncio loop, and a few such processes share the
load, so that 200 people reading and clicking cost the machine little beside the server. The
HTTP client is the smallest that does the job (HTTP/1.1, one connection per request, as a
gunicorn sync worker closes each connection anyway), so that no dependency is added.
"""

from __future__ import annotations

import asyncio
import random
import re
import resource
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_SECONDS = 60.0  # one request waits this long at most, then counts as an error
LAG_TICK = 0.1  # the loop's lateness is sampled this often: a busy generator shows up here


@dataclass
class Page:
    slug: str
    kind: str
    key: str  # the network or item group the page asks about
    form: list[tuple[str, str]]  # what is posted, less the CSRF token


@dataclass
class Plan:
    """One respondent: their link, their pages in order and what each page posts."""

    number: int
    token: str
    pages: list[Page]
    doubled: bool = False  # posts one network page twice at once, then submits twice at once


@dataclass
class Record:
    kind: str  # e.g. "network GET"
    status: int
    seconds: float
    error: str = ""


@dataclass
class Outcome:
    """What one load process saw: every request, and what the server acknowledged."""

    records: list[Record] = field(default_factory=list)
    acknowledged: dict[int, list[str]] = field(default_factory=dict)  # respondent -> page slugs
    stopped: list[str] = field(default_factory=list)  # why a respondent could not go on
    finished: int = 0
    lag: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0


class Client:
    """One respondent's browser: a cookie jar and a connection per request."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    async def send(self, method: str, path: str, form: list | None = None) -> tuple[int, dict, str]:
        body = urlencode(form or []).encode() if method == "POST" else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: close"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            head += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            raw = await reader.read()
        finally:
            writer.close()
        return self._parse(raw)

    def _parse(self, raw: bytes) -> tuple[int, dict, str]:
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
            headers[name] = value
        if headers.get("transfer-encoding") == "chunked":
            body = _unchunk(body)
        return status, headers, body.decode("utf-8", "replace")


def _unchunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size, _, rest = rest.partition(b"\r\n")
        length = int(size.split(b";")[0] or b"0", 16)
        if length == 0:
            break
        out, rest = out + rest[:length], rest[length + 2 :]
    return out


class Walker:
    """Drives the respondents of one process and keeps what they saw."""

    def __init__(self, host: str, port: int, think: float, deadline: float, seed: int):
        self.host, self.port, self.think, self.deadline = host, port, think, deadline
        self.random = random.Random(seed)
        self.outcome = Outcome()

    async def timed(self, client: Client, kind: str, method: str, path: str, form=None):
        """One request, recorded; None when it failed at the transport (timeout, refused)."""
        started = time.perf_counter()
        try:
            left = max(0.1, min(REQUEST_SECONDS, self.deadline - time.time()))
            found = await asyncio.wait_for(client.send(method, path, form), left)
        except (TimeoutError, OSError, ValueError, IndexError) as error:
            seconds = time.perf_counter() - started
            self.outcome.records.append(Record(f"{kind} {method}", 0, seconds, repr(error)))
            return None
        status = found[0]
        self.outcome.records.append(
            Record(f"{kind} {method}", status, time.perf_counter() - started)
        )
        return found

    async def pause(self) -> None:
        """A person reading the page and answering: the stated think time, +-50 per cent."""
        if self.think > 0:
            await asyncio.sleep(self.think * self.random.uniform(0.5, 1.5))

    def fail(self, kind: str, why: str) -> None:
        self.outcome.stopped.append(f"{kind}: {why}")

    async def respondent(self, plan: Plan) -> None:
        client = Client(self.host, self.port)
        base = f"/s/{plan.token}/"
        # People arrive over the first think time, not all in one millisecond.
        await asyncio.sleep(self.random.uniform(0, self.think))
        found = await self.timed(client, "start", "GET", base)
        if found is None or found[0] != 302:
            return self.fail("start GET", f"the link answered {found and found[0]}, not a redirect")
        acknowledged = self.outcome.acknowledged.setdefault(plan.number, [])
        for n, page in enumerate(plan.pages):
            if time.time() > self.deadline:
                return self.fail(f"{page.kind} GET", "the time limit came first")
            path = f"{base}{page.slug}/"
            found = await self.timed(client, page.kind, "GET", path)
            if found is None or found[0] != 200:
                return self.fail(f"{page.kind} GET", f"answered {found and found[0]}")
            if n == len(plan.pages) - 1:  # the thanks page: nothing to post
                self.outcome.finished += 1
                return
            token = CSRF.search(found[2])
            if token is None:
                return self.fail(f"{page.kind} GET", "no CSRF token in the form")
            await self.pause()
            form = [("csrfmiddlewaretoken", token.group(1)), *page.form]
            following = f"{base}{plan.pages[n + 1].slug}/"
            doubled = ("network", "people", "grid", "review")
            posts = 2 if plan.doubled and page.kind in doubled else 1
            if not await self.post(client, page, path, form, following, posts):
                return
            acknowledged.append(page.slug)

    async def post(self, client: Client, page: Page, path: str, form, following: str, times: int):
        """Post the page (``times`` at once: a double click); every one must be acknowledged
        with the redirect to the next page, or the respondent stops here."""
        sent = [self.timed(client, page.kind, "POST", path, form) for _ in range(times)]
        for found in await asyncio.gather(*sent):
            if found is None:
                return False
            status, headers, _body = found
            if status != 302 or not headers.get("location", "").endswith(following):
                self.fail(f"{page.kind} POST", f"answered {status} {headers.get('location', '')}")
                return False
        return True

    async def watch_lag(self) -> None:
        """How late the loop wakes: if the generator were short of CPU, this would grow."""
        while True:
            before = time.perf_counter()
            await asyncio.sleep(LAG_TICK)
            self.outcome.lag.append(time.perf_counter() - before - LAG_TICK)

    async def run(self, plans: list[Plan], start_at: float) -> Outcome:
        await asyncio.sleep(max(0.0, start_at - time.time()))
        watcher = asyncio.create_task(self.watch_lag())
        await asyncio.gather(*(self.respondent(plan) for plan in plans))
        watcher.cancel()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.outcome.cpu_seconds = usage.ru_utime + usage.ru_stime
        return self.outcome


def walk(
    plans: list[Plan], host: str, port: int, think: float, start_at: float, deadline: float
) -> Outcome:
    """The entry point of one load process."""
    walker = Walker(host, port, think, deadline, seed=plans[0].number if plans else 0)
    return asyncio.run(walker.run(plans, start_at))
