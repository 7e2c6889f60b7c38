"""The labelled sample-corpus generator (``sample_scans/generate.py`` and its helpers)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from sample_scans import generate, people, scanfiles, scenarios, truth
from sample_scans.truth import PageInfo
from schemas.codes import PERSON_IDS, DocType, FieldKind, FlagCode, IntakeStatus
from schemas.config import load_config
from schemas.form import load_form_layout

#: Subject keys of each flag code (corpus-format.md).
SUBJECTS: dict[str, set[str]] = {
    "unreadable_file": {"file"}, "duplicate_packet": {"of"}, "illegible_page": {"page"},
    "incomplete_page": {"page"}, "blank_page": {"page"}, "form_missing": set(),
    "form_page_missing": {"form_page"}, "form_unsigned": set(), "form_undated": set(),
    "field_missing": {"field"}, "field_unreadable": {"field"},
    "missing_document": {"document", "person"}, "unmatched_document": {"page"},
    "identity_mismatch": {"person", "field", "page"}, "mrz_invalid": {"page"},
    "dossier_mismatch": set(), "member_abroad_included": {"person"},
    "not_dependent_child": {"person"}, "address_outside_quebec": set(),
    "date_signed_invalid": set(), "enclosed_not_found": {"document"},
}
SCAN_SUFFIXES = {".pdf", ".tif", ".tiff", ".png", ".jpg"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("corpus")
    return out, generate.generate_corpus(out, seed=11, count=12, dpi=100, jobs=2)


def _scans(folder: Path) -> list[Path]:
    return sorted((p for p in folder.rglob("*") if p.suffix.lower() in SCAN_SUFFIXES),
                  key=lambda p: p.relative_to(folder).as_posix())


def _page_count(path: Path) -> int:
    if path.suffix == ".pdf":
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


def _worst(flags: list[dict]) -> str:
    outcomes = load_config().flags
    ranks = [IntakeStatus(outcomes[f["code"]].outcome).rank for f in flags]
    return max(ranks, default=0)


def validate_truth(doc: dict) -> None:
    """Assert ``doc`` follows the ``truth.json`` contract of corpus-format.md."""
    assert set(doc) == {"packet_id", "received_date", "pages", "form", "expected"}
    assert DATE.match(doc["received_date"])
    for i, page in enumerate(doc["pages"], start=1):
        assert page["page"] == i
        assert DocType(page["doc_type"])
        assert page["person"] is None or page["person"] in PERSON_IDS
        assert isinstance(page["legible"], bool) and isinstance(page["complete"], bool)
        assert ("form_page" in page) == (page["doc_type"] == "application_form")
    _validate_form(doc["form"])
    flags, status = doc["expected"]["flags"], doc["expected"]["status"]
    for f in flags:
        assert set(f) - {"code"} == SUBJECTS[FlagCode(f["code"]).value], f
        if "page" in f:
            assert 1 <= f["page"] <= len(doc["pages"])
        if "person" in f:
            assert f["person"] in PERSON_IDS
    assert IntakeStatus(status).rank == _worst(flags)


def _validate_form(form: dict) -> None:
    specs = {f.name: f for f in load_form_layout().fields}
    for name, value in form.items():
        spec = specs[name]
        if spec.kind is FieldKind.SIGNATURE:
            assert isinstance(value, bool)
        elif spec.kind is FieldKind.DATE:
            assert DATE.match(value)
        elif spec.kind is FieldKind.CHECKBOX:
            assert set(value.split(",")) <= set(spec.options), (name, value)
        elif spec.kind is FieldKind.COMB:
            assert len(value) <= spec.boxes and value == value.upper(), (name, value)


class TestCorpus:
    def test_every_flag_and_status_appears(self, corpus: tuple[Path, list[dict]]) -> None:
        _, docs = corpus
        codes = {f["code"] for d in docs for f in d["expected"]["flags"]}
        assert codes == {c.value for c in FlagCode}
        assert {d["expected"]["status"] for d in docs} == {s.value for s in IntakeStatus}

    def test_truth_files_follow_the_contract(self, corpus: tuple[Path, list[dict]]) -> None:
        out, docs = corpus
        for d in docs:
            on_disk = json.loads((out / d["packet_id"] / "truth.json").read_text("utf-8"))
            assert on_disk == d
            validate_truth(d)

    def test_labelled_pages_point_at_the_right_pages(
        self, corpus: tuple[Path, list[dict]]
    ) -> None:
        _, docs = corpus
        for d in docs:
            pages = d["pages"]
            for f in d["expected"]["flags"]:
                page = pages[f["page"] - 1] if "page" in f else None
                if f["code"] == "illegible_page":
                    assert page["legible"] is False
                elif f["code"] == "incomplete_page":
                    assert page["complete"] is False
                elif f["code"] == "blank_page":
                    assert page["doc_type"] == "blank"
                elif f["code"] == "mrz_invalid":
                    assert page["doc_type"] == "identity_document"
                elif f["code"] == "unmatched_document":
                    assert page["person"] is None

    def test_scans_hold_the_labelled_pages(self, corpus: tuple[Path, list[dict]]) -> None:
        out, docs = corpus
        for d in docs:
            if d["expected"]["status"] == "unreadable":
                continue
            files = _scans(out / d["packet_id"])
            assert sum(_page_count(f) for f in files) == len(d["pages"]), d["packet_id"]

    def test_unreadable_file_does_not_open(self, corpus: tuple[Path, list[dict]]) -> None:
        out, docs = corpus
        bad = [d for d in docs if d["expected"]["status"] == "unreadable"]
        assert bad
        for d in bad:
            (flag,) = d["expected"]["flags"]
            path = out / d["packet_id"] / flag["file"]
            assert path.is_file()
            run = subprocess.run(["pdftoppm", "-r", "10", "-f", "1", "-l", "1", str(path)],
                                 capture_output=True)
            assert run.returncode != 0

    def test_duplicate_is_the_same_envelope(self, corpus: tuple[Path, list[dict]]) -> None:
        out, docs = corpus
        dups = [(d, f) for d in docs for f in d["expected"]["flags"]
                if f["code"] == "duplicate_packet"]
        assert dups
        for d, f in dups:
            assert f["of"] < d["packet_id"]
            mine, theirs = _scans(out / d["packet_id"]), _scans(out / f["of"])
            assert [p.read_bytes() for p in mine] == [p.read_bytes() for p in theirs]
            assert d["pages"] == next(x for x in docs if x["packet_id"] == f["of"])["pages"]

    def test_registry_lists_invited_files(self, corpus: tuple[Path, list[dict]]) -> None:
        out, docs = corpus
        with (out / "registry.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert list(rows[0]) == ["dossier_number", "family_name", "given_names",
                                 "date_of_birth", "invitation_date"]
        numbers = [r["dossier_number"] for r in rows]
        assert len(numbers) == len(set(numbers))
        for r in rows:
            assert re.match(r"^PCH-\d{4}-\d{6}$", r["dossier_number"])
            dt.date.fromisoformat(r["date_of_birth"])
            dt.date.fromisoformat(r["invitation_date"])
        by_number = {r["dossier_number"]: r for r in rows}
        for d in docs:
            form, codes = d["form"], {f["code"] for f in d["expected"]["flags"]}
            if "family_name" in form and "dossier_mismatch" not in codes:
                row = by_number[form["dossier_number"]]
                assert (row["family_name"], row["date_of_birth"]) == (
                    form["family_name"], form["date_of_birth"])


class TestDeterminism:
    def test_same_seed_same_corpus(self, tmp_path: Path) -> None:
        a = generate.generate_corpus(tmp_path / "a", seed=5, count=3, dpi=72, jobs=1)
        b = generate.generate_corpus(tmp_path / "b", seed=5, count=3, dpi=72, jobs=2)
        assert a == b
        digest = {
            p.relative_to(tmp_path / "a").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (tmp_path / "a").rglob("*") if p.is_file()}
        assert digest == {
            p.relative_to(tmp_path / "b").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (tmp_path / "b").rglob("*") if p.is_file()}

    @pytest.mark.parametrize("kind", scanfiles.UNREADABLE_KINDS)
    def test_unreadable_files_are_reproducible(self, tmp_path: Path, kind: str) -> None:
        pages = [Image.new("L", (170, 220), 255)] * 2
        setup = scanfiles.ScannerSetup(layout="pdf", bilevel=True, dpi=20)
        a = scanfiles.write_unreadable(pages, tmp_path / "a", rng=random.Random(1),
                                       setup=setup, kind=kind)
        b = scanfiles.write_unreadable(pages, tmp_path / "b", rng=random.Random(1),
                                       setup=setup, kind=kind)
        assert (tmp_path / "a" / a).read_bytes() == (tmp_path / "b" / b).read_bytes()

    def test_another_seed_another_corpus(self) -> None:
        a = generate.plan_corpus(seed=5, count=3)
        b = generate.plan_corpus(seed=6, count=3)
        assert [p.family.principal for p in a] != [p.family.principal for p in b]


def _pages_of(plan: scenarios.PacketPlan) -> list[PageInfo]:
    """One page per form page and per document, as the renderers would give."""
    pages = [PageInfo("application_form", "principal", form_page=n) for n in plan.form_pages]
    for i, d in enumerate(plan.docs):
        pages.append(PageInfo(d.doc_type, d.person, doc_index=i, first_of_doc=True,
                              legible=d.defect != "illegible",
                              complete=not (d.defect or "").startswith("cut")))
    return pages + [PageInfo("blank", None)] * plan.blanks


class TestScenarios:
    @pytest.mark.parametrize("name", [s for s in scenarios.SCENARIOS
                                      if s not in scenarios.SOLO])
    def test_scenario_raises_its_flag(self, name: str) -> None:
        """GIVEN a packet planned with one scenario WHEN labelled THEN its flag is there."""
        for seed in range(8):
            plan = scenarios.plan_packet(random.Random(seed), packet_id="p0001", index=0,
                                         scenarios=(name,), received=dt.date(2026, 11, 2),
                                         dossier="PCH-2026-000001")
            flags = truth.expected_flags(plan, _pages_of(plan))
            assert name in {f["code"] for f in flags}, (seed, flags)

    def test_complete_packets_carry_no_flag(self) -> None:
        for seed in range(30):
            plan = scenarios.plan_packet(random.Random(seed), packet_id="p0001", index=0,
                                         scenarios=(), received=dt.date(2026, 11, 2),
                                         dossier="PCH-2026-000001")
            assert truth.expected_flags(plan, _pages_of(plan)) == [], seed

    def test_blank_page_alone_keeps_a_packet_complete(self) -> None:
        plan = scenarios.plan_packet(random.Random(1), packet_id="p0001", index=0,
                                     scenarios=("blank_page",), received=dt.date(2026, 11, 2),
                                     dossier="PCH-2026-000001")
        flags = truth.expected_flags(plan, _pages_of(plan))
        assert {f["code"] for f in flags} == {"blank_page"}
        assert truth.packet_status(flags) == "complete"

    def test_missing_page_three_means_unsigned_and_undated(self) -> None:
        for seed in range(40):
            plan = scenarios.plan_packet(random.Random(seed), packet_id="p0001", index=0,
                                         scenarios=("form_page_missing",),
                                         received=dt.date(2026, 11, 2), dossier="PCH-2026-000001")
            codes = {f["code"] for f in truth.expected_flags(plan, _pages_of(plan))}
            assert ({"form_unsigned", "form_undated"} <= codes) == (3 not in plan.form_pages)

    def test_incompatible_scenarios_are_refused(self) -> None:
        assert not scenarios.compatible(("form_missing", "field_missing"))
        assert not scenarios.compatible(("form_page_missing", "form_unsigned"))
        assert not scenarios.compatible(("unreadable_file", "blank_page"))
        assert scenarios.compatible(("illegible_page", "mrz_invalid"))

    def test_twelve_packets_plan_every_scenario(self) -> None:
        planned = {s for names in generate.assign_scenarios(random.Random(3), 12) for s in names}
        assert planned == set(scenarios.SCENARIOS)


class TestPeople:
    def test_identities_fit_the_form(self) -> None:
        rng = random.Random(9)
        for _ in range(200):
            a = people.make_address(rng)
            assert a.postal_code[0] in "GHJ" and re.match(r"^[A-Z]\d[A-Z] \d[A-Z]\d$",
                                                          a.postal_code)
            assert len(people.upper(a.street)) <= 30 and len(a.municipality) <= 20
            assert re.match(r"^\d{10}$", people.telephone(rng, a))
            assert len(people.uci(rng)) in (8, 10)
            assert re.match(r"^PCH-2026-\d{6}$", people.dossier_number(rng, year=2026))
        assert people.make_address(rng, outside_quebec=True).postal_code[0] not in "GHJ"

    def test_misspelling_and_shifted_birth_differ(self) -> None:
        rng = random.Random(2)
        ident = people.make_identity(rng, origin="haiti", sex="F", born=dt.date(1990, 3, 4))
        assert people.misspelled(ident, rng).family_name != ident.family_name
        assert people.shifted_birth(ident, rng).date_of_birth != ident.date_of_birth
