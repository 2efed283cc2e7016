"""Numbers in words, shared by the report and the web's analysis page: shares ("two in three",
"about half"), ranks, percentages, and the sentences that say what a measure means (ties inside
a group, the E-I index, the core group's closure, a departure, how far two networks overlap).

Functions of numbers, and of the small records a result keeps them in; no request, no Django.
The report's sections, :mod:`placelab.report.group_tables` and the analysis page put these words
beside their numbers.
"""

from __future__ import annotations

from fractions import Fraction

# Shares a reader takes in at once; others are said as "about" the nearest of these.
PLAIN_SHARES = sorted({Fraction(a, b) for b in (2, 3, 4, 5, 10) for a in range(1, b)})
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


# --- shares, ranks, percentages -------------------------------------------------------------


def share_in_words(part: float, whole: float) -> str:
    """'two in three', 'about half', 'none', 'all': a share as a reader would say it."""
    if not whole:
        return "none"
    value = part / whole
    if value <= 0:
        return "none"
    if value >= 1:
        return "all"
    if value < 0.095:
        return "fewer than one in ten"
    if value > 0.95:
        return "nearly all"
    exact = Fraction(value).limit_denominator(10)
    if abs(float(exact) - value) < 0.002:
        return _fraction_words(exact)
    near = min(PLAIN_SHARES, key=lambda share: (abs(float(share) - value), share.denominator))
    return f"about {_fraction_words(near)}"


def _fraction_words(share: Fraction) -> str:
    if share == Fraction(1, 2):
        return "half"
    return f"{NUMBER_WORDS[share.numerator]} in {NUMBER_WORDS[share.denominator]}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


# --- what a measure means -------------------------------------------------------------------


def inside_words(internal: int, external: int) -> str:
    """'two in three of this group's ties stay inside it', from its internal and external ties."""
    total = internal + external
    if not total:
        return "This group has no ties in this network."
    return f"{share_in_words(internal, total).capitalize()} of this group's ties stay inside it."


def ei_words(value: float | None, *, each_way: bool = False) -> str:
    """What an E-I index says: -1 every tie inside the group, +1 every tie outside it.

    ``each_way``: the reader sees ties as pairs (a viewer), but the network's index counts a tie
    named both ways twice, over every sector, small ones too; the words say so.
    """
    if value is None:
        return "No ties to read."
    outside = share_in_words((value + 1) / 2, 1).capitalize()
    if each_way:
        return f"{outside} of the ties (counting each direction) join people of different sectors."
    return f"{outside} of the ties reach across sectors."


def closure_words(core: dict) -> list[str]:
    closure = core.get("closure") or {}
    size = closure.get("size", len(core.get("members", [])))
    words = []
    if closure.get("share_of_people") is not None:
        words.append(
            f"{size} people, {percent(closure['share_of_people'])} of everyone on the roster."
        )
    if closure.get("internal_density") is not None and size > 1:
        words.append(
            f"{share_in_words(closure['internal_density'], 1).capitalize()} of the ties they could "
            f"have with each other exist in one network or another "
            f"({percent(closure['internal_density'])})."
        )
    if closure.get("inward_share") is not None:
        words.append(
            f"{share_in_words(closure['inward_share'], 1).capitalize()} of everyone else's "
            f"nominations name one of them ({percent(closure['inward_share'])})."
        )
    if closure.get("outward_share") is not None:
        words.append(
            f"{share_in_words(closure['outward_share'], 1).capitalize()} of their own nominations "
            f"reach outside the group ({percent(closure['outward_share'])})."
        )
    return words


def worst_departure_words(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return ""
    rise = (after - before) * 100
    size = "hardly any change" if rise < 2 else f"{rise:.0f} points more"
    return (
        f"the share of pairs of people who could not reach each other would go from "
        f"{percent(before)} to {percent(after)}: {size}."
    )


def departure_words(before: float | None, after: float | None) -> str:
    """What a departure does to the share of people in the main connected group."""
    if before is None or after is None:
        return "Not measured."
    drop = before - after
    change = (
        "hardly any change"
        if abs(drop) < 0.02
        else f"{abs(drop) * 100:.0f} points {'fewer' if drop > 0 else 'more'}"
    )
    return (
        f"{percent(after)} of those left would still be in the main connected group, against "
        f"{percent(before)} now: {change}."
    )


def alignment_words(r: float | None, p: float | None, rules: dict) -> str:
    """How much two networks overlap, by the study's thresholds (result["finding_rules"])."""
    if r is None:
        return "Cannot be compared: a network has no ties."
    line = rules.get("alignment_r", 0.3)
    strength = "Strong" if r >= 2 * line else "Fair" if r >= line else "Weak"
    if r <= 0.05:
        strength = "Hardly any"
    beyond = p is not None and p <= rules.get("alignment_p", 0.05)
    return f"{strength} overlap{', more than chance' if beyond else ', could be chance'}."


def density_words(density: float | None) -> str:
    """A density as a share of the possible ties: 'one in four', or 'about 1 in 600' when
    fewer than one in ten exist (the reciprocal to two significant figures)."""
    if density is None:
        return "No one to tie."
    if density <= 0:
        return "None of the possible ties exist."
    if density >= 0.095:
        return f"{share_in_words(density, 1).capitalize()} of the possible ties exist."
    return f"About 1 in {_two_figures(1 / density):,} of the possible ties exist."


def _two_figures(value: float) -> int:
    digits = max(0, len(str(int(value))) - 2)
    return int(round(value, -digits))
