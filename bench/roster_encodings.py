"""How often a roster CSV is read right: core's ordered attempts (tables.decode_csv) against a
detector, charset-normalizer, on generated rosters of European names in each encoding.

Run by hand: ``python -m bench.roster_encodings``. charset-normalizer is not a dependency of
placelab (this measurement is why): install it apart, e.g. in a throwaway virtual environment
added to ``PYTHONPATH``. Figures on 29 November 2026 (charset-normalizer 3.5.3, 40 files each):

    people  encoding   detector  ordered
         3  cp1252        18/40    40/40
         3  latin-1       20/40    40/40
        10  cp1252         3/40    40/40
        10  latin-1        4/40    40/40
        50  cp1252         3/40    40/40
        50  latin-1        1/40    40/40
       300  cp1252         0/40    40/40
       300  latin-1        1/40    40/40

(UTF-8 and UTF-16 40/40 for both at every size.) The detector takes most Windows-1252 files
for Windows-1250, whose letters differ in the bytes that hold Š, Œ, ’ and others.
"""

from __future__ import annotations

import random

from placelab.core.io.tables import decode_csv

FIRST = ["Zoë", "José", "Renée", "Søren", "Jürgen", "Ana", "Mark", "Siân", "Aoife", "Pål",
         "Léa", "Núria", "Björn", "Ciarán", "Frédéric", "Inês", "John", "Sarah", "Éamon"]  # fmt: skip
LAST = ["Ångström", "Núñez", "O’Neill", "Weiß", "Müller", "Smith", "Jones", "Ó Sé", "Lefèvre",
        "García", "Brown", "Çelik", "Østergaard", "Šimek", "Œuvray", "Dubois", "Evans"]  # fmt: skip
# Latin-1 has none of ’ Š Œ (Windows-1252's bytes 0x80-0x9F).
LATIN_LAST = [name for name in LAST if not set(name) & set("’ŠŒ")]
SECTORS = ["Local authority", "Health", "Schools and colleges", "Business", "Funders"]
TRIALS = 40


def roster(people: int, rnd: random.Random, last_names: list[str]) -> str:
    lines = ["id;name;organisation;sector;layer;seniority"]
    lines += [
        f"p{i};{rnd.choice(FIRST)} {rnd.choice(last_names)};Org {i % 7};{rnd.choice(SECTORS)};"
        "frontline;"
        for i in range(people)
    ]
    return "\r\n".join(lines) + "\r\n"


def read_right(people: int, encoding: str, rnd: random.Random) -> tuple[int, int]:
    """Of TRIALS files, how many the detector and the ordered attempts read as written."""
    from charset_normalizer import from_bytes

    detector = ordered = 0
    for _ in range(TRIALS):
        text = roster(people, rnd, LATIN_LAST if encoding == "latin-1" else LAST)
        data = text.encode(encoding)
        best = from_bytes(data).best()
        detector += best is not None and str(best) == text
        ordered += decode_csv(data, "roster.csv")[0] == text
    return detector, ordered


def main() -> None:
    rnd = random.Random(1)
    print("people  encoding   detector  ordered")
    for people in (3, 10, 50, 300):
        for encoding in ("utf-8", "cp1252", "latin-1", "utf-16"):
            detector, ordered = read_right(people, encoding, rnd)
            print(f"{people:6d}  {encoding:8s}  {detector:5d}/{TRIALS}  {ordered:5d}/{TRIALS}")


if __name__ == "__main__":
    main()
