"""Content in the visitor's language: `{% load content %}`.

`{% tr service "name" %}` writes the text to show, escaped; French standing in for a missing
translation gets `lang="fr" dir="ltr"` (its punctuation stays in place on an Arabic page) and
the « (en français) » mark. `block=True` keeps paragraphs
(`linebreaks`). `{% translated service "documents" as documents %}` gives the `Shown`
itself (`.text`, `.lines`, `.language`, `.fallback`) for a title or a list.
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from services_directory.translations import Shown, shown

register = template.Library()


@register.simple_tag
def translated(obj, field: str) -> Shown:
    return shown(obj, field)


@register.simple_tag
def tr(obj, field: str, block: bool = False, br: bool = False):
    value = shown(obj, field)
    if block:
        body = mark_safe(linebreaks(value.text, autoescape=True))
    elif br:
        body = linebreaksbr(value.text, autoescape=True)
    else:
        body = conditional_escape(value.text)
    if not value.fallback:
        return body
    mark = gettext("(en français)")
    if block:
        return format_html(
            '<div lang="fr" dir="ltr">{}</div><p class="fallback-mark">{}</p>', body, mark
        )
    return format_html(
        '<span lang="fr" dir="ltr">{}</span> <span class="fallback-mark">{}</span>', body, mark
    )


@register.simple_tag
def fallback_mark(value: Shown):
    """The mark alone, for a value written by hand (a title, a list)."""
    if not value.fallback:
        return ""
    return format_html(' <span class="fallback-mark">{}</span>', gettext("(en français)"))
