"""The labels of a packet: ``truth.json`` derived from its plan by the rules of intake.

Flags are not written by the scenarios; they are derived here from the spoiled plan and the
pages as rendered, applying ``intake-rules.md`` to the ground truth, so a scenario's
consequences are labelled too. Conventions where the rules leave room (README.md, "Labels"):

- A missing form page 3 also means ``form_unsigned`` and ``form_undated`` (the signature and
  the date are on it); fields of a missing page are never ``field_missing``.
- With no form at all only ``form_missing`` is labelled for the form: no field, signature,
  document-requirement or consistency flag, since nothing declares who is in the family.
- An empty signature is ``form_unsigned`` and an empty date ``form_undated``, not ``field_missing``.
- A document counts for its person when at least one of its pages is legible.
- A ticked box of page 3 is ``enclosed_not_found`` when no page of any matching type is in the
  envelope; the flag names the first type of the box (``marriage_certificate`` for the union box).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sample_scans import family as fm
from sample_scans.scenarios import PacketPlan
from schemas.codes import FieldKind
from schemas.form import load_form_layout

#: Flags whose worst outcome is ``incomplete`` (intake-rules.md); ``blank_page`` is information.
INCOMPLETE = frozenset({"missing_document", "form_missing", "form_page_missing",
                        "form_unsigned", "form_undated"})
INFO = frozenset({"blank_page"})
SUBJECT_KEYS = ("page", "person", "document", "field", "form_page", "of", "file")


@dataclass(frozen=True)
class PageInfo:
    """One page of the envelope as labelled; its number is its position + 1."""

    doc_type: str
    person: str | None
    form_page: int | None = None
    doc_index: int | None = None
    first_of_doc: bool = False
    legible: bool = True
    complete: bool = True

    def as_dict(self, page: int) -> dict[str, object]:
        d: dict[str, object] = {"page": page, "doc_type": self.doc_type}
        if self.form_page is not None:
            d["form_page"] = self.form_page
        d.update(person=self.person, legible=self.legible, complete=self.complete)
        return d


@functools.cache
def _required_fields() -> tuple[tuple[str, int], ...]:
    """(name, page) of required answer fields other than the signature and its date."""
    layout = load_form_layout()
    return tuple((f.name, f.page) for f in layout.answer_fields()
                 if f.required and f.name not in ("signature", "date_signed"))


@functools.cache
def _field_pages() -> dict[str, int]:
    layout = load_form_layout()
    return {f.name: f.page for f in layout.fields if f.kind not in (FieldKind.QR,)}


def page_flags(plan: PacketPlan, pages: list[PageInfo]) -> list[dict[str, object]]:
    """Legibility, completeness, blank pages and what each document says about its person."""
    flags: list[dict[str, object]] = []
    for no, p in enumerate(pages, start=1):
        if not p.legible:
            flags.append({"code": "illegible_page", "page": no})
        if not p.complete:
            flags.append({"code": "incomplete_page", "page": no})
        if p.doc_type == "blank":
            flags.append({"code": "blank_page", "page": no})
        if p.doc_index is None or not p.first_of_doc or not p.legible:
            continue
        doc = plan.docs[p.doc_index]
        if doc.person is None and plan.form_pages:
            flags.append({"code": "unmatched_document", "page": no})
        if doc.corrupt_mrz:
            flags.append({"code": "mrz_invalid", "page": no})
        if doc.mismatch and doc.person:
            flags.append({"code": "identity_mismatch", "person": doc.person,
                          "field": doc.mismatch, "page": no})
    return flags


def form_flags(plan: PacketPlan) -> list[dict[str, object]]:
    """The form's presence, pages, signature, date and fields."""
    if not plan.form_pages:
        return [{"code": "form_missing"}]
    flags: list[dict[str, object]] = [{"code": "form_page_missing", "form_page": n}
                                      for n in (1, 2, 3) if n not in plan.form_pages]
    v = plan.values
    if 3 not in plan.form_pages or v.get("signature") != "true":
        flags.append({"code": "form_unsigned"})
    if 3 not in plan.form_pages or not v.get("date_signed"):
        flags.append({"code": "form_undated"})
    for name, page in _required_fields():
        if page in plan.form_pages and not v.get(name):
            flags.append({"code": "field_missing", "field": name})
    for name in plan.unreadable_fields:
        if _field_pages()[name] in plan.form_pages:
            flags.append({"code": "field_unreadable", "field": name})
    return flags


def consistency_flags(plan: PacketPlan) -> list[dict[str, object]]:
    """Dossier number, members' eligibility, address and signing date."""
    if not plan.form_pages:
        return []
    flags: list[dict[str, object]] = []
    numbers = {(plan.page_dossiers or [plan.dossier] * 3)[n - 1] for n in plan.form_pages}
    p = plan.family.principal
    reg_ok = plan.registry is not None and plan.registry[:3] == (
        fm.people.upper(p.family_name), p.given_names, p.date_of_birth)
    if len(numbers) > 1 or not reg_ok:
        flags.append({"code": "dossier_mismatch"})
    if 2 in plan.form_pages:
        flags += _member_flags(plan)
    postal = plan.values.get("postal_code", "")
    if 1 in plan.form_pages and postal and postal[0] not in "GHJ":
        flags.append({"code": "address_outside_quebec"})
    signed = plan.values.get("date_signed")
    if 3 in plan.form_pages and signed:
        adult = fm.people.add_years(p.date_of_birth, 18)
        if signed > plan.received.isoformat() or signed < adult.isoformat():
            flags.append({"code": "date_signed_invalid"})
    return flags


def _member_flags(plan: PacketPlan) -> list[dict[str, object]]:
    flags: list[dict[str, object]] = []
    counted = {(d.person, d.doc_type) for d in plan.docs}
    for m in plan.family.members:
        if not m.included:
            continue
        if m.residence == "abroad":
            flags.append({"code": "member_abroad_included", "person": m.slot})
        if m.relationship in (2, 3, 4):
            proofs = {(m.slot, "medical_certificate"), (m.slot, "financial_dependency_proof")}
            unproven = m.needs_proofs(plan.received) and not proofs <= counted
            if m.has_spouse or unproven:
                flags.append({"code": "not_dependent_child", "person": m.slot})
    return flags


def document_flags(plan: PacketPlan, pages: list[PageInfo]) -> list[dict[str, object]]:
    """Required documents absent for a person, and ticked boxes with nothing behind them."""
    if not plan.form_pages:
        return []
    legible = {i for i, p in enumerate(plan.docs)
               if any(pg.doc_index == i and pg.legible for pg in pages)}
    have = {(plan.docs[i].person, plan.docs[i].doc_type) for i in legible}
    flags: list[dict[str, object]] = []
    for person, kinds in _requirements(plan):
        if not any((person, k) in have for k in kinds):
            flags.append({"code": "missing_document", "document": kinds[0], "person": person})
    if 3 in plan.form_pages:
        present = {p.doc_type for p in pages}
        for box, kinds in fm.ENCLOSED.items():
            if plan.values.get(box) == "yes" and not present & set(kinds):
                flags.append({"code": "enclosed_not_found", "document": kinds[0]})
    return flags


def _requirements(plan: PacketPlan) -> list[tuple[str, tuple[str, ...]]]:
    """(person, acceptable document types) for every required document of the packet."""
    reqs = [("principal", (k,)) for k in ("identity_document", "birth_certificate",
                                          "residence_proof")]
    if 2 not in plan.form_pages:
        return reqs
    for m in plan.family.members:
        if not m.included:
            continue
        reqs += [(m.slot, ("identity_document",)), (m.slot, ("birth_certificate",))]
        if m.relationship == 1:
            union = ("union_proof", "marriage_certificate")
            reqs.append((m.slot, union if plan.family.marital_status == "de_facto"
                         else union[::-1]))
        elif m.needs_proofs(plan.received):
            reqs += [(m.slot, ("medical_certificate",)),
                     (m.slot, ("financial_dependency_proof",))]
    return reqs


def expected_flags(plan: PacketPlan, pages: list[PageInfo]) -> list[dict[str, object]]:
    """Every flag the packet truly carries, sorted for stable output."""
    flags = (page_flags(plan, pages) + form_flags(plan) + consistency_flags(plan)
             + document_flags(plan, pages))
    if plan.duplicate_of:
        flags.append({"code": "duplicate_packet", "of": plan.duplicate_of})
    return sorted(flags, key=lambda f: tuple(str(f.get(k, "")) for k in ("code",)
                                             + SUBJECT_KEYS))


def packet_status(flags: list[dict[str, object]]) -> str:
    """The worst outcome: unreadable > needs_review > incomplete > complete."""
    codes = {str(f["code"]) for f in flags}
    if "unreadable_file" in codes:
        return "unreadable"
    if codes - INCOMPLETE - INFO:
        return "needs_review"
    return "incomplete" if codes & INCOMPLETE else "complete"


def form_truth(plan: PacketPlan) -> dict[str, object]:
    """Values of every filled field on the form pages in the envelope."""
    if not plan.form_pages:
        return {}
    out: dict[str, object] = {"dossier_number": plan.dossier,
                              "preprinted_name": fm.preprinted_name(plan.family.principal)}
    pages = _field_pages()
    for name, value in plan.values.items():
        if pages[name] not in plan.form_pages or name in plan.scribbled or value == "":
            continue
        out[name] = (value == "true") if name == "signature" else value
    return out


def truth_document(plan: PacketPlan, pages: list[PageInfo]) -> dict[str, object]:
    """The whole ``truth.json`` of a readable packet."""
    flags = expected_flags(plan, pages)
    return {
        "packet_id": plan.packet_id,
        "received_date": plan.received.isoformat(),
        "pages": [p.as_dict(i) for i, p in enumerate(pages, start=1)],
        "form": form_truth(plan),
        "expected": {"status": packet_status(flags), "flags": flags},
    }


def unreadable_document(plan: PacketPlan, file: str) -> dict[str, object]:
    """``truth.json`` of an envelope whose file cannot be opened: nothing else is known."""
    flags: list[dict[str, object]] = [{"code": "unreadable_file", "file": file}]
    return {"packet_id": plan.packet_id, "received_date": plan.received.isoformat(),
            "pages": [], "form": {}, "expected": {"status": "unreadable", "flags": flags}}


def duplicate_document(original: dict[str, object], *, packet_id: str,
                       of: str) -> dict[str, object]:
    """The same envelope received again: the original's labels plus ``duplicate_packet``."""
    expected = dict(original["expected"])  # type: ignore[arg-type]
    flags = [*expected["flags"], {"code": "duplicate_packet", "of": of}]
    return {**original, "packet_id": packet_id,
            "expected": {"status": packet_status(flags), "flags": flags}}
