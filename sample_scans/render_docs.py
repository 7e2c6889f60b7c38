"""Render invented supporting documents, one function per document type, several layouts each.

Every issuer, number and person is invented. Pages come back upright, gray, US Letter at the
requested dpi, as a photocopy of the document would be before degradation.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable

from PIL import Image

from sample_scans.doc_text import REFERENCE_DATE, DocContext
from sample_scans.docs_civil import (
    BIRTH_VARIANTS,
    MARRIAGE_VARIANTS,
    render_birth,
    render_marriage,
)
from sample_scans.docs_health import (
    DEPENDENCY_VARIANTS,
    MEDICAL_VARIANTS,
    render_dependency,
    render_medical,
)
from sample_scans.docs_identity import IDENTITY_VARIANTS, render_identity
from sample_scans.docs_letters import (
    LETTERS,
    OTHER_VARIANTS,
    render_other,
    render_supporting_letter,
)
from sample_scans.docs_residence import RESIDENCE_VARIANTS, render_residence
from sample_scans.docs_union import UNION_VARIANTS, render_union
from sample_scans.mrz import check_digit, corrupt_mrz, mrz_td1, mrz_td3, verify_mrz

log = logging.getLogger(__name__)

__all__ = [
    "DOC_RENDERERS",
    "DOC_VARIANTS",
    "check_digit",
    "corrupt_mrz",
    "mrz_td1",
    "mrz_td3",
    "render_document",
    "verify_mrz",
]

#: doc_type (``corpus-format.md``) -> template family.
DOC_RENDERERS: dict[str, Callable[[DocContext], list[Image.Image]]] = {
    "identity_document": render_identity,
    "birth_certificate": render_birth,
    "marriage_certificate": render_marriage,
    "union_proof": render_union,
    "residence_proof": render_residence,
    "medical_certificate": render_medical,
    "financial_dependency_proof": render_dependency,
    "supporting_letter": render_supporting_letter,
    "other": render_other,
}

#: doc_type -> names of its layout variants (for ``render_document(variant=...)``).
DOC_VARIANTS: dict[str, tuple[str, ...]] = {
    "identity_document": tuple(dict.fromkeys(IDENTITY_VARIANTS)),
    "birth_certificate": tuple(BIRTH_VARIANTS),
    "marriage_certificate": tuple(MARRIAGE_VARIANTS),
    "union_proof": tuple(UNION_VARIANTS),
    "residence_proof": RESIDENCE_VARIANTS,
    "medical_certificate": tuple(MEDICAL_VARIANTS),
    "financial_dependency_proof": tuple(DEPENDENCY_VARIANTS),
    "supporting_letter": tuple(LETTERS),
    "other": tuple(OTHER_VARIANTS),
}


def render_document(
    doc_type: str,
    *,
    subject: dict,
    lang: str,
    rng: random.Random,
    other: dict | None = None,
    address: dict | None = None,
    dpi: int = 300,
    corrupt_mrz: bool = False,
    today: dt.date | None = None,
    variant: str | None = None,
) -> list[Image.Image]:
    """Render one invented document about ``subject``: upright gray US Letter pages.

    Args:
        doc_type: A ``doc_type`` of ``corpus-format.md`` other than the form and ``blank``.
        subject: ``family_name``, ``given_names``, ``date_of_birth`` (``datetime.date``), ``sex``,
            ``country_of_birth``, ``nationality`` (ISO-3), ``document_number``.
        lang: ``"fr"`` or ``"en"`` (anything else renders in English).
        rng: All randomness (layout variant, wording, numbers) comes from here.
        other: A second person: the spouse (marriage, union) or the parent (dependency).
        address: The Québec address (``street``, ``apartment``, ``municipality``,
            ``postal_code``, ``province``) for residence proofs and letters.
        dpi: Resolution of the returned pages.
        corrupt_mrz: Break one check digit of an identity document's MRZ.
        today: Documents are dated before this day (default 2026-10-01).
        variant: Force one layout (a name from ``DOC_VARIANTS[doc_type]``); random by default.

    Raises:
        ValueError: Unknown ``doc_type`` or ``variant``.
    """
    if doc_type not in DOC_RENDERERS:
        raise ValueError(f"no template for doc_type {doc_type!r}")
    ctx = DocContext(
        subject=subject,
        lang="fr" if lang == "fr" else "en",
        rng=rng,
        dpi=dpi,
        other=other,
        address=address,
        corrupt_mrz=corrupt_mrz,
        today=today or REFERENCE_DATE,
        variant=variant,
    )
    pages = DOC_RENDERERS[doc_type](ctx)
    log.debug("rendered doc_type=%s pages=%d dpi=%d", doc_type, len(pages), dpi)
    return pages
