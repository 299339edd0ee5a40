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

# The printable page of both reports: Letter, landscape, 8 mm margins
# (report/crm_activity_weekly_report_reports.xml, paperformat_fre_7_5_01), in mm on paper.
PRINTABLE_WIDTH_MM = 279.4 - 2 * 8
PRINTABLE_HEIGHT_MM = 215.9 - 2 * 8
# What one CSS millimetre measures on paper. Debian's wkhtmltopdf (unpatched Qt) ignores
# --zoom and --disable-smart-shrinking and prints CSS at 0.768 of its size (a 102 mm box
# measures 78.3 mm on paper, the 96/125 of unpatched Qt); a patched build prints it 1:1.
UNPATCHED_QT_SCALE = 0.768
PATCHED_QT_SCALE = 1.0


def css_mm(printed_mm, scale):
    """The CSS length (mm) that prints ``printed_mm`` on paper at ``scale``."""
    return printed_mm / scale


def blank_rows(row_mm, other_mm):
    """How many handwritten rows of ``row_mm`` (on paper) fill the printable page beside
    ``other_mm`` of header, column titles and signature block."""
    return int((PRINTABLE_HEIGHT_MM - other_mm) // row_mm)


@functools.cache
def _font():
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, 1000)
        except OSError:
            continue
    _logger.warning("DejaVu Sans not found: PDF text is wrapped on the widest letters")
    return None


@functools.cache
def _char_em(char):
    font = _font()
    return font.getlength(char) / 1000 if font is not None else FALLBACK_EM


def text_em(text):
    """Printed width of ``text``, in em: the sum of its characters' advance widths.
    Kerning only ever narrows a pair, so the printed row is never wider than this."""
    return sum(map(_char_em, text))


def wrap(text, width_em):
    """``text`` cut into the printed rows of a column ``width_em`` wide: at spaces, and
    inside a word only when the word alone is wider than the column. Linear in the
    length of ``text`` (each character is measured once, from a cache)."""
    rows = []
    space = _char_em(" ")
    for paragraph in (text or "").splitlines() or [""]:
        current, used = "", 0.0
        for word in paragraph.split():
            word_em = text_em(word)
            if current and used + space + word_em <= width_em:
                current, used = f"{current} {word}", used + space + word_em
                continue
            if not current and word_em <= width_em:
                current, used = word, word_em
                continue
            if current:
                rows.append(current)
            current, used = "", 0.0
            for char in word:
                char_em = _char_em(char)
                if current and used + char_em > width_em:
                    rows.append(current)
                    current, used = "", 0.0
                current, used = current + char, used + char_em
        rows.append(current)
    return rows
