"""What a download of an export costs the web server: written in the request (as before issue 10)
against served from the bytes the worker stored.

``python -m bench.exports [--people 1000] [--requests 20]``

A synthetic locality (``generate_large``) is loaded into a fresh SQLite database (or the one
``DATABASE_URL`` names) as an answered wave and analysed. Then, for each export, it times what the
request used to do (read the stored result, write the file: ``export_content``), has the worker's
code write and store it (``reports_write``), and times whole requests for the ready file through
Django's test client, signed in as the owner: the median and the slowest of ``--requests``,
and the median processor time of this process (steadier on a shared machine; on SQLite it holds
the database's work too).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

from bench.django_site import setup_django

TARGET_MS = 100.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        return measure(args.people, args.requests)


def measure(people: int, requests: int) -> int:
    from django.test import Client
    from django.urls import reverse

    from bench.web import load_wave
    from placelab.web.studies.models import AnalysisRun, RunFile
    from placelab.web.studies.services.analysis import analysis_run_now
    from placelab.web.studies.services.reports import export_content, reports_write

    wave = load_wave(people)
    run = analysis_run_now(wave=wave)
    assert run.status == AnalysisRun.DONE, run.error
    run.files.all().delete()  # the reports: not measured here
    client = Client(HTTP_HOST="localhost")  # a host the debug settings allow
    client.force_login(wave.study.owner)
    slowest = 0.0
    for format in RunFile.EXPORT_FORMATS:
        started = time.perf_counter()
        content = export_content(AnalysisRun.objects.get(pk=run.pk).result, format)
        before = time.perf_counter() - started
        url = reverse(f"studies:analysis_{format}", args=[wave.study.pk, wave.number])
        assert client.get(url).status_code == 200  # the first request queues it
        reports_write(run_id=run.pk)
        times, cpu = [], []
        for _ in range(requests):
            started, processor = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - processor) * 1000)
            assert response.status_code == 200 and "Content-Disposition" in response
        slowest = max(slowest, statistics.median(times))
        print(
            f"{people:,} people, {format:<7} {len(content) / 1e6:5.2f} MB: written in the request "
            f"{before:6.2f} s; served stored: median {statistics.median(times):5.1f} ms, "
            f"slowest {max(times):5.1f} ms, processor {statistics.median(cpu):5.1f} ms",
            flush=True,
        )
    return 0 if slowest < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
