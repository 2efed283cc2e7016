"""The analysis page's tables by sector and layer with their links to the map.

The tables themselves are :mod:`placelab.report.group_tables`, shared with the report; the page
gives them its link maker, so each count opens the map view that shows those ties.
"""

from __future__ import annotations

from functools import partial

from placelab.report import group_tables
from placelab.web.studies.selectors.analysis_map_links import map_link


def mixing_matrix(
    network_result: dict, network: str, *, sees_names: bool, base: str, order: tuple[str, ...] = ()
) -> dict:
    """The sector heat map (:func:`group_tables.mixing_matrix`), each count a link to the map."""
    return group_tables.mixing_matrix(
        network_result, network, sees_names=sees_names, link=partial(map_link, base), order=order
    )


def broker_links(matrix: dict, network: str, base: str, *, most: int = 3) -> list[dict]:
    """The busiest sector pairs (:func:`group_tables.broker_links`), each a link to the map
    view of who brokers between them."""
    return group_tables.broker_links(matrix, network, link=partial(map_link, base), most=most)
