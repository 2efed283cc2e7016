"""The strategic triangle (5.2, 5.3, Appendix B): its shape against what the phase needs.

Each corner (authority, organisational capacity, value) and each link of the cycle in 5.3
(authority builds capacity, capacity creates value, value strengthens authority) has a scale.
Its mean, as printed to one decimal, is read in bands: absent below 2.5, some from 2.5, strong
from 3.5 (placelab's convention). Table B2 gives, per phase, the band each corner and link needs
and which shortfalls mark the failure path.

- a corner or link falls short when its band is below what the phase needs; the shortfall is
  the distance to that band's threshold;
- the weak corner is the corner furthest short of its need; if none falls short, a corner not
  itself strong and at least ``relative_gap`` below the mean of the other two (otherwise none);
- missing links are links below what the phase needs;
- the path is None in the latent phase, for which Table B2 draws neither a success nor a
  failure triangle; otherwise "success" with no shortfall; "failure" when a shortfall is one
  Table B2 names as the way that phase fails (in design and discover that includes authority:
  leadership that fails to galvanise change); in the embedding phase "isolated" when authority
  and value are there in some measure, capacity is strong and every link is there in some
  measure, but something falls short of strong (B2's sustainable but isolated innovation: less
  of each, weaker links); otherwise "at_risk".
"""

from __future__ import annotations

from placelab.core.precision import SCORE, shown
from placelab.core.toolkit.guidance import Guidance

RELATIVE_GAP = 0.5


def triangle_shape(
    means: dict[str, float | None],
    guidance: Guidance,
    phase: int | None,
    *,
    relative_gap: float = RELATIVE_GAP,
) -> dict | None:
    """Read the triangle from scale means (by scale id) against phase ``phase``'s needs."""
    corners = _parts(guidance.corners, means, guidance, _needs(guidance, phase, "corners"))
    links = _parts(guidance.links, means, guidance, _needs(guidance, phase, "links"))
    if all(c["mean"] is None for c in corners.values()):
        return None
    weak = _weak_corner(corners, relative_gap)
    if weak and phase is not None:
        weak["next_needs"] = _needs(guidance, phase + 1, "corners").get(weak["corner"])
    missing = [key for key, link in links.items() if link["shortfall"]]
    path, reading, source = _path(corners, links, guidance, phase)
    return {
        "phase": phase,
        "corners": corners,
        "links": links,
        "weak_corner": weak,
        "missing_links": missing,
        "path": path,
        "reading": reading,
        "seed": source,
    }


def _needs(guidance: Guidance, phase: int | None, kind: str) -> dict[str, str]:
    if phase is None or phase not in guidance.needs:
        return {}
    need = guidance.needs[phase]
    return need.corners if kind == "corners" else need.links


def _parts(
    defined: dict[str, dict], means: dict[str, float | None], guidance: Guidance, needs: dict
) -> dict[str, dict]:
    parts = {}
    for key, spec in defined.items():
        mean = means.get(spec["scale"])
        need = needs.get(key)
        short = 0.0
        if need and mean is not None:
            short = max(0.0, round(guidance.threshold(need) - shown(mean), SCORE))
        parts[key] = {
            "label": spec["label"],
            "scale": spec["scale"],
            "mean": mean,
            "band": guidance.band(mean),
            "needs": need,
            "shortfall": short,
        }
    return parts


def _weak_corner(corners: dict[str, dict], relative_gap: float) -> dict | None:
    short = [(c["shortfall"], -(c["mean"] or 0), k) for k, c in corners.items() if c["shortfall"]]
    if short:
        key = max(short)[2]
        return {"corner": key, **corners[key], "reason": "below what the phase needs"}
    scored = {k: c["mean"] for k, c in corners.items() if c["mean"] is not None}
    if len(scored) < 3:
        return None
    key = min(scored, key=lambda k: scored[k])
    if corners[key]["band"] == "strong":
        return None  # the lowest of three strong corners is no weakness
    others = [v for k, v in scored.items() if k != key]
    gap = shown(sum(others) / len(others) - scored[key])
    if gap < relative_gap:
        return None
    return {"corner": key, **corners[key], "reason": f"{gap:.1f} points below the other two"}


def _path(
    corners: dict[str, dict], links: dict[str, dict], guidance: Guidance, phase: int | None
) -> tuple[str | None, str | None, dict | None]:
    if phase is None or phase not in guidance.needs:
        return None, None, None
    need = guidance.needs[phase]
    if not need.paths:
        return None, need.reading, need.seed
    short_corners = {k for k, c in corners.items() if c["shortfall"]}
    short_links = {k for k, c in links.items() if c["shortfall"]}
    if not short_corners and not short_links:
        return "success", need.reading, need.seed
    if phase == max(guidance.needs) and _isolated(corners, links, guidance):
        return "isolated", need.isolated_reading, need.isolated_seed
    if short_corners & set(need.failure_corners) or short_links & set(need.failure_links):
        return "failure", need.failure_reading, need.failure_seed
    return "at_risk", need.reading, need.seed


def _isolated(corners: dict[str, dict], links: dict[str, dict], guidance: Guidance) -> bool:
    """B2's sustainable but isolated innovation: some authority and value, strong capacity, and
    links that hold ("some" at least) though not all strong; a broken link is the failure path."""
    bands = {k: c["band"] for k, c in corners.items()}
    link_bands = [link["band"] for link in links.values()]
    if None in bands.values() or None in link_bands:
        return False
    return (
        bands["authority"] != "absent"
        and bands["value"] != "absent"
        and bands["capacity"] == "strong"
        and "absent" not in link_bands
    )
