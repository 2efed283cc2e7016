"""The comparison page's template helpers: ``{% compare_link access %}``, a link to it on the
study and analysis pages once the study has two analysed waves to compare, and the report's
own number formats (``percent``, ``number``, ``signed``), so that the page and the report print
every figure alike."""

from django import template

from placelab.report import render
from placelab.web.studies.selectors.comparison import study_has_comparison

register = template.Library()


@register.inclusion_tag("studies/compare/_link.html")
def compare_link(access) -> dict:
    return {"access": access, "shown": study_has_comparison(access.study)}


@register.filter
def percent(value) -> str:
    return render.percent(value)


@register.filter
def number(value, digits: int = 2) -> str:
    return render.number(value, int(digits))


@register.filter
def signed(value) -> str:
    return render.signed(value)
