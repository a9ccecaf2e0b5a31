"""Charts drawn on the server as SVG geometry: no script, no library, readable as a table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 16, 28


def _tick_step(value: int, ticks: int = 4) -> int:
    """The smallest step of 1, 2 or 5 times a power of ten whose `ticks` steps reach `value`."""
    power = 1
    while True:
        for factor in (1, 2, 5):
            if power * factor * ticks >= value:
                return power * factor
        power *= 10


def bar_chart(items: Sequence[dict[str, Any]], label: str, value: str) -> dict[str, Any]:
    """Bars for `items` (each with a label and a value), scaled to the chart's area."""
    step = _tick_step(max((int(i[value]) for i in items), default=0))
    top = step * 4
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / max(len(items), 1)
    bars = []
    for index, item in enumerate(items):
        height = inner_h * int(item[value]) / top
        bars.append(
            {
                "x": round(LEFT + index * slot + slot * 0.15, 1),
                "y": round(TOP + inner_h - height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(height, 1),
                "centre": round(LEFT + index * slot + slot / 2, 1),
                "label": item[label],
                "value": item[value],
            }
        )
    ticks = [{"value": step * k, "y": round(TOP + inner_h - inner_h * k / 4, 1)} for k in range(5)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + inner_h,
        "bars": bars,
        "ticks": ticks,
    }


def decade_series(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Decades from the first to the last, those without a link as zero."""
    counts = {int(i["decade"]): int(i["count"]) for i in items}
    if not counts:
        return []
    return [
        {"decade": d, "count": counts.get(d, 0)} for d in range(min(counts), max(counts) + 10, 10)
    ]
