"""A printed sheet drawn in PDF points: text, rules, boxes, tables, stamps, photos.

Documents are laid out in points (1/72 in, origin top-left) like the form's field map, and
rasterised straight away at the requested dpi, so one layout serves every resolution.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sample_scans.handwriting import (
    draw_hand_text,
    ink_layer,
    load_font,
    multiply_into,
    pick_hand_style,
)
from sample_scans.pen import draw_signature

_TT = Path("/usr/share/fonts/truetype")
#: family -> (regular, bold, italic) font files.
FAMILIES: dict[str, tuple[Path, Path, Path]] = {
    "sans": tuple(
        _TT / f"liberation/LiberationSans-{s}.ttf" for s in ("Regular", "Bold", "Italic")
    ),
    "serif": tuple(
        _TT / f"liberation/LiberationSerif-{s}.ttf" for s in ("Regular", "Bold", "Italic")
    ),
    "mono": tuple(
        _TT / f"liberation/LiberationMono-{s}.ttf" for s in ("Regular", "Bold", "Italic")
    ),
    "narrow": tuple(
        _TT / f"liberation/LiberationSansNarrow-{s}.ttf" for s in ("Regular", "Bold", "Italic")
    ),
    "dejavu": (
        _TT / "dejavu/DejaVuSans.ttf",
        _TT / "dejavu/DejaVuSans-Bold.ttf",
        _TT / "dejavu/DejaVuSans-Oblique.ttf",
    ),
    "dserif": (
        _TT / "dejavu/DejaVuSerif.ttf",
        _TT / "dejavu/DejaVuSerif-Bold.ttf",
        _TT / "dejavu/DejaVuSerif-Italic.ttf",
    ),
    "freeserif": tuple(_TT / f"freefont/FreeSerif{s}.ttf" for s in ("", "Bold", "Italic")),
    "freesans": tuple(_TT / f"freefont/FreeSans{s}.ttf" for s in ("", "Bold", "Oblique")),
    "typewriter": tuple(_TT / f"freefont/FreeMono{s}.ttf" for s in ("", "Bold", "Oblique")),
}
OCRB = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
BODY_FAMILIES = ("sans", "serif", "dejavu", "dserif", "freeserif", "freesans", "narrow")
LETTER_PT = (612.0, 792.0)

Point = tuple[float, float]
Box = tuple[float, float, float, float]


class Sheet:
    """A white page in gray, with drawing helpers in points.

    Args:
        dpi: Raster resolution.
        rng: Randomness for stamps, signatures and the like.
        size_pt: Page size in points (US Letter by default).
        family: Default font family (a key of ``FAMILIES``).
    """

    def __init__(
        self,
        *,
        dpi: int,
        rng: random.Random,
        size_pt: Point = LETTER_PT,
        family: str = "sans",
    ) -> None:
        self.dpi, self.rng, self.family = dpi, rng, family
        self.k = dpi / 72
        self.size_pt = size_pt
        self.img = Image.new("L", (round(size_pt[0] * self.k), round(size_pt[1] * self.k)), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.hand = pick_hand_style(rng, dpi=dpi)
        #: how labelled lines lead to their value on this sheet (see ``docs_common.leader``)
        self.leader = rng.choice(("spaced", "spaced", "rule", "colon", "dots"))

    # -- text -------------------------------------------------------------------------------
    def font(
        self, size: float, *, family: str | None = None, bold: bool = False, italic: bool = False
    ) -> ImageFont.FreeTypeFont:
        """A font at ``size`` points."""
        path = OCRB if family == "ocrb" else FAMILIES[family or self.family][bold + 2 * italic]
        return load_font(path, round(size * self.k))

    def width(self, text: str, size: float, **style: object) -> float:
        """Width of ``text`` in points."""
        return self.font(size, **style).getlength(text) / self.k  # type: ignore[arg-type]

    def text(
        self,
        xy: Point,
        text: str,
        *,
        size: float = 10,
        fill: int = 0,
        anchor: str = "la",
        **style: object,
    ) -> float:
        """Draw one line; returns its width in points. ``anchor`` as in PIL (``la``, ``ma``…)."""
        face = self.font(size, **style)  # type: ignore[arg-type]
        self.draw.text((xy[0] * self.k, xy[1] * self.k), text, font=face, fill=fill, anchor=anchor)
        return face.getlength(text) / self.k

    def fit_text(self, xy: Point, text: str, *, width: float, size: float, **style: object) -> None:
        """Draw one line, shrunk until it fits ``width``."""
        while size > 5 and self.width(text, size, **style) > width:
            size -= 0.5
        self.text(xy, text, size=size, **style)

    def wrap(self, text: str, *, width: float, size: float, **style: object) -> list[str]:
        """Break ``text`` into lines no wider than ``width`` points."""
        lines: list[str] = []
        for para in text.split("\n"):
            line = ""
            for word in para.split():
                trial = f"{line} {word}".strip()
                if line and self.width(trial, size, **style) > width:
                    lines.append(line)
                    line = word
                else:
                    line = trial
            lines.append(line)
        return lines

    def para(
        self,
        xy: Point,
        text: str,
        *,
        width: float,
        size: float = 10,
        leading: float = 1.35,
        **style: object,
    ) -> float:
        """A wrapped paragraph from its top-left; returns the y below its last line."""
        x, y = xy
        for line in self.wrap(text, width=width, size=size, **style):
            self.text((x, y), line, size=size, **style)
            y += size * leading
        return y

    # -- rules and boxes --------------------------------------------------------------------
    def line(self, a: Point, b: Point, *, w: float = 0.6, fill: int = 0) -> None:
        k = self.k
        self.draw.line(
            [(a[0] * k, a[1] * k), (b[0] * k, b[1] * k)], fill=fill, width=max(1, round(w * k))
        )

    def rect(
        self, box: Box, *, w: float = 0.6, outline: int | None = 0, fill: int | None = None
    ) -> None:
        k = self.k
        px = [box[0] * k, box[1] * k, box[2] * k, box[3] * k]
        width = max(1, round(w * k)) if outline is not None else 0
        self.draw.rectangle(px, outline=outline, fill=fill, width=width)

    def table(
        self,
        xy: Point,
        widths: Sequence[float],
        rows: Sequence[Sequence[str]],
        *,
        size: float = 9,
        header: bool = True,
        row_h: float | None = None,
        grid: bool = True,
        align: Sequence[str] | None = None,
    ) -> float:
        """A table of text cells; the first row is shaded and bold if ``header``."""
        x0, y = xy
        row_h = row_h or size * 1.9
        total = sum(widths)
        for r, row in enumerate(rows):
            head = header and r == 0
            if head:
                self.rect((x0, y, x0 + total, y + row_h), outline=None, fill=225)
            x = x0
            for c, (cell, w) in enumerate(zip(row, widths, strict=False)):
                right = align is not None and align[c] == "r" and not head
                tx = x + w - 4 if right else x + 4
                self.text(
                    (tx, y + row_h / 2), cell, size=size, bold=head, anchor="rm" if right else "lm"
                )
                if grid:
                    self.rect((x, y, x + w, y + row_h), w=0.5)
                x += w
            if not grid:
                self.line((x0, y + row_h), (x0 + total, y + row_h), w=0.3, fill=120)
            y += row_h
        return y

    # -- marks made by hand or by rubber stamp ----------------------------------------------
    def _region(self, box_px: Box) -> tuple[np.ndarray, int, int]:
        """A writable copy of part of the page (clipped), and its top-left corner."""
        x0, y0 = max(0, int(box_px[0])), max(0, int(box_px[1]))
        x1, y1 = min(self.img.width, int(box_px[2]) + 1), min(self.img.height, int(box_px[3]) + 1)
        return np.array(self.img.crop((x0, y0, x1, y1))), x0, y0

    def _put(self, region: np.ndarray, x0: int, y0: int) -> None:
        self.img.paste(Image.fromarray(region), (x0, y0))

    def sign(self, box: Box, name: str) -> None:
        """A handwritten signature in ``box`` (points)."""
        px = tuple(v * self.k for v in box)
        region, x0, y0 = self._region(px)  # type: ignore[arg-type]
        local = (px[0] - x0, px[1] - y0, px[2] - x0, px[3] - y0)
        draw_signature(region, local, name=name, rng=self.rng, dpi=self.dpi)
        self._put(region, x0, y0)

    def handwrite(self, xy: Point, text: str, *, size: float = 11) -> None:
        """A line of hand-printing with its baseline at ``xy`` (points)."""
        cap = size * 0.7 * self.k
        x, base = xy[0] * self.k, xy[1] * self.k
        region, x0, y0 = self._region((x - 2 * cap, base - 3 * cap, self.img.width, base + 2 * cap))
        draw_hand_text(region, text, (x - x0, base - y0), cap_px=cap, style=self.hand, rng=self.rng)
        self._put(region, x0, y0)

    def stamp(
        self,
        centre: Point,
        *,
        ring: str,
        middle: Sequence[str] = (),
        radius: float = 42,
        ink: int | None = None,
    ) -> None:
        """A round rubber stamp: text around the ring, a few words in the middle, unevenly inked."""
        k = self.k
        side = int(radius * 2.3 * k)
        mask = Image.new("L", (side, side), 0)
        d = ImageDraw.Draw(mask)
        c, r = side / 2, radius * k
        for rr, w in ((r, 2.2), (r * 0.72, 1.2)):
            d.ellipse([c - rr, c - rr, c + rr, c + rr], outline=255, width=max(1, round(w * k)))
        face = load_font(FAMILIES["sans"][1], round(radius * 0.2 * k))
        text = f" {ring.upper()} • "
        step = 2 * math.pi / max(len(text), 1)
        for i, ch in enumerate(text):
            a = -math.pi / 2 + (i - len(text) / 2) * step
            glyph = Image.new("L", (face.size * 2, face.size * 2), 0)
            ImageDraw.Draw(glyph).text((face.size, face.size), ch, font=face, fill=255, anchor="mm")
            glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
            gx, gy = c + r * 0.86 * math.cos(a), c + r * 0.86 * math.sin(a)
            mask.paste(255, (int(gx - face.size), int(gy - face.size)), glyph)
        small = load_font(FAMILIES["sans"][1], round(radius * 0.17 * k))
        for i, line in enumerate(middle):
            d.text(
                (c, c + (i - (len(middle) - 1) / 2) * radius * 0.22 * k),
                line,
                font=small,
                fill=255,
                anchor="mm",
            )
        self._press(mask, centre, ink)

    def box_stamp(
        self, centre: Point, lines: Sequence[str], *, size: float = 11, ink: int | None = None
    ) -> None:
        """A rectangular rubber stamp (``REÇU``, ``COPIE CONFORME``) with a double frame."""
        k = self.k
        face = load_font(FAMILIES["sans"][1], round(size * k))
        w = max(face.getlength(line) for line in lines) + 16 * k
        h = len(lines) * size * 1.4 * k + 12 * k
        mask = Image.new("L", (int(w * 1.5), int(w * 1.5)), 0)
        d = ImageDraw.Draw(mask)
        x0, y0 = (mask.width - w) / 2, (mask.height - h) / 2
        d.rectangle([x0, y0, x0 + w, y0 + h], outline=255, width=max(1, round(1.8 * k)))
        d.rectangle(
            [x0 + 3 * k, y0 + 3 * k, x0 + w - 3 * k, y0 + h - 3 * k],
            outline=255,
            width=max(1, round(0.8 * k)),
        )
        for i, line in enumerate(lines):
            d.text(
                (mask.width / 2, y0 + 6 * k + (i + 0.5) * size * 1.4 * k),
                line,
                font=face,
                fill=255,
                anchor="mm",
            )
        self._press(mask, centre, ink)

    def _press(self, mask: Image.Image, centre: Point, ink: int | None) -> None:
        """Rotate a stamp a little, ink it unevenly and press it on the page."""
        rng = self.rng
        mask = mask.rotate(rng.uniform(-18, 18), resample=Image.Resampling.BICUBIC)
        tile = Image.fromarray(
            np.array([[rng.randint(90, 255) for _ in range(4)] for _ in range(4)], np.uint8)
        )
        gain = np.asarray(tile.resize(mask.size, Image.Resampling.BICUBIC)).astype(np.uint16)
        cover = (np.asarray(mask).astype(np.uint16) * gain // 255).astype(np.uint8)
        x, y = int(centre[0] * self.k - mask.width / 2), int(centre[1] * self.k - mask.height / 2)
        region, x0, y0 = self._region((x, y, x + mask.width, y + mask.height))
        layer = ink_layer(cover, ink if ink is not None else rng.randint(70, 140))
        multiply_into(region, layer, x - x0, y - y0)
        self._put(region, x0, y0)

    # -- pictures ---------------------------------------------------------------------------
    def photo(self, box: Box, *, sex: str = "X") -> None:
        """An ID photo as a photocopy shows it: dark gray ground, lighter head and shoulders."""
        k = self.k
        w, h = round((box[2] - box[0]) * k), round((box[3] - box[1]) * k)
        tone = self.rng.randint(95, 150)
        pic = Image.new("L", (w, h), tone)
        d = ImageDraw.Draw(pic)
        face = min(255, tone + 70)
        if sex == "F":  # long hair framing the face
            d.ellipse([w * 0.22, h * 0.08, w * 0.78, h * 0.78], fill=max(0, tone - 55))
        d.ellipse([w * 0.3, h * 0.14, w * 0.7, h * 0.62], fill=face)
        d.chord([w * 0.08, h * 0.66, w * 0.92, h * 1.45], 180, 360, fill=face - 25)
        d.rectangle([0, 0, w - 1, h - 1], outline=0, width=max(1, round(0.6 * k)))
        self.img.paste(pic, (round(box[0] * k), round(box[1] * k)))

    def guilloche(self, box: Box, *, tone: int = 215) -> None:
        """Fine security line pattern behind an ID's data, as it survives a photocopy."""
        k, rng = self.k, self.rng
        x0, y0, x1, y1 = (v * k for v in box)
        waves, amp = rng.randint(3, 7), (y1 - y0) / rng.uniform(8, 14)
        for i in range(int((y1 - y0) / (6 * k))):
            base, phase = y0 + i * 6 * k, i * 0.35
            pts = [
                (x, base + amp * math.sin(waves * 2 * math.pi * (x - x0) / (x1 - x0) + phase))
                for x in np.linspace(x0, x1, 120)
            ]
            self.draw.line([(x, min(max(y, y0), y1)) for x, y in pts], fill=tone, width=1)

    def paste(self, other: Sheet | Image.Image, xy: Point) -> None:
        """Place another sheet (a card, a passport page) at ``xy`` points."""
        img = other.img if isinstance(other, Sheet) else other
        self.img.paste(img, (round(xy[0] * self.k), round(xy[1] * self.k)))

    def finish(self) -> Image.Image:
        """The page, mode ``L``."""
        return self.img
