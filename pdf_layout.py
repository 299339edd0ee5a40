"""Hand layout of the PDF reports printed by Debian's wkhtmltopdf (unpatched Qt: no
running header or footer, one document per call), so that every page carries its own
header and "page x of y", and every character entered is printed (ISO 9001 §7.5).

Text is wrapped here, on the printed font's real advance widths (DejaVu Sans, read with
Pillow), into the rows a cell will take: the pages are cut from these counts, and each
row is printed as it was wrapped here, so a cell never needs more rows than counted.
"""

import functools
import logging

from PIL import ImageFont

_logger = logging.getLogger(__name__)

FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "DejaVuSans.ttf",
)
# Without the font file: the widest DejaVu Sans letters are about 1 em.
FALLBACK_EM = 1.0
CONTINUES = "(continúa)"
CONTINUED = "(continuación)"


@functools.cache
def _font():
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, 1000)
        except OSError:
            continue
    _logger.warning("DejaVu Sans not found: PDF text is wrapped on the widest letters")
    return None


@functools.lru_cache(maxsize=65536)
def text_em(text):
    """Printed width of ``text``, in em."""
    font = _font()
    if font is None:
        return len(text) * FALLBACK_EM
    return font.getlength(text) / 1000


def wrap(text, width_em):
    """``text`` cut into the printed rows of a column ``width_em`` wide: at spaces, and
    inside a word only when the word alone is wider than the column."""
    rows = []
    for paragraph in (text or "").splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if text_em(candidate) <= width_em:
                current = candidate
                continue
            if current:
                rows.append(current)
                current = ""
            while text_em(word) > width_em:
                cut = 1
                while cut < len(word) and text_em(word[: cut + 1]) <= width_em:
                    cut += 1
                rows.append(word[:cut])
                word = word[cut:]
            current = word
        rows.append(current)
    return rows
