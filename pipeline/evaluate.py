"""Score reports against a labelled corpus (``corpus-format.md``).

Flags are compared on their code plus subject keys; ``marriage_certificate`` and
``union_proof`` name the same requirement in a ``missing_document`` flag.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.form import FormLayout

SUBJECT_KEYS = ("page", "person", "document", "field", "form_page", "of", "file")
SPOUSE_PROOFS = {"marriage_certificate", "union_proof"}


def load_truths(corpus: Path) -> dict[str, dict[str, Any]]:
    """Every ``<packet>/truth.json`` of a corpus, by packet id."""
    out = {}
    for truth in sorted(corpus.glob("*/truth.json")):
        data = json.loads(truth.read_text(encoding="utf-8"))
        out[data.get("packet_id", truth.parent.name)] = data
    return out


def flag_key(flag: Mapping[str, Any]) -> tuple:
    items = [("code", flag["code"])]
    for k in SUBJECT_KEYS:
        v = flag.get(k)
        if v is None:
            continue
        if k == "document" and v in SPOUSE_PROOFS and flag["code"] == "missing_document":
            v = "spouse_proof"
        items.append((k, v))
    return tuple(items)


@dataclass
class Scores:
    packets: int = 0
    status_ok: int = 0
    wrongly_complete: list[str] = field(default_factory=list)
    flag_tp: Counter = field(default_factory=Counter)
    flag_fp: Counter = field(default_factory=Counter)
    flag_fn: Counter = field(default_factory=Counter)
    pages: int = 0
    doc_type_ok: int = 0
    field_ok: Counter = field(default_factory=Counter)
    field_n: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    confusions: Counter = field(default_factory=Counter)
    #: (packet, "fp" or "fn", flag key as text): every flag the report got wrong, to read.
    flag_errors: list[tuple[str, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        codes = sorted(set(self.flag_tp) | set(self.flag_fp) | set(self.flag_fn))
        return {
            "packets": self.packets,
            "status_accuracy": _ratio(self.status_ok, self.packets),
            "wrongly_complete": len(self.wrongly_complete),
            "wrongly_complete_packets": self.wrongly_complete,
            "flags": {
                c: {
                    "tp": self.flag_tp[c], "fp": self.flag_fp[c], "fn": self.flag_fn[c],
                    "precision": _ratio(self.flag_tp[c], self.flag_tp[c] + self.flag_fp[c]),
                    "recall": _ratio(self.flag_tp[c], self.flag_tp[c] + self.flag_fn[c]),
                }
                for c in codes
            },
            "doc_type_accuracy": _ratio(self.doc_type_ok, self.pages),
            "field_exact_match": {
                k: _ratio(self.field_ok[k], self.field_n[k]) for k in sorted(self.field_n)
            },
            "field_counts": dict(sorted(self.field_n.items())),
            "pages": self.pages,
            "pages_per_minute": round(60 * self.pages / self.seconds, 2) if self.seconds else None,
            "status_confusion": {f"{t}->{p}": n for (t, p), n in sorted(self.confusions.items())},
            "flag_errors": [list(e) for e in self.flag_errors],
        }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def score(
    reports: Iterable[Mapping[str, Any]],
    truths: Mapping[str, Mapping[str, Any]],
    *,
    layout: FormLayout,
    seconds: float,
) -> Scores:
    """Compare each report (as JSON) with its packet's truth."""
    s = Scores(seconds=seconds)
    kinds = _field_kinds(layout)
    for rep in reports:
        truth = truths.get(rep["packet_id"])
        if truth is None:
            continue
        s.packets += 1
        expected = truth["expected"]["status"]
        s.confusions[(expected, rep["status"])] += 1
        s.status_ok += rep["status"] == expected
        if rep["status"] == "complete" and expected != "complete":
            s.wrongly_complete.append(rep["packet_id"])
        _score_flags(s, rep["flags"], truth["expected"]["flags"], rep["packet_id"])
        _score_pages(s, rep["pages"], truth.get("pages", []))
        _score_fields(s, rep.get("fields", {}), truth.get("form", {}), kinds)
    return s


def _score_flags(s: Scores, got: list[dict], want: list[dict], packet_id: str) -> None:
    g = {flag_key(f) for f in got}
    w = {flag_key(f) for f in want}
    for k in g & w:
        s.flag_tp[k[0][1]] += 1
    for k in sorted(g - w):
        s.flag_fp[k[0][1]] += 1
        s.flag_errors.append((packet_id, "fp", _key_text(k)))
    for k in sorted(w - g):
        s.flag_fn[k[0][1]] += 1
        s.flag_errors.append((packet_id, "fn", _key_text(k)))


def _key_text(key: tuple) -> str:
    return " ".join(f"{k}={v}" if k != "code" else str(v) for k, v in key)


def _score_pages(s: Scores, got: list[dict], want: list[dict]) -> None:
    by_no = {p["page"]: p for p in got}
    for p in want:
        s.pages += 1
        s.doc_type_ok += by_no.get(p["page"], {}).get("doc_type") == p["doc_type"]


def _field_kinds(layout: FormLayout) -> dict[str, str]:
    kinds = {}
    for f in layout.answer_fields():
        kind = f.kind.value
        if kind == "comb":
            kind = "comb_digits" if f.charset in ("digits", "postal") else "comb_text"
        kinds[f.name] = kind
    return kinds


def _score_fields(s: Scores, got: Mapping[str, dict], want: Mapping[str, Any], kinds: dict) -> None:
    """Fields with a true value; a field the applicant left empty must come out empty."""
    for name, kind in kinds.items():
        truth = want.get(name)
        value = (got.get(name) or {}).get("value")
        if isinstance(truth, bool):
            truth = "true" if truth else "false"
        if truth is None:
            s.field_n["empty"] += 1
            s.field_ok["empty"] += value in (None, "")
            continue
        s.field_n[kind] += 1
        s.field_ok[kind] += _norm(value) == _norm(str(truth))
    if "dossier_number" in want:
        s.field_n["preprinted"] += 1
        s.field_ok["preprinted"] += (got.get("dossier_number") or {}).get("value") == want[
            "dossier_number"
        ]


def _norm(v: str | None) -> str:
    return " ".join((v or "").upper().replace("_", " ").split())


def per_code_table(scores: dict[str, Any]) -> list[tuple[str, int, int, int, Any, Any]]:
    rows = defaultdict(dict)
    for code, d in scores["flags"].items():
        rows[code] = d
    return [
        (c, d["tp"], d["fp"], d["fn"], d["precision"], d["recall"]) for c, d in sorted(rows.items())
    ]
