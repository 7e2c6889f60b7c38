"""The per-batch report: counts by status, frequent flags, deadlines, and three plots."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from extractors.report_html import LABELS, template_env
from extractors.svg_plots import bars, histogram
from schemas.batch import BatchEnvelope, BatchSummary
from schemas.codes import IntakeStatus
from schemas.report import IntakeReport

BATCH_LABELS = {
    "fr": {
        "batch": "Rapport de lot",
        "envelopes": "Enveloppes",
        "by_status": "Par statut",
        "top_flags": "Signalements les plus fréquents",
        "by_deadline": "Par date limite",
        "legibility_plot": "Lisibilité des pages",
        "time_plot": "Secondes par page",
        "flags_plot": "Signalements par jour de réception",
        "packet": "Enveloppe",
        "count": "Nombre",
        "seconds": "Secondes",
    },
    "en": {
        "batch": "Batch report",
        "envelopes": "Envelopes",
        "by_status": "By status",
        "top_flags": "Most frequent flags",
        "by_deadline": "By deadline",
        "legibility_plot": "Page legibility",
        "time_plot": "Seconds per page",
        "flags_plot": "Flags per day received",
        "packet": "Envelope",
        "count": "Count",
        "seconds": "Seconds",
    },
}


def summarise_batch(
    reports: Sequence[IntakeReport], *, batch_id: str, made_at: dt.datetime
) -> BatchSummary:
    """Everything the batch report shows, from the envelopes' reports."""
    envelopes = tuple(
        sorted(
            (_envelope(r) for r in reports),
            # Deadlines first, soonest first; then the rest, oldest received first.
            key=lambda e: (e.deadline is None, e.deadline or e.received_date, e.received_date),
        )
    )
    per_day: Counter[dt.date] = Counter()
    for r in reports:
        per_day[r.received_date] += len(r.flags)
    return BatchSummary(
        batch_id=batch_id,
        made_at=made_at,
        envelopes=envelopes,
        by_status={s: sum(e.status is s for e in envelopes) for s in IntakeStatus},
        top_flags=tuple(Counter(f.code.value for r in reports for f in r.flags).most_common(10)),
        legibility=tuple(p.legibility for r in reports for p in r.pages if not p.blank),
        seconds_per_page=tuple(e.seconds / e.pages for e in envelopes if e.pages),
        flags_per_day=tuple(sorted(per_day.items())),
    )


def _envelope(r: IntakeReport) -> BatchEnvelope:
    return BatchEnvelope(
        packet_id=r.packet_id,
        status=r.status,
        received_date=r.received_date,
        deadline=r.deadline,
        pages=len(r.pages),
        flags=len(r.flags),
        seconds=r.timings_s.get("total", 0.0),
    )


def render_batch_html(summary: BatchSummary, *, lang: str = "fr") -> str:
    """The batch report page, with its plots inline."""
    t = {**LABELS.get(lang, LABELS["fr"]), **BATCH_LABELS.get(lang, BATCH_LABELS["fr"])}
    top_time = max([1.0, *summary.seconds_per_page])
    plots = [
        histogram(summary.legibility, lo=0.0, hi=1.0, bins=10, label=t["legibility_plot"]),
        histogram(summary.seconds_per_page, lo=0.0, hi=top_time, bins=10, label=t["time_plot"]),
        bars(
            [d.isoformat()[5:] for d, _ in summary.flags_per_day],
            [n for _, n in summary.flags_per_day],
            label=t["flags_plot"],
        ),
    ]
    return (
        template_env().get_template("batch.html.j2").render(s=summary, t=t, lang=lang, plots=plots)
    )
