"""Pipeline configuration: TOML files read with ``tomllib`` and validated once, at flow start.

Defaults live in ``schemas/data/pipeline.toml``; a deployment passes its own TOML whose tables
override the defaults key by key. Paths in a config file are relative to that file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from schemas.base import Frozen
from schemas.codes import DocType, FlagCode, IntakeStatus, Severity

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_CONFIG = DATA_DIR / "pipeline.toml"


class LimitsConfig(Frozen):
    """What preflight refuses before anything is decoded (decompression bombs, huge files)."""

    max_file_mb: float = Field(300, description="Larger files are refused unread.")
    max_pages: int = Field(400, description="More pages than this in one envelope is refused.")
    max_page_megapixels: float = Field(
        180, description="Largest page image accepted, at its native or capped resolution."
    )


class RasterConfig(Frozen):
    render_dpi: int = Field(300, description="PDF pages are rendered at this resolution.")
    min_effective_dpi: int = Field(150, description="Below this a page counts as low resolution.")
    pdf_timeout_s: int = Field(120, description="Poppler time limit per page.")


class PreprocessConfig(Frozen):
    max_skew_deg: float = Field(15.0, description="Larger measured skews are not corrected.")
    osd_min_confidence: float = Field(1.5, description="Tesseract OSD confidence to trust a turn.")
    denoise: bool = True


class OcrConfig(Frozen):
    lang: str = "fra+eng"
    psm: int = 3
    oem: int = 1
    timeout_s: int = Field(90, description="Tesseract time limit per page.")
    ocr_dpi: int = Field(300, description="Pages are OCRed at this resolution at most.")


class QualityConfig(Frozen):
    """Legibility and completeness thresholds; calibrated on labelled pages."""

    legible_min_score: float = Field(0.45, description="Below this a page is illegible.")
    blank_max_ink_ratio: float = Field(0.0015, description="Dark-pixel share under which blank.")
    edge_margin_ratio: float = Field(0.012, description="Content this close to an edge is cut.")
    min_text_words: int = Field(3, description="Fewer OCR words: legibility from image only.")
    cut_min_touching: float = Field(
        2.0, description="Content pieces running into one edge that make the page cut off."
    )
    cut_min_score: float = Field(
        1.0, description="Cut score (quality.cut_score, 0-1) from which a side is cut off."
    )
    letter_closings: tuple[str, ...] = Field(
        (
            "veuillez agreer", "je vous prie d'agreer", "je vous prie de recevoir",
            "salutations", "cordialement", "respectueusement", "bien a vous",
            "sincerely", "regards", "respectfully", "yours truly", "yours faithfully",
            "signature",
        ),
        description="What a letter ends on (folded: lower case, no accents); a letter of "
        "support reading well without any lost its end (extractors.document_end).",
    )
    letter_min_words: int = Field(
        20, description="Real words a letter's last page needs before its closing is looked for."
    )
    certificate_issued: tuple[str, ...] = Field(
        ("fait a ", "delivre a ", "issued at", "issued in", "done at", "given at"),
        description="What a certificate's place and date of issue start with (folded); "
        "with nothing read under it, the officer's name and signature are lost.",
    )
    letter_min_fill: float = Field(
        0.6, description="Share of the sheet's height the text of a letter page runs down "
        "when the letter goes on on the next page; stopping higher, it lost its lower part.",
    )


class ClassifyConfig(Frozen):
    patterns_file: Path = Field(DATA_DIR / "doc_types.toml")
    min_score: float = Field(2.0, description="Evidence under this gives doc_type other.")
    margin: float = Field(1.0, description="Lead over the runner-up needed to decide.")


class FormConfig(Frozen):
    fields_file: Path = Field(DATA_DIR / "form" / "fields.json")
    template_pdf: Path = Field(DATA_DIR / "form" / "form-pch-dsp.pdf")
    min_alignment_quality: float = Field(0.5, description="Below this a page is not read.")
    field_min_confidence: float = Field(0.7, description="Under this a field is unreadable.")
    lexicons: dict[str, Path] = Field(
        default_factory=lambda: {
            name: DATA_DIR / "lexicons" / f"{lexicon}.txt"
            for name, lexicon in (
                ("municipality", "quebec_municipalities"),
                ("place_signed", "quebec_municipalities"),
                ("country_of_birth", "countries"),
                ("citizenship", "countries"),
            )
        },
        description="Field name → word list read as evidence for that field (one per line).",
    )
    word_lexicons: dict[str, Path] = Field(
        default_factory=lambda: {
            "street": DATA_DIR / "lexicons" / "street_words.txt",
            "email": DATA_DIR / "lexicons" / "email_domains.txt",
        },
        description="Field name → word list read as evidence for each word of that field.",
    )


class Requirement(Frozen):
    """One required document: any of the listed types satisfies it."""

    any_of: tuple[DocType, ...]

    @property
    def name(self) -> str:
        return self.any_of[0].value


class ConditionalRequirement(Frozen):
    """Documents required of a family member only for some relationships or ages."""

    relationship: tuple[int, ...] = ()
    min_age: int | None = None
    documents: tuple[Requirement, ...]


class RequiredDocuments(Frozen):
    principal: tuple[Requirement, ...]
    member: tuple[Requirement, ...]
    member_when: tuple[ConditionalRequirement, ...] = ()


class RulesConfig(Frozen):
    deadline_days: int = Field(60, description="Time given to send what is missing.")
    dependent_max_age: int = Field(22, description="A child this old or older needs two proofs.")
    signing_min_age: int = 18
    spouse_min_age: int = Field(
        16, description="Younger than this, a spouse reading the form reader was unsure of "
        "(relationship 1) is taken as misread: no couple proof is asked for on its strength."
    )
    quebec_postal_letters: str = "GHJ"
    registry_csv: Path | None = Field(None, description="The ministry's invited files, if given.")
    name_match_min: float = Field(85.0, description="rapidfuzz score (0–100) to match a name.")
    name_witness_min_ocr: float = Field(
        85.0, description="Tesseract word confidence (0–100) under which a paper's reading of "
        "a name does not count against the form (a letter it doubted, not a different name)."
    )
    date_witness_min_ocr: float = Field(
        85.0, description="Tesseract word confidence (0–100) under which a paper's birth date "
        "does not count against the form (a digit it doubted: 1991 read 1994 at 0).",
    )
    name_sure_confidence: float = Field(
        0.9, description="A form name read this surely is held to alone; a less sure one gives "
        "way when two identity papers agree on another."
    )
    required_documents_file: Path = Field(DATA_DIR / "required_documents.toml")


class RunnerConfig(Frozen):
    """Where the pages of an envelope run: threads of this process, or a Dask cluster."""

    kind: Literal["threads", "dask"] = "threads"
    dask_address: str | None = Field(
        None, description="Scheduler of a running Dask cluster (tcp://host:8786); none: a local one."
    )
    dask_workers: int = Field(2, description="Worker processes of the local cluster.")


class FlagPolicy(Frozen):
    severity: Severity
    outcome: IntakeStatus


class PipelineConfig(Frozen):
    jobs: int = Field(2, description="Pages processed at once; one Tesseract each.")
    envelopes_at_once: int = Field(
        2, ge=1, description="Envelopes a batch has in hand at once: one's report is written "
        "while the next one's pages are read. Pages stay at most ``jobs`` at once.")
    limits: LimitsConfig = LimitsConfig()
    raster: RasterConfig = RasterConfig()
    preprocess: PreprocessConfig = PreprocessConfig()
    ocr: OcrConfig = OcrConfig()
    quality: QualityConfig = QualityConfig()
    classify: ClassifyConfig = ClassifyConfig()
    form: FormConfig = FormConfig()
    rules: RulesConfig = RulesConfig()
    runner: RunnerConfig = RunnerConfig()
    flags: dict[FlagCode, FlagPolicy]

    def policy(self, code: FlagCode) -> FlagPolicy:
        return self.flags[code]


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _resolve_paths(raw: dict[str, Any], base_dir: Path) -> dict[str, Any]:
    """Make the path settings of one TOML file relative to that file's folder."""
    path_keys = {
        "classify": ("patterns_file",),
        "form": ("fields_file", "template_pdf"),
        "rules": ("registry_csv", "required_documents_file"),
    }
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in raw.items()}
    for table, keys in path_keys.items():
        for key in keys:
            value = out.get(table, {}).get(key)
            if value:
                out[table][key] = str((base_dir / value).resolve())
    for key in ("lexicons", "word_lexicons"):
        lexicons = out.get("form", {}).get(key)
        if isinstance(lexicons, dict):
            out["form"][key] = {k: str((base_dir / v).resolve()) for k, v in lexicons.items()}
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return _resolve_paths(tomllib.load(fh), path.parent)


def load_config(path: Path | None = None, **overrides: Any) -> PipelineConfig:
    """Defaults, then ``path``'s tables, then keyword overrides (``rules={"registry_csv": p}``)."""
    raw = _read_toml(DEFAULT_CONFIG)
    if path is not None:
        raw = _merge(raw, _read_toml(path))
    return PipelineConfig.model_validate(_merge(raw, overrides))


def load_required_documents(path: Path) -> RequiredDocuments:
    with path.open("rb") as fh:
        return RequiredDocuments.model_validate(tomllib.load(fh))
