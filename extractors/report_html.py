"""The reviewer's per-packet report as one self-contained HTML page (French or English).

Crops are drawn from the page thumbnails with CSS (a background offset), so a report shows
the image of every flagged region and every field without writing hundreds of small files.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape

from schemas.base import PixelBox
from schemas.flags import Flag
from schemas.report import IntakeReport, PageReport

#: Minimum margin around a crop, in thumbnail pixels, so a reviewer sees the context.
CROP_PAD = 6

LABELS = {
    "fr": {
        "title": "Rapport de réception", "status": "Statut", "received": "Reçu le",
        "deadline": "Date limite pour les documents manquants", "missing": "Documents manquants",
        "flags": "Signalements", "fields": "Champs du formulaire", "pages": "Pages",
        "field": "Champ", "value": "Valeur lue", "confidence": "Confiance", "image": "Image",
        "page": "Page", "type": "Type", "person": "Personne", "legibility": "Lisibilité",
        "none": "Aucun", "files": "Fichiers",
        "complete": "Complet", "incomplete": "Incomplet", "needs_review": "À réviser",
        "unreadable": "Illisible",
    },
    "en": {
        "title": "Intake report", "status": "Status", "received": "Received",
        "deadline": "Deadline for missing documents", "missing": "Missing documents",
        "flags": "Flags", "fields": "Form fields", "pages": "Pages",
        "field": "Field", "value": "Value read", "confidence": "Confidence", "image": "Image",
        "page": "Page", "type": "Type", "person": "Person", "legibility": "Legibility",
        "none": "None", "files": "Files",
        "complete": "Complete", "incomplete": "Incomplete", "needs_review": "Needs review",
        "unreadable": "Unreadable",
    },
}


@dataclass(frozen=True)
class Crop:
    """A region of a page thumbnail, in thumbnail pixels."""

    image: str
    x: int
    y: int
    w: int
    h: int
    whole_page: bool = False

    @property
    def style(self) -> str:
        return (
            f"width:{self.w}px;height:{self.h}px;background-image:url('{self.image}');"
            f"background-position:-{self.x}px -{self.y}px"
        )


def crop_for(page: PageReport | None, bbox: PixelBox | None, pad: int = CROP_PAD) -> Crop | None:
    """Where ``bbox`` (cleaned-page pixels) lies on the page's thumbnail."""
    if page is None or bbox is None or page.image is None:
        return None
    s = page.image_scale
    x0, y0 = max(0, int(bbox[0] * s) - pad), max(0, int(bbox[1] * s) - pad)
    x1, y1 = int(bbox[2] * s) + pad, int(bbox[3] * s) + pad
    return Crop(image=page.image, x=x0, y=y0, w=max(1, x1 - x0), h=max(1, y1 - y0))


def flag_crops(flag: Flag, pages: Mapping[int, PageReport]) -> list[Crop]:
    """The images a flag's evidence points at: its regions, else the whole page it is about.

    A page-level flag (illegible, cut off, blank) has no region: the page itself is the evidence.
    """
    crops = [c for e in flag.evidence if (c := crop_for(pages.get(e.page), e.bbox))]
    if crops:
        return crops
    page_no = next((e.page for e in flag.evidence if e.page), None) or flag.page
    page = pages.get(page_no) if page_no else None
    if page is None or page.image is None:
        return []
    w, h = int(page.width_px * page.image_scale), int(page.height_px * page.image_scale)
    return [Crop(image=page.image, x=0, y=0, w=w, h=h, whole_page=True)]


@functools.cache
def template_env() -> Environment:
    return Environment(
        loader=PackageLoader("extractors", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report_html(report: IntakeReport, *, lang: str = "fr") -> str:
    """The report page; ``lang`` is ``fr`` or ``en``."""
    pages = {p.page: p for p in report.pages}
    flags = [(f, flag_crops(f, pages)) for f in report.flags]
    fields = [
        (name, f, crop_for(pages.get(f.page), f.bbox)) for name, f in sorted(report.fields.items())
    ]
    return template_env().get_template("report.html.j2").render(
        r=report, t=LABELS.get(lang, LABELS["fr"]), lang=lang, flags=flags, fields=fields,
    )
