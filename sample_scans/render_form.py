"""Fill the real blank form the way applicants do: hand-printed capitals in the comb boxes.

The blank pages are the ministry's PDF (``schemas/data/form/form-pch-dsp.pdf``) rasterised once
per dpi; the ministry's pre-printed header (file number, name, QR code) and the applicant's ink
are drawn on a copy. Field geometry comes from the form's field map, in PDF points.
"""

from __future__ import annotations

import functools
import logging
import random
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import segno
from PIL import Image, ImageDraw

from sample_scans.handwriting import HandStyle, draw_char_in_box, load_font, pick_hand_style
from sample_scans.pen import draw_signature, draw_tick
from schemas.codes import FieldKind
from schemas.form import FORM_PDF, FieldSpec, FormLayout, load_form_layout

log = logging.getLogger(__name__)

_FONTS = Path("/usr/share/fonts/truetype")
TYPEWRITER_FONTS = (
    _FONTS / "liberation/LiberationMono-Regular.ttf",
    _FONTS / "freefont/FreeMono.ttf",
)
TYPED_FONTS = (
    _FONTS / "liberation/LiberationMono-Regular.ttf",
    _FONTS / "dejavu/DejaVuSansMono.ttf",
)
PAGES = 3

Box = tuple[float, float, float, float]


@functools.cache
def form_layout() -> FormLayout:
    """The form's field map, read once."""
    return load_form_layout()


@functools.cache
def blank_pages(dpi: int) -> tuple[np.ndarray, ...]:
    """The blank form's pages in gray at ``dpi``, rendered once by poppler (read-only arrays)."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "blank"
        subprocess.run(
            ["pdftoppm", "-gray", "-r", str(dpi), str(FORM_PDF), str(prefix)],
            check=True,
            capture_output=True,
        )
        pages = []
        for path in sorted(Path(tmp).glob("blank-*.pgm")):
            with Image.open(path) as im:
                arr = np.array(im.convert("L"))
            arr.flags.writeable = False
            pages.append(arr)
    return tuple(pages)


def _px(box: Sequence[float], dpi: int) -> Box:
    k = dpi / 72
    return (box[0] * k, box[1] * k, box[2] * k, box[3] * k)


def render_form_pages(
    values: dict[str, str],
    *,
    dossier_number: str,
    preprinted_name: str,
    rng: random.Random,
    typed: bool = False,
    dpi: int = 300,
    page_dossier_numbers: Sequence[str] | None = None,
    qr_dossier_numbers: Sequence[str] | None = None,
    style: HandStyle | None = None,
) -> list[Image.Image]:
    """Render the three pages of a filled form, upright, in gray, at ``dpi``.

    Args:
        values: Field name -> value, with ``truth.json`` ``form`` conventions (capitals as
            written, dates ``YYYY-MM-DD``, ticked option values joined by ``,``, signature
            ``"true"``/``"false"``). Absent fields stay empty.
        dossier_number: The file number pre-printed on every page and encoded in every QR.
        preprinted_name: ``FAMILY NAME, Given names`` as pre-printed by the ministry.
        rng: All randomness (writer, jitter, tick style) comes from here.
        typed: Fill in a typewriter-like monospace font instead of by hand.
        dpi: Resolution of the returned pages.
        page_dossier_numbers: Per page, the printed file number (defaults to ``dossier_number``).
        qr_dossier_numbers: Per page, the file number in the QR (defaults to the printed one).
        style: The writer; drawn from ``rng`` when not given.

    Raises:
        ValueError: A value does not fit its field (too long, unknown option, bad date).
    """
    printed = list(page_dossier_numbers or [dossier_number] * PAGES)
    in_qr = list(qr_dossier_numbers or printed)
    style = style or pick_hand_style(rng, dpi=dpi)
    typewriter = rng.choice(TYPEWRITER_FONTS)
    typed_font = rng.choice(TYPED_FONTS)
    blanks = blank_pages(dpi)
    pages = []
    for page_no in range(1, PAGES + 1):
        img = Image.fromarray(blanks[page_no - 1].copy())
        _print_header(
            img,
            page_no=page_no,
            number=printed[page_no - 1],
            name=preprinted_name,
            font=typewriter,
            dpi=dpi,
        )
        _print_qr(img, f"PCH|{in_qr[page_no - 1]}|{page_no}/{PAGES}", dpi=dpi)
        arr = np.array(img)
        for field in form_layout().on_page(page_no):
            value = values.get(field.name)
            if value is None or str(value) == "":
                continue
            _fill(
                arr,
                field,
                str(value),
                values=values,
                style=style,
                typed_font=typed_font if typed else None,
                rng=rng,
            )
        pages.append(Image.fromarray(arr))
    log.debug("rendered form pages=%d typed=%s dpi=%d", PAGES, typed, dpi)
    return pages


def _print_header(
    img: Image.Image, *, page_no: int, number: str, name: str, font: Path, dpi: int
) -> None:
    """The ministry's typewriter header: file number and the applicant's name."""
    layout = form_layout()
    draw = ImageDraw.Draw(img)
    k = dpi / 72
    for field_name, text in (("dossier_number", number), ("preprinted_name", name)):
        x0, y0, x1, y1 = _px(layout.field(field_name, page_no).bbox, dpi)
        size = 10.5
        while size > 5.5 and load_font(font, round(size * k)).getlength(text) > (x1 - x0) - 2 * k:
            size -= 0.5
        face = load_font(font, round(size * k))
        while text and face.getlength(text) > (x1 - x0) - 2 * k:
            text = text[:-1]  # a name too long even in small print is cut, as a mail merge would
        draw.text((x0 + k, (y0 + y1) / 2), text, font=face, fill=25, anchor="lm")


def _print_qr(img: Image.Image, payload: str, *, dpi: int) -> None:
    """A QR code filling the ``qr_code`` box, its 4-module quiet zone inside the box."""
    x0, y0, x1, y1 = _px(form_layout().field("qr_code", 1).bbox, dpi)
    matrix = np.array(segno.make_qr(payload, error="m").matrix, dtype=np.uint8)
    n = matrix.shape[0] + 8
    scale = int(min(x1 - x0, y1 - y0) // n)
    if scale < 1:
        raise ValueError(f"dpi {dpi} too low for a readable QR code")
    modules = np.where(np.kron(matrix, np.ones((scale, scale), dtype=np.uint8)) > 0, 0, 255).astype(
        np.uint8
    )
    side = n * scale
    left, top = int(x0 + (x1 - x0 - side) / 2), int(y0 + (y1 - y0 - side) / 2)
    tile = np.full((side, side), 255, np.uint8)
    tile[4 * scale : side - 4 * scale, 4 * scale : side - 4 * scale] = modules
    img.paste(Image.fromarray(tile), (left, top))


def _fill(
    arr: np.ndarray,
    field: FieldSpec,
    value: str,
    *,
    values: dict[str, str],
    style: HandStyle,
    typed_font: Path | None,
    rng: random.Random,
) -> None:
    """Write one field's value the way the applicant would."""
    dpi = style.dpi
    if field.kind in (FieldKind.COMB, FieldKind.DATE):
        for ch, box in _comb_cells(field, value, dpi):
            if ch == " ":
                continue
            if typed_font is not None:
                _type_char(arr, ch, box, typed_font, rng)
            else:
                draw_char_in_box(arr, ch, box, style=style, rng=rng)
    elif field.kind is FieldKind.CHECKBOX:
        for option in (v.strip() for v in value.split(",")):
            if option not in field.options:
                raise ValueError(f"{field.name}: no option {option!r}")
            box = _px(field.options[option], dpi)
            if typed_font is not None:
                _type_char(arr, "X", box, typed_font, rng, scale=0.95)
            else:
                draw_tick(arr, box, style=style, rng=rng)
    elif field.kind is FieldKind.SIGNATURE and value.lower() == "true":
        draw_signature(
            arr, _px(field.bbox, dpi), name=_signer(values), rng=rng, ink=style.ink, dpi=dpi
        )


def _comb_cells(field: FieldSpec, value: str, dpi: int) -> list[tuple[str, Box]]:
    """Pair each character with its box; a date's three parts go to its three combs."""
    if field.kind is FieldKind.DATE:
        parts = value.split("-")
        if len(parts) != 3 or [len(p) for p in parts] != [g.boxes for g in field.combs]:
            raise ValueError(f"{field.name}: not a YYYY-MM-DD date")
    else:
        parts = [value]
    cells: list[tuple[str, Box]] = []
    for part, group in zip(parts, field.combs, strict=True):
        if len(part) > group.boxes:
            raise ValueError(f"{field.name}: {len(part)} characters for {group.boxes} boxes")
        cells += [(ch, _px(box, dpi)) for ch, box in zip(part, group.box_rects(), strict=False)]
    return cells


def _type_char(
    arr: np.ndarray, ch: str, box: Box, font_path: Path, rng: random.Random, *, scale: float = 0.62
) -> None:
    """A typed character, centred in its box (typed forms are printed before signing)."""
    x0, y0, x1, y1 = box
    face = load_font(font_path, round((y1 - y0) * scale))
    img = Image.fromarray(arr[int(y0) : int(y1) + 1, int(x0) : int(x1) + 1])
    ImageDraw.Draw(img).text(
        ((x1 - x0) / 2, (y1 - y0) / 2), ch, font=face, fill=rng.randint(10, 40), anchor="mm"
    )
    arr[int(y0) : int(y1) + 1, int(x0) : int(x1) + 1] = np.minimum(
        arr[int(y0) : int(y1) + 1, int(x0) : int(x1) + 1], np.asarray(img)
    )


def _signer(values: dict[str, str]) -> str:
    """The name the applicant signs with, in mixed case."""
    given = values.get("given_names", "").split(" ")[0].split("-")[0].title()
    family = values.get("family_name", "").title()
    return (
        f"{given[:1]}. {family}"
        if given and len(given) + len(family) > 16
        else f"{given} {family}".strip()
    )
