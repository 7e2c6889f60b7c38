"""Filled and blank form pages for the form reader's tests, photocopied in controlled ways.

Pages come from the project's form renderer (``sample_scans.render_form``) at 300 dpi; the
copy here is deterministic (a given turn, skew, scale, shift and noise) so each test states
exactly what the reader must cope with. All values are invented.
"""

from __future__ import annotations

import functools
import random

import cv2
import numpy as np

from sample_scans.render_form import blank_pages, render_form_pages

DPI = 300
DOSSIER = "PCH-2026-000123"
NAME = "TREMBLAY, Marie-Ève"

VALUES: dict[str, str] = {
    "family_name": "TREMBLAY",
    "given_names": "MARIE-ÈVE",
    "date_of_birth": "1988-04-12",
    "sex": "F",
    "country_of_birth": "HAITI",
    "citizenship": "CANADA",
    "uci": "12345678",
    "marital_status": "married",
    "street": "12 RUE DES ÉRABLES",
    "municipality": "LAVAL",
    "postal_code": "H7N2B4",
    "telephone": "4505551234",
    "french_level": "advanced",
    "english_level": "basic",
    "member1_family_name": "OKAFOR",
    "member1_given_names": "JEAN PAUL",
    "member1_relationship": "1",
    "member1_date_of_birth": "1985-11-30",
    "member1_residence": "quebec",
    "member1_included": "yes",
    "member1_has_spouse": "yes",
    "enclosed_identity": "yes",
    "enclosed_birth": "yes",
    "enclosed_union": "yes",
    "signature": "true",
    "date_signed": "2026-10-28",
    "place_signed": "MONTREAL",
}


@functools.cache
def filled_pages(*, typed: bool = False, seed: int = 3, **changes: str) -> tuple[np.ndarray, ...]:
    """The three pages filled with ``VALUES`` (updated by ``changes``; "" empties a field)."""
    values = {k: v for k, v in (VALUES | changes).items() if v}
    pages = render_form_pages(
        values,
        dossier_number=DOSSIER,
        preprinted_name=NAME,
        rng=random.Random(seed),
        typed=typed,
        dpi=DPI,
    )
    return tuple(np.asarray(p.convert("L")) for p in pages)


def blank_page(page: int) -> np.ndarray:
    """A page of the blank template, as the ministry's PDF renders (no QR, no header)."""
    return np.array(blank_pages(DPI)[page - 1])


def photocopy(
    image: np.ndarray,
    *,
    turn: int = 0,
    angle_deg: float = 0.0,
    scale: float = 1.0,
    shift_px: tuple[int, int] = (0, 0),
    noise: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """``image`` scaled and skewed about its centre, shifted, noisy, then turned ``turn``° ccw."""
    h, w = image.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, scale)
    m[:, 2] += shift_px
    out = cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_AREA, borderValue=255)
    if noise:
        rng = np.random.default_rng(seed)
        out = np.clip(out + rng.normal(0, 255 * noise, out.shape), 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.rot90(out, k=turn // 90)) if turn else out
