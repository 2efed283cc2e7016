"""The comparison page's template helpers: ``{% compare_link access %}``, a link to it on the
study and analysis pages once the study has two analysed waves to compare, and the report's
own number formats (``percent``, ``number``, ``signed``), so that the page and the report print
every figure alike."""

from django import template

from placelab.report import render
from placelab.web.studies.selectors.comparison import compare_query

register = template.Library()


@register.inclusion_tag("studies/compare/_link.html")
def compare_link(access, wave=None) -> dict:
    """On a wave's analysis page, the link compares it with the analysed wave before it (after
    it, for the first); on the study's page, the latest two."""
    query = compare_query(access.study, wave)
    text = "What changed between waves"
    if wave is not None and query:
        side = "before" if query.endswith(f"after={wave.number}") else "after"
        text = f"What changed between {wave} and the analysed wave {side} it"
    return {"access": access, "query": query, "text": text}


@register.filter
def percent(value) -> str:
    return render.percent(value)


@register.filter
def number(value, digits: int = 2) -> str:
    return render.number(value, int(digits))


@register.filter
def signed(value) -> str:
    return render.signed(value)
