"""Content in the visitor's language: `{% load content %}`.

`{% tr service "name" %}` writes the text to show, escaped; French standing in for a missing
translation gets `lang="fr" dir="ltr"` (its punctuation stays in place on an Arabic page) and
the « (en français) » mark. `block=True` keeps paragraphs
(`linebreaks`). `{% translated service "documents" as documents %}` gives the `Shown`
itself (`.text`, `.lines`, `.language`, `.fallback`) for a title or a list.
`{% tr_text service "name" %}` is the same rule where no markup can carry it (an option
of a <select>, a plain-text e-mail): the text, then the mark. `{{ text|in_french }}`
marks French free text (a validator's role) inside a sentence of another language.
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi, gettext

from services_directory import versions
from services_directory.translations import Shown, shown

register = template.Library()


@register.simple_tag
def translated(obj, field: str) -> Shown:
    return shown(obj, field)


@register.simple_tag
def tr(obj, field: str, block: bool = False, br: bool = False):
    return as_html(shown(obj, field), block=block, br=br)


@register.filter
def as_html(value: Shown, block: bool = False, br: bool = False):
    """A `Shown` as `tr` writes it (`{{ title|as_html }}` where only the text travelled)."""
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


def as_text(value: Shown) -> str:
    """The text, with the mark after French standing in: for plain text."""
    if not value.fallback:
        return value.text
    return f"{value.text} {gettext('(en français)')}"


@register.simple_tag
def tr_text(obj, field: str) -> str:
    return as_text(shown(obj, field))


@register.simple_tag
def fallback_mark(value: Shown):
    """The mark alone, for a value written by hand (a title, a list)."""
    if not value.fallback:
        return ""
    return format_html(' <span class="fallback-mark">{}</span>', gettext("(en français)"))


@register.filter
def in_french(text):
    """French free text in a translated sentence: `lang="fr"` (and left to right on an
    Arabic page), so that a screen reader reads it in French; as is on a French page."""
    if not text or get_language() == "fr":
        return text
    return format_html('<span lang="fr" dir="ltr">{}</span>', text)


@register.filter
def ltr(value) -> str:
    """A number read left to right wherever it stands (« 03 53 73 10 25 » in an Arabic
    sentence, whose groups would otherwise show in reverse order): Unicode's left-to-right
    isolate around it, which also holds in a title, a button or a plain-text e-mail. On a
    left-to-right page the number is left as it is."""
    if not value:
        return ""
    return f"\u2066{value}\u2069" if get_language_bidi() else value


class RememberNode(template.Node):
    def __init__(self, name: str, keys: list, nodelist):
        self.name, self.keys, self.nodelist = name, keys, nodelist

    def render(self, context):
        origin = getattr(self, "origin", None)  # the template: names need only be unique in it
        keys = (key.resolve(context) for key in self.keys)
        key = ("fragment", origin.name if origin else "", self.name, *keys)
        return versions.remembered(key, lambda: mark_safe(self.nodelist.render(context)))


@register.tag
def remember(parser, token):
    """`{% remember "card" service.pk %}…{% endremember %}`: the block's HTML rendered once
    per content version, page language and keys (services_directory.versions), then
    reused by every request of the process.

    Only for what the content alone decides: never the clock (an opening status, « demain »),
    the visitor's commune or words, a CSRF token or anything of the request. The keys must
    name everything else the block reads (the object's primary key, usually). Querysets
    the block alone reads are lazy: when its HTML is kept, they are never run."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% remember %} takes a quoted name, then its keys")
    name = bits[1].strip("\"'")
    keys = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endremember",))
    parser.delete_first_token()
    return RememberNode(name, keys, nodelist)
