"""``{% compare_link access %}``: a link to the comparison page, on the study and analysis pages,
once the study has two analysed waves to compare."""

from django import template

from placelab.web.studies.selectors.comparison import study_has_comparison

register = template.Library()


@register.inclusion_tag("studies/compare/_link.html")
def compare_link(access) -> dict:
    return {"access": access, "shown": study_has_comparison(access.study)}
