"""pdf_layout.wrap: every character kept, no row wider than its column."""

import pytest

TEXTS = [
    "Visita de promoción a Transportes del Pacífico: cotización de tres tractocamiones",
    "supercalifragilísticoespialidoso " * 3 + "WWWWWWWWWWWWWWWWWWWWWWWWW y más",
    "línea uno\nlínea dos\n\nlínea cuatro",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("width", [3.0, 8.0, 20.0])
def test_wrap_keeps_every_character_within_the_column(load_pure_module, text, width):
    layout = load_pure_module("pdf_layout")
    rows = layout.wrap(text, width)
    assert "".join(rows).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    font = layout._font()
    for row in rows:
        # the printed width (the font's own measure, kerning included) fits the column
        printed = font.getlength(row) / 1000 if font is not None else layout.text_em(row)
        assert printed <= width + 1e-9, row


def test_blank_rows_fill_the_printable_page(load_pure_module):
    layout = load_pure_module("pdf_layout")
    rows = layout.blank_rows(9.5, 56.0)
    assert rows == 15
    assert rows * 9.5 + 56.0 <= layout.PRINTABLE_HEIGHT_MM < (rows + 1) * 9.5 + 56.0
    # Debian's wkhtmltopdf prints CSS smaller: the CSS length is larger than on paper
    assert layout.css_mm(10.0, layout.UNPATCHED_QT_SCALE) > 10.0
    assert layout.css_mm(10.0, layout.PATCHED_QT_SCALE) == 10.0
