"""The schéma d'orientation: a vertical flow of the steps, laid out for inline SVG.

Server-side geometry (no JavaScript): boxes one under the other, 320 units wide,
so one SVG scales from a 320 px phone to an A4 page. Text is wrapped here because
SVG does not wrap text itself.
"""

import textwrap
from dataclasses import dataclass

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from services_directory.translations import shown

WIDTH = 320
MARGIN = 6
BOX_WIDTH = WIDTH - 2 * MARGIN
PADDING = 10
TITLE_LINE = 19
META_LINE = 16
GAP = 26  # room for the arrow between two boxes
TITLE_CHARS = 32
META_CHARS = 40
MAX_TITLE_LINES = 3


@dataclass
class Box:
    number: int
    y: int
    height: int
    lines: list  # (y, text, css class, language when French stands in for a translation)
    arrow: tuple | None  # (y1, y2) of the arrow under the box, if another box follows


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def layout(steps, labels: dict | None = None) -> dict:
    """Geometry for the template: viewBox height and one Box per step.

    `labels` maps a step's pk to the "who" to print (defaults to `step.who_label`).
    """
    labels = labels or {}
    boxes, y = [], MARGIN
    steps = list(steps)
    for number, step in enumerate(steps, start=1):
        # `cursor` is a text baseline: 14 units under the top padding for a 15 px title.
        lines, cursor = [], y + PADDING + 14
        title = shown(step, "title")
        for text in _wrap(f"{number}. {title}", TITLE_CHARS, MAX_TITLE_LINES):
            lines.append((cursor, text, "dg-title", "fr" if title.fallback else ""))
            cursor += TITLE_LINE
        who = labels.get(step.pk, step.who_label)
        when = shown(step, "when")
        metas = [(_("Qui : %(who)s"), who, ""), (_("Quand : %(when)s"), when.text, "")]
        if when.fallback:
            metas[1] = (*metas[1][:2], "fr")
        for template, value, language in metas:
            if value:
                label = template % {"who": value, "when": value}
                for text in _wrap(label, META_CHARS, 2):
                    lines.append((cursor, text, "dg-meta", language))
                    cursor += META_LINE
        # Back from the next (unused) baseline to the last line's bottom, plus padding.
        height = cursor - y - 14 + PADDING
        arrow = (y + height, y + height + GAP) if number < len(steps) else None
        boxes.append(Box(number, y, height, lines, arrow))
        y += height + GAP
    # Right to left (Arabic): each line starts at the box's right edge.
    rtl = get_language_bidi()
    return {
        "rtl": rtl,
        "width": WIDTH,
        "height": max(y - GAP + MARGIN, 2 * MARGIN),
        "boxes": boxes,
        "x": MARGIN,
        "box_width": BOX_WIDTH,
        "text_x": MARGIN + BOX_WIDTH - PADDING if rtl else MARGIN + PADDING,
        "arrow_x": WIDTH // 2,
    }
