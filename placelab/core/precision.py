"""Numbers are judged at the precision they are printed, so words never contradict figures.

A mean of 2.96 prints as "3.0"; judged unrounded it would fall "below 3.0" and the sentence
would say so next to the figure that denies it. Every rule that compares a printed figure with a
threshold compares :func:`shown` (or :func:`shown_share`) of it, and prints the same.

- scores on the 1-5 answer scale: one decimal (``SCORE``);
- levels on a 0-1 scale (PASCAL's conditions): two decimals (``LEVEL``);
- shares: whole percentages.

>>> shown(2.96), shown(2.94)
(3.0, 2.9)
>>> shown_share(0.504), f"{0.504:.0%}"
(0.5, '50%')
"""

from __future__ import annotations

SCORE = 1
LEVEL = 2


def shown(value: float, places: int = SCORE) -> float:
    """``value`` as printed with ``places`` decimals (Python's own formatting, so they agree)."""
    return float(f"{value:.{places}f}")


def shown_share(value: float) -> float:
    """A share as printed in whole percent, back on the 0-1 scale."""
    return float(f"{value * 100:.0f}") / 100


def score(value: float) -> str:
    """A 1-5 score as printed: ``score(2.96) == "3.0"``."""
    return f"{value:.{SCORE}f}"
