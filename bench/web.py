"""How long the web takes to turn a wave's rows into the core's inputs, against the CLI's files.

``python -m bench.web [--sizes 1000,10000]``

For each size, a synthetic locality (``generate_large``) is loaded into a fresh SQLite database
(or the one ``DATABASE_URL`` names) as an answered wave; then, in the same run, the CLI reads
the same data from the exported ``people.csv`` and ``ties.csv`` (the baseline), and the web's
``wave_inputs`` reads it from the database. The ratio web / CLI says what the database costs;
the analysis page pays it each time it checks whether answers have changed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.django_site import setup_django


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        for people in (int(s) for s in args.sizes.split(",")):
            print(measure(people, Path(folder)), flush=True)
    return 0


def measure(people: int, folder: Path) -> str:
    from placelab.core.study import read_study
    from placelab.web.studies.selectors.analysis_inputs import wave_export, wave_inputs

    wave = load_wave(people)
    files = wave_export(wave=wave, folder=folder)
    started = time.perf_counter()
    from_files = read_study(files["people.csv"], files["ties.csv"], networks=wave.study.networks)
    cli = time.perf_counter() - started
    started = time.perf_counter()
    from_database = wave_inputs(wave).data
    web = time.perf_counter() - started
    assert from_database.fingerprint() == from_files.fingerprint()
    return (
        f"{people:>7,} people, {len(from_files.ties):>9,} ties: CLI reads the files in "
        f"{cli:6.2f} s, the web reads the database in {web:6.2f} s ({web / cli:4.1f} x)"
    )


def load_wave(people: int):
    """The locality as a closed, answered wave, loaded as the demo loader loads it."""
    import pandas as pd
    from django.contrib.auth import get_user_model

    from placelab.core.demo import generate_large
    from placelab.web.studies.management.commands.load_demo import answered_study

    roster, ties = generate_large(people, seed=1)
    roster = roster.set_index("id").assign(responded=roster.set_index("id")["responded"] == "yes")
    ties = ties.astype(str)
    answers = pd.DataFrame(columns=["respondent", "item", "answer"])
    owner, _ = get_user_model().objects.get_or_create(username=f"bench-{people}")
    return answered_study(owner, roster, ties, answers).waves.get()


if __name__ == "__main__":
    sys.exit(main())
