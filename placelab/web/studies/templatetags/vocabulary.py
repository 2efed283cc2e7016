"""``{{ code|label }}``: the reader's words for a vocabulary code in a template
('voluntary_community' reads 'Voluntary and community sector'), by the core's one rule."""

from django import template

from placelab.core.vocabulary import label as vocabulary_label

register = template.Library()


@register.filter
def label(code: object) -> str:
    return vocabulary_label(code) if code else ""
