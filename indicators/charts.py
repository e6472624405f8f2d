"""Bar charts computed on the server and drawn as SVG by a template: no chart library.

The geometry lives here; colours live in indicators.css (classes, no inline style, which
the Content-Security-Policy forbids). Every chart comes with a data table in the page.
"""

from dataclasses import dataclass
from decimal import Decimal

from .secrecy import is_masked

WIDTH = 320
HEIGHT = 110
TOP = 14  # room for the maximum's label
BOTTOM = 16  # room for the first and last labels
GAP_RATIO = 0.2


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: object  # a number, None (no data) or MASKED


@dataclass
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    baseline_y: float
    maximum: object
    first_label: str
    last_label: str
    target_y: float | None = None

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def label_y(self) -> int:
        return self.height - 3

    @property
    def empty_y(self) -> float:
        """A thin mark on the baseline for a zero or hidden value."""
        return self.baseline_y - 2


def bar_chart(points: list[tuple[str, object]], *, target=None) -> BarChart | None:
    """Points are (label, value); None and MASKED values leave an empty slot."""
    if not points:
        return None
    numbers = [Decimal(str(v)) for _l, v in points if v is not None and not is_masked(v)]
    scale_max = max([*numbers, Decimal(str(target)) if target is not None else Decimal(0)])
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    slot = WIDTH / len(points)
    bar_width = max(slot * (1 - GAP_RATIO), 1)
    bars = []
    for index, (label, value) in enumerate(points):
        height = 0.0
        if value is not None and not is_masked(value) and scale_max > 0:
            height = float(Decimal(str(value)) / scale_max) * plot_height
            # A non-zero value stays visible.
            if value and height < 1:
                height = 1.0
        x = index * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                x=round(x, 2),
                y=round(baseline - height, 2),
                width=round(bar_width, 2),
                height=round(height, 2),
                label=label,
                value=value,
            )
        )
    target_y = None
    if target is not None and scale_max > 0:
        target_y = round(baseline - float(Decimal(str(target)) / scale_max) * plot_height, 2)
    return BarChart(
        bars=bars,
        width=WIDTH,
        height=HEIGHT,
        baseline_y=baseline,
        maximum=max(numbers) if numbers else None,
        first_label=points[0][0],
        last_label=points[-1][0],
        target_y=target_y,
    )


def heat_level(value, maximum) -> int:
    """0 to 4, for the shading classes of a matrix cell (the number is always written)."""
    if value is None or is_masked(value) or not maximum or not value:
        return 0
    return min(4, 1 + int(3 * Decimal(str(value)) / Decimal(str(maximum))))
