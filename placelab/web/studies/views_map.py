"""A wave's network map: the WebGL map (map.js), its filters as a plain GET form, a table."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from placelab.core.vocabulary import label
from placelab.web.studies.access import VIEWER, StudyAccess, study_view, wave_of
from placelab.web.studies.selectors import analysis_map_links, results
from placelab.web.studies.selectors import map_data as maps
from placelab.web.studies.services.audit import audit_saw_names

# A table longer than this shows its first rows (in the chosen order) and links to the rest.
TABLE_ROWS = 200


@study_view(needs=VIEWER)
@require_GET
def network_map(request: HttpRequest, access: StudyAccess, number: int) -> HttpResponse:
    wave = wave_of(access, number)
    run = results.latest_done_run(wave)
    context = {"access": access, "tab": "waves", "wave": wave, "done": run}
    if run is not None:
        shown = results.shown_analysis(access, run)
        result = shown["result"]
        view = maps.map_view(request.GET, result)
        data = maps.map_data(result, view, sees_names=access.sees_names)
        query = request.GET.copy()
        context |= {
            "view": view, "data": data, "choices": maps.choices(result),
            "rows": maps.table_rows(data, view.sort) if "nodes" in data else [],
            "columns": _columns(data, query, view.sort),
            "json_url": reverse("api:map_data", args=[access.study.pk, wave.number]),
            "query": query.urlencode(),
            "legend_roles": [(r, label(r), r[0].upper(), maps.ROLE_MEANINGS[r],
                              data.get("colours", {}).get(r)) for r in maps.ROLES],
        }  # fmt: skip
        analysis = reverse("studies:analysis", args=[access.study.pk, wave.number])
        context["findings"] = _findings_about(view, shown, analysis)
        context["rows_total"] = len(context["rows"])
        if request.GET.get("rows") != "all":  # thousands of rows: the first ones, and a link
            context["rows"] = context["rows"][:TABLE_ROWS]
        context["rows"] = [_row(r, context["columns"], query) for r in context["rows"]]
        every = query.copy()
        every["rows"] = "all"
        context["all_rows_query"] = every.urlencode()
        context["focus_label"] = next(
            (n["label"] for n in data.get("nodes", []) if n["focus"]), view.person
        )
        if access.sees_names:
            audit_saw_names(user=request.user, study=access.study, page=f"the map of wave {number}")
    return render(request, "studies/results/map.html", context)


def _findings_about(view: maps.MapView, shown: dict, analysis: str) -> list[dict]:
    """The findings the analysis page shows (as this user sees them) that concern the view,
    each with ``url``: its place on the analysis page."""
    params = {
        "network": view.network, "sector": list(view.sectors), "layer": list(view.layers),
        "leave": "key" if view.leave else None,
        "brokers": ",".join(view.brokers) if view.brokers else None,
    }  # fmt: skip
    return [
        {**finding, "url": f"{analysis}#finding-{slugify(finding['id'])}"}
        for finding in results.all_findings(shown["result"], shown["diagnosis"])
        if analysis_map_links.finding_concerns_view(
            analysis_map_links.finding_map_query(finding), params
        )
    ]


def _columns(data: dict, query, sort: str) -> list[dict]:
    """The table's columns, each with the link that sorts by it and its aria-sort state."""
    present = {m for n in data.get("nodes", []) for m in n["measures"]}
    names = {"label": "Person", "sector": "Sector", "layer": "Layer", "roles": "Key connector"}
    if data.get("brokers"):
        names["between"] = "Brokerage between the two sectors"
    names |= {m: text for m, text in maps.MEASURES.items() if m in present}
    columns = []
    for column, text in names.items():
        current = sort.lstrip("-") == column
        descending = sort.startswith("-")
        asked = query.copy()
        asked["sort"] = f"-{column}" if current and not descending else column
        if column in maps.MEASURES and not current:
            asked["sort"] = f"-{column}"  # the largest first is what a reader asks of a measure
        state = ("descending" if descending else "ascending") if current else None
        columns.append({"key": column, "label": text, "query": asked.urlencode(), "sort": state,
                        "numeric": column in maps.MEASURES})  # fmt: skip
    return columns


def _row(node: dict, columns: list[dict], query) -> dict:
    """A table row: the node, its measures in the columns' order, the link to its own view."""
    own = query.copy()
    own["person"] = node["key"]
    own.pop("sort", None)
    numeric = [c["key"] for c in columns if c["numeric"]]
    return node | {
        "cells": [node["measures"].get(m) for m in numeric],
        "person_query": own.urlencode(),
    }
