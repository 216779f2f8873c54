"""Charts drawn on the server as inline SVG: no script, no external service, CSP-safe.

Two functions, both returning ``Markup`` to place in a template as ``{{ chart }}``:

- ``bar_chart(title, labels, values, unit="")``: one horizontal bar per label,
  its value written at the end of the bar (long labels fit better across than
  under a column);
- ``line_chart(title, labels, series)``: one line per named series over the
  same labels (months, days), with a legend.

Every text (title, labels, series names, unit) is escaped here, so callers
pass plain user or database text. Each chart is an ``<svg role="img">`` named
by its ``<title>`` and described by a ``<desc>`` that lists the figures, so a
screen reader gets the data; pages should still show the same figures in a
table beside the chart. Colours come from classes styled in
``static/css/forum.css`` (presentation attributes are only fallbacks): no
``style`` attribute, which the Content-Security-Policy would block.
"""

from __future__ import annotations

import itertools
import math

from flask_babel import format_decimal
from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 210  # room for the bar labels, left of the bars
VALUE_ROOM = 70  # room for the value written after the longest bar
BAR_HEIGHT = 22
BAR_GAP = 8
MAX_LABEL_CHARS = 30  # longer labels are cut (the full text stays in the <desc>)

LINE_HEIGHT = 260
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 56, 16, 16, 56
# Series differ in colour and in dash pattern, so they stay apart without colour vision.
# The classes (.chart-series-0 ... -3) set the colours; these are fallbacks.
SERIES_COLOURS = ("#0b5c8a", "#c05600", "#1e6b3a", "#6a3d9a")
SERIES_DASHES = ("", "6 4", "2 3", "10 3 2 3")

_ids = itertools.count(1)  # ids unique within the process, hence within a page


def bar_chart(title: str, labels: list[str], values: list[float], unit: str = "") -> Markup:
    """Horizontal bars, one per label, scaled to the largest value.

    Negative and non-finite values are drawn as empty bars (their number is still
    written). ``unit`` is appended to each written value (e.g. "%").
    """
    values = [_finite(value) for value in values]
    labels = [str(label) for label in labels]
    if len(labels) != len(values):
        raise ValueError("bar_chart needs as many labels as values")
    chart_id = f"chart-{next(_ids)}"
    top = 8
    height = top * 2 + max(len(values), 1) * (BAR_HEIGHT + BAR_GAP)
    largest = max([value for value in values if value > 0], default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    parts = [_open_svg(chart_id, title, _describe_pairs(labels, values, unit), height, "bar")]
    for index, (label, value) in enumerate(zip(labels, values)):
        y = top + index * (BAR_HEIGHT + BAR_GAP)
        length = room * value / largest if largest and value > 0 else 0
        middle = y + BAR_HEIGHT / 2
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{_n(middle)}" '
            f'text-anchor="end" dominant-baseline="middle">{escape(_cut(label))}</text>'
        )
        parts.append(
            f'<rect class="chart-bar" fill="#0b5c8a" x="{LABEL_WIDTH}" y="{y}" '
            f'width="{_n(length)}" height="{BAR_HEIGHT}"></rect>'
        )
        parts.append(
            f'<text class="chart-value" x="{_n(LABEL_WIDTH + length + 6)}" y="{_n(middle)}" '
            f'dominant-baseline="middle">{escape(_format(value, unit))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # nosec B704  # every label and figure in parts is escaped


def line_chart(title: str, labels: list[str], series: dict[str, list[float]]) -> Markup:
    """One line per series over the labels (x axis), from zero to a rounded maximum.

    Every series must have one value per label.
    """
    labels = [str(label) for label in labels]
    cleaned = {str(name): [_finite(value) for value in values] for name, values in series.items()}
    if any(len(values) != len(labels) for values in cleaned.values()):
        raise ValueError("line_chart needs one value per label in every series")
    chart_id = f"chart-{next(_ids)}"
    legend_height = 22 * max(len(cleaned), 1)
    height = LINE_HEIGHT + legend_height
    description = "; ".join(
        f"{name}: {_describe_pairs(labels, values, '')}" for name, values in cleaned.items()
    )
    parts = [_open_svg(chart_id, title, description, height, "line")]

    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = LINE_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    top_value = _nice_ceiling(
        max((max(values, default=0) for values in cleaned.values()), default=0)
    )
    bottom = PLOT_TOP + plot_height

    def x_of(index: int) -> float:
        if len(labels) == 1:
            return PLOT_LEFT + plot_width / 2
        return PLOT_LEFT + plot_width * index / (len(labels) - 1)

    def y_of(value: float) -> float:
        return bottom - plot_height * max(value, 0) / top_value

    for step in range(5):  # gridlines with their values at 0, 1/4 ... the top
        value = top_value * step / 4
        y = y_of(value)
        parts.append(
            f'<line class="chart-grid" stroke="#d5dbe3" x1="{PLOT_LEFT}" '
            f'x2="{WIDTH - PLOT_RIGHT}" y1="{_n(y)}" y2="{_n(y)}"></line>'
        )
        parts.append(
            f'<text class="chart-axis" x="{PLOT_LEFT - 6}" y="{_n(y)}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(_format(value, ""))}</text>'
        )
    every = max(1, math.ceil(len(labels) / 12))  # at most about twelve x labels
    for index, label in enumerate(labels):
        if index % every == 0 or index == len(labels) - 1:
            parts.append(
                f'<text class="chart-axis" x="{_n(x_of(index))}" y="{bottom + 18}" '
                f'text-anchor="middle">{escape(_cut(label, 12))}</text>'
            )

    for number, (name, values) in enumerate(cleaned.items()):
        style = number % len(SERIES_COLOURS)
        css, colour, dashes = f"chart-series-{style}", SERIES_COLOURS[style], SERIES_DASHES[style]
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        points = " ".join(f"{_n(x_of(i))},{_n(y_of(v))}" for i, v in enumerate(values))
        if len(values) > 1:
            parts.append(
                f'<polyline class="chart-line {css}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dash} points="{points}"></polyline>'
            )
        for index, value in enumerate(values):
            parts.append(
                f'<circle class="chart-point {css}" fill="{colour}" r="3" '
                f'cx="{_n(x_of(index))}" cy="{_n(y_of(value))}"></circle>'
            )
        legend_y = LINE_HEIGHT + 6 + 22 * number
        parts.append(
            f'<line class="chart-key {css}" stroke="{colour}" stroke-width="3"{dash} '
            f'x1="{PLOT_LEFT}" x2="{PLOT_LEFT + 24}" y1="{legend_y + 7}" '
            f'y2="{legend_y + 7}"></line>'
        )
        parts.append(
            f'<text class="chart-label" x="{PLOT_LEFT + 30}" y="{legend_y + 7}" '
            f'dominant-baseline="middle">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # nosec B704  # every label and figure in parts is escaped


def _open_svg(chart_id: str, title: str, description: str, height: float, kind: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def _describe_pairs(labels: list[str], values: list[float], unit: str) -> str:
    return ", ".join(f"{label}: {_format(value, unit)}" for label, value in zip(labels, values))


def _finite(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _format(value: float, unit: str) -> str:
    """A figure as the reader writes it (1,234.5 or 1.234,5), one decimal at most."""
    text = format_decimal(value, "#,##0.#")
    return f"{text}{unit}" if unit else text


def _cut(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _n(number: float) -> str:
    """A coordinate with at most one decimal, never in exponent notation."""
    return f"{number:.1f}".removesuffix(".0")


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least ``value`` (and > 0)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= value:
            return float(factor * power)
    return float(10 * power)
