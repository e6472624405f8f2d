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
from openpyxl.styles import Font

from .secrecy import THRESHOLD, is_masked

# Column kinds: how a cell is formatted (text, a count, a percentage, a score out of 5).
TEXT, COUNT, PERCENT, SCORE = "text", "count", "percent", "score"


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


def _export_value(value, kind: str, *, for_csv: bool):
    if value is None:
        return ""
    if is_masked(value):
        return f"< {THRESHOLD}"
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


def filename(table: Table, context_slug: str, extension: str) -> str:
    return f"{table.slug}_{context_slug}.{extension}"


def csv_response(table: Table, *, context_slug: str) -> HttpResponse:
    """Semicolon-separated UTF-8 with a BOM: opens as columns in a French spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.label for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                _export_value(value, column.kind, for_csv=True)
                for value, column in zip(row, table.columns, strict=False)
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{filename(table, context_slug, "csv")}"'
    )
    return response


def xlsx_response(
    table: Table, *, context_slug: str, about: list[tuple[str, str]]
) -> HttpResponse:
    """One sheet with the table, one with what it is (period, filters, secrecy)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Données")[:31]
    sheet.append([column.label for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(
            [
                _export_value(value, column.kind, for_csv=False)
                for value, column in zip(row, table.columns, strict=False)
            ]
        )
    for index, column in enumerate(table.columns, start=1):
        width = max(12, min(60, len(column.label) + 2))
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    info = workbook.create_sheet(_("À propos")[:31])
    info.append([_("Tableau"), table.title])
    for label, value in about:
        info.append([label, value])
    if table.note:
        info.append([_("Note"), table.note])
    info.append(
        [
            _("Secret statistique"),
            _("« < %(n)s » : moins de %(n)s personnes, chiffre masqué.") % {"n": THRESHOLD},
        ]
    )
    info.append([_("Extrait le"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{filename(table, context_slug, "xlsx")}"'
    )
    return response
