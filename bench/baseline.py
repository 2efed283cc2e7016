"""The work of ``analyse_networks`` done with NetworkX alone, by the same methods.

NumPy and SciPy step in only where NetworkX has no function: the Hutchinson estimate of
information centrality above the exact limit (with the Laplacian from ``nx.laplacian_matrix``),
and the arithmetic of summaries; NetworKit's KADABRA, by placelab's own call, estimates
betweenness above the exact limit (NetworkX has only source sampling). Per network and for the
union ``all`` it computes density and reciprocity, components, in- and out-degree and strength,
betweenness (exact up to ``exact_limit`` people, otherwise KADABRA) and harmonic closeness
(exact, otherwise from the same sampled sources as placelab, ``Parameters.sources``) on the
symmetrised graph, information centrality on the largest component,
PageRank, core numbers, Burt's constraint, the three key connector roles, Louvain communities
(NetworkX has no Leiden), Gould and Fernandez brokerage by enumerating two-paths, tie matrices
and E-I indices by sector and layer, and fragility (the top five connectors leave; the worst
single departure among the first 50); across networks, QAP with the same permutations.

Left out, as negligible next to the rest: expected brokerage (arithmetic on group sizes) and the
core-group tables (sums over boolean columns).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from placelab.core.data import StudyData
from placelab.core.networks.analysis import Parameters
from placelab.core.networks.betweenness import kadabra
from placelab.core.vocabulary import ALL

ROLE_SCORES = {"hub": "degree", "gatekeeper": "betweenness", "pulsetaker": "information"}
CG_RTOL = 1e-4  # placelab.core.networks.information.CG_RTOL
BROKER_KINDS = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


@dataclass
class Graphs:
    """Every network as a NetworkX DiGraph and its symmetrised Graph, nodes in roster order."""

    ids: list[str]
    directed: dict[str, nx.DiGraph]
    undirected: dict[str, nx.Graph]


@dataclass
class BaselineTimes:
    """Seconds per part; ``per_network`` holds what was measured, ``counted`` how often."""

    build: float = 0.0
    per_network: dict[str, float] = field(default_factory=dict)
    counted: dict[str, int] = field(default_factory=dict)
    alignment: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        networks = sum(s * self.counted.get(n, 1) for n, s in self.per_network.items())
        return self.build + networks + self.alignment


def build_graphs(data: StudyData) -> Graphs:
    """One DiGraph per network plus the union ``all`` (weights summed), and symmetrised twins."""
    ids = list(data.people.index)
    directed: dict[str, nx.DiGraph] = {}
    for name in data.networks:
        ties = data.ties[data.ties["network"] == name]
        directed[name] = _digraph(
            ids, zip(ties["source"], ties["target"], ties["weight"], strict=True)
        )
    union: Counter[tuple[str, str]] = Counter()
    for source, target, weight in zip(
        data.ties["source"], data.ties["target"], data.ties["weight"], strict=True
    ):
        union[(source, target)] += weight
    directed[ALL] = _digraph(ids, ((s, t, w) for (s, t), w in union.items()))
    undirected = {name: graph.to_undirected() for name, graph in directed.items()}
    return Graphs(ids, directed, undirected)


def _digraph(ids: list[str], edges: Iterable[tuple[str, str, float]]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    graph.add_weighted_edges_from(edges)
    return graph


# --- per-person measures -----------------------------------------------------------------------


def person_measures(
    directed: nx.DiGraph, undirected: nx.Graph, parameters: Parameters, timer: Timer
) -> dict[str, dict[str, float]]:
    """Every per-person measure of one network, as a dict per measure keyed by node."""
    n = undirected.number_of_nodes()
    nodes = list(undirected)
    picked = parameters.sources(n)
    sources = None if picked is None else [nodes[i] for i in picked]
    measures: dict[str, dict[str, float]] = {}
    with timer("degrees"):
        measures["in_degree"] = dict(directed.in_degree())
        measures["out_degree"] = dict(directed.out_degree())
        measures["in_strength"] = dict(directed.in_degree(weight="weight"))
        measures["out_strength"] = dict(directed.out_degree(weight="weight"))
        measures["degree"] = dict(undirected.degree())
    with timer("betweenness"):
        measures["betweenness"], measures["betweenness_se"] = betweenness(undirected, parameters)
    with timer("harmonic"):
        measures["harmonic"] = harmonic(undirected, sources)
    with timer("information"):
        measures["information"], measures["information_se"] = information(undirected, parameters)
    with timer("pagerank"):
        measures["pagerank"] = nx.pagerank(directed, alpha=0.85, weight="weight")
    with timer("k_core"):
        measures["k_core"] = nx.core_number(undirected)
    with timer("constraint"):
        measures["constraint"] = nx.constraint(undirected)
    return measures


def betweenness(graph: nx.Graph, parameters: Parameters) -> tuple[dict, dict]:
    """Normalised betweenness and its standard error: exact (error NaN) up to ``exact_limit``
    or ``betweenness_exact_work``, above them KADABRA (Borassi and Natale 2019), which NetworkX lacks, by the same NetworKit call
    as placelab (``kadabra``), on this graph's edges."""
    nodes = list(graph)
    n = len(nodes)
    cheap = n * graph.number_of_edges() <= parameters.betweenness_exact_work
    if n <= parameters.exact_limit or cheap:
        return nx.betweenness_centrality(graph, normalized=True), dict.fromkeys(nodes, math.nan)
    if graph.number_of_edges() > parameters.betweenness_kadabra_ties:
        return sampled_betweenness(graph, [nodes[i] for i in parameters.sources(n) or []])
    number = {v: i for i, v in enumerate(nodes)}
    edges = np.array([(number[u], number[v]) for u, v in graph.edges()], dtype=np.int64)
    values, se = kadabra(
        n,
        edges,
        error=parameters.betweenness_error_for(n),
        delta=parameters.betweenness_delta,
        seed=parameters.seed,
    )
    return dict(zip(nodes, values, strict=True)), dict(zip(nodes, se, strict=True))


def sampled_betweenness(graph: nx.Graph, sources: list[str]) -> tuple[dict, dict]:
    """Brandes and Pich's estimate from ``sources`` in ten batches, and the batches' standard
    error, as ``placelab.core.networks.betweenness.sampled_betweenness``."""
    n = graph.number_of_nodes()
    chunks = [list(c) for c in np.array_split(np.array(sources, dtype=object), 10) if len(c)]
    parts = []
    for chunk in chunks:
        # Unnormalised subset betweenness counts each (s, t), s in chunk, once, halved.
        raw = nx.betweenness_centrality_subset(graph, chunk, list(graph), normalized=False)
        scale = n / len(chunk) * 2 / ((n - 1) * (n - 2))
        parts.append([raw[v] * scale for v in graph])
    found = np.array(parts)
    weights = np.array([len(c) for c in chunks]) / len(sources)
    se = found.std(axis=0, ddof=1) / np.sqrt(len(chunks))
    return dict(zip(graph, weights @ found, strict=True)), dict(zip(graph, se, strict=True))


def harmonic(graph: nx.Graph, sources: list[str] | None) -> dict[str, float]:
    """Harmonic closeness over n - 1, or the mean of 1/d over the sampled sources."""
    n = graph.number_of_nodes()
    if sources is None:
        return {v: h / (n - 1) for v, h in nx.harmonic_centrality(graph).items()}
    total = dict.fromkeys(graph, 0.0)
    for source in sources:
        for v, d in nx.single_source_shortest_path_length(graph, source).items():
            if d > 0:
                total[v] += 1 / d
    sampled = set(sources)
    return {v: t / (len(sources) - (v in sampled)) for v, t in total.items()}


def information(
    graph: nx.Graph, parameters: Parameters
) -> tuple[dict[str, float], dict[str, float]]:
    """Stephenson and Zelen's information centrality on the largest component, 0 elsewhere,
    and the standard error of the estimate (NaN when exact, 0 off the component)."""
    scores = dict.fromkeys(graph, 0.0)
    errors = dict.fromkeys(graph, math.nan)
    component = max(nx.connected_components(graph), key=len)
    size = len(component)
    if size < 2:
        return scores, errors
    sub = graph.subgraph(component)
    if size <= parameters.exact_limit:
        # NetworkX returns Stephenson and Zelen's value divided by n.
        scores.update({v: c * size for v, c in nx.information_centrality(sub).items()})
        return scores, errors
    nodes = [v for v in graph if v in component]  # roster order, so the probes match placelab's
    laplacian = nx.laplacian_matrix(sub, nodelist=nodes, weight=None).astype(float).tocsr()
    diagonal, spread = pinv_diagonal_estimate(
        laplacian, probes=parameters.information_probes, seed=parameters.seed
    )
    values = size / (size * diagonal + diagonal.sum())
    scores.update(zip(nodes, values.tolist(), strict=True))
    errors = dict.fromkeys(graph, 0.0)
    errors.update(zip(nodes, (values**2 * spread).tolist(), strict=True))
    return scores, errors


def pinv_diagonal_estimate(
    laplacian: sp.csr_matrix, *, probes: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """diag(L^+) and its standard error by placelab's estimator: Hutchinson's on
    M = L^+ - B + a1' + 1a' with B = D^-1 + D^-1 A D^-1 + D^-1 A D^-1 A D^-1 and
    a = (g - sum(g)/2n)/n, g = diag(B), then diag(B) - 2a added back; the same Rademacher
    probes, each L^+ z solved by SciPy's Jacobi-preconditioned conjugate gradients from B z
    (double precision where placelab uses single)."""
    n = laplacian.shape[0]
    degree = laplacian.diagonal()
    adjacency = sp.diags(degree) - laplacian

    def near(z: np.ndarray) -> np.ndarray:  # B z
        first = z / degree
        second = adjacency @ first / degree
        return first + second + adjacency @ second / degree

    guess = 1.0 / degree + adjacency @ (1.0 / degree) / degree**2  # diag(B)
    shared = (guess - guess.sum() / (2 * n)) / n
    rng = np.random.default_rng(seed)
    probe_signs = rng.integers(0, 2, size=(n, probes), dtype=np.int8).astype(float) * 2 - 1
    preconditioner = sp.diags(1.0 / degree)
    samples = np.empty((n, probes))
    for p, z in enumerate(probe_signs.T):
        start = near(z)
        solution, _info = spla.cg(
            laplacian,
            z - z.mean(),
            x0=start - start.mean(),
            M=preconditioner,
            rtol=CG_RTOL,
            maxiter=2000,
        )
        pinv_z = solution - solution.mean()
        samples[:, p] = z * (pinv_z - start + shared * z.sum() + shared @ z)
    diagonal = samples.mean(axis=1) + guess - 2 * shared
    return diagonal, samples.std(axis=1, ddof=1) / np.sqrt(probes)


# --- roles, communities, brokerage, mixing, fragility ------------------------------------------


def top_share(scores: dict[str, float], share: float) -> set[str]:
    """The top ``share`` of people by score (at least one), ties included, zeros never."""
    values = {v: round(0.0 if math.isnan(s) else s, 9) for v, s in scores.items()}
    k = max(1, math.ceil(share * len(values)))
    threshold = sorted(values.values(), reverse=True)[k - 1]
    return {v for v, s in values.items() if s >= threshold and s > 0}


def key_connectors(measures: dict[str, dict[str, float]], share: float) -> dict[str, set[str]]:
    return {role: top_share(measures[score], share) for role, score in ROLE_SCORES.items()}


def ranked_connectors(
    measures: dict[str, dict[str, float]], roles: dict[str, set[str]]
) -> list[str]:
    """Key connectors, most roles first, then by degree, betweenness, information, then id."""
    held = Counter(v for holders in roles.values() for v in holders)
    scores = [measures[score] for score in ROLE_SCORES.values()]
    return sorted(held, key=lambda v: (-held[v], *(-s[v] for s in scores), v))


def brokerage(graph: nx.DiGraph, groups: dict[str, str]) -> dict[str, list[int]]:
    """Gould and Fernandez role counts per broker, by enumerating every open two-path a-b-c."""
    counts = {v: [0] * len(BROKER_KINDS) for v in graph}
    succ, pred = graph.succ, graph.pred
    for b, outgoing in succ.items():
        gb, mine = groups[b], counts[b]
        for a in pred[b]:
            ga, named_by_a = groups[a], succ[a]
            for c in outgoing:
                if c == a or c in named_by_a:
                    continue
                gc = groups[c]
                if ga == gb == gc:
                    mine[0] += 1
                elif ga == gc:
                    mine[1] += 1
                elif ga == gb:
                    mine[2] += 1
                elif gb == gc:
                    mine[3] += 1
                else:
                    mine[4] += 1
    return counts


def mixing(graph: nx.DiGraph, groups: dict[str, str]) -> tuple[Counter, float | None]:
    """The tie matrix between groups and the E-I index of one grouping."""
    matrix = Counter((groups[u], groups[v]) for u, v in graph.edges())
    internal = sum(count for (a, b), count in matrix.items() if a == b)
    total = sum(matrix.values())
    return matrix, ((total - 2 * internal) / total if total else None)


def fragmentation(graph: nx.Graph) -> float:
    n = graph.number_of_nodes()
    if n < 2:
        return 0.0
    same = sum(len(c) * (len(c) - 1) for c in nx.connected_components(graph))
    return 1 - same / (n * (n - 1))


def departures(graph: nx.Graph, ranked: Sequence[str], most: int) -> list[tuple[float, float]]:
    """(reach, fragmentation) after the first k of ``ranked`` leave, k = 0..most."""
    rows = []
    for k in range(min(most, len(ranked)) + 1):
        remaining = graph.copy()
        remaining.remove_nodes_from(ranked[:k])
        largest = max((len(c) for c in nx.connected_components(remaining)), default=0)
        rows.append((largest / remaining.number_of_nodes(), fragmentation(remaining)))
    return rows


def worst_departure(graph: nx.Graph, candidates: Sequence[str]) -> tuple[str, float] | None:
    best: tuple[str, float] | None = None
    for person in candidates:
        remaining = graph.copy()
        remaining.remove_node(person)
        score = fragmentation(remaining)
        if best is None or score > best[1]:
            best = (person, score)
    return best


def summary(directed: nx.DiGraph, undirected: nx.Graph, responded: dict[str, bool]) -> dict:
    n = directed.number_of_nodes()
    sizes = sorted((len(c) for c in nx.connected_components(undirected)), reverse=True)
    degrees = [d for _v, d in undirected.degree()]
    naming = [d for v, d in directed.out_degree() if responded[v]]
    return {
        "density": nx.density(directed),
        "reciprocity": nx.overall_reciprocity(directed) if directed.number_of_edges() else 0.0,
        "components": len(sizes),
        "largest_component": sizes[0],
        "isolates": nx.number_of_isolates(undirected),
        "degree_centralisation": sum(max(degrees) - d for d in degrees) / ((n - 1) * (n - 2)),
        "share_naming_anyone": sum(d > 0 for d in naming) / max(1, len(naming)),
    }


# --- one network, QAP, the whole run -----------------------------------------------------------


class Timer:
    """Adds the seconds spent in each named block to ``parts``."""

    def __init__(self, parts: dict[str, float]) -> None:
        self.parts = parts

    def __call__(self, name: str) -> _Block:
        return _Block(self.parts, name)


class _Block:
    def __init__(self, parts: dict[str, float], name: str) -> None:
        self.parts, self.name = parts, name

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *_exc: object) -> None:
        elapsed = time.perf_counter() - self.start
        self.parts[self.name] = self.parts.get(self.name, 0.0) + elapsed


def analyse_network(
    graphs: Graphs, name: str, data: StudyData, parameters: Parameters, timer: Timer
) -> dict:
    """Everything placelab computes for one network, by NetworkX."""
    directed, undirected = graphs.directed[name], graphs.undirected[name]
    people = data.people
    with timer("summary"):
        result = {"summary": summary(directed, undirected, people["responded"].to_dict())}
    measures = person_measures(directed, undirected, parameters, timer)
    with timer("roles"):
        roles = key_connectors(measures, parameters.top_share)
    with timer("communities"):
        result["communities"] = nx.community.louvain_communities(undirected, seed=parameters.seed)
    with timer("brokerage"):
        result["brokerage"] = brokerage(directed, people["sector"].to_dict())
    with timer("mixing"):
        result["mixing"] = {g: mixing(directed, people[g].to_dict()) for g in ("sector", "layer")}
    with timer("fragility"):
        ranked = ranked_connectors(measures, roles)
        result["departures"] = departures(undirected, ranked, parameters.departures)
        result["worst"] = worst_departure(undirected, ranked[: parameters.departure_candidates])
    result.update(measures=measures, roles=roles)
    return result


def qap(graphs: dict[str, nx.DiGraph], ids: list[str], permutations: int, seed: int) -> dict:
    """QAP correlation and one-sided p for every pair, one seeded relabelling per step."""
    n = len(ids)
    index = {v: i for i, v in enumerate(ids)}
    edges = {k: [(index[u], index[v]) for u, v in g.edges()] for k, g in graphs.items()}
    sets = {k: set(e) for k, e in edges.items()}
    pairs = list(combinations(graphs, 2))
    observed = {(a, b): len(sets[a] & sets[b]) for a, b in pairs}
    at_least = dict.fromkeys(pairs, 0)
    rng = np.random.default_rng(seed)
    for _ in range(permutations):
        relabel = rng.permutation(n).tolist()
        moved = {k: {(relabel[u], relabel[v]) for u, v in e} for k, e in edges.items()}
        for a, b in pairs:
            at_least[(a, b)] += len(sets[a] & moved[b]) >= observed[(a, b)]
    cells = n * (n - 1)
    return {
        (a, b): (_pearson(observed[(a, b)], len(sets[a]), len(sets[b]), cells),
                 (at_least[(a, b)] + 1) / (permutations + 1))
        for a, b in pairs
    }  # fmt: skip


def _pearson(both: int, ties_a: int, ties_b: int, cells: int) -> float | None:
    spread = ties_a * (cells - ties_a) * ties_b * (cells - ties_b)
    return (cells * both - ties_a * ties_b) / math.sqrt(spread) if spread else None


def run_baseline(
    data: StudyData,
    parameters: Parameters,
    *,
    representative: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> BaselineTimes:
    """Time the baseline; with ``representative``, only that network (counted once for each of
    the networks) and the union are analysed, everything shared is done in full."""
    say = progress or (lambda _step: None)
    times = BaselineTimes()
    timer = Timer(times.parts)
    start = time.perf_counter()
    graphs = build_graphs(data)
    times.build = time.perf_counter() - start
    plan = [representative, ALL] if representative else [*data.networks, ALL]
    for name in plan:
        say(f"baseline: the {name} network")
        start = time.perf_counter()
        analyse_network(graphs, name, data, parameters, timer)
        times.per_network[name] = time.perf_counter() - start
        times.counted[name] = len(data.networks) if name == representative else 1
    say("baseline: QAP alignment")
    start = time.perf_counter()
    qap(
        {name: graphs.directed[name] for name in data.networks},
        graphs.ids,
        parameters.permutations_for(len(graphs.ids)),
        parameters.seed,
    )
    times.alignment = time.perf_counter() - start
    return times


def median_network(data: StudyData) -> str:
    """The network whose number of ties is the median of the seven: a fair one to count 7x."""
    counts = data.ties["network"].value_counts()
    ordered = sorted(data.networks, key=lambda name: (counts.get(name, 0), name))
    return ordered[len(ordered) // 2]
