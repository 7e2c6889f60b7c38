"""Page images from scan files: PDF pages through poppler (a scanner's page, one picture and
nothing else, from its picture directly), TIFF/JPEG/PNG pages through Pillow.

The only module that imports pdf2image and pypdf. It also inspects files for preflight, so that
every decoding library's errors are translated to ``extractors.errors`` in one place.
Nothing here decodes a page image before its size has been checked against the limits.
"""

from __future__ import annotations

import logging
import math
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from pdf2image import convert_from_path
from pdf2image.exceptions import (
    PDFPageCountError,
    PDFPopplerTimeoutError,
    PDFSyntaxError,
    PopplerNotInstalledError,
)
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PageObject, PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ContentStream

from extractors.errors import (
    EncryptedPdfError,
    OcrEngineMissingError,
    TooLargeError,
    UnreadableScanError,
)
from extractors.ocr import real_word_count
from schemas.codes import FileKind
from schemas.config import LimitsConfig, RasterConfig
from schemas.scan import ScanFile

log = logging.getLogger(__name__)

#: Resolution assumed for an image whose metadata gives none, or an implausible one.
DEFAULT_IMAGE_DPI = 300
#: Metadata resolutions outside this range are scanner or writer defaults, not measurements.
_PLAUSIBLE_DPI = (60, 2400)
#: A mailed page is at most legal/A3 size; a longer side than this means the dpi tag is wrong.
_MAX_PAGE_INCHES = 18.0
#: A page whose long side is shorter than this cannot be a scanned document at its stated size.
_TINY_PAGE_INCHES = 3.0
#: Below this a page is too big to render legibly within the pixel limit.
MIN_RENDER_DPI = 72
#: Real words on a page before its text layer is trusted instead of OCR.
_MIN_TEXT_LAYER_WORDS = 3
#: Malformed PDFs make pypdf raise more than its own errors; all mean "cannot be parsed".
_PDF_PARSE_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
                     RecursionError, OSError, zlib.error)
#: Filters of a page's picture decoded here (``scanned_picture``); others go to poppler.
_PICTURE_FILTERS = ("/DCTDecode", "/CCITTFaxDecode", "/FlateDecode")
_INVISIBLE_TEXT = re.compile(rb"(?<![\d.])3\s+Tr\b")


@dataclass(frozen=True)
class RasterPage:
    """One rendered page. Not a model: it holds the image and never leaves the page task.

    Attributes:
        image: 8-bit grayscale, upright as the file displays it (/Rotate and EXIF honoured).
        dpi: pixels per inch of ``image``, the scale every later geometry uses.
        text_layer: the page's born-digital text, when it has real words; else ``None``.
        source_dpi: resolution of the scanned picture inside a PDF page, when one is found.
    """

    image: np.ndarray
    dpi: int
    text_layer: str | None = None
    source_dpi: int | None = None


@dataclass(frozen=True)
class PdfInfo:
    """What preflight needs to know about a PDF, read without decoding any image."""

    page_count: int
    has_text_layer: bool
    has_javascript: bool
    max_image_megapixels: float
    max_page_square_inches: float


@dataclass(frozen=True)
class ImageInfo:
    """What preflight needs to know about a TIFF, JPEG or PNG, read from its headers."""

    page_count: int
    max_megapixels: float


def guard_pillow(limits: LimitsConfig) -> None:
    """Make Pillow refuse images over the page limit (it raises at twice this value)."""
    Image.MAX_IMAGE_PIXELS = int(limits.max_page_megapixels * 1_000_000)


# --- PDF inspection ---------------------------------------------------------------------------


@contextmanager
def _open_pdf(path: Path) -> Iterator[PdfReader]:
    """Open a PDF, decrypting it only when the empty user password works.

    pypdf given a path reads the whole file into memory; given an open file it seeks. Every
    page of a 200-page scan opens its file once, two at a time: the file stays on disk.
    """
    try:
        fh = path.open("rb")
    except OSError as e:  # gone, moved or unreadable since it was listed: not a crash
        raise UnreadableScanError(f"PDF cannot be opened ({type(e).__name__})") from e
    with fh:
        try:
            reader = PdfReader(fh)
            if reader.is_encrypted and not reader.decrypt(""):
                raise EncryptedPdfError("PDF is encrypted and needs a password")
            _ = len(reader.pages)
        except EncryptedPdfError:
            raise
        except _PDF_PARSE_ERRORS as e:
            raise UnreadableScanError(f"PDF cannot be parsed ({type(e).__name__})") from e
        yield reader


def _page_inches(page: PageObject) -> tuple[float, float]:
    """Page width and height in inches as poppler renders it (MediaBox, /Rotate applied)."""
    box = page.mediabox
    w, h = abs(float(box.width)) / 72.0, abs(float(box.height)) / 72.0
    return (h, w) if page.rotation % 180 else (w, h)


def _page_images(page: PageObject, depth: int = 0) -> Iterator[tuple[int, int]]:
    """Native (width, height) of every image XObject a page draws, form XObjects included."""
    resources = page.get("/Resources") if depth == 0 else page
    if resources is None or depth > 4:  # forms nest; a cycle must not recurse forever
        return
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return
    for ref in xobjects.get_object().values():
        xobj = ref.get_object()
        if xobj.get("/Subtype") == "/Image":
            yield int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0))
        elif xobj.get("/Subtype") == "/Form" and xobj.get("/Resources") is not None:
            yield from _page_images(xobj["/Resources"], depth + 1)


def _has_javascript(reader: PdfReader) -> bool:
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        return True
    action = root.get("/OpenAction")
    action = action.get_object() if action is not None else None
    return bool(isinstance(action, dict) and action.get("/S") == "/JavaScript") or "/AA" in root


def _page_text_layer(page: PageObject) -> str | None:
    """Born-digital text of a page, or ``None`` for a scan (an OCR layer is invisible text)."""
    try:
        text = page.extract_text() or ""
    except _PDF_PARSE_ERRORS as e:  # a damaged text stream: the page can still be rendered
        log.debug("text layer unreadable (%s); page treated as a scan", type(e).__name__)
        return None
    if real_word_count(text) < _MIN_TEXT_LAYER_WORDS:
        return None
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    if _INVISIBLE_TEXT.search(data) and any(True for _ in _page_images(page)):
        return None  # a scanner's or OCR tool's hidden text over the picture: OCR it ourselves
    return text.strip()


def inspect_pdf(path: Path) -> PdfInfo:
    """Read page count, text layer, scripts and image sizes of a PDF without rendering it.

    Raises:
        EncryptedPdfError: it needs a password.
        UnreadableScanError: pypdf cannot parse it.
    """
    with _open_pdf(path) as reader:
        try:
            pages = reader.pages
            megapixels = max((w * h / 1e6 for p in pages for w, h in _page_images(p)), default=0.0)
            inches = max((math.prod(_page_inches(p)) for p in pages), default=0.0)
            has_text = any(_page_text_layer(p) is not None for p in pages)
            info = PdfInfo(len(pages), has_text, _has_javascript(reader), megapixels, inches)
        except _PDF_PARSE_ERRORS as e:
            raise UnreadableScanError(f"PDF structure is damaged ({type(e).__name__})") from e
    if info.has_javascript:
        log.warning("PDF holds JavaScript; only its page images are used, nothing is run")
    return info


# --- image inspection -------------------------------------------------------------------------


def _open_image(path: Path) -> Image.Image:
    try:
        return Image.open(path)
    except Image.DecompressionBombError as e:
        raise TooLargeError("image has more pixels than the page limit") from e
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise UnreadableScanError(f"image cannot be decoded ({type(e).__name__})") from e


def _check_frame_data(img: Image.Image, file_size: int) -> None:
    """A TIFF frame whose strips or tiles point past the end of the file is truncated."""
    tags = getattr(img, "tag_v2", None)
    if tags is None:
        return
    offsets = tags.get(273) or tags.get(324) or ()
    counts = tags.get(279) or tags.get(325) or ()
    ends = [int(o) + int(c) for o, c in zip(offsets, counts, strict=False)]
    if not ends or max(ends) > file_size:
        raise UnreadableScanError("TIFF is truncated (image data past the end of the file)")


def _check_integrity(img: Image.Image, path: Path) -> None:
    """Cheap truncation checks that do not decode the full page."""
    if img.format == "TIFF":
        _check_frame_data(img, path.stat().st_size)
    elif img.format == "JPEG":
        img.draft("L", (max(1, img.width // 8), max(1, img.height // 8)))
        img.load()  # a 1/8-scale DCT decode reads every byte yet costs a few ms
    elif img.format == "PNG":
        with Image.open(path) as again:
            again.verify()  # chunk CRCs up to IEND, no pixel decoding


def inspect_image(path: Path, *, limits: LimitsConfig) -> ImageInfo:
    """Frame count and largest frame size of a TIFF, JPEG or PNG, from its headers only.

    Raises:
        UnreadableScanError: corrupt or truncated.
        TooLargeError: Pillow refuses it as a decompression bomb.
    """
    guard_pillow(limits)
    with _open_image(path) as img:
        try:
            frames = getattr(img, "n_frames", 1)
            if frames > limits.max_pages:
                return ImageInfo(frames, 0.0)
            largest = 0
            for i in range(frames):
                img.seek(i)
                largest = max(largest, img.size[0] * img.size[1])
                if largest <= limits.max_page_megapixels * 1e6:
                    _check_integrity(img, path)
        except (OSError, EOFError, SyntaxError, ValueError) as e:
            raise UnreadableScanError(f"image cannot be decoded ({type(e).__name__})") from e
    return ImageInfo(frames, largest / 1e6)


# --- rendering --------------------------------------------------------------------------------


def capped_dpi(square_inches: float, *, wanted_dpi: int, max_megapixels: float) -> int:
    """Highest dpi not above ``wanted_dpi`` at which a page stays within the pixel limit."""
    if square_inches <= 0:
        return wanted_dpi
    cap = math.floor(math.sqrt(max_megapixels * 1e6 / square_inches))
    return max(1, min(wanted_dpi, cap))


def _source_dpi(page: PageObject) -> int | None:
    """Resolution of the largest picture on a page, assuming it covers the page."""
    sizes = list(_page_images(page))
    if not sizes:
        return None
    w, h = max(sizes, key=lambda s: s[0] * s[1])
    return round(math.sqrt(w * h / max(math.prod(_page_inches(page)), 1e-6)))


def _pdf_render_dpi(page: PageObject, *, cfg: RasterConfig,
                    limits: LimitsConfig) -> tuple[int, int]:
    """Resolution to render a page at, and the resolution to report for the image.

    Usually both are ``cfg.render_dpi``, lowered so the page stays under the pixel limit and a
    poster-sized page under ~18 in at that resolution. A page smaller than a playing card that
    holds a far sharper picture has absurd size metadata (a full page "printed" at 2400 dpi):
    it is rendered at the picture's resolution and reported at 300 dpi, as an image with an
    absurd dpi tag would be.
    """
    width, height = _page_inches(page)
    square = width * height
    dpi = capped_dpi(square, wanted_dpi=cfg.render_dpi, max_megapixels=limits.max_page_megapixels)
    dpi = min(dpi, max(MIN_RENDER_DPI, math.floor(_MAX_PAGE_INCHES * cfg.render_dpi
                                                   / max(width, height, 1e-6))))
    source = _source_dpi(page) or 0
    if max(width, height) < _TINY_PAGE_INCHES and source >= 2 * cfg.render_dpi:
        native = capped_dpi(square, wanted_dpi=source, max_megapixels=limits.max_page_megapixels)
        return native, DEFAULT_IMAGE_DPI
    return dpi, dpi


def _render_pdf_page(scan: ScanFile, index: int, *, cfg: RasterConfig,
                     limits: LimitsConfig) -> RasterPage:
    picture = None
    with _open_pdf(scan.path) as reader:
        try:
            page = reader.pages[index]
            render_dpi, dpi = _pdf_render_dpi(page, cfg=cfg, limits=limits)
            text, source_dpi = _page_text_layer(page), _source_dpi(page)
        except _PDF_PARSE_ERRORS as e:
            damage = type(e).__name__
            raise UnreadableScanError(f"PDF page {index + 1} is damaged ({damage})") from e
        # A page with text is rendered for its drawing too; a tiny page of absurd size is
        # rendered at one resolution and reported at another (``_pdf_render_dpi``).
        if render_dpi == dpi and text is None:
            picture = scanned_picture(page, dpi=render_dpi)
    if picture is not None:
        return RasterPage(image=picture, dpi=dpi, source_dpi=source_dpi)
    if render_dpi != cfg.render_dpi:
        log.info("page %d rendered at %d dpi (page size %s)", index + 1, render_dpi,
                 "tiny" if render_dpi > cfg.render_dpi else "large")
    image = _run_poppler(scan.path, index, dpi=render_dpi, timeout_s=cfg.pdf_timeout_s)
    return RasterPage(image=image, dpi=dpi, text_layer=text, source_dpi=source_dpi)


def scanned_picture(page: PageObject, *, dpi: int) -> np.ndarray | None:
    """The page as poppler would render it at ``dpi``, taken from its one picture, when the
    page is nothing but a picture drawn over all of it (what a scanner writes).

    Decoding the picture directly skips a poppler process per page: 0.01–0.09 s against
    0.2–0.35 s on the sample scans. Anything else — more than one picture or drawing, a mask,
    a clip, a crop box, a colour space other than grey or RGB, a picture not covering the page,
    a filter other than JPEG, CCITT or Flate (JBIG2), a picture that fails to decode — returns
    ``None``: poppler renders it, and reports what is wrong.
    """
    try:
        xobj = _lone_full_page_picture(page)
        if xobj is None:
            return None
        picture = xobj.decode_as_image()
        if picture.size != (int(xobj["/Width"]), int(xobj["/Height"])):
            return None
        bilevel = picture.mode == "1"
        gray = np.asarray(picture.convert("L"), dtype=np.uint8)
    except Exception as e:  # noqa: BLE001 - any failure here has poppler to fall back on
        log.debug("page picture not decoded here (%s); poppler renders it", type(e).__name__)
        return None
    turn = page.rotation % 360
    if turn:
        gray = np.ascontiguousarray(np.rot90(gray, k=-(turn // 90)))  # /Rotate is clockwise
    width_in, height_in = _page_inches(page)
    # pdftoppm's own size: the page's inches at ``dpi``, rounded up.
    size = (math.ceil(round(width_in * dpi, 6)), math.ceil(round(height_in * dpi, 6)))
    if (gray.shape[1], gray.shape[0]) == size:
        # A bilevel scan at its own resolution, poppler draws with soft edges, and Tesseract
        # reads soft edges better than hard ones: on 156 such pages of one generated corpus,
        # 2.7 % fewer words read at 80 or more from the hard pixels than from poppler's;
        # softened by a 3-pixel box, 1.5 % more (and 0.5 % fewer on 41 pages of another).
        # Resampled pages are soft already.
        return cv2.blur(gray, (3, 3)) if bilevel else gray
    smaller = gray.shape[1] > size[0]
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA if smaller else cv2.INTER_CUBIC)


def _grey_or_rgb(space) -> bool:
    """Grey or RGB, plainly or through an ICC profile of 1 or 3 components (scanners embed
    one; its small tone differences do not matter to reading)."""
    space = space.get_object() if space is not None else None
    if space in ("/DeviceGray", "/DeviceRGB"):
        return True
    if isinstance(space, list) and len(space) == 2 and space[0] == "/ICCBased":
        return space[1].get_object().get("/N") in (1, 3)
    return False


def _lone_full_page_picture(page: PageObject):
    """The image XObject a page draws over its whole MediaBox and nothing else, or ``None``."""
    if page.rotation % 90 or page.cropbox != page.mediabox:  # poppler renders the CropBox
        return None
    xobjects = (page.get("/Resources") or {}).get("/XObject")
    contents = page.get_contents()
    if xobjects is None or contents is None or len(xobjects.get_object()) != 1:
        return None
    ops = [(operands, op) for operands, op in ContentStream(contents, page.pdf).operations
           if op not in (b"q", b"Q")]  # fmt: skip
    if [op for _, op in ops] != [b"cm", b"Do"]:
        return None
    (name, ref), = xobjects.get_object().items()
    if ops[1][0] != [name]:
        return None
    xobj = ref.get_object()
    filters = xobj.get("/Filter")
    filters = [filters] if not isinstance(filters, list) else list(filters)
    if (xobj.get("/Subtype") != "/Image" or xobj.get("/ImageMask")
            or any(k in xobj for k in ("/SMask", "/Mask", "/Decode"))
            or not _grey_or_rgb(xobj.get("/ColorSpace"))
            or xobj.get("/BitsPerComponent") not in (1, 8)
            or len(filters) != 1 or filters[0] not in _PICTURE_FILTERS):  # fmt: skip
        return None
    a, b, c, d, e, f = (float(v) for v in ops[0][0])
    box = page.mediabox
    near = max(1.0, 0.005 * max(abs(float(box.width)), abs(float(box.height))))
    covers = (b == 0 and c == 0 and abs(e - float(box.left)) <= near
              and abs(f - float(box.bottom)) <= near and abs(a - float(box.width)) <= near
              and abs(d - float(box.height)) <= near)  # fmt: skip
    return xobj if covers else None


def _run_poppler(path: Path, index: int, *, dpi: int, timeout_s: int) -> np.ndarray:
    """Render one page with pdftoppm; default ppm output (fmt='png' is ~40x slower)."""
    try:
        images = convert_from_path(path, dpi=dpi, first_page=index + 1, last_page=index + 1,
                                   grayscale=True, timeout=timeout_s)
    except PopplerNotInstalledError as e:
        raise OcrEngineMissingError("poppler (pdftoppm/pdfinfo) is not installed") from e
    except PDFPopplerTimeoutError as e:
        raise UnreadableScanError(f"page {index + 1} took over {timeout_s} s to render") from e
    except (PDFPageCountError, PDFSyntaxError, OSError, ValueError) as e:
        raise UnreadableScanError(f"poppler cannot render page {index + 1}") from e
    if not images:
        raise UnreadableScanError(f"poppler rendered nothing for page {index + 1}")
    return np.asarray(images[0].convert("L"), dtype=np.uint8)


def _image_dpi(img: Image.Image) -> tuple[float, float] | None:
    """Metadata resolution (x, y) if it is plausible for a scanned page, else ``None``."""
    raw = img.info.get("dpi")
    try:
        xdpi, ydpi = (float(raw[0]), float(raw[1])) if raw else (0.0, 0.0)
    except (TypeError, ValueError, IndexError):
        return None
    lo, hi = _PLAUSIBLE_DPI
    if not (lo <= xdpi <= hi and lo <= ydpi <= hi):
        return None
    if max(img.width / xdpi, img.height / ydpi) > _MAX_PAGE_INCHES:
        return None  # e.g. a 300-dpi scan tagged 72 dpi by its writer
    return xdpi, ydpi


def _to_gray(img: Image.Image) -> np.ndarray:
    """8-bit grayscale; transparency becomes white paper, 16-bit depth is scaled down."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float64)
        top = arr.max() or 1.0
        return (arr * (255.0 / top)).astype(np.uint8)
    if "A" in img.getbands() or img.mode == "P" and "transparency" in img.info:
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    return np.asarray(img.convert("L"), dtype=np.uint8)


def _render_image_page(scan: ScanFile, index: int, *, limits: LimitsConfig) -> RasterPage:
    guard_pillow(limits)
    with _open_image(scan.path) as img:
        try:
            img.seek(index)
            dpi = _image_dpi(img)
            upright = ImageOps.exif_transpose(img) or img
            gray = _to_gray(upright)
        except Image.DecompressionBombError as e:
            raise TooLargeError("image has more pixels than the page limit") from e
        except (OSError, EOFError, SyntaxError, ValueError) as e:
            raise UnreadableScanError(f"image page {index + 1} cannot be decoded") from e
    if dpi is None:
        return RasterPage(image=gray, dpi=DEFAULT_IMAGE_DPI)
    xdpi, ydpi = dpi if upright is img or upright.size == img.size else dpi[::-1]
    if abs(xdpi - ydpi) > 0.05 * xdpi:  # fax-style non-square pixels: make them square
        gray = cv2.resize(gray, (gray.shape[1], round(gray.shape[0] * xdpi / ydpi)),
                          interpolation=cv2.INTER_AREA if ydpi > xdpi else cv2.INTER_LINEAR)
    return RasterPage(image=gray, dpi=round(xdpi), source_dpi=round(min(xdpi, ydpi)))


def render_page(scan: ScanFile, index: int, *, cfg: RasterConfig,
                limits: LimitsConfig | None = None) -> RasterPage:
    """Render page ``index`` (0-based) of a preflighted file to an 8-bit grayscale image.

    PDF pages are rendered one at a time by poppler at ``cfg.render_dpi``, lowered when the page
    would exceed ``limits.max_page_megapixels``. Image files keep their pixels; their dpi is read
    from metadata, or assumed to be 300 when missing or implausible.

    Raises:
        UnreadableScanError, EncryptedPdfError, TooLargeError: the page cannot be rendered.
        OcrEngineMissingError: poppler is not installed.
    """
    limits = limits or LimitsConfig()
    if not 0 <= index < scan.page_count:
        raise ValueError(f"page index {index} outside 0..{scan.page_count - 1}")
    if scan.kind is FileKind.PDF:
        return _render_pdf_page(scan, index, cfg=cfg, limits=limits)
    return _render_image_page(scan, index, limits=limits)
