"""Blank, legible and complete pages: real scans, and photocopy defects made from them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.ocr import is_real_word, real_word_count, text_layer_page
from extractors.preflight import preflight
from extractors.preprocess import clean_and_read
from extractors.quality import assess_page, rejudge
from extractors.rasterize import render_page
from schemas.config import PipelineConfig
from schemas.ocr import OcrWord, PageOcr
from schemas.quality import PageQuality
from tests.unit.test_preprocess import photocopy

FORM_PDF = Path(__file__).resolve().parents[2] / "schemas" / "data" / "form" / "form-pch-dsp.pdf"
NO_OCR = PageOcr(page_no=1, source="none")
GENERATED = Path(__file__).resolve().parents[1] / "data" / "generated"
SERIF = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
LETTER = (
    "Nous attestons que la personne nommée ci-dessus est inscrite à nos cours de français",
    "à temps partiel depuis le printemps. Elle a complété les niveaux trois et quatre du",
    "programme et suit actuellement le niveau cinq, avec un taux de présence supérieur.",
    "Je reste à votre disposition pour vous fournir tout renseignement complémentaire.",
)


def _assess(raw: np.ndarray, config: PipelineConfig, *, dpi: int = 300,
            ocr: bool = False) -> PageQuality:
    image, info, words = clean_and_read(raw, page_no=1, dpi=dpi, cfg=config.preprocess,
                                        ocr_cfg=config.ocr)
    return assess_page(image, words if ocr else NO_OCR, dpi=info.dpi, cfg=config.quality,
                       cleaned=True)


@pytest.fixture(scope="module")
def linn(real_scans: Path) -> np.ndarray:
    return np.asarray(Image.open(real_scans / "problem-pdfs" / "linn.png").convert("L"))


@pytest.fixture(scope="module")
def form_page(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """Page 1 of the blank application form at 300 dpi, registration marks in its corners."""
    prefix = tmp_path_factory.mktemp("form") / "p"
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", "1", "-l", "1", "-singlefile",
                    str(FORM_PDF), str(prefix)], check=True)
    return np.asarray(Image.open(f"{prefix}.pgm").convert("L"))


def _noisy_blank(seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    sheet = 238 + cv2.GaussianBlur(rng.normal(0, 4, (3300, 2550)).astype(np.float32), (0, 0), 1.2)
    sheet += rng.normal(0, 5, sheet.shape)
    for _ in range(12):  # dust
        y, x = rng.integers(100, 3200), rng.integers(100, 2450)
        sheet[y:y + 3, x:x + 3] = 90
    sheet[:, :45] = 30  # the copier lid left a dark band
    return np.clip(sheet, 0, 255).astype(np.uint8)


class TestBlank:
    def test_real_blank_pdf(self, real_scans: Path, config: PipelineConfig) -> None:
        scan = preflight(real_scans / "problem-pdfs" / "blank.pdf", config.limits)
        raster = render_page(scan, 0, cfg=config.raster)
        quality = _assess(raster.image, config, dpi=raster.dpi)
        assert quality.blank and quality.signals["ink_ratio"] < 0.0015

    def test_noisy_blank_scan_is_blank(self, config: PipelineConfig) -> None:
        quality = _assess(_noisy_blank(), config)
        assert quality.blank and quality.legible and quality.complete

    def test_text_page_is_not_blank(self, linn: np.ndarray, config: PipelineConfig) -> None:
        assert not _assess(linn, config).blank

    def test_words_ocr_makes_of_grain_do_not_unblank_a_page(self, config: PipelineConfig) -> None:
        """Tesseract reads 'words' in a blank page's dust at low confidence: still blank."""
        image, info, _ = clean_and_read(_noisy_blank(), page_no=1, dpi=300,
                                        cfg=config.preprocess, ocr_cfg=config.ocr)
        junk = [OcrWord(text=t, conf=c, bbox=(100 + 60 * i, 200, 150 + 60 * i, 230), line=i)
                for i, (t, c) in enumerate([("Li", 40), ("we", 55), ("EE", 30), ("Cl", 45),
                                            ("ooo", 35), ("the", 52), ("ea", 20)])]
        quality = assess_page(image, PageOcr(page_no=1, words=tuple(junk)), dpi=info.dpi,
                              cfg=config.quality)
        assert quality.blank


class TestLegibility:
    def test_ordinary_photocopy_is_legible_and_complete(self, linn: np.ndarray,
                                                         config: PipelineConfig) -> None:
        """GIVEN a grey copy, tilted 1.5 degrees, with dark copier borders WHEN assessed with
        its OCR THEN it is legible and complete: the borders were the glass, not the page."""
        raw = photocopy(linn, angle=1.5, scale=0.96, shift=(30, 20), paper=205, ink=60)
        quality = _assess(raw, config, ocr=True)
        assert quality.legible and quality.legibility >= 0.8
        assert quality.complete and quality.cut_edges == ()
        assert quality.signals["mean_conf"] > 80 and quality.signals["real_word_share"] > 0.7

    def test_small_clean_page_with_ocr(self, real_scans: Path, config: PipelineConfig) -> None:
        image = np.asarray(Image.open(real_scans / "tesseract-test-images" / "phototest.tif")
                           .convert("L"))
        quality = _assess(image, config, dpi=200, ocr=True)
        assert quality.legible and not quality.blank

    def test_smeared_faded_copy_is_illegible(self, linn: np.ndarray,
                                             config: PipelineConfig) -> None:
        smeared = cv2.GaussianBlur(linn.astype(np.float32), (0, 0), 7)
        faded = (150 + smeared / 255 * 70).astype(np.uint8)
        quality = _assess(faded, config, ocr=True)
        assert not quality.blank and not quality.legible
        assert quality.legibility < config.quality.legible_min_score

    def test_bars_read_surely_are_no_words(self, config: PipelineConfig) -> None:
        """GIVEN a blurred letter whose text lines OCR read as six bars "|" at confidence 62-96
        (measurements of a generated page, seed 9500) THEN it is illegible: a bar read surely
        says nothing of the text."""
        signals = {"ink_ratio": 0.1185, "paper_level": 245.0, "shading": 19.46,
                   "contrast": 0.2314, "sharpness": 0.2503, "laplacian_var": 0.0071,
                   "noise": 7.94, "stroke_in": 0.0583, "dpi": 240.0}  # fmt: skip
        bars = PageOcr(page_no=7, source="tesseract", words=tuple(
            OcrWord(text="|", conf=c, bbox=(100, 80 * i, 104, 80 * i + 30))
            for i, c in enumerate((62, 93, 94, 96, 92, 83))
        ))  # fmt: skip
        stored = PageQuality(page_no=7, legibility=1.0, legible=True, complete=True, blank=False,
                             signals=signals)  # fmt: skip
        quality = rejudge(stored, bars, cfg=config.quality)
        assert not quality.blank and not quality.legible

    def test_crisp_smear_reads_as_nothing(self, linn: np.ndarray,
                                          config: PipelineConfig) -> None:
        """GIVEN a copy smeared sideways then printed black-and-white (sharp, contrasted blobs)
        WHEN OCR reads only garbage THEN the page is illegible all the same."""
        smear = cv2.blur(linn, (61, 9))
        blobs = np.where(smear < 200, 0, 255).astype(np.uint8)
        quality = _assess(blobs, config, ocr=True)
        assert quality.signals["sharpness"] > 0.5 and quality.signals["good_word_share"] < 0.1
        assert not quality.legible and not quality.blank

    def test_born_digital_render_is_judged_as_paper(self, real_scans: Path,
                                                    config: PipelineConfig) -> None:
        # A text-layer page skips cleaning: its white paper is 255, not "outside".
        scan = preflight(real_scans / "problem-pdfs" / "tagged.pdf", config.limits)
        raster = render_page(scan, 0, cfg=config.raster)
        quality = assess_page(raster.image, text_layer_page(1, raster.text_layer or ""),
                              dpi=raster.dpi, cfg=config.quality)
        assert not quality.blank and quality.legible and quality.complete
        assert quality.signals["outside_ratio"] == 0.0

    def test_form_page_without_ocr_words(self, form_page: np.ndarray,
                                         config: PipelineConfig) -> None:
        quality = _assess(photocopy(form_page, angle=-0.8, paper=235, ink=40), config)
        assert quality.legible and quality.complete


class TestCompleteness:
    def test_registration_marks_are_not_cut(self, form_page: np.ndarray,
                                            config: PipelineConfig) -> None:
        quality = _assess(photocopy(form_page, scale=0.99, shift=(-25, -20)), config)
        assert quality.complete, quality.signals

    def test_form_missing_its_lower_part(self, form_page: np.ndarray,
                                         config: PipelineConfig) -> None:
        cut = form_page.copy()
        cut[2000:] = 255  # the lower third never reached the glass
        quality = _assess(photocopy(cut, angle=0.6, paper=240, ink=30, border=240), config)
        assert not quality.complete and "bottom" in quality.cut_edges

    def test_half_page_cut_through_a_text_line(self, linn: np.ndarray,
                                               config: PipelineConfig) -> None:
        rows = (linn[1700:2100] < 128).sum(axis=1)
        cut_row = 1700 + int(np.argmax(rows))  # the middle of a text line
        cut = linn.copy()
        cut[cut_row:] = 255
        quality = _assess(photocopy(cut, paper=240, ink=30, border=240, noise=3), config)
        assert not quality.complete and "bottom" in quality.cut_edges

    def test_text_running_off_the_right_edge(self, linn: np.ndarray,
                                             config: PipelineConfig) -> None:
        shifted = np.full_like(linn, 255)
        shifted[:, 380:] = linn[:, :-380]  # the sheet lay 1.3 in too far right
        quality = _assess(photocopy(shifted, paper=240, ink=30, border=240, noise=3), config)
        assert not quality.complete and "right" in quality.cut_edges

    def test_text_running_off_a_tilted_sheet(self, linn: np.ndarray,
                                             config: PipelineConfig) -> None:
        """GIVEN a copy whose lines run off its left edge, a strip of paper (0.04 in) beyond
        the cut letters, copied again 2.3 degrees askew and reduced on dark glass WHEN cleaned
        (glass whitened, page straightened) and judged THEN the left side is cut: the cut
        letters end a few pixels inside the region found off the paper, which runs askew to
        the image's edge."""
        shifted = np.full_like(linn, 255)
        shifted[:, 12:-368] = linn[:, 380:]  # 1.3 in of every line's start lost
        quality = _assess(photocopy(shifted, angle=2.3, scale=0.97, paper=240, ink=30,
                                    border=30, noise=3), config)
        assert not quality.complete and "left" in quality.cut_edges, quality.signals

    def test_half_a_sheet_found_off_the_paper(self, linn: np.ndarray,
                                              config: PipelineConfig) -> None:
        """Cleaning found the lower part of the copy off the paper (whitened to 255) and the
        last line left on it is cut through: more than half of the image is not paper, and
        that is what a cut copy is, not a render of clean paper."""
        image, info, _ = clean_and_read(photocopy(linn, paper=240, ink=30, border=240, noise=3),
                                        page_no=1, dpi=300, cfg=config.preprocess,
                                        ocr_cfg=config.ocr)
        rows = (image[1100:1500] < 128).sum(axis=1)
        cut_row = 1100 + int(np.argmax(rows))  # through the middle of a text line
        image = image.copy()
        image[cut_row:] = 255
        quality = assess_page(image, NO_OCR, dpi=info.dpi, cfg=config.quality, cleaned=True)
        assert not quality.complete
        assert quality.signals["outside_ratio"] > 0.5

    def test_copier_lid_over_the_lower_part(self, linn: np.ndarray,
                                            config: PipelineConfig) -> None:
        """The sheet stopped short and the open lid shows black below its last line; a dark
        photo inside the page is not that."""
        rng = np.random.default_rng(5)
        lid = linn.copy()
        lid[1900:] = rng.integers(0, 25, lid[1900:].shape)
        quality = _assess(photocopy(lid, paper=240, ink=30, border=240, noise=3), config)
        assert not quality.complete and "bottom" in quality.cut_edges
        photo = linn.copy()
        photo[600:1200, 700:1500] = rng.integers(0, 25, (600, 800))
        assert _assess(photocopy(photo, paper=240, ink=30, border=240, noise=3), config).complete

    def test_grey_lid_over_the_lower_part(self, linn: np.ndarray,
                                          config: PipelineConfig) -> None:
        """GIVEN a cleaned copy whose lower half shows the open lid as a flat grey (level ~75,
        a lighter copy of black), a strip of paper left round it WHEN judged THEN the bottom
        is cut; a dark copy, its paper as flat but at the page's own level, is not."""
        page = np.minimum(photocopy(linn, paper=240, ink=30, border=240, noise=3), 254)
        rng = np.random.default_rng(7)
        lid = page[1700:-30, 30:-30]
        lid[:] = np.clip(75 + rng.normal(0, 1.5, lid.shape), 0, 254)
        quality = assess_page(page, NO_OCR, dpi=300, cfg=config.quality, cleaned=True)
        assert not quality.complete and "bottom" in quality.cut_edges, quality.signals
        dark = np.minimum(photocopy(linn, paper=105, ink=10, border=105, noise=1.5), 254)
        assert assess_page(dark, NO_OCR, dpi=300, cfg=config.quality, cleaned=True).complete

    def test_a_small_document_alone_on_the_glass_is_whole(self, linn: np.ndarray,
                                                          config: PipelineConfig) -> None:
        """A card-sized piece of paper, its text well inside its edges, the rest off the paper."""
        image, info, _ = clean_and_read(photocopy(linn, paper=240, ink=30, border=240, noise=3),
                                        page_no=1, dpi=300, cfg=config.preprocess,
                                        ocr_cfg=config.ocr)
        card = np.full_like(image, 255)
        y0, x0 = 300, 250
        piece = image[y0:y0 + 1000, x0:x0 + 1600]
        card[y0:y0 + 1000, x0:x0 + 1600] = np.minimum(piece, 254)
        # Paper margins around the text: nothing inked touches the card's edges.
        card[y0:y0 + 40, x0:x0 + 1600] = card[y0 + 960:y0 + 1000, x0:x0 + 1600] = 240
        card[y0:y0 + 1000, x0:x0 + 40] = card[y0:y0 + 1000, x0 + 1560:x0 + 1600] = 240
        quality = assess_page(card, NO_OCR, dpi=info.dpi, cfg=config.quality, cleaned=True)
        assert quality.complete, quality.cut_edges

    def test_lone_blobs_a_copier_border_left_are_not_content(self, linn: np.ndarray,
                                                             config: PipelineConfig) -> None:
        """GIVEN a whole page with two dark blobs at its right edge, paper all round them (what
        a copier border leaves when it is not whitened) WHEN judged THEN it is complete: only
        content with other content near it runs off a copy."""
        page = np.minimum(photocopy(linn, paper=240, ink=30, border=240, noise=3), 254)
        assert assess_page(page, NO_OCR, dpi=300, cfg=config.quality, cleaned=True).complete
        h, w = page.shape
        page[30:220, w - 40:] = 35
        page[900:1050, w - 25:] = 35
        quality = assess_page(page, NO_OCR, dpi=300, cfg=config.quality, cleaned=True)
        assert quality.complete, quality.signals

    def test_lines_starting_far_from_the_left_edge_are_whole(self, linn: np.ndarray,
                                                            config: PipelineConfig) -> None:
        """GIVEN a whole page copied small against the right of the glass, its left-aligned
        lines starting on one column far from the left edge WHEN judged THEN it is complete:
        a column of line starts is as straight as a cut, but its words read whole."""
        small = photocopy(linn, scale=0.6, shift=(480, 0), paper=240, ink=30, border=240,
                          noise=3)
        quality = _assess(small, config, ocr=True)
        assert quality.complete, quality.cut_edges

    def test_reduced_copy_of_a_sheet_cut_off(self, linn: np.ndarray,
                                             config: PipelineConfig) -> None:
        """GIVEN a sheet copied shifted, its copy's edge through a line of text (or through the
        ends of its lines), then reduced to 95 % (the copy's edge now 0.2 in inside the image,
        paper beyond) WHEN judged THEN that side is cut; the whole sheet reduced is complete."""
        inked = np.flatnonzero((linn[2900:2960] < 128).sum(axis=1))
        cut_row = 2900 + int(inked[0] + inked[inked < inked[0] + 40].max()) // 2  # mid-line
        down = np.full_like(linn, 255)
        down[linn.shape[0] - cut_row:] = linn[:cut_row]
        right = np.full_like(linn, 255)
        right[:, 380:] = linn[:, :-380]  # lines ran 1.3 in too far right
        for sheet, cut in ((down, ("bottom",)), (right, ("right",)), (linn, ())):
            page = np.minimum(photocopy(sheet, scale=0.95, paper=240, ink=30, border=240,
                                        noise=3), 254)
            quality = assess_page(page, NO_OCR, dpi=300, cfg=config.quality, cleaned=True)
            assert quality.cut_edges == cut, quality.signals

    def test_half_page_cut_through_the_tops_of_a_line(self, config: PipelineConfig) -> None:
        """GIVEN a letter in 11-point serif at 200 dpi whose copy stops 5 px below the top of
        its twelfth line (only the tips of the tallest letters are left, each smaller than
        the pieces a cut line is looked for among) and is blank below WHEN judged THEN the
        bottom is cut."""
        font = ImageFont.truetype(str(SERIF), round(11 / 72 * 200))
        sheet = Image.new("L", (1700, 2200), 255)
        draw = ImageDraw.Draw(sheet)
        for i in range(12):
            draw.text((170, 300 + 48 * i), LETTER[i % len(LETTER)], font=font, fill=0)
        page = np.asarray(sheet).copy()
        last = 300 + 48 * 11
        top = last + int(np.flatnonzero((page[last:last + 48] < 128).any(axis=1))[0])
        page[top + 5:] = 255
        copy = np.minimum(photocopy(page, paper=240, ink=30, border=240, noise=3), 254)
        quality = assess_page(copy, NO_OCR, dpi=200, cfg=config.quality, cleaned=True)
        assert quality.cut_edges == ("bottom",), quality.signals

    @pytest.mark.parametrize("rule", ["dashed", "faded", "dotted"])
    def test_a_rule_ending_a_page_is_whole(self, linn: np.ndarray, config: PipelineConfig,
                                           rule: str) -> None:
        """GIVEN the upper half of a page ending on the lower edge of a card's dashed outline
        (dashes and what is left of faded ones), on one faded into hairline bits only, or on
        a dotted leader, and blank below WHEN judged THEN it is complete: the bits are as
        small as what a cut through the tops of letters leaves, but a cut leaves no dashes,
        no hairlines only, nor evenly spaced dots."""
        rng = np.random.default_rng(11)
        sheet = linn.copy()
        sheet[1612:] = 255  # between two lines of text
        for x in range(400, 2200, 90 if rule == "dashed" else 30):
            if rule == "dotted":
                sheet[1650:1656, x:x + 6] = 0
            elif rule == "faded":
                bit = x + int(rng.integers(0, 20))
                sheet[1650:1654, bit:bit + int(rng.integers(4, 10))] = 0
            else:
                sheet[1650:1656, x:x + 30] = 0
                for bit in x + 34 + rng.choice(50, int(rng.integers(0, 3)), replace=False):
                    sheet[1650:1656, bit:bit + 5] = 0
        # Read as the pipeline reads it: the last line of text reads whole.
        quality = _assess(photocopy(sheet, paper=240, ink=30, border=240, noise=3), config,
                          ocr=True)
        assert quality.complete, quality.signals

    def test_a_last_line_close_to_the_bottom_edge_that_reads_well_is_whole(
            self, config: PipelineConfig) -> None:
        """GIVEN a letter at 200 dpi whose last line of words ends 6 px above the bottom edge
        of the copy (a long letter copied a little low) WHEN judged with its OCR THEN it is
        complete: its words read whole; judged without words to read, its letters so near the
        edge make it cut."""
        font = ImageFont.truetype(str(SERIF), round(11 / 72 * 200))
        sheet = Image.new("L", (1700, 2200), 255)
        draw = ImageDraw.Draw(sheet)
        for i in range(8):
            draw.text((170, 1700 + 60 * i), LETTER[i % len(LETTER)], font=font, fill=0)
        page = np.asarray(sheet)
        copy = np.minimum(page[: np.flatnonzero((page < 128).any(axis=1))[-1] + 7], 250)
        image, info, words = clean_and_read(copy, page_no=1, dpi=200, cfg=config.preprocess,
                                            ocr_cfg=config.ocr)
        for ocr, edges in ((words, ()), (NO_OCR, ("bottom",))):
            quality = assess_page(image, ocr, dpi=info.dpi, cfg=config.quality, cleaned=True)
            assert quality.cut_edges == edges, (edges, quality.signals)

    def test_a_signer_s_title_alone_at_the_bottom_edge_is_whole(
            self, config: PipelineConfig) -> None:
        """GIVEN a letter at 200 dpi whose last line, 6 px above the bottom edge of the copy,
        is one word (the signer's title under the name) WHEN judged with its OCR THEN it is
        complete: a long word read surely is whole; cut through its middle, it is cut."""
        font = ImageFont.truetype(str(SERIF), round(11 / 72 * 200))
        sheet = Image.new("L", (1700, 2200), 255)
        draw = ImageDraw.Draw(sheet)
        for i in range(6):
            draw.text((170, 1500 + 60 * i), LETTER[i % len(LETTER)], font=font, fill=0)
        draw.text((170, 1900), "Wilfrid Diallo", font=font, fill=0)
        draw.text((170, 1950), "Coordinator", font=font, fill=0)
        page = np.asarray(sheet)
        inked = np.flatnonzero((page < 128).any(axis=1))
        for stop, edges in ((inked[-1] + 7, ()), (inked[-1] - 10, ("bottom",))):
            image, info, words = clean_and_read(np.minimum(page[:stop], 250), page_no=1,
                                                dpi=200, cfg=config.preprocess,
                                                ocr_cfg=config.ocr)
            quality = assess_page(image, words, dpi=info.dpi, cfg=config.quality, cleaned=True)
            assert quality.cut_edges == edges, (stop, quality.signals)

    def test_half_page_cut_through_a_table(self, config: PipelineConfig) -> None:
        """GIVEN a school report at 200 dpi: a heading, then a ruled table of four columns
        whose copy stops below its first row's words, where its rules run on and stop, blank
        below (no letter is cut, no line of pieces ends there) WHEN judged THEN the bottom is
        cut; the same table closed by its bottom rule, and a card's outline whose sides
        faded into dashes ending the same way, are whole."""
        font = ImageFont.truetype(str(SERIF), round(11 / 72 * 200))

        def report(table: str) -> np.ndarray:
            sheet = Image.new("L", (1700, 2200), 255)
            draw = ImageDraw.Draw(sheet)
            for i in range(3):
                draw.text((170, 200 + 48 * i), LETTER[i], font=font, fill=0)
            columns = (170, 800, 1000, 1200, 1530)
            if table == "card":
                draw.rectangle((170, 400, 1530, 403), fill=0)
                for x in (170, 1527):
                    for y in range(400, 620, 40):
                        draw.rectangle((x, y, x + 3, y + 20), fill=0)
            else:
                for y in (400, 460):
                    draw.rectangle((170, y, 1530, y + 3), fill=0)
                for x in columns:
                    draw.rectangle((x, 400, x + 3, 600), fill=0)
                if table == "closed":
                    draw.rectangle((170, 597, 1530, 600), fill=0)
            for x, word in zip(columns, ("Matière", "Étape 1", "Étape 2", "Moyenne"),
                               strict=False):
                draw.text((x + 12, 415), word, font=font, fill=0)
                draw.text((x + 12, 480), "Français" if x == 170 else "84 %", font=font, fill=0)
            page = np.asarray(sheet)
            return np.minimum(photocopy(page, paper=240, ink=30, border=240, noise=3), 254)

        for table, cut in (("cut", ("bottom",)), ("closed", ()), ("card", ())):
            quality = assess_page(report(table), NO_OCR, dpi=200, cfg=config.quality,
                                  cleaned=True)
            assert quality.cut_edges == cut, (table, quality.signals)

    def test_boxes_left_open_at_a_reduced_copy_s_edge(self, linn: np.ndarray,
                                                     config: PipelineConfig) -> None:
        """GIVEN a sheet with text on its left and four ruled boxes running off its right
        edge (their right sides never reached the glass), copied reduced to 97 % (paper
        beyond the copy's edge) WHEN judged THEN the right side is cut; the same boxes closed
        by their right sides 0.17 in inside the sheet's edge are whole."""
        def boxes(right: int) -> np.ndarray:
            sheet = np.full_like(linn, 255)
            sheet[:1300, :1300] = linn[:1300, :1300]
            for top in range(1500, 2100, 150):
                sheet[top:top + 4, 345:right] = sheet[top + 100:top + 104, 345:right] = 0
                sheet[top:top + 104, 345:349] = sheet[top:top + 104, right - 4:right] = 0
            return sheet

        for sheet, cut in ((boxes(linn.shape[1] + 100), ("right",)), (boxes(2500), ())):
            page = np.minimum(photocopy(sheet, scale=0.97, paper=240, ink=30, border=240,
                                        noise=3), 254)
            quality = assess_page(page, NO_OCR, dpi=300, cfg=config.quality, cleaned=True)
            assert quality.cut_edges == cut, quality.signals

    def test_a_table_left_open_at_the_left_edge_whatever_its_words_read(
            self, config: PipelineConfig) -> None:
        """GIVEN an invoice copied shifted left, the copy's edge through its address lines
        between two words (they read as whole words) and through its table, whose rules run
        to the edge with no border there, reduced to 97 % (paper beyond the edge) WHEN read
        and judged THEN the left side is cut; the same invoice whole, its table closed, is
        whole."""
        font = ImageFont.truetype(str(SERIF), round(11 / 72 * 200))

        def invoice(left: int) -> np.ndarray:
            sheet = Image.new("L", (1700, 2200), 255)
            draw = ImageDraw.Draw(sheet)
            for i, line in enumerate(("Montréal (Québec) H2X 0C9", "Compte client 59551",
                                      "Période du 1er au 30 septembre")):
                draw.text((left + 10, 200 + 48 * i), line, font=font, fill=0)
            for y in range(420, 900, 80):
                draw.rectangle((left, y, 1530, y + 3), fill=0)
            for x in (left, 1200, 1527):
                draw.rectangle((x, 420, x + 3, 823), fill=0)
            for i, y in enumerate(range(440, 820, 80)):
                draw.text((left + 20, y), f"Frais de service mensuels {i + 1}", font=font, fill=0)
                draw.text((1230, y), f"{12 + i},50 $", font=font, fill=0)
            return np.minimum(photocopy(np.asarray(sheet), scale=0.97, paper=240, ink=30,
                                        border=240, noise=3), 254)

        for left, cut in ((-10, ("left",)), (170, ())):
            quality = _assess(invoice(left), config, dpi=200, ocr=True)
            assert quality.cut_edges == cut, (left, quality.signals)

    def test_a_certificate_s_frame_running_off_the_bottom(self, linn: np.ndarray,
                                                          config: PipelineConfig) -> None:
        """GIVEN a certificate in a double frame, a dashed line inside it, copied shifted down
        so that the frame's sides run off the copy's bottom edge, reduced to 97 % (paper
        beyond the edge) WHEN judged THEN the bottom is cut; the same frame closed 0.3 in
        above the sheet's edge is whole."""
        def certificate(bottom: int) -> np.ndarray:
            sheet = np.full_like(linn, 255)
            sheet[700:1900, 400:2100] = linn[400:1600, 400:2100]
            for inset in (0, 14):
                left, right, top = 250 + inset, 2300 - inset, 500 + inset
                sheet[top:top + 5, left:right] = 0
                sheet[top:bottom - inset, left:left + 5] = 0
                sheet[top:bottom - inset, right - 5:right] = 0
                sheet[bottom - inset - 5:bottom - inset, left:right] = 0
            for y in range(540, bottom - 40, 30):  # the dashed line inside
                sheet[y:y + 15, 290:293] = 0
            return sheet

        height = linn.shape[0]
        for bottom, cut in ((height + 8, ("bottom",)), (height - 90, ())):
            page = np.minimum(photocopy(certificate(bottom), scale=0.97, paper=240, ink=30,
                                        border=240, noise=3), 254)
            quality = assess_page(page, NO_OCR, dpi=300, cfg=config.quality, cleaned=True)
            assert quality.cut_edges == cut, (bottom, quality.signals)

    def test_a_slanted_shadow_along_the_sheet_s_edge_is_no_cut(
            self, config: PipelineConfig) -> None:
        """GIVEN a generated birth certificate, cleaned, whose deskewed sheet edge left a
        hairline shadow in dashes along the left edge, each a pixel further from the edge
        WHEN judged THEN it is whole: its dashes end one beyond another, not on one line."""
        page = np.asarray(Image.open(GENERATED / "certificate-edge-shadow.png").convert("L"))
        quality = assess_page(page, NO_OCR, dpi=150, cfg=config.quality, cleaned=True)
        assert quality.cut_edges == (), quality.signals

    def test_copier_border_eating_into_the_text(self, linn: np.ndarray,
                                                config: PipelineConfig) -> None:
        raw = photocopy(linn, paper=235, ink=40, noise=3)
        raw[:, :420] = 25  # a dark band over the start of every line
        quality = _assess(raw, config)
        assert not quality.complete and "left" in quality.cut_edges


class TestWords:
    @pytest.mark.parametrize("token", ["Montréal", "l'être", "œuvre", "PCH-2026-004512"[4:8],
                                       "1988-04-12", "TREMBLAY-CÔTÉ", "(ovoïde),"])
    def test_real_words(self, token: str) -> None:
        assert is_real_word(token)

    @pytest.mark.parametrize("token", ["|", "—", "lll:", "tHe", "xkcdqz", "Wr1te", "ll", "'"])
    def test_noise_tokens(self, token: str) -> None:
        assert not is_real_word(token)

    def test_count(self) -> None:
        assert real_word_count("Nom : TREMBLAY | Date 1988-04-12 ~~ ;;") == 4


class TestJudgedAgain:
    """Stored measurements judged again under another configuration, without the image."""

    def test_same_configuration_same_verdict(self, linn: np.ndarray,
                                             config: PipelineConfig) -> None:
        shifted = np.full_like(linn, 255)
        shifted[:, 380:] = linn[:, :-380]
        for raw in (linn, photocopy(shifted, paper=240, ink=30, border=240, noise=3)):
            q = _assess(raw, config)
            again = rejudge(q, NO_OCR, cfg=config.quality)
            assert (again.legibility, again.legible, again.complete, again.cut_edges) == (
                q.legibility, q.legible, q.complete, q.cut_edges)

    def test_thresholds_from_the_configuration_apply(self, linn: np.ndarray,
                                                     config: PipelineConfig) -> None:
        q = _assess(linn, config)
        strict = config.quality.model_copy(update={"legible_min_score": q.legibility + 0.01})
        assert q.legible and not rejudge(q, NO_OCR, cfg=strict).legible
