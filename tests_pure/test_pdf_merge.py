"""pdf_merge.PdfConcatenator: the pages of several PDF files, in order, in one file that
pypdf (and poppler, when installed) reads back whole."""

import io
import shutil
import subprocess

import pytest


def tiny_pdf(texts, inherit=False, indirect_length=False):
    """A PDF with one page per text in ``texts``, written by hand so that its structure is
    known: one font object shared by every page, and with ``inherit`` a nested page tree
    whose root holds the pages' /Resources and /MediaBox; with ``indirect_length``, each
    content stream's /Length is an object of its own."""
    objects = {}  # number -> bytes of the object
    font = 3
    objects[font] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    resources = b"/Resources << /Font << /F1 %d 0 R >> >> /MediaBox [0 0 300 200]" % font
    next_number = 4
    pages = []
    inner = 2 if not inherit else None
    if inherit:  # root (2) -> inner node -> pages
        inner = next_number
        next_number += 1
    for text in texts:
        content = b"BT /F1 12 Tf 20 100 Td (%s) Tj ET" % text.encode()
        if indirect_length:
            length = next_number
            objects[length] = b"%d" % len(content)
            next_number += 1
            length_ref = b"%d 0 R" % length
        else:
            length_ref = b"%d" % len(content)
        stream = next_number
        objects[stream] = b"<< /Length %s >>\nstream\n%s\nendstream" % (length_ref, content)
        page = next_number + 1
        next_number += 2
        own = b"" if inherit else resources
        objects[page] = b"<< /Type /Page /Parent %d 0 R /Contents %d 0 R %s >>" % (
            inner,
            stream,
            own,
        )
        pages.append(page)
    kids = b" ".join(b"%d 0 R" % page for page in pages)
    if inherit:
        objects[inner] = b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>" % (
            kids,
            len(pages),
        )
        objects[2] = b"<< /Type /Pages /Kids [%d 0 R] /Count %d %s >>" % (
            inner,
            len(pages),
            resources,
        )
    else:
        objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages))
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def merged(load_pure_module, documents):
    merge = load_pure_module("pdf_merge")
    out = io.BytesIO()
    concatenator = merge.PdfConcatenator(out)
    counts = [concatenator.append(io.BytesIO(document)) for document in documents]
    assert concatenator.close() == sum(counts)
    return merge, out.getvalue(), counts


@pytest.mark.parametrize("inherit", [False, True])
@pytest.mark.parametrize("indirect_length", [False, True])
def test_pages_in_order_with_their_resources(load_pure_module, inherit, indirect_length):
    parts = [
        [f"part{part}page{page}" for page in range(1, pages + 1)]
        for part, pages in ((1, 3), (2, 1), (3, 2))
    ]
    documents = [tiny_pdf(texts, inherit, indirect_length) for texts in parts]
    merge, content, counts = merged(load_pure_module, documents)
    assert counts == [3, 1, 2]
    reader = merge.PdfReader(io.BytesIO(content), strict=True)
    expected = [text for texts in parts for text in texts]
    assert len(reader.pages) == len(expected)
    for page, text in zip(reader.pages, expected, strict=True):
        assert text in page.extract_text()
        # inherited or not, each page has its size and its font
        assert [float(x) for x in page["/MediaBox"]] == [0, 0, 300, 200]
        assert page["/Resources"]["/Font"]["/F1"]["/BaseFont"] == "/Helvetica"
    # each part's font is written once, not once per page
    assert content.count(b"/BaseFont /Helvetica") == len(documents)


def test_poppler_reads_it(load_pure_module, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    documents = [tiny_pdf([f"doc{doc}p{page}" for page in range(2)], doc % 2) for doc in range(4)]
    _merge, content, _counts = merged(load_pure_module, documents)
    path = tmp_path / "merged.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    pages = [page for page in result.stdout.split("\f") if page.strip()]
    assert [page.strip() for page in pages] == [f"doc{d}p{p}" for d in range(4) for p in range(2)]
    assert "Syntax Error" not in result.stderr
