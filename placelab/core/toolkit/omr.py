"""PASCAL's conditions for social innovation: opportunity x motivation x resources.

PASCAL proposes that social innovation is more likely where those involved have the
opportunity, the motivation and the resources to change, and writes it as a product, for
service providers and for communities alike. placelab's reading of it:

- each condition's level is its scale mean rescaled from 1-5 to 0-1: ``(mean - 1) / 4``;
- the product of the three levels is 0 to 1; one condition near zero pulls it to zero, which is
  what a product says and a mean would hide;
- the balanced level is the product's cube root (the geometric mean), back on the 0-1 scale
  of a single condition, easier to read than a product;
- the limiting factor is the condition with the lowest level (several when within
  ``tie_margin`` of it).
"""

from __future__ import annotations

CONDITIONS = ("opportunity", "motivation", "resources")
TIE_MARGIN = 0.05


def omr_scores(
    means: dict[str, float | None], targets: dict[str, dict], *, tie_margin: float = TIE_MARGIN
) -> dict[str, dict]:
    """For each target ("providers", "community"): levels, product, balanced level, limits."""
    return {
        name: _target(spec["label"], spec["scales"], means, tie_margin)
        for name, spec in targets.items()
        if any(means.get(scale) is not None for scale in spec["scales"].values())
    }


def _target(label: str, scales: dict[str, str], means: dict, tie_margin: float) -> dict:
    levels = {condition: _level(means.get(scales[condition])) for condition in CONDITIONS}
    known = {k: v for k, v in levels.items() if v is not None}
    product = None
    if len(known) == len(CONDITIONS):
        product = known["opportunity"] * known["motivation"] * known["resources"]
    lowest = min(known.values()) if known else None
    return {
        "label": label,
        "levels": levels,
        "means": {condition: means.get(scales[condition]) for condition in CONDITIONS},
        "product": product,
        "balanced": product ** (1 / 3) if product is not None else None,
        "limiting": [
            k for k, v in known.items() if lowest is not None and v - lowest <= tie_margin
        ],
        "missing": [k for k, v in levels.items() if v is None],
    }


def _level(mean: float | None) -> float | None:
    return None if mean is None else min(1.0, max(0.0, (mean - 1) / 4))
