"""How long the maps' layout takes, against NetworkX's spring layout of the same graph.

``python -m bench.layout [--sizes 1000,10000] [--networkx-up-to 1000] [--pictures DIR]``

For each size, a synthetic locality of seven networks (``bench.study.make_study``) is built and
its union graph (a tie in any network) laid out twice in the same run: by
``placelab.core.networks.layout.sector_layout`` (the sector template, each region's force
layout, everyone's margin place and the free layout) and by two baselines on the same graph: igraph's
plain Fruchterman-Reingold of the whole graph (grid, as many iterations as ours), what one
free force layout costs at the least; and NetworkX's ``spring_layout`` (Fruchterman-Reingold,
its default 50 iterations, seed 0), which is quadratic per iteration and so is run only up to
``--networkx-up-to`` people. The targets (issue 8): under 1 s at 1,000 people, under 10 s at 10,000. It also times one static map
(the innovation network's SVG) from the stored layout. Exits 1 if a target is missed.
``--pictures DIR`` writes the test pictures of ties across sectors, one line each and in bands
(``across_style``), as PNG for each size.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

TARGETS = {1000: 1.0, 10000: 10.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.layout", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--pictures", type=Path, default=None)
    parser.add_argument(
        "--networkx-up-to", type=int, default=1000, help="skip NetworkX above this many people"
    )
    args = parser.parse_args(argv)
    failed = False
    for people in (int(s) for s in args.sizes.split(",")):
        line, took = measure(people, networkx=people <= args.networkx_up_to, pictures=args.pictures)
        target = TARGETS.get(people)
        missed = target is not None and took > target
        failed |= missed
        verdict = "" if target is None else (" MISSED" if missed else " ok") + f" (< {target:g} s)"
        print(line + verdict, flush=True)
    return 1 if failed else 0


def measure(people: int, *, networkx: bool, pictures: Path | None) -> tuple[str, float]:
    import networkx as nx

    from bench.study import make_study
    from placelab.core.networks.graphs import build_networks
    from placelab.core.networks.layout import ITERATIONS, sector_layout
    from placelab.core.vocabulary import ALL
    from placelab.report.maps import network_svg, svg_to_png

    data = make_study(people)
    nets = build_networks(data)
    union = nets.undirected[ALL]
    sectors = data.people["sector"].to_numpy(dtype=str)
    started = time.perf_counter()
    layout = sector_layout(union, nets.ids, sectors, seed=0)
    ours = time.perf_counter() - started
    result = {
        "layout": layout,
        "ties": {
            name: group[["source", "target", "weight"]].values.tolist()
            for name, group in data.ties.groupby("network")
        },
        "networks": {},
    }
    started = time.perf_counter()
    svg = network_svg(result, "innovation")
    drawing = time.perf_counter() - started
    if pictures is not None:
        pictures.mkdir(parents=True, exist_ok=True)
        for style in ("lines", "aggregated"):
            across = network_svg(result, "innovation", ties="across", across_style=style)
            (pictures / f"across-{people}-{style}.png").write_bytes(svg_to_png(across, scale=1))
    text = (
        f"{people:>7,} people, {union.ecount():>9,} pairs tied: sector_layout {ours:6.2f} s"
        f"; innovation map SVG {drawing:5.2f} s ({len(svg) / 1e6:.1f} MB)"
    )
    started = time.perf_counter()
    union.layout_fruchterman_reingold(niter=ITERATIONS, grid=True)
    plain = time.perf_counter() - started
    text += f"; igraph plain FR {plain:6.2f} s ({plain / ours:4.2f}x ours)"
    if networkx:
        graph = nx.Graph()
        graph.add_nodes_from(range(union.vcount()))
        graph.add_edges_from(union.get_edgelist())
        started = time.perf_counter()
        nx.spring_layout(graph, seed=0)
        theirs = time.perf_counter() - started
        text += f"; NetworkX spring_layout {theirs:7.2f} s ({theirs / ours:5.1f}x ours)"
    return text, ours


if __name__ == "__main__":
    sys.exit(main())
