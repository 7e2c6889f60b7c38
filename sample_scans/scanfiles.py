"""Write an envelope's pages the way mailroom scanners do, and spoil files that must not open.

Scanners differ: one multi-page PDF of JPEG images, a multi-page TIFF (Group 4 in
black-and-white mode), one JPEG or PNG per page, or several files for one envelope, sometimes
in a sub-folder. Packet page order is files sorted by path, then pages within a file, so
every layout names its files to sort in page order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from sample_scans.degrade import to_bilevel

LAYOUTS = ("pdf", "tiff", "jpeg", "png", "multi", "folder")
_LAYOUT_WEIGHTS = (40, 15, 15, 8, 14, 8)
UNREADABLE_KINDS = ("truncated", "encrypted", "not_a_scan")


@dataclass(frozen=True)
class ScannerSetup:
    """How the mailroom scanner was set for one envelope."""

    layout: str
    bilevel: bool
    dpi: int
    scanned_at: dt.datetime = dt.datetime(2026, 11, 2, 9, 0)

    @property
    def pdf_dates(self) -> dict[str, object]:
        """Fixed PDF creation dates (Pillow stamps the current time otherwise)."""
        t = self.scanned_at.timetuple()
        return {"creationDate": t, "modDate": t}


def choose_setup(rng: random.Random, *, day: dt.date, max_dpi: int = 300) -> ScannerSetup:
    """Layout, colour mode and resolution of one envelope's scan.

    Black-and-white (Group 4) pages weigh a fifth of gray JPEG ones, so gray scans stay at
    200–240 dpi while black-and-white ones go up to 300: twelve packets fit in a few MB.
    """
    layout = rng.choices(LAYOUTS, weights=_LAYOUT_WEIGHTS)[0]
    bilevel = {"png": True, "jpeg": False}.get(layout, rng.random() < 0.6)
    dpi = rng.choice((200, 240, 300) if bilevel else (200, 200, 200, 240))
    at = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=rng.randint(0, 540))
    return ScannerSetup(layout=layout, bilevel=bilevel, dpi=min(dpi, max_dpi), scanned_at=at)


def write_envelope(
    pages: list[Image.Image], out: Path, *, rng: random.Random, setup: ScannerSetup,
) -> list[str]:
    """Write ``pages`` (mode ``L``) under ``out``; return file paths relative to it, in order."""
    layout = setup.layout
    stem = f"scan-{rng.randint(100000, 999999)}"
    if layout in ("pdf", "tiff"):
        return [_save_file(pages, out / f"{stem}.{_ext(layout)}", root=out, setup=setup,
                           rng=rng)]
    if layout in ("jpeg", "png"):
        return _save_images(pages, out, dpi=setup.dpi, png=layout == "png", rng=rng)
    base = out / "enveloppe" if layout == "folder" else out
    cuts = sorted(rng.sample(range(1, len(pages)), k=min(len(pages) - 1, rng.randint(1, 2))))
    names = []
    for k, (a, b) in enumerate(zip([0, *cuts], [*cuts, len(pages)], strict=True), start=1):
        kind = rng.choice(("pdf", "pdf", "tiff"))
        path = base / f"{stem}-{k:02d}.{_ext(kind)}"
        names.append(_save_file(pages[a:b], path, root=out, setup=setup, rng=rng))
    return names


def _ext(kind: str) -> str:
    return {"pdf": "pdf", "tiff": "tif"}[kind]


def _save_file(
    pages: list[Image.Image], path: Path, *, root: Path, setup: ScannerSetup,
    rng: random.Random,
) -> str:
    """One multi-page PDF or TIFF; returns its path relative to ``root`` (the packet)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    bilevel, dpi = setup.bilevel, setup.dpi
    imgs = [to_bilevel(p) if bilevel else p.convert("L") for p in pages]
    if path.suffix == ".pdf":
        # Pillow writes gray pages as DCT (JPEG) streams and 1-bit pages as CCITT G4, whose
        # encoder refuses a quality setting.
        extra = {} if bilevel else {"quality": rng.randint(55, 68), "optimize": True}
        imgs[0].save(path, "PDF", save_all=True, append_images=imgs[1:], resolution=float(dpi),
                     **extra, **setup.pdf_dates)
    elif bilevel:
        imgs[0].save(path, "TIFF", save_all=True, append_images=imgs[1:], compression="group4",
                     dpi=(dpi, dpi))
    else:
        imgs[0].save(path, "TIFF", save_all=True, append_images=imgs[1:], compression="jpeg",
                     quality=rng.randint(55, 68), dpi=(dpi, dpi))
    return path.relative_to(root).as_posix()


def _save_images(
    pages: list[Image.Image], out: Path, *, dpi: int, png: bool, rng: random.Random,
) -> list[str]:
    """One file per page: gray JPEG, or 1-bit PNG (gray PNG of a scan would be far too big)."""
    out.mkdir(parents=True, exist_ok=True)
    quality = rng.randint(55, 68)
    names = []
    for i, page in enumerate(pages, start=1):
        name = f"page-{i:03d}.{'png' if png else 'jpg'}"
        if png:
            to_bilevel(page).save(out / name, "PNG", dpi=(dpi, dpi), optimize=True)
        else:
            page.convert("L").save(out / name, "JPEG", quality=quality, optimize=True,
                                   dpi=(dpi, dpi))
        names.append(name)
    return names


def write_unreadable(
    pages: list[Image.Image], out: Path, *, rng: random.Random, setup: ScannerSetup,
    kind: str | None = None,
) -> str:
    """A file that cannot be opened as a scan; returns its name.

    "truncated": a real scan PDF cut short in transfer (no trailer, no cross-reference);
    "encrypted": a real scan PDF locked with a password nobody gave us;
    "not_a_scan": a file with a scan's name holding something else (a saved web page).
    """
    kind = kind or rng.choice(UNREADABLE_KINDS)
    out.mkdir(parents=True, exist_ok=True)
    name = "scan.pdf"
    if kind == "not_a_scan":
        (out / name).write_text(
            "<!DOCTYPE html><html><head><title>Session expirée</title></head><body>"
            "<p>Votre session a expiré. Veuillez vous reconnecter.</p></body></html>\n",
            encoding="utf-8")
        return name
    buf = io.BytesIO()
    imgs = [to_bilevel(p) for p in pages]
    imgs[0].save(buf, "PDF", save_all=True, append_images=imgs[1:],
                 resolution=float(setup.dpi), **setup.pdf_dates)
    data = buf.getvalue()
    if kind == "truncated":
        (out / name).write_bytes(data[: round(len(data) * rng.uniform(0.3, 0.8))])
    elif kind == "encrypted":
        (out / name).write_bytes(_encrypt(data, password=f"{rng.randint(0, 10**8):08d}"))
    else:
        raise ValueError(f"unknown unreadable kind {kind!r}")
    return name


def _encrypt(pdf: bytes, *, password: str) -> bytes:
    """The PDF locked with a user password (RC4 needs no extra crypto package)."""
    import pypdf  # only the generator needs it; the pipeline's boundary is extractors/
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    # pypdf draws the file identifier (which keys RC4) at random; a corpus must be the same
    # bytes for the same seed, so the identifier is the digest of the content instead.
    ident = ByteStringObject(hashlib.md5(pdf, usedforsecurity=False).digest())
    writer._ID = ArrayObject((ident, ident))
    writer.generate_file_identifiers = lambda: None  # type: ignore[method-assign]
    writer.encrypt(user_password=password, owner_password=password + "!",
                   algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
