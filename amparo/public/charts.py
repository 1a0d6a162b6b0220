"""Bar charts drawn on the server as SVG geometry (the template writes the elements; no JavaScript, no inline style).

Each chart carries its rows for the data table shown with it, so the numbers are readable without the picture.
Suppressed counts (fewer than k) are drawn the same way in every chart: a short grey stub with "<k" beside or above
it, and "fewer than k" in the table, as the table by state on the map page shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Bar:
    label: str
    count: int | None
    highlight: bool = False
    code: str = ""
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0
    text_x: float = 0
    text_y: float = 0


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    kind: str  # "rows" (horizontal bars with labels) or "columns" (months)
    bars: list[Bar]
    width: int = 720
    height: int = 0
    label_width: int = 0
    ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.bars

    @property
    def has_highlight(self) -> bool:
        return any(b.highlight for b in self.bars)

    @property
    def has_suppressed(self) -> bool:
        return any(b.count is None for b in self.bars)


SUPPRESSED_STUB = 4.0  # the length of a suppressed count's bar: visibly there, visibly not a number


def _nice_max(n: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least n (the scale's end)."""
    scale = 1
    while True:
        for m in (1, 2, 5):
            if m * scale >= n:
                return m * scale
        scale *= 10


def rows_chart(slug: str, title: str, description: str, bars: list[Bar], width: int = 720) -> Chart:
    """Horizontal bars, largest first is the caller's choice of order."""
    label_width = 300
    bar_h, gap, top = 24, 8, 8
    biggest = max((b.count or 0 for b in bars), default=0)
    scale_max = _nice_max(biggest)
    usable = width - label_width - 60
    for i, b in enumerate(bars):
        b.y = top + i * (bar_h + gap)
        b.h = bar_h
        b.x = label_width
        b.w = SUPPRESSED_STUB if b.count is None else max(2.0, usable * b.count / scale_max)
        b.text_x = b.x + b.w + 6
        b.text_y = b.y + bar_h * 0.7
    height = top + len(bars) * (bar_h + gap) + 8
    return Chart(slug, title, description, "rows", bars, width, height, label_width)


def columns_chart(slug: str, title: str, description: str, bars: list[Bar], width: int = 720) -> Chart:
    """Vertical bars for a time series (months), with a few value ticks."""
    plot_h, top, bottom, left = 200, 16, 40, 40
    biggest = max((b.count or 0 for b in bars), default=0)
    scale_max = _nice_max(biggest)
    n = max(len(bars), 1)
    slot = (width - left - 8) / n
    for i, b in enumerate(bars):
        b.w = max(2.0, min(56.0, slot * 0.7))
        b.x = left + i * slot + (slot - b.w) / 2
        b.h = SUPPRESSED_STUB if b.count is None else plot_h * b.count / scale_max
        b.y = top + plot_h - b.h
        b.text_x = b.x + b.w / 2
        b.text_y = top + plot_h + 16
    ticks = [(top + plot_h - plot_h * f, str(round(scale_max * f))) for f in (0, 0.5, 1)]
    return Chart(slug, title, description, "columns", bars, width, top + plot_h + bottom, left, ticks)
