"""What a shorter self-assessment costs the diagnosis, measured on the demo's answers.

The demo's 92 respondents answered all 80 statements (examples/answers.csv). For each share
(statements per person) and each of ``--draws`` designs, every respondent keeps only the
statements the planned-missingness design (placelab.core.toolkit.planned) would have drawn for
them, and the diagnosis is run again. Printed per share, against the full answers:

- the 95% intervals of the 24 scale means: median width, and the ratio to the full answers';
- how often a short-form interval holds the full answers' mean (coverage);
- the largest gap between a short-form mean and the full one;
- alpha: the share of scales on which it is still given (with an interval), and the median
  width of those intervals;
- the lifecycle: how often the same phase comes top, its bootstrap share, and the share of
  respondents who agree with it most.

    .venv/bin/python -m bench.short_form [--shares 20,30,40] [--draws 10]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from placelab.core.io.tables import read_table
from placelab.core.io.validate import people_from_table
from placelab.core.toolkit import diagnose, load_bank, read_answers
from placelab.core.toolkit.planned import as_asked, planned_items

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _width(interval: list[float] | None) -> float:
    return interval[1] - interval[0] if interval else float("nan")


def _summary(full: dict, runs: list[dict]) -> dict:
    means, widths, covered, gaps, alphas, alpha_widths = [], [], [], [], [], []
    for run in runs:
        for f, p in zip(full["scales"], run["scales"], strict=True):
            low, high = p["interval"]
            widths.append(high - low)
            covered.append(low <= f["mean"] <= high)
            gaps.append(abs(p["mean"] - f["mean"]))
            alphas.append(p["alpha"]["interval"] is not None)
            alpha_widths.append(_width(p["alpha"]["interval"]))
            means.append(p["n"])
    life = [r["lifecycle"] for r in runs]
    top = full["lifecycle"]["leading"]["id"]
    return {
        "respondents per scale (median)": float(np.median(means)),
        "mean CI width (median)": float(np.median(widths)),
        "CI covers full mean": float(np.mean(covered)),
        "largest gap to full mean": float(np.max(gaps)),
        "scales with alpha": float(np.mean(alphas)),
        "alpha CI width (median)": float(np.nanmedian(alpha_widths)),
        "same phase": float(np.mean([x["leading"]["id"] == top for x in life])),
        "phase bootstrap share": float(np.mean([x["confidence"]["bootstrap_share"] for x in life])),
        "agree most with it": float(np.mean([x["agreement"] for x in life])),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shares", default="20,30,40")
    parser.add_argument("--draws", type=int, default=10)
    args = parser.parse_args()
    bank = load_bank()
    people = people_from_table(read_table(EXAMPLES / "people.csv"))
    answers = read_answers(EXAMPLES / "answers.csv", bank, people=people)
    full = diagnose(answers, bank=bank, people=people)
    rows = {"all 80": _summary(full, [full])}
    for share in (int(s) for s in args.shares.split(",")):
        runs = []
        for draw in range(args.draws):
            asked = {r: planned_items(bank, share, seed=f"{draw}:{r}") for r in answers.respondents}
            runs.append(diagnose(as_asked(answers, asked), bank=bank, people=people))
        rows[f"{share} each"] = _summary(full, runs)
    names = list(rows)
    print(f"{'':32}" + "".join(f"{n:>10}" for n in names))
    for key in rows[names[0]]:
        print(f"{key:32}" + "".join(f"{rows[n][key]:>10.2f}" for n in names))


if __name__ == "__main__":
    main()
