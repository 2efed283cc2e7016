"""A seeded, synthetic locality that tells the story of the report's pilot study.

The demo imitates the social network analysis of one UK local authority known for innovation in
secondary education (Appendix C 4 of the NESTA / Young Foundation report, seed lines
11300-11590). Everything in it is invented: the people, their names and their organisations.
What it keeps is the shape of the pilot's findings, so that an analysis of the demo finds them
again:

- about 137 people were invited and 92 answered, a 67 per cent response (C 4.1);
- the local authority and the schools and colleges are the real network for innovation, joined
  densely to each other (C 4.3.1, 4.3.3);
- a core group of council officers and head teachers are the key connectors in all seven
  networks (C 4.3.3, Figure C12); a few schools sit outside it;
- the voluntary and community sector, the student council and residents are at the edge, poorly
  tied to the higher layers; the voluntary groups also network weakly with each other; no member
  of the student council answered (C 4.3.4).

How ties are drawn (:func:`generate_locality`): every pair of people gets a weight, the product
of an affinity between their groups (``AFFINITY``), how sought-after the person named is
(seniority, and whether their organisation is in the core network), how strongly the
nominator's group is drawn to the core group if the person named is in it (``CORE_PULL``), a
bonus for working in the same organisation, one for two core members, and a decay with the
distance between their layers of the local innovation system (Figure C5). Each
respondent then names, in each network, a Poisson number of people (mean ``names_per_person``
scaled by the network and by how active their group is), drawn without replacement in proportion
to those weights, with log-normal noise shared across networks (so networks overlap, as they
do) and noise of each network's own. The weight of a tie is how often the two are in touch, on
a scale of 1 (yearly) to 5 (daily). A handful of ties name people who are not on the roster
(``ext-01`` ...), as respondents do when they choose "someone not on the list".

:func:`generate_large` builds a locality of any size with the same groups and the same
core-and-edge pattern for benchmarks, drawing ties in a few vectorised passes instead of from a
full matrix of pair weights.

:func:`generate_second_wave` surveys the same locality a year later: a little churn, most ties
kept, and the voluntary and community sector drawn much closer to the core group (issue 13).

Run ``python -m placelab.core.demo DIR`` to write the demo's ``people.csv`` and ``ties.csv``, and
the second wave's ``people.csv``, ``ties.csv`` and ``answers.csv`` in ``DIR/wave2``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from placelab.core.data import PEOPLE_COLUMNS, TIE_COLUMNS
from placelab.core.io.tables import read_table
from placelab.core.io.validate import people_from_table
from placelab.core.toolkit.demo_answers import generate_answers
from placelab.core.vocabulary import LAYERS, NETWORKS, SECTORS, SENIORITIES

EXTRA_COLUMNS: tuple[str, ...] = ("role_title", "years_in_post")
"""Attribute columns the generated rosters carry after the standard ones."""

# Groups of sectors that behave alike in the pilot: the two that form the core, the statutory
# and private partners, the voluntary and community sector, and the public (residents, students).
GROUPS: tuple[str, ...] = ("local_authority", "school_college", "partner", "voluntary", "public")
GROUP_OF_SECTOR: dict[str, int] = {
    "local_authority": 0,
    "school_college": 1,
    "health": 2,
    "police_justice": 2,
    "business": 2,
    "university": 2,
    "funder": 2,
    "other": 2,
    "voluntary_community": 3,
    "resident_group": 4,
}
CORE_GROUPS = (0, 1)

# AFFINITY[a, b]: how readily someone in group a names one given person in group b. Rows are
# the person answering. The weak voluntary-to-voluntary cell is C 4.3.4's "failing to network
# well with each other"; the low last column keeps the public at the edge.
AFFINITY = np.array(
    [
        [8.0, 5.0, 1.5, 0.3, 0.1],
        [5.0, 6.0, 1.2, 0.3, 0.15],
        [3.0, 2.5, 3.0, 0.6, 0.2],
        [2.0, 1.5, 1.0, 0.4, 0.8],
        [1.0, 1.5, 0.5, 1.2, 2.0],
    ]
)
GROUP_ACTIVITY = np.array([1.1, 1.1, 0.9, 0.6, 0.5])  # relative number of names given
RESPONSE_WEIGHT = np.array([3.0, 2.5, 1.5, 1.0, 0.7])  # relative chance of answering
SENIORITY_POPULARITY = {"senior": 2.0, "middle": 1.2, "frontline": 0.8, "resident": 0.5}
# CORE_PULL[a]: how much more readily someone in group a names a member of the core group than
# another person of the same seniority. The council, schools and partners seek the core out; the
# voluntary sector and the public hardly reach it (C 4.3.4).
CORE_PULL = np.array([8.0, 8.0, 5.0, 0.5, 0.4])
CORE_ACTIVITY = 1.6
CORE_PAIR = 3.0
SAME_ORGANISATION = 4.0
LAYER_DECAY = 0.6
SHARED_NOISE = 0.5
NETWORK_NOISE = 0.7

# Per network, in NETWORKS order: relative number of names (mean 1), and the typical frequency
# of contact on the 1-5 scale (daily work ties are the most frequent, strategic advice the least).
_SCALE = np.array([1.3, 1.1, 1.0, 0.9, 0.8, 1.0, 0.9])
NETWORK_SCALE = _SCALE / _SCALE.mean()
BASE_FREQUENCY = np.array([3.4, 3.0, 2.6, 2.4, 2.2, 2.6, 2.4])

FIRST_NAMES: tuple[str, ...] = (
    "Aisha", "Alan", "Amira", "Andrew", "Anna", "Ben", "Bethany", "Carl", "Chloe", "Claire",
    "Daniel", "Deborah", "Dev", "Elaine", "Emma", "Farah", "Gareth", "Gary", "Grace", "Hannah",
    "Harpreet", "Helen", "Ian", "Imran", "Jack", "Jade", "James", "Joanne", "Kate", "Kwame",
    "Laura", "Leon", "Lucy", "Marcus", "Maria", "Mark", "Megan", "Mohammed", "Nadia", "Neil",
    "Niamh", "Oliver", "Olivia", "Paul", "Priya", "Rachel", "Rebecca", "Richard", "Ruth", "Ryan",
    "Sam", "Sarah", "Sean", "Shabana", "Simon", "Sophie", "Stephen", "Tariq", "Tom", "Tracey",
    "Wei", "Yusuf", "Zainab", "Zoë",
)  # fmt: skip
LAST_NAMES: tuple[str, ...] = (
    "Adams", "Ahmed", "Ali", "Armstrong", "Atkinson", "Bailey", "Begum", "Bell", "Brown", "Byrne",
    "Chen", "Clarke", "Collins", "Cooper", "Davies", "Dixon", "Edwards", "Evans", "Fletcher",
    "Foster", "Green", "Hall", "Harris", "Hughes", "Hussain", "Jackson", "Johnson", "Jones",
    "Kaur", "Kelly", "Khan", "King", "Kowalski", "Lewis", "Lloyd", "Marsh", "Martin", "Mensah",
    "Mitchell", "Moore", "Morgan", "Murphy", "Nowak", "O'Neill", "Okafor", "Owen", "Parker",
    "Patel", "Phillips", "Price", "Quinn", "Reid", "Roberts", "Robinson", "Shah", "Singh",
    "Smith", "Taylor", "Thomas", "Thompson", "Turner", "Walker", "Ward", "Watson", "White",
    "Williams", "Wilson", "Wood", "Wright", "Yilmaz", "Young",
)  # fmt: skip


class Post(NamedTuple):
    """``holders`` posts with one title and seniority in an organisation; ``core`` marks the
    core group of C 4.3.3."""

    title: str
    seniority: str
    holders: int = 1
    core: bool = False


class Organisation(NamedTuple):
    """An organisation of the demo locality.

    ``reach`` scales how often its people are named (below 1 for schools outside the core
    network); ``responds`` is False for a group none of whom answered (the student council).
    """

    name: str
    sector: str
    posts: tuple[Post, ...]
    reach: float = 1.0
    responds: bool = True


def _org(name: str, sector: str, *posts: Post, reach: float = 1.0) -> Organisation:
    return Organisation(name, sector, posts, reach)


_LA, _SC, _VCS, _RES = "local_authority", "school_college", "voluntary_community", "resident_group"

# The demo's 137 posts, in roster order. Scaled proportionally for other sizes.
ORGANISATIONS: tuple[Organisation, ...] = (
    _org("Borough Council - Chief Executive's Office", _LA, Post("Chief Executive", "senior"),
         Post("Head of Policy and Partnerships", "senior"), Post("Policy Officer", "middle", 2)),
    _org("Borough Council - Elected Members", _LA,
         Post("Cabinet Member for Children and Young People", "senior"),
         Post("Councillor", "senior", 3)),
    _org("Borough Council - Children's Services", _LA,
         Post("Director of Children's Services", "senior", core=True),
         Post("Assistant Director - Learning and Achievement", "senior", core=True),
         Post("Head of School Improvement", "middle", core=True),
         Post("School Improvement Adviser", "middle", 4), Post("Inclusion Manager", "middle", 2),
         Post("Education Welfare Officer", "frontline", 3)),
    _org("Borough Council - Schools Capital Programme", _LA,
         Post("Capital Programme Director", "senior", core=True),
         Post("Project Manager", "middle", 3), Post("Finance Officer", "middle")),
    _org("Borough Council - Youth Service", _LA, Post("Head of Youth Service", "middle"),
         Post("Participation Officer", "frontline"), Post("Youth Worker", "frontline", 4)),
    _org("Borough Council - Family Support", _LA, Post("Family Support Manager", "middle"),
         Post("Family Support Worker", "frontline", 2)),
    _org("Northgate Academy", _SC, Post("Head Teacher", "senior", core=True),
         Post("Deputy Head Teacher", "middle"), Post("Head of Year", "middle"),
         Post("Teacher", "frontline", 3)),
    _org("St Aidan's Church of England High School", _SC,
         Post("Head Teacher", "senior", core=True), Post("Deputy Head Teacher", "middle"),
         Post("Teacher", "frontline", 3)),
    _org("Riverside High School", _SC, Post("Head Teacher", "senior", core=True),
         Post("Deputy Head Teacher", "middle"), Post("Teacher", "frontline", 3)),
    _org("Borough Sixth Form College", _SC, Post("Principal", "senior", core=True),
         Post("Vice Principal", "middle"), Post("Lecturer", "frontline", 3)),
    _org("Westbrook College of Further Education", _SC, Post("Principal", "senior"),
         Post("Head of Curriculum", "middle"), Post("Lecturer", "frontline", 3), reach=0.7),
    _org("Hollins Park School", _SC, Post("Head Teacher", "senior"),
         Post("Deputy Head Teacher", "middle"), Post("Teacher", "frontline", 2), reach=0.4),
    _org("Kingsway Community School", _SC, Post("Head Teacher", "senior"),
         Post("Teacher", "frontline", 2), reach=0.4),
    _org("Millbrook Special School", _SC, Post("Head Teacher", "senior"),
         Post("Teacher", "frontline", 2), reach=0.5),
    _org("Borough Primary Care Trust", "health", Post("Commissioning Manager", "senior"),
         Post("School Nurse", "frontline", 2)),
    _org("Child and Adolescent Mental Health Service", "health", Post("Service Manager", "middle"),
         Post("Clinical Psychologist", "frontline")),
    _org("Borough Police - Safer Neighbourhoods", "police_justice", Post("Inspector", "middle"),
         Post("Safer Schools Officer", "frontline", 2)),
    _org("Youth Offending Team", "police_justice", Post("Team Manager", "middle"),
         Post("Case Worker", "frontline", 2)),
    _org("Borough Chamber of Commerce", "business", Post("Chief Executive", "senior"),
         Post("Skills Lead", "middle")),
    _org("Northgate Engineering Ltd", "business", Post("Managing Director", "senior"),
         Post("Apprenticeships Manager", "middle")),
    _org("Northgate University - School of Education", "university",
         Post("Professor of Education", "senior"), Post("Research Fellow", "middle")),
    _org("Borough Community Foundation", "funder", Post("Director", "senior"),
         Post("Grants Officer", "middle")),
    _org("Neighbouring Borough Council - Education", "other",
         Post("Director of Education", "senior"),
         Post("Strategy Officer", "middle")),
    _org("Borough Council for Voluntary Service", _VCS, Post("Chief Officer", "senior"),
         Post("Development Worker", "frontline", 2)),
    _org("Riverside Youth Trust", _VCS, Post("Director", "senior"),
         Post("Youth Project Worker", "frontline", 2)),
    _org("Eastfield Community Association", _VCS, Post("Coordinator", "middle"),
         Post("Volunteer", "frontline", 2)),
    _org("Kingsway Youth Club", _VCS, Post("Club Leader", "middle"),
         Post("Volunteer Youth Worker", "frontline", 2)),
    _org("Northgate Mentoring Project", _VCS, Post("Project Manager", "middle"),
         Post("Mentor", "frontline", 2)),
    _org("Borough Carers' Centre", _VCS, Post("Centre Manager", "middle"),
         Post("Young Carers Worker", "frontline")),
    _org("Millbrook Sports Trust", _VCS, Post("Development Officer", "middle"),
         Post("Coach", "frontline")),
    _org("Borough Faith Forum", _VCS, Post("Coordinator", "middle"),
         Post("Volunteer", "frontline")),
    _org("Westbrook Food Bank", _VCS, Post("Coordinator", "middle"),
         Post("Volunteer", "frontline", 2)),
    _org("Borough Refugee and Migrant Forum", _VCS, Post("Advice Worker", "middle"),
         Post("Volunteer", "frontline", 2)),
    Organisation("Borough Student Council", _RES, (Post("Student Council Chair", "resident"),
                 Post("Student Council Member", "resident", 9)), responds=False),
    _org("Eastfield Tenants' and Residents' Association", _RES, Post("Chair", "resident"),
         Post("Member", "resident", 3)),
    _org("Borough Parents' Forum", _RES, Post("Chair", "resident"),
         Post("Parent Representative", "resident", 4)),
)  # fmt: skip

OUTSIDE_PEOPLE = 4  # ext-01 ... ext-04


def layer_for(sector: str, seniority: str) -> str:
    """The layer of the local innovation system (Figure C5) a post sits in.

    Parameters
    ----------
    sector : str
        One of :data:`placelab.core.vocabulary.SECTORS`.
    seniority : str
        One of :data:`placelab.core.vocabulary.SENIORITIES`.

    Returns
    -------
    str
        ``systemic`` for the senior people of a local authority (authority-wide), ``public`` for
        residents, ``frontline`` for frontline staff and for community-based organisations,
        ``sectoral`` (service, agency or sector) otherwise.
    """
    if seniority == "resident" or sector == "resident_group":
        return "public"
    if seniority == "frontline":
        return "frontline"
    if sector in ("local_authority", "other") and seniority == "senior":
        return "systemic"
    if sector == "voluntary_community" and seniority != "senior":
        return "frontline"
    return "sectoral"


# ---------------------------------------------------------------------------------------------
# The demo locality


def generate_locality(
    *,
    people: int = 137,
    response_rate: float = 0.67,
    names_per_person: float = 6.0,
    seed: int = 2007,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate the demo locality: a roster and the nominations of those who answered.

    Parameters
    ----------
    people : int
        How many people are invited. The 137 posts of ``ORGANISATIONS`` are scaled to this
        number, keeping each organisation's most senior posts first.
    response_rate : float
        The share who answer, in (0, 1]; ``round(response_rate * people)`` respond, or
        everyone outside the student council if that is fewer: the core group always answers
        and the student council never does.
    names_per_person : float
        The mean number of people each respondent names in each network.
    seed : int
        Seed of the random generator; the same seed gives the same locality.

    Returns
    -------
    people : pandas.DataFrame
        Columns ``id, name, organisation, sector, layer, seniority, responded, role_title,
        years_in_post`` (``responded`` is ``"yes"`` or ``"no"``), sorted by ``id``.
    ties : pandas.DataFrame
        Columns ``source, target, network, weight`` (weight an integer 1-5), sorted by source,
        network (in :data:`~placelab.core.vocabulary.NETWORKS` order) and target.
    """
    _check(people, response_rate, names_per_person)
    rng = np.random.default_rng(seed)
    roster = _demo_roster(people, rng)
    group, responds = roster["group"].to_numpy(), roster["responds"].to_numpy()
    weights = np.where(roster["core"].to_numpy(), np.inf, RESPONSE_WEIGHT[group] * responds)
    responded = choose_weighted(weights, round(response_rate * people), rng)
    inside = _demo_ties(roster, responded, names_per_person, rng)
    outside = _outside_ties(roster["id"].to_numpy()[responded], rng)
    return _people_frame(roster, responded), _sorted_ties(pd.concat([inside, outside]))


def _check(people: int, response_rate: float, names_per_person: float) -> None:
    if people < 2:
        raise ValueError(f"a locality needs at least 2 people, not {people}")
    if not 0 < response_rate <= 1:
        raise ValueError(f"response_rate must be in (0, 1], not {response_rate}")
    if names_per_person < 0:
        raise ValueError(f"names_per_person must not be negative, not {names_per_person}")


def _demo_roster(people: int, rng: np.random.Generator) -> pd.DataFrame:
    """The posts of the demo with names and ids, plus the internal columns the draws use."""
    posts = _posts(people)
    seniority = np.array([post.seniority for _, post in posts])
    return pd.DataFrame(
        {
            "id": person_ids(people),
            "name": _demo_names(people, rng),
            "organisation": [org.name for org, _ in posts],
            "sector": [org.sector for org, _ in posts],
            "layer": [layer_for(org.sector, post.seniority) for org, post in posts],
            "seniority": seniority,
            "role_title": [post.title for _, post in posts],
            "years_in_post": _years_in_post(seniority == "senior", rng),
            "group": [GROUP_OF_SECTOR[org.sector] for org, _ in posts],
            "core": [post.core for _, post in posts],
            "reach": [org.reach for org, _ in posts],
            "responds": [org.responds for org, _ in posts],
        }
    )


def _posts(people: int) -> list[tuple[Organisation, Post]]:
    """``people`` posts: each organisation's share of the template, senior posts first."""
    sizes = np.array([sum(post.holders for post in org.posts) for org in ORGANISATIONS])
    result: list[tuple[Organisation, Post]] = []
    for org, count in zip(ORGANISATIONS, allocate(sizes, people), strict=True):
        slots = [post for post in org.posts for _ in range(post.holders)]
        slots += [slots[-1]] * (count - len(slots))
        result += [(org, post) for post in slots[:count]]
    return result


def allocate(sizes: np.ndarray, total: int) -> np.ndarray:
    """Scale integer ``sizes`` to sum to ``total`` by the largest-remainder method.

    Parameters
    ----------
    sizes : numpy.ndarray
        Non-negative sizes, not all zero.
    total : int
        The sum wanted.

    Returns
    -------
    numpy.ndarray
        Integers proportional to ``sizes`` summing to ``total``; remainders go first to the
        largest fractions, then to the earliest entries.
    """
    quota = np.asarray(sizes, dtype=float) * total / np.sum(sizes)
    counts = np.floor(quota).astype(int)
    extra = total - int(counts.sum())
    counts[np.argsort(counts - quota, kind="stable")[:extra]] += 1
    return counts


def person_ids(n: int) -> list[str]:
    """Ids ``p001``, ``p002``, ... zero-padded so that they sort in roster order."""
    width = max(3, len(str(n)))
    return [f"p{i:0{width}d}" for i in range(1, n + 1)]


def _demo_names(n: int, rng: np.random.Generator) -> list[str]:
    """Distinct names: person i gets first name i and last name i of two shuffled lists.

    The pools have coprime lengths, so names repeat only beyond 64 x 71 people, and every
    first and last name (O'Neill and Zoë among them) is used once there are 71 people.
    """
    first = rng.permutation(len(FIRST_NAMES))
    last = rng.permutation(len(LAST_NAMES))
    return [
        f"{FIRST_NAMES[first[i % len(first)]]} {LAST_NAMES[last[i % len(last)]]}" for i in range(n)
    ]


def _years_in_post(senior: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return 1 + rng.poisson(np.where(senior, 5.0, 3.0))


def choose_weighted(weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Choose ``k`` items without replacement with probability in proportion to ``weights``.

    Parameters
    ----------
    weights : numpy.ndarray
        Non-negative weights; ``inf`` is always chosen first, ``0`` never.
    k : int
        How many to choose; at most the number of positive weights are.
    rng : numpy.random.Generator
        The random generator.

    Returns
    -------
    numpy.ndarray
        A boolean mask of the chosen items.

    Notes
    -----
    Efraimidis and Spirakis (2006): the ``k`` smallest keys ``E_i / w_i``, with ``E_i``
    standard exponential, are a weighted sample without replacement. O(n log n).
    """
    weights = np.asarray(weights, dtype=float)
    draws = rng.exponential(size=weights.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        keys = np.where(weights > 0, draws / weights, np.inf)
    k = min(k, int(np.count_nonzero(weights > 0)))
    chosen = np.zeros(weights.size, dtype=bool)
    chosen[np.argsort(keys, kind="stable")[:k]] = True
    return chosen


def _popularity(roster: pd.DataFrame) -> np.ndarray:
    """How sought-after each person is, core membership aside: seniority and their
    organisation's reach."""
    base = roster["seniority"].map(SENIORITY_POPULARITY).to_numpy(dtype=float)
    return base * roster["reach"].to_numpy()


def _activity(roster: pd.DataFrame) -> np.ndarray:
    """How many names each person tends to give, relative to others."""
    return GROUP_ACTIVITY[roster["group"]] * np.where(roster["core"], CORE_ACTIVITY, 1.0)


def _pair_weights(roster: pd.DataFrame) -> np.ndarray:
    """``w[i, j]``: how readily i names j, before noise; zero on the diagonal."""
    group = roster["group"].to_numpy()
    core = roster["core"].to_numpy(dtype=bool)
    org = pd.factorize(roster["organisation"])[0]
    layer = roster["layer"].map(LAYERS.index).to_numpy()
    weights = AFFINITY[np.ix_(group, group)] * _popularity(roster)[None, :]
    weights *= np.where(core[None, :], CORE_PULL[group][:, None], 1.0)
    weights *= np.where(org[:, None] == org[None, :], SAME_ORGANISATION, 1.0)
    weights *= np.where(core[:, None] & core[None, :], CORE_PAIR, 1.0)
    weights *= LAYER_DECAY ** np.abs(layer[:, None] - layer[None, :])
    np.fill_diagonal(weights, 0.0)
    return weights


def _demo_ties(
    roster: pd.DataFrame,
    responded: np.ndarray,
    names_per_person: float,
    rng: np.random.Generator,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Each respondent's names in each network, drawn by weighted sampling without replacement;
    in rank order within each respondent and network. ``weights`` replaces ``_pair_weights``."""
    sources = np.flatnonzero(responded)
    weights = _pair_weights(roster) if weights is None else weights
    with np.errstate(divide="ignore"):
        log_w = np.log(weights[sources])
    log_w += SHARED_NOISE * rng.normal(size=log_w.shape)
    activity = _activity(roster)[sources]
    mean_names = names_per_person * activity / activity.mean()
    org = pd.factorize(roster["organisation"])[0]
    core_group = np.isin(roster["group"].to_numpy(), CORE_GROUPS)
    ids = roster["id"].to_numpy()
    frames = []
    for g, network in enumerate(NETWORKS):
        keys = log_w + NETWORK_NOISE * rng.normal(size=log_w.shape) + rng.gumbel(size=log_w.shape)
        counts = np.minimum(rng.poisson(mean_names * NETWORK_SCALE[g]), len(ids) - 1)
        rows, rank = np.nonzero(np.arange(len(ids))[None, :] < counts[:, None])
        s, t = sources[rows], np.argsort(-keys, axis=1, kind="stable")[rows, rank]
        weight = frequency(g, org[s] == org[t], core_group[s] & core_group[t], rng)
        frames.append(pd.DataFrame({"source": ids[s], "target": ids[t], "network": network,
                                    "weight": weight}))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def frequency(
    network: int | np.ndarray,
    same_organisation: np.ndarray,
    core_pair: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """How often two people are in touch, 1 (yearly) to 5 (daily), for a batch of ties.

    Parameters
    ----------
    network : int or numpy.ndarray
        Index (or indices) into :data:`~placelab.core.vocabulary.NETWORKS`.
    same_organisation, core_pair : numpy.ndarray
        Booleans per tie: both in one organisation; both in the local authority or schools.
    rng : numpy.random.Generator
        The random generator.

    Returns
    -------
    numpy.ndarray
        Integers 1-5 (int8): the network's typical frequency, one step more within an
        organisation, half a step more between two people of the core sectors, plus noise.
    """
    level = BASE_FREQUENCY[network] + 1.0 * same_organisation + 0.5 * core_pair
    level = level + rng.normal(0.0, 0.8, size=np.shape(same_organisation))
    return np.clip(np.rint(level), 1, 5).astype(np.int8)


def _outside_ties(respondents: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Five to eight ties from different respondents to people not on the roster."""
    count = min(int(rng.integers(5, 9)), len(respondents))
    return pd.DataFrame(
        {
            "source": rng.choice(respondents, size=count, replace=False),
            "target": [f"ext-{i:02d}" for i in rng.integers(1, OUTSIDE_PEOPLE + 1, size=count)],
            "network": np.asarray(NETWORKS)[rng.integers(0, len(NETWORKS), size=count)],
            "weight": rng.integers(1, 4, size=count).astype(np.int8),
        }
    )


def _sorted_ties(ties: pd.DataFrame) -> pd.DataFrame:
    order = ties["network"].map(NETWORKS.index)
    ties = ties.assign(_order=order).sort_values(["source", "_order", "target"], kind="stable")
    return ties.drop(columns="_order").reset_index(drop=True)[list(TIE_COLUMNS)]


def _people_frame(roster: pd.DataFrame, responded: np.ndarray) -> pd.DataFrame:
    people = roster.assign(responded=np.where(responded, "yes", "no"))
    return people[list(PEOPLE_COLUMNS) + list(EXTRA_COLUMNS)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# A second wave, a year later

SECOND_WAVE_SEED = 2008
SECOND_WAVE_RESPONSE_RATE = 0.70
LEAVERS, JOINERS = 6, 5  # people gone since wave 1; new people, each in a leaver's post
ANSWERED_BEFORE = 4.0  # how much likelier someone who answered wave 1 is to answer again
KEEP_TIE = 0.75  # chance a tie of wave 1 is named again, by someone who answers both waves
# The story of the second wave: a year of work has drawn the voluntary and community sector
# towards the core group. Its people seek the core out as the partners do (CORE_PULL of the
# partners), the core names them more often, and they let go of more of their old ties.
VOLUNTARY_CORE_PULL = 5.0
CORE_NAMES_VOLUNTARY = 3.0
VOLUNTARY_KEEP_TIE = 0.5
VOLUNTARY = GROUPS.index("voluntary")
SECOND_WAVE_FOLDER = "wave2"  # where the command writes it, under the first wave's folder
SECOND_WAVE_ANSWERS_SEED = 2009


def generate_second_wave(
    people: pd.DataFrame,
    ties: pd.DataFrame,
    *,
    response_rate: float = SECOND_WAVE_RESPONSE_RATE,
    names_per_person: float = 6.0,
    seed: int = SECOND_WAVE_SEED,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same locality surveyed again a year later, with its voluntary sector nearer the core.

    Parameters
    ----------
    people, ties : pandas.DataFrame
        The first wave, as returned by :func:`generate_locality`.
    response_rate : float
        The share of the second wave's roster who answer, in (0, 1].
    names_per_person : float
        As for :func:`generate_locality`.
    seed : int
        Seed of the random generator; the same seed and first wave give the same second wave.

    Returns
    -------
    people, ties : pandas.DataFrame
        As :func:`generate_locality`.

    Notes
    -----
    ``LEAVERS`` people outside the core group are gone; ``JOINERS`` new people (ids after the
    first wave's) hold the posts of the first of them. Who answers is drawn as in the first wave,
    but someone who answered then is ``ANSWERED_BEFORE`` times likelier to answer again. Each
    respondent names, in each network, a fresh Poisson number of people: first a random choice
    of their first-wave names still on the roster (each kept with chance ``KEEP_TIE``, or
    ``VOLUNTARY_KEEP_TIE`` in the voluntary sector; a kept tie's frequency may move one step),
    then, to make up the number, new names drawn as in the first wave from weights in which the
    voluntary sector is pulled to the core group (``VOLUNTARY_CORE_PULL``) and the core group
    names the voluntary sector ``CORE_NAMES_VOLUNTARY`` times as readily. Everything else
    changes only by chance.
    """
    _check(len(people), response_rate, names_per_person)
    rng = np.random.default_rng(seed)
    roster = _second_roster(people, rng)
    responded = _second_respondents(roster, round(response_rate * len(roster)), rng)
    weights = _pair_weights(roster) * _second_wave_shift(roster)
    fresh = _demo_ties(roster, responded, names_per_person, rng, weights=weights)
    kept = _kept_ties(roster, responded, ties, rng)
    inside = _made_up(kept, fresh)
    outside = _outside_ties(roster["id"].to_numpy()[responded], rng)
    return _people_frame(roster, responded), _sorted_ties(pd.concat([inside, outside]))


def _template_roster(people: pd.DataFrame) -> pd.DataFrame:
    """``people`` with the internal columns of ``_demo_roster``, found from each person's post."""
    posts = {(org.name, post.title): (org, post) for org in ORGANISATIONS for post in org.posts}
    keys = list(zip(people["organisation"], people["role_title"], strict=True))
    missing = [n for n, key in enumerate(keys) if key not in posts]
    if missing:
        raise ValueError(f"person {people['id'].iloc[missing[0]]!r} holds no post of the demo")
    found = [posts[key] for key in keys]
    return people.assign(
        group=[GROUP_OF_SECTOR[org.sector] for org, _ in found],
        core=[post.core for _, post in found],
        reach=[org.reach for org, _ in found],
        responds=[org.responds for org, _ in found],
    ).reset_index(drop=True)


def _second_roster(people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The first wave's roster less ``LEAVERS`` people outside the core, plus ``JOINERS``."""
    roster = _template_roster(people)
    leaving = choose_weighted(np.where(roster["core"], 0.0, 1.0), LEAVERS, rng)
    posts = roster[leaving].iloc[:JOINERS]
    joiners = posts.assign(
        id=person_ids(len(people) + len(posts))[len(people) :],
        name=_new_names(len(posts), set(people["name"]), rng),
        years_in_post=1,
        responded="no",
    )
    return pd.concat([roster[~leaving], joiners], ignore_index=True)


def _new_names(n: int, taken: set[str], rng: np.random.Generator) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        first = FIRST_NAMES[rng.integers(len(FIRST_NAMES))]
        name = f"{first} {LAST_NAMES[rng.integers(len(LAST_NAMES))]}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _second_respondents(roster: pd.DataFrame, k: int, rng: np.random.Generator) -> np.ndarray:
    group, responds = roster["group"].to_numpy(), roster["responds"].to_numpy()
    again = np.where(roster["responded"] == "yes", ANSWERED_BEFORE, 1.0)
    weights = np.where(roster["core"].to_numpy(), np.inf, RESPONSE_WEIGHT[group] * responds)
    return choose_weighted(weights * again, k, rng)


def _second_wave_shift(roster: pd.DataFrame) -> np.ndarray:
    """Factors on the pair weights: the voluntary sector and the core group drawn together."""
    voluntary = roster["group"].to_numpy() == VOLUNTARY
    core = roster["core"].to_numpy(dtype=bool)
    shift = np.ones((len(roster), len(roster)))
    shift[np.ix_(voluntary, core)] = VOLUNTARY_CORE_PULL / CORE_PULL[VOLUNTARY]
    shift[np.ix_(core, voluntary)] = CORE_NAMES_VOLUNTARY
    return shift


def _kept_ties(
    roster: pd.DataFrame, responded: np.ndarray, ties: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """First-wave ties between people still here, from this wave's respondents, each kept by
    chance, in random order; a kept tie's frequency moves a step with chance 0.2 each way."""
    ids = roster["id"].to_numpy()
    group = pd.Series(roster["group"].to_numpy(), index=ids)
    ties = ties[ties["source"].isin(ids[responded]) & ties["target"].isin(ids)]
    keep = np.where(group[ties["source"]].to_numpy() == VOLUNTARY, VOLUNTARY_KEEP_TIE, KEEP_TIE)
    ties = ties[rng.random(len(ties)) < keep]
    step = rng.choice([-1, 0, 1], size=len(ties), p=[0.2, 0.6, 0.2])
    weight = np.clip(ties["weight"].to_numpy(dtype=int) + step, 1, 5).astype(np.int8)
    ties = ties.assign(weight=weight)
    return ties.iloc[rng.permutation(len(ties))].reset_index(drop=True)


def _made_up(kept: pd.DataFrame, fresh: pd.DataFrame) -> pd.DataFrame:
    """Per respondent and network, as many names as ``fresh`` has: kept ties first, then the
    best-ranked fresh names not already kept."""
    pair = ["source", "network"]
    wanted = fresh.groupby(pair).size()
    kept = kept[kept.groupby(pair).cumcount() < _lookup(wanted, kept[pair])]
    have = kept.groupby(pair).size()
    named = pd.MultiIndex.from_frame(kept[[*pair, "target"]])
    new = fresh[~pd.MultiIndex.from_frame(fresh[[*pair, "target"]]).isin(named)]
    room = _lookup(wanted, new[pair]) - _lookup(have, new[pair])
    new = new[new.groupby(pair).cumcount() < room]
    return pd.concat([kept, new], ignore_index=True)[list(TIE_COLUMNS)]


def _lookup(counts: pd.Series, keys: pd.DataFrame) -> np.ndarray:
    """``counts`` (indexed by source and network) for each row of ``keys``; 0 where absent."""
    index = pd.MultiIndex.from_frame(keys)
    return counts.reindex(index, fill_value=0).to_numpy()


# ---------------------------------------------------------------------------------------------
# Large localities for benchmarks

LARGE_GROUP_SHARES = np.array([0.20, 0.27, 0.15, 0.20, 0.18])
LARGE_RESPONSE_RATE = 0.67
LARGE_SAME_ORGANISATION = 0.35  # share of names given within one's own organisation
LARGE_CORE_ORGANISATIONS = 0.6  # share of council departments and schools in the core network
# The sector of each group's organisations; partners' are then drawn from PARTNER_SECTORS.
LARGE_GROUP_SECTOR = ("local_authority", "school_college", "other", "voluntary_community",
                      "resident_group")  # fmt: skip
PARTNER_SECTORS = ("health", "police_justice", "business", "university", "funder", "other")
LARGE_ORG_LABEL = {
    "local_authority": "Borough Council - Department",
    "school_college": "School",
    "health": "Health Service",
    "police_justice": "Police and Justice Team",
    "business": "Business",
    "university": "University Department",
    "funder": "Funder",
    "other": "Partner Agency",
    "voluntary_community": "Community Group",
    "resident_group": "Residents' Group",
}
LARGE_TITLES = {"senior": "Senior Leader", "middle": "Manager", "frontline": "Practitioner",
                "resident": "Resident"}  # fmt: skip


@dataclass(frozen=True)
class _Organisations:
    """Organisations of a large locality; their members are contiguous in roster order."""

    group: np.ndarray
    sector: np.ndarray  # index into SECTORS
    start: np.ndarray
    size: np.ndarray
    reach: np.ndarray
    student_council: np.ndarray


@dataclass(frozen=True)
class _Population:
    """One entry per person of a large locality, in roster order (grouped by organisation)."""

    org: np.ndarray
    group: np.ndarray
    seniority: np.ndarray  # index into SENIORITIES
    core: np.ndarray
    popularity: np.ndarray


def generate_large(
    people: int, *, names_per_person: float = 8.0, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate a locality of any size for benchmarks, with the demo's core-and-edge shape.

    Parameters
    ----------
    people : int
        How many people are on the roster (exactly).
    names_per_person : float
        The mean number of names each respondent gives in each network; duplicates and
        self-nominations are dropped, so the realised mean is a little lower.
    seed : int
        Seed of the random generator; the same seed gives the same locality.

    Returns
    -------
    people : pandas.DataFrame
        As :func:`generate_locality`. Organisations have about 20-200 members; the sectors keep
        the demo's proportions; 67 per cent respond, never a student council.
    ties : pandas.DataFrame
        As :func:`generate_locality`, but, to save memory, ``source`` and ``target`` are
        categoricals over the roster's ids, ``network`` a categorical over the seven networks
        and ``weight`` int8. There are no ties to people off the roster.

    Notes
    -----
    Each name is drawn in two steps instead of from a matrix of pair weights: with probability
    ``LARGE_SAME_ORGANISATION`` from the nominator's own organisation, otherwise from a group
    chosen by ``AFFINITY`` times the group's total popularity; within the organisation or group,
    in proportion to popularity (by inverse transform on one cumulative sum, since members are
    contiguous). 100,000 people give about 3.7 million ties in under two seconds.
    """
    _check(people, LARGE_RESPONSE_RATE, names_per_person)
    rng = np.random.default_rng(seed)
    orgs = _large_organisations(people, rng)
    population = _large_population(orgs, rng)
    eligible = ~orgs.student_council[population.org]
    weights = np.where(population.core, np.inf, RESPONSE_WEIGHT[population.group] * eligible)
    responded = choose_weighted(weights, round(LARGE_RESPONSE_RATE * people), rng)
    ids = pd.Index(person_ids(people))
    ties = _large_ties(orgs, population, responded, names_per_person, rng)
    return _large_people(ids, orgs, population, responded, rng), _large_tie_frame(ids, *ties)


def _organisation_sizes(members: int, rng: np.random.Generator) -> np.ndarray:
    """Sizes of 20-200 (smaller ones likelier) that add up to ``members``."""
    if members < 20:
        return np.array([members] if members else [], dtype=np.int64)
    sizes = (20 + 181 * rng.random(members // 20 + 1) ** 2).astype(np.int64)
    ends = np.cumsum(sizes)
    last = int(np.searchsorted(ends, members))
    sizes = sizes[: last + 1]
    sizes[-1] -= ends[last] - members
    if len(sizes) > 1 and sizes[-1] < 20:
        sizes[-2] += sizes[-1]
        sizes = sizes[:-1]
    return sizes


def _large_organisations(people: int, rng: np.random.Generator) -> _Organisations:
    edges = np.rint(np.cumsum(np.r_[0.0, LARGE_GROUP_SHARES]) * people).astype(np.int64)
    sizes = [_organisation_sizes(int(edges[g + 1] - edges[g]), rng) for g in range(len(GROUPS))]
    group = np.repeat(np.arange(len(GROUPS)), [len(s) for s in sizes])
    size = np.concatenate(sizes)
    sector = np.array([SECTORS.index(s) for s in LARGE_GROUP_SECTOR])[group]
    partners = np.array([SECTORS.index(s) for s in PARTNER_SECTORS])
    sector = np.where(group == 2, partners[rng.integers(0, len(partners), size.size)], sector)
    in_core = np.isin(group, CORE_GROUPS)
    reach = np.where(in_core & (rng.random(size.size) >= LARGE_CORE_ORGANISATIONS), 0.4, 1.0)
    position = np.arange(size.size) - np.searchsorted(group, group)  # within the group
    student = (group == 4) & (position % 3 == 0)  # the first public group, then every third
    start = np.cumsum(size) - size
    return _Organisations(group, sector, start, size, reach, student)


def _large_population(orgs: _Organisations, rng: np.random.Generator) -> _Population:
    org = np.repeat(np.arange(orgs.size.size, dtype=np.int32), orgs.size)
    rank = np.arange(org.size) - orgs.start[org]
    size = orgs.size[org]
    seniority = np.where(rank < np.maximum(1, np.ceil(0.08 * size)), 0, 2)
    seniority = np.where((seniority == 2) & (rank < np.ceil(0.3 * size)), 1, seniority)
    group = orgs.group[org]
    seniority = np.where(group == 4, 3, seniority).astype(np.int8)
    core = (rank == 0) & np.isin(group, CORE_GROUPS) & (orgs.reach[org] == 1.0)
    base = np.array([SENIORITY_POPULARITY[s] for s in SENIORITIES])[seniority]
    noise = rng.lognormal(0.0, 0.3, size=org.size)
    popularity = base * orgs.reach[org] * noise
    return _Population(org, group, seniority, core, popularity)


def _large_ties(
    orgs: _Organisations,
    population: _Population,
    responded: np.ndarray,
    names_per_person: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(source, target, network, weight) arrays, deduplicated and sorted by source and network."""
    sources, network = _large_nominators(population, responded, names_per_person, rng)
    targets = _large_targets(orgs, population, sources, rng)
    keep = sources != targets
    n = population.org.size
    key = (sources[keep].astype(np.int64) * len(NETWORKS) + network[keep]) * n + targets[keep]
    key.sort()  # sort and drop repeats: faster than np.unique, which hashes first
    key = key[np.r_[True, key[1:] != key[:-1]]]
    targets, rest = key % n, key // n
    sources, network = rest // len(NETWORKS), rest % len(NETWORKS)
    same = population.org[sources] == population.org[targets]
    core_group = np.isin(population.group, CORE_GROUPS)
    weight = frequency(network, same, core_group[sources] & core_group[targets], rng)
    return sources, targets, network, weight


def _large_nominators(
    population: _Population,
    responded: np.ndarray,
    names_per_person: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """One entry per name given: who gives it and in which network."""
    respondents = np.flatnonzero(responded)
    activity = GROUP_ACTIVITY[population.group[respondents]]
    activity = activity * np.where(population.core[respondents], CORE_ACTIVITY, 1.0)
    mean = names_per_person * (activity / activity.mean())[:, None] * NETWORK_SCALE[None, :]
    counts = rng.poisson(mean).ravel()
    sources = np.repeat(np.repeat(respondents, len(NETWORKS)), counts)
    network = np.repeat(np.tile(np.arange(len(NETWORKS)), respondents.size), counts)
    return sources.astype(np.int64), network.astype(np.int64)


def _large_targets(
    orgs: _Organisations, population: _Population, sources: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """The person named by each entry of ``sources``, drawn group by group of nominators."""
    targets = np.empty_like(sources)
    source_group = population.group[sources]
    for g in range(len(GROUPS)):
        mine = np.flatnonzero(source_group == g)
        targets[mine] = _targets_from_group(g, orgs, population, sources[mine], rng)
    return targets


def _targets_from_group(
    group: int,
    orgs: _Organisations,
    population: _Population,
    sources: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Names given by people of one group: own organisation or a group chosen by affinity, then
    a person in proportion to popularity, by inverse transform on one cumulative sum."""
    popularity = population.popularity * np.where(population.core, CORE_PULL[group], 1.0)
    cumulative = np.cumsum(popularity)
    before = np.r_[0.0, cumulative]
    starts = np.searchsorted(population.group, np.arange(len(GROUPS)))
    ends = np.searchsorted(population.group, np.arange(len(GROUPS)), side="right")
    chances = np.cumsum(AFFINITY[group] * (before[ends] - before[starts]))
    own = population.org[sources]
    lo, hi = orgs.start[own], orgs.start[own] + orgs.size[own]
    other = rng.random(sources.size) >= LARGE_SAME_ORGANISATION
    chosen = np.searchsorted(chances / chances[-1], rng.random(int(other.sum())), side="right")
    chosen = np.minimum(chosen, len(GROUPS) - 1)
    lo[other], hi[other] = starts[chosen], ends[chosen]
    draw = before[lo] + rng.random(sources.size) * (before[hi] - before[lo])
    return np.clip(np.searchsorted(cumulative, draw, side="right"), lo, hi - 1)


def _large_people(
    ids: pd.Index,
    orgs: _Organisations,
    population: _Population,
    responded: np.ndarray,
    rng: np.random.Generator,
) -> pd.DataFrame:
    sector = np.asarray(SECTORS)[orgs.sector]
    label = np.array([LARGE_ORG_LABEL[s] for s in sector], dtype=object)
    label[orgs.student_council] = "Student Council"
    org_names = (
        label + " " + pd.Series(np.arange(1, sector.size + 1)).map("{:04d}".format).to_numpy()
    )
    seniority = np.asarray(SENIORITIES)[population.seniority]
    layers = np.array([[layer_for(s, r) for r in SENIORITIES] for s in SECTORS])
    first = np.asarray(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), ids.size)]
    last = np.asarray(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), ids.size)]
    return pd.DataFrame(
        {
            "id": ids,
            "name": first + " " + last,
            "organisation": org_names[population.org],
            "sector": sector[population.org],
            "layer": layers[orgs.sector[population.org], population.seniority],
            "seniority": seniority,
            "responded": np.where(responded, "yes", "no"),
            "role_title": pd.Series(seniority).map(LARGE_TITLES).to_numpy(),
            "years_in_post": _years_in_post(population.seniority == 0, rng),
        }
    )


def _large_tie_frame(
    ids: pd.Index, sources: np.ndarray, targets: np.ndarray, network: np.ndarray, weight: np.ndarray
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": pd.Categorical.from_codes(sources.astype(np.int32), categories=ids),
            "target": pd.Categorical.from_codes(targets.astype(np.int32), categories=ids),
            "network": pd.Categorical.from_codes(network.astype(np.int8), categories=NETWORKS),
            "weight": weight,
        }
    )


# ---------------------------------------------------------------------------------------------
# Files


def write_locality(
    directory: str | Path, people: pd.DataFrame, ties: pd.DataFrame
) -> tuple[Path, Path]:
    """Write ``people.csv`` and ``ties.csv`` (UTF-8, no index) into ``directory``.

    Parameters
    ----------
    directory : str or pathlib.Path
        Where to write; created, with its parents, if missing.
    people, ties : pandas.DataFrame
        Frames as returned by :func:`generate_locality` or :func:`generate_large`.

    Returns
    -------
    tuple of pathlib.Path
        The paths of the people file and the ties file.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = directory / "people.csv", directory / "ties.csv"
    for frame, path in zip((people, ties), paths, strict=True):
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Write the demo locality into a directory: ``python -m placelab.core.demo DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m placelab.core.demo",
        description="Write a synthetic locality like the report's pilot (people.csv, ties.csv), "
        "and its second wave a year later in DIR/wave2 (with answers.csv).",
    )
    parser.add_argument("directory", type=Path, help="where to write the two files")
    parser.add_argument("--seed", type=int, default=2007, help="random seed (default 2007)")
    parser.add_argument("--people", type=int, default=137, help="people invited (default 137)")
    args = parser.parse_args(argv)
    people, ties = generate_locality(people=args.people, seed=args.seed)
    _say_written(people, ties, write_locality(args.directory, people, ties))
    second = generate_second_wave(people, ties)
    paths = write_second_wave(args.directory / SECOND_WAVE_FOLDER, *second)
    _say_written(*second, paths)
    return 0


def _say_written(people: pd.DataFrame, ties: pd.DataFrame, paths: Sequence[Path]) -> None:
    answered = int((people["responded"] == "yes").sum())
    print(
        f"wrote {len(people)} people ({answered} responded, "
        f"{math.floor(100 * answered / len(people) + 0.5)}%) to {paths[0]} "
        f"and {len(ties)} ties to {paths[1]}"
    )


def write_second_wave(
    directory: str | Path, people: pd.DataFrame, ties: pd.DataFrame
) -> tuple[Path, Path, Path]:
    """Write a second wave's ``people.csv``, ``ties.csv`` and ``answers.csv`` into ``directory``.

    The answers come from :func:`placelab.core.toolkit.demo_answers.generate_answers` for the
    second wave's respondents, with seed ``SECOND_WAVE_ANSWERS_SEED``, read back from the
    written roster as ``python -m placelab.core.toolkit.demo_answers`` reads the first wave's.
    """
    people_path, ties_path = write_locality(directory, people, ties)
    roster = people_from_table(read_table(people_path))
    answers_path = Path(directory) / "answers.csv"
    generate_answers(roster, seed=SECOND_WAVE_ANSWERS_SEED).to_csv(
        answers_path, index=False, encoding="utf-8", lineterminator="\n"
    )
    return people_path, ties_path, answers_path


if __name__ == "__main__":
    raise SystemExit(main())
