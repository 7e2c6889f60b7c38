"""Writer adaptation: the boxes a page reads surely teach how its writer forms each character."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from extractors import writer_adaptation as writer
from extractors.form_reader import read_form_page
from extractors.glyphs import MODEL_PATH, GlyphReader, load_glyph_reader
from sample_scans.scanned_form import RECEIVED, UNSIGNED_SHARE, scanned_form
from schemas.config import FormConfig, RulesConfig
from schemas.form import AnswerContext, load_form_layout


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_box_labels_pair_characters_with_inked_boxes():
    boxes = [[("A", 0.9)], None, [("B", 0.8)], [("C", 0.7)], None]
    assert writer.box_labels("A BC", boxes) == ["A", None, "B", "C", None]
    assert writer.box_labels("ABCD", boxes) is None  # one character too many: no pairing
    date = [[(d, 0.9)] for d in "20261016"]
    assert writer.box_labels("2026-10-16", date, separators="- ") == list("20261016")


def test_a_box_written_like_a_known_r_becomes_r():
    """This writer's R (bowl left open) reads K; the page's sure fields hold such Rs."""
    r_shape, k_shape = _unit(1, 0.1, 0), _unit(0, 1, 0.1)
    protos = writer.prototypes([(["R", "R", "K"], [r_shape, r_shape, k_shape])])
    read_k = [("K", 0.6), ("R", 0.3), ("A", 0.01)]
    out = writer.adapt([read_k, [("K", 0.6), ("R", 0.3)]], [r_shape, k_shape], protos)
    assert out[0][0][0] == "R"
    assert out[1][0][0] == "K"  # a box written like the page's K stays K
    assert sum(p for _, p in out[0]) == pytest.approx(sum(p for _, p in read_k))


def test_a_box_like_no_labelled_box_keeps_its_reading():
    protos = writer.prototypes([(["O", "O"], [_unit(1, 0, 0), _unit(1, 0.05, 0)])])
    at = [("@", 0.55), ("O", 0.4)]
    out = writer.adapt([at, None], [_unit(0.5, 1, 0.3), None], protos)
    assert [c for c, _ in out[0]] == ["@", "O"]
    assert out[0][0][1] == pytest.approx(0.55, abs=0.02)
    assert out[1] is None


def test_no_features_no_prototypes():
    assert writer.prototypes([(["A"], [None])]) is None


def test_the_glyph_model_gives_features_for_inked_boxes_only():
    crop = np.full((60, 50), 255, np.uint8)
    cv2.line(crop, (25, 8), (25, 52), 0, 5)
    blank = np.full((60, 50), 255, np.uint8)
    cands, feats = load_glyph_reader().classify_with_features([crop, blank], "alnum")
    assert cands[0][0][0] in "1I" and cands[1] == [(" ", 1.0)]
    assert feats[0].shape == (128,) and feats[1] is None


def test_a_page_reads_its_writers_letters_from_its_sure_fields():
    """Form 99016, page 1: its writer's R reads K and O reads D, everywhere on the page.

    Read alone, the e-mail comes out ``PAKWANA.AHMADI84@YAHDD.FK``. The municipality, the
    countries and the printed name, read surely, show how this hand writes R and O, and the
    e-mail is read right. (A regression check on one generated form, not a measurement: the
    figures are ``intake bench-form``'s.)
    """
    form = scanned_form(99016, unsigned_share=UNSIGNED_SHARE)
    page = form.pages[0]
    context = AnswerContext(received_on=RECEIVED,
                            home_postal_letters=RulesConfig().quebec_postal_letters)  # fmt: skip
    meta = json.loads(MODEL_PATH.with_suffix(".json").read_text(encoding="utf-8"))
    alone = GlyphReader(cv2.dnn.readNetFromONNX(str(MODEL_PATH)), meta["classes"])

    def email(reader) -> str | None:
        read, _ = read_form_page(page.image, page_no=1, dpi=page.dpi, layout=load_form_layout(),
                                 cfg=FormConfig(), glyphs=reader, context=context)  # fmt: skip
        return next(f.value for f in read.fields if f.name == "email")

    assert email(alone) != form.values["email"]
    assert email(load_glyph_reader()) == form.values["email"]
