"""Formatting of figures, in French, with statistical secrecy spelt out for screen readers."""

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from django import template
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators import charts, secrecy

register = template.Library()


@lru_cache(maxsize=8)
def _separators(language: str) -> tuple[str, str]:
    return formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR")


def _number(value, places: int) -> str:
    """Like number_format with grouping, without its per-call settings lookups: a dashboard
    formats a thousand figures."""
    if isinstance(value, Decimal) and places == 0 and value != value.to_integral_value():
        places = 2
    decimal_separator, thousand_separator = _separators(get_language())
    text = f"{value:,.{places}f}"
    return (
        text.replace(",", "\x00")
        .replace(".", decimal_separator)
        .replace("\x00", thousand_separator)
    )


def plain_figure(value, kind: str = "count", *, short: bool = False) -> str:
    """The figure as text, for SVG labels and titles (`short`: on a chart)."""
    if value is None:
        return "" if short else _("non disponible")
    if secrecy.is_masked(value) and short:
        return str(value)
    if value is secrecy.SECRET:
        return _("secret par recoupement")
    if secrecy.is_masked(value):
        return _("moins de %(n)s (secret statistique)") % {"n": secrecy.THRESHOLD}
    if kind == "percent":
        if short:
            return f"{_number(Decimal(str(value)).quantize(Decimal(1)), 0)}\u00a0%"
        return f"{_number(value, 1)}\u00a0%"
    if kind == "score":
        if short:
            return _number(value, 1)
        return _("%(value)s sur 5") % {"value": _number(value, 1)}
    if kind == "count":
        return _number(value, 0)
    return str(value)


@register.filter
def figure(value, kind: str = "count"):
    """A cell of a table or a key figure: number, « < 5 », « — » or text."""
    if value is None:
        return format_html(
            '<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>',
            _("non disponible"),
        )
    if value is secrecy.SECRET:
        return format_html(
            '<span class="masked secret">s<span class="visually-hidden"> {}</span></span>',
            _("(secret par recoupement)"),
        )
    if secrecy.is_masked(value):
        return format_html(
            '<span class="masked">&lt;&nbsp;{}<span class="visually-hidden"> {}</span></span>',
            secrecy.THRESHOLD,
            _("(moins de 5 personnes, secret statistique)"),
        )
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if kind == "text":
        return value
    if kind == "percent":
        return format_html("{}&nbsp;%", _number(value, 1))
    if kind == "score":
        return format_html('{}<span class="unit">&nbsp;/&nbsp;5</span>', _number(value, 1))
    return _number(value, 0)


@register.filter
def plain(value, kind: str = "count") -> str:
    return plain_figure(value, kind)


@register.filter
def heat(value, maximum) -> int:
    return charts.heat_level(value, maximum)


@register.filter
def secret(count):
    """A count of people, masked under the threshold."""
    return secrecy.mask_count(count)


@register.simple_tag
def table_html(table):
    """A table of figures, built here rather than in template loops: a dashboard shows a
    dozen of them, with a row per day, and this keeps it fast."""
    head = format_html_join(
        "",
        '<th scope="col"{}>{}</th>',
        ((mark_safe(' class="num"') if c.kind != "text" else "", c.label) for c in table.columns),
    )
    maximum = table.max_value if table.is_matrix else None
    rows = []
    for row in table.rows:
        cells = []
        for index, (value, column) in enumerate(zip(row, table.columns, strict=False)):
            text = figure(value, column.kind)
            if index == 0:
                cells.append(format_html('<th scope="row">{}</th>', text))
                continue
            classes = "num" if column.kind != "text" else ""
            if table.is_matrix:
                classes += f" heat-{charts.heat_level(value, maximum)}"
            cells.append(format_html('<td class="{}">{}</td>', classes.strip(), text))
        rows.append(format_html("<tr>{}</tr>", mark_safe("".join(cells))))
    return format_html(
        "<table{}><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        mark_safe(' class="matrix"') if table.is_matrix else "",
        table.title,
        head,
        mark_safe("".join(rows)),
    )
