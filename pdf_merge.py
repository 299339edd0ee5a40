"""PDF files put one after the other into one file, written as they are read (issue 24).

pypdf's ``PdfWriter`` (Odoo's ``odoo.tools.pdf.merge_pdf``) keeps every page of every
input in memory until it writes the result: merging the parts of a year's evidence pack
would take as much memory as the whole pack. ``PdfConcatenator`` reads one input at a
time with pypdf, writes each page and the objects it uses (content streams, fonts,
images) to the output at once under new object numbers, and keeps only the offsets of
the objects written and the numbers of the pages: the memory is that of one input.

It needs no Odoo: the pure tests (``tests_pure/test_pdf_merge.py``) run it on their own.
"""

import collections
import gc

try:  # the pypdf Odoo runs (odoo/tools/pdf: PyPDF2 2.x where installed, else pypdf)
    from odoo.tools.pdf import PdfFileReader as PdfReader
    from odoo.tools.pdf import generic
except ImportError:  # without Odoo (the pure tests)
    try:
        from PyPDF2 import PdfReader, generic
    except ImportError:
        from pypdf import PdfReader, generic

# What a page takes from its ancestors in the page tree when it does not say it.
INHERITED_KEYS = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
CATALOG, PAGE_TREE = 1, 2  # object numbers of the output's catalog and page tree


def _ref(number):
    """A reference to the output's object ``number``."""
    return generic.IndirectObject(number, 0, None)


class PdfConcatenator:
    """Write the pages of PDF files one after the other into ``out`` (a binary file open
    for writing): ``append(stream)`` for each input, then ``close()``."""

    def __init__(self, out):
        self.out = out
        # offset of each object written, by number; 0 is the free object, the catalog and
        # the page tree are written last
        self.offsets = [0, None, None]
        self.pages = []
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def append(self, stream):
        """Write the pages of the PDF read from ``stream``; returns how many."""
        first = len(self.pages)
        reader = PdfReader(stream, strict=False)
        # (number, generation) of an object of the input -> its number in the output
        numbers = {}
        queue = collections.deque()
        leaves = []
        root = reader.trailer["/Root"]
        self._walk(dict.__getitem__(root, "/Pages"), {}, numbers, leaves)
        for leaf in leaves:
            self.pages.append(self._number(leaf, numbers, queue))
        done = set()  # ids of the containers already renumbered (shared direct objects)
        while queue:
            reference = queue.popleft()
            obj = self._renumber(reference.get_object(), numbers, queue, done)
            self._write(numbers[reference.idnum, reference.generation], obj)
        # pypdf's reader and its objects refer to each other: free them now, not at
        # Python's next full collection (then every input read so far would be held)
        del reader, root, leaves, queue, numbers, done
        gc.collect()
        return len(self.pages) - first

    def close(self):
        """Write the page tree, the catalog and the cross-reference table."""
        tree = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Pages"),
                generic.NameObject("/Kids"): generic.ArrayObject(map(_ref, self.pages)),
                generic.NameObject("/Count"): generic.NumberObject(len(self.pages)),
            }
        )
        self._write(PAGE_TREE, tree)
        catalog = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Catalog"),
                generic.NameObject("/Pages"): _ref(PAGE_TREE),
            }
        )
        self._write(CATALOG, catalog)
        xref = self.out.tell()
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets))
        for offset in self.offsets[1:]:
            self.out.write(b"%010d 00000 n \n" % offset)
        trailer = generic.DictionaryObject(
            {
                generic.NameObject("/Size"): generic.NumberObject(len(self.offsets)),
                generic.NameObject("/Root"): _ref(CATALOG),
            }
        )
        self.out.write(b"trailer\n")
        trailer.write_to_stream(self.out, None)
        self.out.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref)
        return len(self.pages)

    # ------------------------------------------------------------------
    def _walk(self, reference, inherited, numbers, leaves):
        """Collect the pages under the page-tree node ``reference``, giving each the
        inheritable attributes it lacks; every node of the input's tree becomes the
        output's one tree (the pages' ``/Parent``)."""
        node = reference.get_object()
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            numbers[reference.idnum, reference.generation] = PAGE_TREE
            inherited = dict(inherited)
            for key in INHERITED_KEYS:
                if key in node:
                    inherited[key] = dict.__getitem__(node, key)
            kids = dict.__getitem__(node, "/Kids")
            for kid in list.__iter__(kids.get_object()):
                self._walk(kid, inherited, numbers, leaves)
            return
        for key, value in inherited.items():
            if key not in node:
                dict.__setitem__(node, generic.NameObject(key), value)
        leaves.append(reference)

    def _number(self, reference, numbers, queue):
        """The output's number of the input's object ``reference``, given and queued for
        writing the first time it is met."""
        key = reference.idnum, reference.generation
        if key not in numbers:
            numbers[key] = len(self.offsets)
            self.offsets.append(None)
            queue.append(reference)
        return numbers[key]

    def _renumber(self, obj, numbers, queue, done):
        """``obj`` with its references to the input's objects turned into the output's."""
        if isinstance(obj, generic.IndirectObject):
            return _ref(self._number(obj, numbers, queue))
        if id(obj) in done:
            return obj
        if isinstance(obj, dict):  # dictionaries and streams
            done.add(id(obj))
            for key, value in list(dict.items(obj)):
                dict.__setitem__(obj, key, self._renumber(value, numbers, queue, done))
        elif isinstance(obj, list):
            done.add(id(obj))
            for index, value in enumerate(list(list.__iter__(obj))):
                list.__setitem__(obj, index, self._renumber(value, numbers, queue, done))
        return obj

    def _write(self, number, obj):
        self.offsets[number] = self.out.tell()
        self.out.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(self.out, None)
        self.out.write(b"\nendobj\n")
