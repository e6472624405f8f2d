"""Tables of figures, shown as HTML and exported as CSV or XLSX from the same object.

Cells are already masked (see secrecy.py) when a table is built, so that no export can
show more than the page.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .secrecy import SECRET, THRESHOLD, is_masked

# Column kinds: how a cell is formatted (text, a count, a percentage, a score out of 5).
TEXT, COUNT, PERCENT, SCORE = "text", "count", "percent", "score"
# A number whose unit changes from row to row (a synthesis of indicators).
NUMBER = "number"


@dataclass
class Column:
    label: str
    kind: str = COUNT


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    # A matrix has row and column headers that are both sectors (or communes and needs).
    is_matrix: bool = False
    # Rows exist but cannot be published without giving away a figure under the threshold.
    withheld: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def max_value(self):
        """The largest figure of the table, for the shading of a matrix."""
        numbers = [
            value
            for row in self.rows
            for value in row[1:]
            if isinstance(value, int | Decimal) and not isinstance(value, bool)
        ]
        return max(numbers, default=None)


SECRET_COLUMN = "Secret statistique"
LEGEND = [
    (
        f"< {THRESHOLD}",
        "de 1 à 4 personnes : chiffre masqué (secret statistique).",
    ),
    (
        "s",
        "secret par recoupement : chiffre de 5 ou plus, ou taux, masqué pour qu'on ne puisse pas "
        "retrouver un chiffre de moins de 5 par un total, un taux ou une différence.",
    ),
]


def _mark(value) -> str:
    return "s" if value is SECRET else f"< {THRESHOLD}"


def _export_value(value, kind: str, *, for_csv: bool):
    """A cell as exported: numbers stay numbers; a hidden figure is an empty cell (the
    secrecy column says why)."""
    if value is None or is_masked(value):
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, int | Decimal | float) and kind != TEXT:
        if not for_csv:
            return int(value) if isinstance(value, int) else float(value)
        # French spreadsheets read a decimal comma.
        return str(value).replace(".", ",")
    return str(value)


def _secret_note(row: list, columns: list[Column]) -> str:
    """Which cells of the row are hidden, and with which mark."""
    return ", ".join(
        f"{column.label} : {_mark(value)}"
        for value, column in zip(row, columns, strict=False)
        if is_masked(value)
    )


def _has_numbers(table: Table) -> bool:
    return any(column.kind != TEXT for column in table.columns)


def export_rows(table: Table, *, for_csv: bool) -> tuple[list[str], list[list]]:
    """The header and rows of a table as exported, with its secrecy column."""
    header = [str(column.label) for column in table.columns]
    secret = _has_numbers(table)
    if secret:
        header.append(SECRET_COLUMN)
    rows = []
    for row in table.rows:
        values = [
            _export_value(value, column.kind, for_csv=for_csv)
            for value, column in zip(row, table.columns, strict=False)
        ]
        if secret:
            values.append(_secret_note(row, table.columns))
        rows.append(values)
    return header, rows


def filename(table: Table, context_slug: str, extension: str) -> str:
    return f"{table.slug}_{context_slug}.{extension}"


def csv_response(table: Table, *, context_slug: str) -> HttpResponse:
    """Semicolon-separated UTF-8 with a BOM: opens as columns in a French spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    header, rows = export_rows(table, for_csv=True)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{filename(table, context_slug, "csv")}"'
    )
    return response


NUMBER_FORMATS = {COUNT: "#,##0", PERCENT: "0.0", SCORE: "0.00", NUMBER: "General"}


def add_sheet(workbook: Workbook, title: str, table: Table, *, first: bool = False):
    """A table on its own sheet: bold frozen header, number formats, widths that fit."""
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    header, rows = export_rows(table, for_csv=False)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "B2"
    kinds = [column.kind for column in table.columns] + [TEXT]
    for index, kind in enumerate(kinds[: len(header)], start=1):
        letter = get_column_letter(index)
        longest = max(
            [len(str(header[index - 1]))] + [len(str(row[index - 1])) for row in rows[:500]]
        )
        sheet.column_dimensions[letter].width = max(10, min(60, longest + 2))
        if kind in NUMBER_FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = NUMBER_FORMATS[kind]
    return sheet


def about_sheet(workbook: Workbook, about: list[tuple[str, str]]) -> None:
    info = workbook.create_sheet(_("À propos")[:31])
    for label, value in about:
        info.append([label, value])
    for mark, meaning in LEGEND:
        info.append([_("Secret statistique « %(mark)s »") % {"mark": mark}, meaning])
    info.append([_("Extrait le"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    for (cell,) in info.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
    for (cell,) in info.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    info.column_dimensions["A"].width = 34
    info.column_dimensions["B"].width = 100


def workbook_response(workbook: Workbook, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def xlsx_response(
    table: Table, *, context_slug: str, about: list[tuple[str, str]]
) -> HttpResponse:
    """One sheet with the table, one with what it is (period, filters, definitions)."""
    workbook = Workbook()
    add_sheet(workbook, _("Données"), table, first=True)
    about = [(_("Tableau"), table.title), *about]
    if table.note:
        about.append((_("Note"), table.note))
    about_sheet(workbook, about)
    return workbook_response(workbook, filename(table, context_slug, "xlsx"))
