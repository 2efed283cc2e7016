"""200 respondents answering the survey at once, against gunicorn and PostgreSQL on loopback.

``python -m bench.load [--respondents 200] [--think 30] [--time-limit 1200]``

It makes a fresh PostgreSQL database (``--database-url``; it is dropped and created anew),
migrates it, puts a study with an open wave and ``--respondents`` + 20 invited people in it,
starts gunicorn (``placelab/web/gunicorn_conf.py`` when it is there), and has every respondent
walk the whole survey over HTTP at once: the link, consent, about you, every network page with
a few names, every self-assessment page, review, submit, thanks. Each page is read (GET, its
CSRF token taken from the form), thought about for ``--think`` seconds (+-50 per cent), and
posted; the POST must be acknowledged with the redirect to the next page. A few respondents
(``--doubles``) post one network page twice at once and submit twice at once.

Afterwards it checks in the database that every acknowledged answer is there exactly once, and
prints, per page and method, requests, errors and p50/p95/max as the respondent waited, and the
server's own time from gunicorn's access log (the difference is time spent queueing). It exits
1 on any error, any answer missing or duplicated, a p95 of 1 s or more, or the time limit.
See ``bench/README.md``, "Load".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlsplit

from bench.load_data import (
    check_exactly_once,
    drop_database,
    make_plans,
    make_study,
    prepare_database,
)
from bench.load_walk import Outcome, walk

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/placelab_load"
GUNICORN_CONF = ROOT / "placelab" / "web" / "gunicorn_conf.py"
# Seconds a respondent spends on a page before posting it (+-50 per cent): half of what the
# survey itself announces (15 to 20 minutes for its 16 pages, about a minute a page), so twice
# the pace the survey expects (bench/README.md, "Load").
THINK = 30.0
# gunicorn_conf.py's own default: two per core plus one.
DEFAULT_WORKERS = 2 * (os.cpu_count() or 1) + 1
P95_TARGET = 1.0  # seconds: every kind of survey request, as the respondent waits
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"  # method, path, status, microseconds in the worker


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    deadline = time.time() + args.time_limit
    with tempfile.TemporaryDirectory(prefix="placelab-load-") as folder:
        env = server_env(args, Path(folder))
        os.environ.update(env)
        plans, order, spare = setup(args)
        log = Path(folder) / "access.log"
        server = start_server(args, env, log)
        try:
            wait_until_serving(args.port, server, deadline)
            warm_up(args, spare)
            started, load_before = time.time(), os.getloadavg()[0]
            outcomes = drive(args, plans, deadline)
            elapsed, load_after = time.time() - started, os.getloadavg()[0]
            database_cpu = postgres_cpu(args.database_url)
            before = children_cpu()  # the load processes have ended; gunicorn has not
        finally:
            stop_server(server)
        server_cpu = children_cpu() - before  # gunicorn and its workers, warm-up included
        server_seconds = read_access_log(log, order)
        server_errors = log.with_suffix(".err").read_text().splitlines()
    records = [r for o in outcomes for r in o.records]
    checked = check_exactly_once(plans, merge_acknowledged(outcomes))
    summary = summarise(args, records, outcomes, server_seconds, checked, elapsed)
    summary["machine"] = {
        "server_cpu_seconds": server_cpu,
        "database_cpu_seconds": database_cpu,
        "load_average": [load_before, load_after],
        "cores": os.cpu_count(),
    }
    print_summary(summary)
    if summary["error_count"]:
        tail = [line for line in server_errors if "Traceback" in line or "Error" in line]
        print("\nThe server's log said:\n  " + "\n  ".join(tail[-10:] or server_errors[-10:]))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    if args.drop:
        from django.db import connections

        connections.close_all()
        drop_database(args.database_url)
    return 0 if summary["passed"] else 1


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument(
        "--think", type=float, default=THINK, help=f"mean seconds on a page (default {THINK:g})"
    )
    parser.add_argument(
        "--time-limit", type=float, default=1200.0, help="seconds for everything (default 1200)"
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("PLACELAB_WEB_WORKERS") or DEFAULT_WORKERS),
    )
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument("--doubles", type=int, default=5, help="respondents who post twice at once")
    parser.add_argument("--port", type=int, default=0, help="default: a free loopback port")
    parser.add_argument(
        "--p95-limit", type=float, default=P95_TARGET,
        help=f"seconds every kind of page must be under at p95 (default {P95_TARGET:g}, the target)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--drop", action="store_true", help="drop the database at the end (default: keep it)"
    )
    args = parser.parse_args(argv)
    args.port = args.port or free_port()
    return args


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(args: argparse.Namespace, folder: Path) -> dict[str, str]:
    """Production settings (DEBUG off) on plain HTTP over loopback."""
    return {
        "DJANGO_SETTINGS_MODULE": "placelab.web.settings",
        "DATABASE_URL": args.database_url,
        "PLACELAB_DEBUG": "0",
        "PLACELAB_SECRET_KEY": secrets.token_urlsafe(50),
        "PLACELAB_ALLOWED_HOSTS": "127.0.0.1",
        "PLACELAB_SSL_REDIRECT": "0",
        "PLACELAB_SECURE_COOKIES": "0",
        "PLACELAB_HSTS_SECONDS": "0",
        "PLACELAB_DATA_DIR": str(folder),
        "PLACELAB_SITE_URL": f"http://127.0.0.1:{args.port}",
        "PLACELAB_WEB_WORKERS": str(args.workers),
        "PLACELAB_BIND": f"127.0.0.1:{args.port}",
    }


def setup(args: argparse.Namespace):
    say(f"-- a fresh database, {args.database_url.rsplit('/', 1)[-1]}; migrating; the study")
    prepare_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production serves them so
    wave, order = make_study(args.respondents + 20, seed=args.seed)
    plans = make_plans(wave, args.respondents, args.doubles, seed=args.seed)
    spare = wave.invitations.exclude(token__in=[p.token for p in plans]).first().token
    connections.close_all()
    return plans, order, spare


def server_command(args: argparse.Namespace, log: Path) -> list[str]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    logging = ["--access-logfile", str(log), "--access-logformat", ACCESS_FORMAT]
    if GUNICORN_CONF.exists():
        return [gunicorn, "-c", str(GUNICORN_CONF), *logging, "placelab.web.wsgi"]
    bind = f"127.0.0.1:{args.port}"
    return [gunicorn, "--workers", str(args.workers), "--bind", bind, *logging, "placelab.web.wsgi"]


def start_server(args: argparse.Namespace, env: dict, log: Path) -> subprocess.Popen:
    command = server_command(args, log)
    say(f"-- serving: {' '.join(Path(c).name if c.startswith('/') else c for c in command)}")
    return subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
        stderr=open(log.with_suffix(".err"), "w"), start_new_session=True,
    )  # fmt: skip


def wait_until_serving(port: int, server: subprocess.Popen, deadline: float) -> None:
    give_up = min(deadline, time.time() + 60)
    while time.time() < give_up:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at once (status {server.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 s")


def warm_up(args: argparse.Namespace, token: str) -> None:
    """A few pages for each gunicorn worker before the clock starts, as a server that has been
    up a while has: its templates read, its database connections open. The link is one of the
    invited people who take no part."""

    def get(_n: int) -> None:
        url = f"http://127.0.0.1:{args.port}/s/{token}/consent/"
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=30).read()

    with ThreadPoolExecutor(args.workers) as pool:
        list(pool.map(get, range(args.workers * 4)))


def children_cpu() -> float:
    """CPU seconds of every process this one started and saw end, and of their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def postgres_cpu(url: str) -> float:
    """CPU seconds so far of the PostgreSQL backends serving the benchmark's database (the
    server's pooled connections, opened at the warm-up)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    maintenance = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance) as connection:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = %s"
        pids = [row[0] for row in connection.execute(query, [name])]
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def drive(args: argparse.Namespace, plans: list, deadline: float) -> list[Outcome]:
    """Split the respondents over ``--processes`` processes, each one asyncio loop, all starting
    at the same moment."""
    say(f"-- {len(plans)} respondents, think {args.think:g} s, {args.processes} load processes")
    shares = [plans[n :: args.processes] for n in range(args.processes)]
    start_at = time.time() + 3  # time for the processes to start
    context = get_context("spawn")  # the children need no Django: start them clean
    with ProcessPoolExecutor(args.processes, mp_context=context) as pool:
        futures = [
            pool.submit(walk, share, "127.0.0.1", args.port, args.think, start_at, deadline)
            for share in shares
            if share
        ]
        return [f.result() for f in futures]


def merge_acknowledged(outcomes: list[Outcome]) -> dict[int, list[str]]:
    merged: dict[int, list[str]] = {}
    for outcome in outcomes:
        merged.update(outcome.acknowledged)
    return merged


def read_access_log(log: Path, order: dict[str, str]) -> dict[str, list[float]]:
    """Seconds each request spent in a gunicorn worker, by the same kinds as the client's."""
    found: dict[str, list[float]] = {}
    if not log.exists():
        return found
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        method, path, _status, micros = parts
        pieces = [p for p in path.split("/") if p]
        kind = "start" if len(pieces) == 2 else order.get(pieces[-1], "other")
        found.setdefault(f"{kind} {method}", []).append(int(micros) / 1e6)
    return found


# --- the figures -------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least ``share`` of them at or below it."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-share * len(ordered) // 1)) - 1))]


def summarise(args, records, outcomes, server_seconds, checked, elapsed) -> dict:
    kinds: dict[str, dict] = {}
    for kind in sorted({r.kind for r in records}, key=_kind_order):
        mine = [r for r in records if r.kind == kind]
        waited = [r.seconds for r in mine if r.status]
        served = server_seconds.get(kind, [])
        kinds[kind] = {
            "requests": len(mine),
            "errors": sum(1 for r in mine if r.error or r.status >= 400 or not r.status),
            "p50": percentile(waited, 0.5), "p95": percentile(waited, 0.95),
            "max": max(waited, default=0.0),
            "server_p50": percentile(served, 0.5), "server_p95": percentile(served, 0.95),
        }  # fmt: skip
    lag = [x for o in outcomes for x in o.lag]
    errors = [f"{r.kind}: {r.error or r.status}" for r in records if r.error or r.status >= 400]
    errors += [why for o in outcomes for why in o.stopped]
    slow = [k for k, v in kinds.items() if v["p95"] >= args.p95_limit]
    finished = sum(o.finished for o in outcomes)
    summary = {
        "respondents": args.respondents, "think": args.think, "workers": args.workers,
        "processes": args.processes, "p95_limit": args.p95_limit, "finished": finished, "seconds": elapsed,
        "requests": len(records), "kinds": kinds, "errors": errors[:20],
        "error_count": len(errors), "slow": slow, "check": checked,
        "generator": {"cpu_seconds": sum(o.cpu_seconds for o in outcomes),
                      "lag_p95": percentile(lag, 0.95), "lag_max": max(lag, default=0.0)},
    }  # fmt: skip
    summary["passed"] = not errors and not slow and checked["ok"] and finished == args.respondents
    return summary


def _kind_order(kind: str) -> tuple[int, str]:
    page = kind.split()[0]
    order = ["start", "consent", "about", "network", "assessment", "review", "thanks"]
    return (order.index(page) if page in order else len(order), kind)


def print_summary(s: dict) -> None:
    print(
        f"\n{s['respondents']} respondents, think {s['think']:g} s a page, gunicorn "
        f"{s['workers']} workers; {s['finished']} finished in {s['seconds']:.0f} s, "
        f"{s['requests']:,} requests ({s['requests'] / max(s['seconds'], 1e-9):.0f} a second)"
    )
    header = (
        f"{'page':<18} {'requests':>8} {'errors':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"
        f" {'server p50':>10} {'server p95':>10}"
    )
    print(header + "\n" + "-" * len(header))
    for kind, k in s["kinds"].items():
        print(
            f"{kind:<18} {k['requests']:>8,} {k['errors']:>6} {k['p50']:>7.3f} {k['p95']:>7.3f} "
            f"{k['max']:>7.3f} {k['server_p50']:>10.3f} {k['server_p95']:>10.3f}"
        )
    g = s["generator"]
    print(
        f"\nLoad generator: {g['cpu_seconds']:.1f} CPU seconds in all; its event loops woke "
        f"late by {g['lag_p95'] * 1000:.1f} ms at p95, {g['lag_max'] * 1000:.1f} ms at most."
    )
    m = s.get("machine")
    if m:
        print(
            f"Server: {m['server_cpu_seconds']:.1f} CPU seconds in gunicorn "
            f"({m['server_cpu_seconds'] / max(s['requests'], 1) * 1000:.1f} ms a request), "
            f"{m['database_cpu_seconds']:.1f} in PostgreSQL's backends; load average {m['load_average'][0]:.1f} before, "
            f"{m['load_average'][1]:.1f} after, on {m['cores']} cores."
        )
    c = s["check"]
    print(
        f"Exactly once: {c['responses']} responses, {c['nominations']:,} nominations, "
        f"{c['answers']:,} answers and {c['submitted']} submissions acknowledged; "
        f"{len(c['problems'])} missing or duplicated."
    )
    for problem in c["problems"][:20]:
        print(f"  {problem}")
    for error in s["errors"]:
        print(f"  error: {error}")
    verdict = "PASS" if s["passed"] else "FAIL"
    limit = s["p95_limit"]
    print(f"[{verdict}] zero errors, everyone finished, p95 under {limit:g} s, exactly once")


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
