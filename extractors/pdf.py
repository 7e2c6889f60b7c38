"""HTML → PDF, for reports that go into the applicant's file and notices that are mailed.

The one module that imports WeasyPrint: the PDF is printed from the same HTML the reviewer
reads, so the two never disagree.
"""

from __future__ import annotations

import logging
from pathlib import Path

import weasyprint
from PIL import ImageFile

log = logging.getLogger(__name__)

# Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would let a
# half-copied JPEG pass preflight as a whole scan. Our reports only embed our own images.
ImageFile.LOAD_TRUNCATED_IMAGES = False

# WeasyPrint logs every unsupported CSS property at WARNING; they are expected (screen-only
# rules) and would drown the pipeline's own warnings.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def html_to_pdf(html: str, *, base_dir: Path) -> bytes:
    """Print ``html`` to PDF; relative image paths are resolved against ``base_dir``."""
    log.debug("printing %d characters of HTML to PDF", len(html))
    return weasyprint.HTML(string=html, base_url=str(base_dir) + "/").write_pdf()
