"""Small inline SVG charts for reports: no plotting library, no image files, no JavaScript.

A report must open offline and print; an inline ``<svg>`` does both and stays a few kilobytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 420, 160
PAD_LEFT, PAD_BOTTOM, PAD_TOP = 34, 30, 10


def histogram(values: Sequence[float], *, lo: float, hi: float, bins: int, label: str) -> str:
    """Counts of ``values`` in ``bins`` equal bins over [lo, hi]; values outside go to the ends."""
    counts = [0] * bins
    step = (hi - lo) / bins
    for v in values:
        counts[min(bins - 1, max(0, int((v - lo) / step)))] += 1
    ticks = [f"{lo + i * step:.2g}" for i in range(bins)]
    return bars(ticks, counts, label=label)


def bars(labels: Sequence[str], counts: Sequence[int], *, label: str) -> str:
    """A bar chart, one bar per label, with the count above each bar."""
    n = max(1, len(counts))
    top = max([1, *counts])
    plot_w, plot_h = WIDTH - PAD_LEFT - 6, HEIGHT - PAD_BOTTOM - PAD_TOP
    bw = plot_w / n
    every = max(1, n // 8)  # at most about eight axis labels, so they never overlap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(label)}">',
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - 6}" '
        f'y2="{PAD_TOP + plot_h}" stroke="#8795a1"/>',
    ]
    for i, (name, c) in enumerate(zip(labels, counts, strict=True)):
        h = plot_h * c / top
        x, y = PAD_LEFT + i * bw, PAD_TOP + plot_h - h
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(1.0, bw - 2):.1f}" height="{h:.1f}" '
            f'fill="#2b6cb0"><title>{escape(name)}: {c}</title></rect>'
        )
        if c:
            parts.append(
                f'<text x="{x + bw / 2:.1f}" y="{y - 2:.1f}" font-size="9" '
                f'text-anchor="middle">{c}</text>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + bw / 2:.1f}" y="{HEIGHT - PAD_BOTTOM + 12}" font-size="9" '
                f'text-anchor="middle">{escape(name)}</text>'
            )
    parts.append(
        f'<text x="{PAD_LEFT}" y="{HEIGHT - 4}" font-size="10" fill="#4a5866">'
        f"{escape(label)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
