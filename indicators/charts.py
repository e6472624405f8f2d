"""Bar charts computed on the server and drawn as SVG by a template: no chart library.

The geometry lives here; colours live in indicators.css (classes, no inline style, which
the Content-Security-Policy forbids). Each chart has labelled axes (the unit up the side,
the months or days along the bottom, a few values on a scale) and, when the bars leave
room, each bar's value; the same figures follow as a data table in the page.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from .secrecy import is_masked

WIDTH = 360
HEIGHT = 150
LEFT = 40  # the scale's values
RIGHT = 6
TOP = 16  # room for the values above the bars
BOTTOM = 30  # the steps' labels and the axis title
GAP_RATIO = 0.2
# Each bar carries its value up to this many bars; beyond, the scale and the table do.
MAX_VALUE_LABELS = 12


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: object  # a number, None (no data) or a hidden figure
    value_text: str = ""  # written above the bar ("" when there is no room)
    axis_label: str = ""  # written under the bar ("" to skip it)

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 2)

    @property
    def text_y(self) -> float:
        return round(self.y - 3, 2)


@dataclass
class Tick:
    y: float
    text: str


@dataclass
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    baseline_y: float
    maximum: object
    first_label: str
    last_label: str
    ticks: list[Tick]
    x_title: str
    y_title: str
    target_y: float | None = None

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def axis_label_y(self) -> float:
        return self.baseline_y + 11

    @property
    def x_title_y(self) -> int:
        return self.height - 3

    @property
    def x_title_x(self) -> float:
        return round((LEFT + self.width - RIGHT) / 2, 2)

    @property
    def tick_x(self) -> int:
        return LEFT - 4

    @property
    def empty_y(self) -> float:
        """A thin mark on the baseline for a zero or hidden value."""
        return self.baseline_y - 2


def _nice_ceiling(value: Decimal) -> Decimal:
    """1, 2, 2.5 or 5 times a power of ten, at least `value`: a readable top of scale."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        candidate = step.scaleb(exponent)
        if candidate >= value:
            return candidate
    return Decimal(10).scaleb(exponent)


def bar_chart(
    points: list[tuple[str, object]],
    *,
    target=None,
    axis_labels: list[str] | None = None,
    value_text=str,
    x_title: str = "",
    y_title: str = "",
) -> BarChart | None:
    """Points are (label, value); None and hidden values leave an empty slot.

    `axis_labels` are written under the bars ("" skips one); `value_text(value)` writes a
    value above its bar and on the scale.
    """
    if not points:
        return None
    numbers = [Decimal(str(v)) for _l, v in points if v is not None and not is_masked(v)]
    highest = max([*numbers, Decimal(str(target)) if target is not None else Decimal(0)])
    scale_max = _nice_ceiling(highest)
    if all(n == n.to_integral_value() for n in numbers):
        scale_max = max(scale_max.to_integral_value(rounding=ROUND_CEILING), Decimal(1))
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(points)
    bar_width = max(slot * (1 - GAP_RATIO), 1)
    labelled = len(points) <= MAX_VALUE_LABELS
    axis_labels = axis_labels or [label for label, _v in points]
    bars = []
    for index, (label, value) in enumerate(points):
        height = 0.0
        if value is not None and not is_masked(value):
            height = float(Decimal(str(value)) / scale_max) * plot_height
            # A non-zero value stays visible.
            if value and height < 1:
                height = 1.0
        x = LEFT + index * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                x=round(x, 2),
                y=round(baseline - height, 2),
                width=round(bar_width, 2),
                height=round(height, 2),
                label=label,
                value=value,
                value_text=value_text(value) if labelled and value is not None else "",
                axis_label=axis_labels[index],
            )
        )
    whole = all(n == n.to_integral_value() for n in numbers)
    ticks = [
        Tick(round(baseline - float(share) * plot_height, 2), value_text(scale_max * share))
        for share in (Decimal(0), Decimal("0.5"), Decimal(1))
        if not whole or (scale_max * share) == (scale_max * share).to_integral_value()
    ]
    target_y = None
    if target is not None:
        target_y = round(baseline - float(Decimal(str(target)) / scale_max) * plot_height, 2)
    return BarChart(
        bars=bars,
        width=WIDTH,
        height=HEIGHT,
        baseline_y=baseline,
        maximum=max(numbers) if numbers else None,
        first_label=points[0][0],
        last_label=points[-1][0],
        ticks=ticks,
        x_title=x_title,
        y_title=y_title,
        target_y=target_y,
    )


def heat_level(value, maximum) -> int:
    """0 to 4, for the shading classes of a matrix cell (the number is always written)."""
    if value is None or is_masked(value) or not maximum or not value:
        return 0
    return min(4, 1 + int(3 * Decimal(str(value)) / Decimal(str(maximum))))
