"""Statistical secrecy, in one place: no figure about 1 to 4 people can be read or worked out.

Every table, chart, card and export goes through this module before display.

- **Primary secrecy**: a count of 1 to 4 people is hidden and marked « < 5 » (zero is shown:
  it reveals nobody).
- **Secondary secrecy** (« secret par recoupement », marked « s »): a figure of 5 or more is
  hidden when, with the totals published beside it, it would let a subtraction give a hidden
  figure back. It is chosen so that *no* hidden figure can be recovered exactly from what a
  page shows: totals of rows and columns, the period's total and its months or days.
- **Derived figures**: a rate, a share, an average or a difference is shown only when every
  count it is computed from is shown (and a rate or an average over fewer than 5 people is
  hidden): it can then reveal nothing the counts do not. A hidden rate is marked « s ».

How secondary secrecy is chosen. A table of counts with its totals is a flow on a small
graph: each published total is the sum of what goes through a node (a row, a column, the
period). An attacker who knows the shown figures, the totals and what the marks say (« < 5 »:
from 1 to 4; « s »: 5 or more) can recover a hidden figure exactly if and only if no other
table with the same shown figures exists in which that figure differs. Such another table
is the published one with +1 and −1 added alternately around a cycle of hidden figures
that stays within what the marks say (for tables of counts with their totals, any other
solution is a sum of such cycles). So a hidden figure is safe when a cycle goes through it;
when none does, the cheapest figures that close one are hidden too (inner cells before
totals, small figures before large ones), and so on until every hidden figure is safe.

Tables that break down the same total (by month, by origin, by commune) each keep that total
as it is on the page's card; a breakdown never details a total that is itself hidden.
Counts that are not about people (pathways, page views, référents who are public
professional contacts) are never masked. docs/indicateurs.md explains the rules to users.
"""

import heapq
import itertools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

THRESHOLD = 5


class Hidden:
    """A hidden figure (falsy, so that templates and charts can skip it)."""

    def __init__(self, mark: str, name: str):
        self.mark, self.name = mark, name

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return self.mark

    def __repr__(self) -> str:
        return self.name


# 1 to 4 people.
MASKED = Hidden(f"< {THRESHOLD}", "MASKED")
# 5 or more people, or a rate, hidden so that no « < 5 » can be worked out.
SECRET = Hidden("s", "SECRET")


def is_masked(value) -> bool:
    return isinstance(value, Hidden)


def mask_count(count: int | None):
    """A count of people on its own (no total beside it), masked under the threshold."""
    if count is None or is_masked(count):
        return count
    return MASKED if 0 < count < THRESHOLD else count


def percent(numerator: int, denominator: int, *parts):
    """A share in percent with one decimal; None without data.

    Hidden (SECRET) when the denominator is under the threshold or when one of `parts`,
    the published figures it is computed from, is hidden or not published (None).
    """
    if any(part is None or is_masked(part) for part in parts):
        return SECRET
    if not denominator:
        return None
    if denominator < THRESHOLD:
        return SECRET
    value = Decimal(100 * numerator) / Decimal(denominator)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def average(total, count: int, places: str = "0.01", *parts):
    """A mean over `count` people; None without data, hidden under the threshold."""
    if any(part is None or is_masked(part) for part in parts):
        return SECRET
    if not count:
        return None
    if count < THRESHOLD:
        return SECRET
    return (Decimal(total) / Decimal(count)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def reveal(value, status):
    """The figure as published: itself, or its mark."""
    return value if status is None else status


# --- the protection of a table of counts -------------------------------------------------

INFINITY = float("inf")
# Hiding a total is a last resort: a card, a chart or another table may show it too.
TOTAL_COST = 1000


class Unprotectable(Exception):
    """No choice of hidden figures protects the table while keeping its fixed totals."""


@dataclass
class Edge:
    tail: object
    head: object
    value: int
    total: bool = False
    # A status decided elsewhere (a total shown on the card): None (shown), MASKED or SECRET.
    fixed: object = "open"
    # Not published: its value only follows from the others (no bound but ≥ 0).
    free: bool = False


@dataclass
class Net:
    """Counts as a flow: each published total is what goes through a node of the graph."""

    edges: list[Edge] = field(default_factory=list)

    def add(self, tail, head, value: int, **options) -> int:
        self.edges.append(Edge(tail, head, int(value or 0), **options))
        return len(self.edges) - 1

    def protect(self) -> list:
        """The status of each edge: None (shown), MASKED or SECRET."""
        status = []
        for edge in self.edges:
            if edge.free:
                status.append("free")
            elif edge.fixed != "open":
                status.append(edge.fixed)
            else:
                status.append(MASKED if 0 < edge.value < THRESHOLD else None)
        for index, _edge in enumerate(self.edges):
            if status[index] in (MASKED, SECRET) and not self._safe(index, status):
                for other in self._cheapest_cover(index, status):
                    status[other] = SECRET
        return [None if value == "free" else value for value in status]

    # An edge's bounds, as an attacker reads them from its mark.
    @staticmethod
    def _bounds(value: int, state) -> tuple[float, float]:
        if state is MASKED:
            return 1, THRESHOLD - 1
        if state is SECRET:
            return THRESHOLD, INFINITY
        if state == "free":
            return 0, INFINITY
        return value, value

    def _arcs(self, status, skip: int, candidates: bool):
        """Residual arcs (from, to, edge, cost): +1 on an edge goes tail → head, −1 back."""
        for index, edge in enumerate(self.edges):
            if index == skip:
                continue
            state, cost = status[index], 0.0
            if state is None:
                if not candidates or edge.free or edge.fixed != "open":
                    continue
                if edge.value < THRESHOLD:
                    continue  # zero stays zero; 1 to 4 are masked already
                state = SECRET
                cost = (TOTAL_COST if edge.total else 1) + edge.value / 1e6
            low, high = self._bounds(edge.value, state)
            if edge.value + 1 <= high:
                yield edge.tail, edge.head, index, cost
            if edge.value - 1 >= low:
                yield edge.head, edge.tail, index, cost

    def _directions(self, index: int, status) -> list[tuple[object, object]]:
        """Paths that would close a cycle through the edge: (from, to)."""
        edge = self.edges[index]
        low, high = self._bounds(edge.value, status[index])
        found = []
        if edge.value + 1 <= high:
            found.append((edge.head, edge.tail))
        if edge.value - 1 >= low:
            found.append((edge.tail, edge.head))
        return found

    def _safe(self, index: int, status) -> bool:
        graph = {}
        for source, target, _edge, _cost in self._arcs(status, index, candidates=False):
            graph.setdefault(source, []).append(target)
        for start, goal in self._directions(index, status):
            seen, todo = {start}, [start]
            while todo:
                node = todo.pop()
                if node == goal:
                    return True
                for nxt in graph.get(node, ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
        return False

    def _cheapest_cover(self, index: int, status) -> list[int]:
        graph = {}
        for source, target, edge, cost in self._arcs(status, index, candidates=True):
            graph.setdefault(source, []).append((target, edge, cost))
        best, best_path = INFINITY, None
        for start, goal in self._directions(index, status):
            cost, path = _dijkstra(graph, start, goal)
            if cost < best:
                best, best_path = cost, path
        if best_path is None:
            raise Unprotectable
        return [edge for edge in best_path if status[edge] is None]


def _dijkstra(graph: dict, start, goal) -> tuple[float, list[int] | None]:
    counter = itertools.count()
    queue = [(0.0, next(counter), start, None)]
    came, done = {}, set()
    while queue:
        cost, _n, node, via = heapq.heappop(queue)
        if node in done:
            continue
        done.add(node)
        came[node] = via
        if node == goal:
            path = []
            while came[node] is not None:
                previous, edge = came[node]
                path.append(edge)
                node = previous
            return cost, path
        for target, edge, step in graph.get(node, ()):
            if target not in done:
                heapq.heappush(queue, (cost + step, next(counter), target, (node, edge)))
    return INFINITY, None


# --- the shapes our pages publish -------------------------------------------------------


@dataclass
class Line:
    """Counts and their total, as published: each value is a number, MASKED or SECRET."""

    parts: list
    total: object
    raw_parts: list[int]
    raw_total: int

    @property
    def statuses(self) -> list:
        return [value if is_masked(value) else None for value in self.parts]


def protect_line(parts: list[int], total: int | None = None, *, total_fixed="open") -> Line:
    """A line of counts with its total (the total defaults to their sum).

    When even hiding the total cannot protect the parts (four « < 5 » under a « < 5 »
    total: they would all be 1), the parts are not published (None) and the total stands
    alone. Raises Unprotectable only when the total is fixed."""
    parts = [int(part or 0) for part in parts]
    total = sum(parts) if total is None else int(total)
    net = Net()
    edges = [net.add("S", "T", part) for part in parts]
    total_edge = net.add("T", "S", total, total=True, fixed=total_fixed)
    try:
        status = net.protect()
    except Unprotectable:
        if total_fixed != "open":
            raise
        return Line([None] * len(parts), mask_count(total), parts, total)
    return Line(
        parts=[reveal(part, status[edge]) for part, edge in zip(parts, edges, strict=True)],
        total=reveal(total, status[total_edge]),
        raw_parts=parts,
        raw_total=total,
    )


@dataclass
class Grid:
    """A breakdown of a line (rows × its parts), as published.

    `cells[r][c]` and `row_totals[r]` are numbers, MASKED or SECRET. A part hidden on the
    line is not detailed (`detailed[c]` False, its cells None): the rows only show what
    the hidden parts hold together, which row totals minus the shown cells give away, so
    that sum is protected like a cell (`others[r]`, never displayed).
    """

    cells: list[list]
    row_totals: list
    detailed: list[bool]
    others: list
    raw_cells: list[list[int]]
    raw_row_totals: list[int]

    def column(self, c: int) -> list:
        return [row[c] for row in self.cells]


def protect_grid(rows: list[list[int]], line: Line, *, publish_row_totals: bool = True) -> Grid:
    """Rows that break down `line` part by part, each row with its total.

    The line's figures are kept as published (their statuses are fixed); parts hidden on
    the line are not detailed. Raises Unprotectable when the rows cannot be published
    safely under those totals (then publish no breakdown).
    """
    rows = [[int(value or 0) for value in row] for row in rows]
    row_totals = [sum(row) for row in rows]
    detailed = [part is not None and not is_masked(part) for part in line.parts]
    if line.total is None or is_masked(line.total) or not any(detailed):
        raise Unprotectable
    hidden_parts = [c for c, shown in enumerate(detailed) if not shown]
    net = Net()
    cell_edges, other_edges = [], []
    for r, row in enumerate(rows):
        cell_edges.append(
            [
                net.add(("row", r), ("col", c), value) if detailed[c] else None
                for c, value in enumerate(row)
            ]
        )
        if hidden_parts:
            other = sum(row[c] for c in hidden_parts)
            other_edges.append(net.add(("row", r), ("col", "others"), other))
    total_edges = [
        net.add("S", ("row", r), total, total=True, free=not publish_row_totals)
        for r, total in enumerate(row_totals)
    ]
    for c in range(len(line.parts)):
        if detailed[c]:
            net.add(("col", c), "T", line.raw_parts[c], total=True, fixed=None)
    if hidden_parts:
        hidden_sum = sum(line.raw_parts[c] for c in hidden_parts)
        net.add(("col", "others"), "T", hidden_sum, total=True, fixed=None)
    net.add("T", "S", line.raw_total, total=True, fixed=None)
    status = net.protect()
    return Grid(
        cells=[
            [
                reveal(value, status[edge]) if edge is not None else None
                for value, edge in zip(row, edges, strict=True)
            ]
            for row, edges in zip(rows, cell_edges, strict=True)
        ],
        row_totals=[
            reveal(total, status[edge]) if publish_row_totals else None
            for total, edge in zip(row_totals, total_edges, strict=True)
        ],
        detailed=detailed,
        others=[status[edge] for edge in other_edges],
        raw_cells=rows,
        raw_row_totals=row_totals,
    )


def protect_sub_line(values: list[int], line_total, raw_total: int) -> Line | None:
    """Like protect_breakdown, as a Line whose total is the published one (for a grid)."""
    if line_total is None or is_masked(line_total):
        return None
    try:
        return protect_line(values, raw_total, total_fixed=None)
    except Unprotectable:
        return None


def protect_breakdown(values: list[int], line_total, raw_total: int) -> list | None:
    """A one-dimensional breakdown (months, pairs, sectors) of a total already published
    as `line_total`; None when it cannot be published (the total is hidden, or no safe
    choice keeps it)."""
    if is_masked(line_total):
        return None
    try:
        line = protect_line(values, raw_total, total_fixed=None)
    except Unprotectable:
        return None
    return line.parts
