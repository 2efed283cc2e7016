"""The words of the domain that files and reports share (DESIGN.md, "The domain").

The seven networks and their default questions follow Appendix C 2.3 and Figure C3 of the
NESTA / Young Foundation report; the layers are those of Figure 5 / C5.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

NETWORKS: tuple[str, ...] = (
    "work",
    "social",
    "innovation",
    "expert",
    "strategic",
    "learning",
    "decision",
)

QUESTIONS: dict[str, str] = {
    "work": "With whom do you exchange information as part of your daily work?",
    "social": "With whom do you check in, inside or outside work, to find out what is going on?",
    "innovation": "With whom do you collaborate on or kick around new ideas?",
    "expert": "To whom do you turn for expertise or advice?",
    "strategic": "To whom do you go for advice about the future?",
    "learning": "With whom do you work to improve existing processes or methods?",
    "decision": "Whom do you involve when a decision has to be made?",
}

SECTORS: tuple[str, ...] = (
    "local_authority",
    "school_college",
    "health",
    "police_justice",
    "voluntary_community",
    "business",
    "university",
    "funder",
    "resident_group",
    "other",
)

# Figure C5, from the top of the system to the bottom: adjacent layers are the vertical links.
LAYERS: tuple[str, ...] = ("systemic", "sectoral", "frontline", "public")
# The sector or layer of someone whose file gives none (a graph file from another tool, say).
UNKNOWN = "unknown"

SENIORITIES: tuple[str, ...] = ("senior", "middle", "frontline", "resident")

# The union of every network a study asks: "across all seven".
ALL = "all"

# What readers see for each code: pages, maps, reports and exports show these, never the code.
LABELS: dict[str, str] = {
    "local_authority": "Local authority",
    "school_college": "Schools and colleges",
    "health": "Health",
    "police_justice": "Police and justice",
    "voluntary_community": "Voluntary and community sector",
    "business": "Business",
    "university": "University",
    "funder": "Funders",
    "resident_group": "Residents' groups",
    "other": "Other",
    "unknown": "Not known",
    ALL: "All networks together",
}


def label(word: object) -> str:
    """The reader's words for a vocabulary code; a code without a set label reads as itself.

    >>> label("voluntary_community")
    'Voluntary and community sector'
    >>> label("student_council")
    'Student council'
    """
    text = str(word)
    if text in LABELS:
        return LABELS[text]
    text = text.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


# How a sentence names a standard sector in its middle: "the reach of the local authority".
IN_TEXT: dict[str, str] = {
    "local_authority": "the local authority",
    "school_college": "schools and colleges",
    "health": "health",
    "police_justice": "police and justice",
    "voluntary_community": "the voluntary and community sector",
    "business": "business",
    "university": "the university",
    "funder": "funders",
    "resident_group": "residents' groups",
    "other": "other organisations",
    "unknown": "people whose group is not known",
}


def in_text(group: object, grouping: str = "sector") -> str:
    """A group as the middle of a sentence names it: a standard sector in lower case with its
    article, a layer as "the public layer", a study's own sector by its label (a proper name).

    >>> in_text("voluntary_community"), in_text("public", "layer"), in_text("student_council")
    ('the voluntary and community sector', 'the public layer', 'Student council')
    """
    if grouping != "sector":
        return f"the {label(group).lower()} {grouping}"
    return IN_TEXT.get(str(group), label(group))


def code_for(text: str, codes: Sequence[str]) -> str | None:
    """The code among ``codes`` that ``text`` names, by the code or by its label, read without
    regard to case, spaces, underscores or the kind of apostrophe; None when it names none.

    A file may say what the app's pages show ("Local authority") or what its own files hold
    (local_authority): both are the same answer.

    >>> code_for("Local authority", SECTORS), code_for(" SCHOOL_COLLEGE ", SECTORS)
    ('local_authority', 'school_college')
    >>> code_for("Residents\u2019 groups", SECTORS), code_for("housing", SECTORS)
    ('resident_group', None)
    """
    if text in codes:
        return text
    wanted = _folded(text)
    return next((c for c in codes if wanted in (_folded(c), _folded(label(c)))), None)


def listed(items: Sequence[str]) -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c".

    >>> listed(["work"]), listed(["work", "social", "expert"])
    ('work', 'work, social and expert')
    """
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def labels_of(codes: Iterable[str]) -> str:
    """The labels of ``codes`` as a list a sentence can end with.

    >>> labels_of(("senior", "middle"))
    'Senior, Middle'
    """
    return ", ".join(label(c) for c in codes)


@lru_cache(maxsize=4096)  # a roster repeats a few words in thousands of rows
def _folded(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()
