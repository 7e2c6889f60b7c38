"""Heavy resources loaded once per process and shared by every run in it."""

from __future__ import annotations

import functools
import logging
import threading
from pathlib import Path

import spacy

from extractors.classify import DocTypeMatcher, build_matcher
from schemas.config import PipelineConfig
from schemas.form import FormLayout, load_form_layout

log = logging.getLogger(__name__)

SPACY_MODEL = "fr_core_news_sm"


@functools.cache
def load_nlp(name: str = SPACY_MODEL) -> spacy.language.Language:
    """The French spaCy pipeline (person names in letters); parser and lemmatiser are not used."""
    return spacy.load(name, exclude=["parser", "lemmatizer"])


@functools.cache
def load_matcher(patterns_file: Path) -> DocTypeMatcher:
    return build_matcher(load_nlp(), patterns_file)


@functools.cache
def load_layout(fields_file: Path) -> FormLayout:
    return load_form_layout(fields_file)


@functools.cache
def load_glyphs() -> object | None:
    """The trained glyph recogniser, or None to read comb boxes with Tesseract."""
    try:
        from extractors.glyphs import load_glyph_reader
    except ImportError:
        return None
    return load_glyph_reader()


def warm(cfg: PipelineConfig) -> None:
    """Load everything before pages are processed in parallel threads."""
    load_matcher(cfg.classify.patterns_file)
    load_layout(cfg.form.fields_file)
    load_glyphs()


_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def page_slots(jobs: int) -> threading.BoundedSemaphore:
    """The process's limit on pages in hand at once. Every flow run has a thread pool of its
    own, and a batch runs several envelopes at once: this keeps their pages to ``jobs``, so
    memory and Tesseract processes stay what one envelope at a time would use."""
    with _slots_lock:
        return _slots.setdefault(jobs, threading.BoundedSemaphore(max(1, jobs)))
