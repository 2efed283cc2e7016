"""How long the study report takes at 1,000 people: the full HTML and PDF, against the analysis.

``python -m bench.report [--people 1000] [--seed 2007] [--sections] [--pdf FILE]``

The demo locality's generator (``placelab.core.demo.generate_locality``) makes the people, ties
and self-assessment answers, written to files as a user has them. The baseline, in the same run,
is the work before the report: reading and analysing the files and diagnosing the answers. Then
it times the report's parts: building the model (which draws the maps' SVG), the HTML, and the
PDF that headless Chromium prints from that HTML, and tells what the maps cost by printing it
again with each map replaced by an empty image of the same size. CPU seconds count Chromium's
processes too.

Targets (issue 9): the full HTML and PDF under 10 s together, the PDF under 10 MB. Exits 1 when
one is missed or a step fails.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import os
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SECONDS_TARGET = 10.0
MB_TARGET = 10.0
_MAP = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


CPU: dict[str, float] = {}  # processor seconds of each step: on a shared machine, the steadier


def timed(times: dict[str, float], name: str, work: Callable):
    start, cpu = time.perf_counter(), _cpu()
    value = work()
    times[name], CPU[name] = time.perf_counter() - start, _cpu() - cpu
    print(f"  {name:<44} {times[name]:7.2f} s", file=sys.stderr, flush=True)
    return value


def _cpu() -> float:
    """Processor seconds of this process and of its finished children (Chromium)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def inputs(folder: Path, people: int, seed: int) -> tuple[Path, Path, Path]:
    """The demo locality at ``people`` people, with answers, written as CSV files."""
    from placelab.core.demo import generate_locality, write_locality
    from placelab.core.io.tables import read_table
    from placelab.core.io.validate import people_from_table
    from placelab.core.toolkit.demo_answers import generate_answers

    roster, ties = generate_locality(people=people, seed=seed)
    people_path, ties_path = write_locality(folder, roster, ties)
    answers = generate_answers(people_from_table(read_table(people_path)))
    answers.to_csv(folder / "answers.csv", index=False)
    return people_path, ties_path, folder / "answers.csv"


def analyse(files: tuple[Path, Path, Path], times: dict[str, float]) -> tuple[dict, dict]:
    """The baseline: the files read, analysed and diagnosed, as ``placelab report`` does."""
    from placelab.core.study import load
    from placelab.core.toolkit.diagnosis import diagnose_files

    people, ties, answers = files
    study = load(people, ties)
    result = timed(times, "baseline: analysis (read + analyse files)", study.to_dict)
    diagnosis = timed(
        times, "baseline: diagnosis",
        lambda: diagnose_files(answers, people, network_findings=study.findings),
    )  # fmt: skip
    return result, diagnosis


def render(result: dict, diagnosis: dict, times: dict[str, float]) -> tuple[Any, bytes, dict]:
    """The full report, timed part by part; returns it, its PDF and facts about it."""
    from placelab.report import About, build_report, render_html
    from placelab.report.pdf import html_to_pdf

    about = About(title="Bench locality", locality="Benchton", field="Secondary education")
    report = timed(times, "report model (with the maps' SVG)", lambda: build_report(
        result, diagnosis, about=about))  # fmt: skip
    page = timed(times, "HTML", lambda: render_html(report))
    pdf = timed(times, "PDF: Chromium printing the HTML", lambda: html_to_pdf(page))
    maps = [base64.b64decode(m) for m in _MAP.findall(page)]
    facts = {"pages": pages(pdf), "maps": len(maps), "map_kb": sum(map(len, maps)) / 1e3,
             "page": page}  # fmt: skip
    return report, pdf, facts


def by_section(report: Any) -> list[tuple[str, int, float, int]]:
    """Each section's PDF alone: (section, pages, seconds, maps), to tell where the time goes.

    Each alone also prints the cover and contents and starts Chromium, about a second."""
    from placelab.report import render_html
    from placelab.report.pdf import html_to_pdf

    rows = []
    for section in report.sections:
        page = render_html(dataclasses.replace(report, sections=(section,)))
        start = _cpu()
        pdf = html_to_pdf(page)
        rows.append((section.id, pages(pdf), _cpu() - start, len(_MAP.findall(page))))
    return rows


def without_maps(page: str, times: dict[str, float]) -> bytes:
    """The same PDF with each map an empty SVG of its size: what the rest of the report costs."""
    from placelab.report.pdf import html_to_pdf

    def blank(match: re.Match) -> str:
        svg = base64.b64decode(match.group(1)).decode("utf-8")
        box = re.search(r'viewBox="([^"]+)"', svg)
        empty = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box.group(1) if box else ""}"/>'
        return f'src="data:image/svg+xml;base64,{base64.b64encode(empty.encode()).decode()}"'

    bare = _MAP.sub(blank, page)
    return timed(times, "PDF with every map left empty", lambda: html_to_pdf(bare))


def verdicts(times: dict[str, float], pdf: bytes) -> list[tuple[str, float, float]]:
    report_parts = ("report model", "HTML", "PDF: ")  # not the PDF without maps
    seconds = sum(s for name, s in times.items() if name.startswith(report_parts))
    return [
        ("full HTML and PDF, seconds", seconds, SECONDS_TARGET),
        ("PDF size, MB", len(pdf) / 1e6, MB_TARGET),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2007)
    parser.add_argument("--pdf", type=Path, help="keep the PDF here")
    parser.add_argument(
        "--sections", action="store_true", help="also time each section's PDF alone"
    )
    args = parser.parse_args(argv)
    times: dict[str, float] = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            files = inputs(Path(folder), args.people, args.seed)
            result, diagnosis = analyse(files, times)
        report, pdf, facts = render(result, diagnosis, times)
        bare = without_maps(facts["page"], times)
        sections = by_section(report) if args.sections else []
    except Exception as error:  # noqa: BLE001 (any failure is the case failing)
        print(f"FAILED: the report at {args.people:,} people: {error!r}", file=sys.stderr)
        return 1
    if args.pdf:
        args.pdf.write_bytes(pdf)
    return print_summary(args.people, times, pdf, bare, facts, sections)


def print_summary(people, times, pdf, bare, facts, sections) -> int:
    load = os.getloadavg()[0]
    print(
        f"\nThe report at {people:,} people (load average {load:.1f} over {os.cpu_count()} cores):"
    )
    print(f"  {'step':<44} {'wall s':>7} {'CPU s':>7}")
    for name, seconds in times.items():
        print(f"  {name:<44} {seconds:7.2f} {CPU[name]:7.2f}")
    print(
        f"  {facts['pages']} pages, {facts['maps']} maps ({facts['map_kb']:,.0f} kB of SVG); "
        f"PDF {len(pdf) / 1e6:.2f} MB, {len(bare) / 1e6:.2f} MB with the maps left empty"
    )
    if sections:
        print("\nEach section's PDF alone (with the cover and contents), CPU seconds:")
        for section, pages, seconds, maps in sections:
            print(f"  {section:<12} {pages:>4} pages {seconds:7.2f} s  {maps} maps")
    failed = False
    print("\nTargets:")
    for text, value, limit in verdicts(times, pdf):
        met = value < limit
        failed |= not met
        print(f"  [{'PASS' if met else 'FAIL'}] {text} {value:.2f} (under {limit:g})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
