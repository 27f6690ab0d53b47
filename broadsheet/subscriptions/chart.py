"""The admin's "Subscribers over time": the geometry of a server-rendered
inline SVG (no script, no chart library): active subscribers at the end of
each day as a line, and each day's new and lost subscribers as bars above
and below a baseline. The template only draws what this computes."""

from dataclasses import dataclass

from django.utils.formats import date_format

from .selectors import DayPoint

WIDTH = 760
LEFT, RIGHT = 64, 16
TOP = 24
LINE_HEIGHT = 180  # the active-subscribers panel
GAP = 44  # room for the date labels between the panels
BARS_HEIGHT = 80  # the new/lost panel
HEIGHT = TOP + LINE_HEIGHT + GAP + BARS_HEIGHT + 28


def _nice_ceiling(value: int) -> int:
    """1, 2, 5 × 10ⁿ at or above `value` (axis ticks people can read)."""
    if value <= 1:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    title: str


def chart_geometry(points: list[DayPoint]) -> dict:
    days = max(len(points), 1)
    plot_width = WIDTH - LEFT - RIGHT
    step = plot_width / days
    top_max = _nice_ceiling(max((p.active for p in points), default=0))
    bar_max = _nice_ceiling(max((max(p.new, p.lost) for p in points), default=0))
    line_bottom = TOP + LINE_HEIGHT
    bars_top = line_bottom + GAP
    baseline = bars_top + BARS_HEIGHT / 2

    def x_of(index: int) -> float:
        return round(LEFT + step * (index + 0.5), 1)

    def y_of(value: int) -> float:
        return round(line_bottom - LINE_HEIGHT * value / top_max, 1)

    half = BARS_HEIGHT / 2
    new_bars, lost_bars = [], []
    for index, point in enumerate(points):
        day = date_format(point.day, "MONTH_DAY_FORMAT")
        if point.new:
            height = round(half * point.new / bar_max, 1)
            new_bars.append(
                Bar(
                    round(x_of(index) - step * 0.4, 1),
                    baseline - height,
                    height,
                    f"{day}: +{point.new}",
                )
            )
        if point.lost:
            height = round(half * point.lost / bar_max, 1)
            lost_bars.append(
                Bar(round(x_of(index) - step * 0.4, 1), baseline, height, f"{day}: −{point.lost}")
            )
    label_every = 15 if days > 30 else 7 if days > 10 else 1
    x_ticks = [
        Tick(x_of(i), date_format(p.day, "MONTH_DAY_FORMAT"))
        for i, p in enumerate(points)
        if (days - 1 - i) % label_every == 0
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "line_bottom": line_bottom,
        "bars_top": bars_top,
        "bars_bottom": bars_top + BARS_HEIGHT,
        "baseline": baseline,
        "bar_width": round(step * 0.8, 2),
        "polyline": " ".join(f"{x_of(i)},{y_of(p.active)}" for i, p in enumerate(points)),
        "y_ticks": [Tick(y_of(v), f"{v:,}") for v in sorted({0, top_max // 2, top_max})],
        "bar_ticks": [
            Tick(baseline - half, f"+{bar_max:,}"),
            Tick(baseline, "0"),
            Tick(baseline + half, f"−{bar_max:,}"),
        ],
        "x_ticks": x_ticks,
        "new_bars": new_bars,
        "lost_bars": lost_bars,
        "mid_x": (LEFT + WIDTH - RIGHT) / 2,
        "label_y_line": TOP + LINE_HEIGHT / 2,
        "label_y_bars": baseline,
    }
