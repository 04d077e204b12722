"""Bar charts as server-rendered SVG, drawn from the same numbers as the table beside them.

The template (``reports/includes/chart.html``) gives each chart ``role="img"``, a
``<title>`` and a ``<desc>`` named by ``aria-labelledby``; the table that follows
carries every figure, so nothing is only in the picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 48
COLOURS = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c"]  # GOV.UK blue, orange, green, purple, red


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str  # the bar's own <title>: "Stage 1, Mar 2026: 12"


@dataclass
class Chart:
    key: str
    title: str
    description: str
    bars: list[Bar] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: float = LEFT
    right: float = WIDTH - RIGHT

    @property
    def y_label_x(self) -> float:
        return self.left - 6

    @property
    def x_label_y(self) -> float:
        return self.baseline + 16


def _scale_top(peak: float, percent: bool) -> float:
    """The top of the axis: 100% for percentages; for counts four whole-number steps (1, 2, 2.5, 5 x 10^k)."""
    if percent:
        return 100.0
    scale = 1
    while True:
        for multiple in (1, 2, 2.5, 5):
            step = multiple * scale
            if step == int(step) and 4 * step >= peak:
                return float(4 * step)
        scale *= 10


def _format(value: float, percent: bool) -> str:
    return f"{value:.1f}%" if percent else f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bar_chart(key: str, title: str, categories: list[str], series: list[tuple[str, list]], *,
              stacked: bool = False, percent: bool = False, summary: str = "") -> Chart:
    """Bars per category, one per series side by side (or stacked). Missing values (None) draw nothing."""
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT
    values = [[v or 0 for v in data] for _, data in series]
    peaks = [sum(column) for column in zip(*values)] if stacked else [v for data in values for v in data]
    top = _scale_top(max(peaks, default=0), percent)
    slot = plot_width / max(len(categories), 1)
    lanes = 1 if stacked else max(len(series), 1)
    bar_width = slot * 0.7 / lanes
    chart = Chart(key, title, "")
    for index, category in enumerate(categories):
        x0 = LEFT + index * slot + slot * 0.15
        stack = 0.0
        for lane, ((name, data), colour) in enumerate(zip(series, COLOURS)):
            value = data[index]
            if value is None:
                continue
            height = plot_height * float(value) / top
            bottom = HEIGHT - BOTTOM - (plot_height * stack / top if stacked else 0)
            x = x0 if stacked else x0 + lane * bar_width
            chart.bars.append(Bar(round(x, 1), round(bottom - height, 1), round(bar_width, 1), round(height, 1),
                                  colour, f"{name}, {category}: {_format(value, percent)}"))
            stack += float(value)
        chart.x_labels.append((round(LEFT + index * slot + slot / 2, 1), category))
    for step in range(5):
        value = top * step / 4
        chart.y_ticks.append((round(HEIGHT - BOTTOM - plot_height * step / 4, 1), _format(value, percent)))
    chart.legend = [(colour, name) for (name, _), colour in zip(series, COLOURS)]
    kind = "Stacked bar chart" if stacked else "Bar chart"
    names = ", ".join(name for name, _ in series)
    span = f"{categories[0]} to {categories[-1]}" if categories else "no data"
    chart.description = (f"{kind} of {title[0].lower() + title[1:]}, {span}, showing {names}. "
                         f"{summary} The table below gives every figure.").replace("  ", " ")
    return chart
