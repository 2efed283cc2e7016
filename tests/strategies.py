"""Hypothesis strategies shared by the tests: graphs, and whole studies as files."""

from __future__ import annotations

from hypothesis import strategies as st

from placelab.core.vocabulary import LAYERS, SECTORS, SENIORITIES


@st.composite
def directed_edges(draw, min_people: int = 2, max_people: int = 20) -> tuple[int, list]:
    """(n, edges): a simple directed graph on n people, as a sorted list of distinct ties."""
    n = draw(st.integers(min_people, max_people))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    return n, sorted(set(draw(st.lists(pairs, max_size=3 * n))))


@st.composite
def study_files(
    draw, networks: tuple[str, ...] = ("work", "innovation"), max_people: int = 25
) -> tuple[str, str]:
    """A people.csv and ties.csv (as text): 5 to ``max_people`` people with every roster column,
    some not answering, random ties in ``networks`` from p0 on."""
    n = draw(st.integers(5, max_people))
    rows = ["id,name,organisation,sector,layer,seniority,responded,role_title,years_in_post"]
    answered = []
    for i in range(n):
        answers = i == 0 or draw(st.booleans())
        answered += [i] if answers else []
        rows.append(
            f"p{i},Name{i} Surname{i},Org{draw(st.integers(0, 3))} Ltd,"
            f"{draw(st.sampled_from(SECTORS[:4]))},{draw(st.sampled_from(LAYERS))},"
            f"{draw(st.sampled_from(SENIORITIES))},{'yes' if answers else 'no'},"
            f"Title{draw(st.integers(0, 4))} Officer,{draw(st.integers(1, 20))}"
        )
    ties = {(0, 1, networks[0]): 1}
    for _ in range(draw(st.integers(0, 3 * n))):
        source, target = draw(st.sampled_from(answered)), draw(st.integers(0, n - 1))
        network = draw(st.sampled_from(networks))
        if source != target:
            ties.setdefault((source, target, network), draw(st.integers(1, 5)))
    lines = [
        "source,target,network,weight",
        *(f"p{s},p{t},{k},{w}" for (s, t, k), w in ties.items()),
    ]
    return "\n".join(rows) + "\n", "\n".join(lines) + "\n"
