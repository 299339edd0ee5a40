"""FRE-7.5-01 printed for real by wkhtmltopdf, text extracted with pdftotext (R-1.4, R-1.5).

Debian's wkhtmltopdf has an unpatched Qt: no running header/footer and one document
per call. The report therefore lays its pages out itself; these tests check that the
controlled header and "Página x de y" come out right on every page.
"""

import re
import shutil
import subprocess
import tempfile
from datetime import date, datetime, timedelta

from lxml import etree
from PIL import Image

from odoo.tests import HttpCase, freeze_time, tagged

from .test_weekly_report import NOW, WEEK_START, WeeklyReportCommon


def pdf_pages_text(pdf_content):
    """Text of each page of a PDF, with poppler's pdftotext."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
        pdf_file.write(pdf_content)
        pdf_file.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", pdf_file.name, "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


PT_MM = 25.4 / 72


def pdf_text_bottoms(pdf_content):
    """The bottom (mm from the page's top) of the lowest text of each page."""
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/doc.pdf"
        with open(path, "wb") as pdf_file:
            pdf_file.write(pdf_content)
        subprocess.run(["pdftotext", "-bbox-layout", path, f"{tmp}/doc.html"], check=True)
        with open(f"{tmp}/doc.html", encoding="utf-8") as html:
            pages = html.read().split("<page ")[1:]
    return [
        max(float(y) for y in re.findall(r'<line [^>]*yMax="([^"]+)"', page)) * PT_MM
        for page in pages
    ]


def pdf_horizontal_rules(pdf_content, x_mm, page=1):
    """The heights (mm from the top) of the dark horizontal lines crossing the vertical
    ``x_mm`` of ``page``, as drawn (poppler's pdftoppm at 72 dpi: 1 px = 1 pt)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/doc.pdf"
        with open(path, "wb") as pdf_file:
            pdf_file.write(pdf_content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "72",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                path,
                f"{tmp}/page",
            ],
            check=True,
        )
        image = Image.open(f"{tmp}/page.png").convert("L")
    x = round(x_mm / PT_MM)
    dark = [y for y in range(image.height) if image.getpixel((x, y)) < 128]
    rules = [y for y in dark if y - 1 not in dark]  # the top of each line
    return [y * PT_MM for y in rules]


@tagged("post_install", "-at_install", "crm_activity_verification")
@freeze_time(NOW)
class TestWeeklyReportPdf(HttpCase, WeeklyReportCommon):
    """An HttpCase: wkhtmltopdf loads the report's CSS from the test server, which only
    answers (on the test transaction) in an HttpCase."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_MX")
        cls.promoter.lang = "es_MX"
        cls.company_admin.name = "International de Baja California"

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("report.url", self.base_url())
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not available")

    def _render(self, report_ref, res_ids, data=None):
        content, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, res_ids, data=data)
        )
        self.assertEqual(report_type, "pdf")
        return pdf_pages_text(content)

    def _report_with_lines(self, count):
        lines = [
            self._line_vals(
                datetime(2026, 11, 21, 16, 0) + timedelta(minutes=20 * index),
                self.customer if index % 2 else None,
                customer_name=None if index % 2 else f"Cliente nuevo {index:03d}",
                phone=None if index % 2 else f"+52 686 555 {index:04d}",
                contact_name=f"Contacto {index:03d}",
                description=f"Actividad número {index:03d}",
            )
            for index in range(count)
        ]
        for vals in lines:
            for key in [key for key, value in vals.items() if value is None]:
                del vals[key]
        return self._report(lines=lines, signed_by="Pablo Promotor Ruiz")

    def test_pdf_is_the_controlled_form_on_every_page(self):
        report = self._report_with_lines(30)
        expected = len(report._get_pdf_pages())
        self.assertGreater(expected, 1, "30 lines do not fit on one page")
        pages = self._render("crm_activity_verification.action_report_fre_7_5_01", report.ids)
        self.assertEqual(len(pages), expected, "one printed page per computed page")
        for number, text in enumerate(pages, start=1):
            with self.subTest(page=number):
                for label in (
                    "International de Baja California",
                    "Sistema de Gestión de la Calidad ISO 9001",
                    "Reporte de Actividades de Promoción y Venta",
                    "Código: FRE-7.5-01",
                    "Revisión: A",
                    f"Página {number} de {expected}",
                    "Pablo Promotor",
                    "Refacciones",
                    "del 21/11/2026 al 27/11/2026",
                    report.name,
                    "Descripción",
                ):
                    self.assertIn(label, text)
        printed = "\n".join(pages)
        for index in range(30):
            self.assertIn(
                f"Actividad número {index:03d}", printed, "no line is lost at a page break"
            )
        first, last = pages[0], pages[-1]
        # lines in date order, in the collaborator's timezone (16:00 UTC is 08:00 in Tijuana)
        self.assertIn("Actividad número 000", first)
        self.assertIn("21/11/2026", first)
        self.assertIn("08:00", first)
        self.assertIn("Cliente nuevo 000", first)
        self.assertNotIn("Actividad número 029", first)
        # the name / signature / date block is on the last page only
        for label in ("Nombre", "Firma", "Fecha", "Pablo Promotor Ruiz", "26/11/2026"):
            self.assertIn(label, last)
        self.assertNotIn("Pablo Promotor Ruiz", first)

    def test_line_without_contact_or_phone_keeps_its_columns(self):
        """An empty cell stays a cell: the activity type and the description stay under
        their headings when the contact or the phone is missing."""
        report = self._report(
            lines=[
                self._line_vals(
                    datetime(2026, 11, 23, 17, 30),
                    customer_name="Refaccionaria La Rumorosa",
                    description="Primer contacto",
                )
            ]
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_activity_verification.action_report_fre_7_5_01", report.ids)[0]
            .decode()
        )
        [row] = etree.fromstring(html, etree.HTMLParser()).xpath(
            "//table[hasclass('o_fre_lines')]/tbody/tr"
        )
        cells = ["".join(cell.itertext()).strip() for cell in row.xpath("td")]
        self.assertEqual(len(cells), 7, "date, time, customer, contact, phone, type, description")
        self.assertEqual(cells[2:5], ["Refaccionaria La Rumorosa", "", ""])
        self.assertIn(
            cells[5],
            {self.type_visit.name, self.type_visit.with_context(lang="es_MX").name},
            "the activity type under its heading",
        )
        self.assertEqual(cells[6], "Primer contacto")

    def test_pdf_of_many_reports_in_one_document(self):
        """Unpatched Qt renders one document per call: several reports still print together."""
        report = self._report_with_lines(3)
        other = self._report(
            user=self.promoter, date_start=WEEK_START - timedelta(days=7), lines=[]
        )
        pages = self._render(
            "crm_activity_verification.action_report_fre_7_5_01", (report | other).ids
        )
        self.assertEqual(len(pages), 2)
        self.assertIn("Página 1 de 1", pages[0])
        self.assertIn("Página 1 de 1", pages[1])
        self.assertIn("del 14/11/2026 al 20/11/2026", "\n".join(pages))

    def test_blank_form(self):
        pages = self._render(
            "crm_activity_verification.action_report_fre_7_5_01_blank", None, data={"blank": True}
        )
        self.assertEqual(len(pages), 1)
        for label in (
            "Código: FRE-7.5-01",
            "Página 1 de 1",
            "Colaborador:",
            "Nombre",
            "Firma",
            "Fecha",
        ):
            self.assertIn(label, pages[0])
        action = self.Report.with_user(self.promoter).action_print_blank_form()
        self.assertEqual(action["report_name"], "crm_activity_verification.report_fre_7_5_01_blank")

    def test_blank_form_rows_are_written_by_hand(self):
        """The blank form's rows are at least 8 mm on paper (4 mm before), and they fill
        the page down to the signature block (issue 22, item 15)."""
        content, _type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "crm_activity_verification.action_report_fre_7_5_01_blank",
                None,
                data={"blank": True},
            )
        )
        # across the "Cliente" column: the table's rules, then the signature block's
        rules = pdf_horizontal_rules(content, x_mm=60)
        pitches = [round(low - high, 1) for high, low in zip(rules, rules[1:], strict=False)]
        # the handwritten rows: between the column titles (5 mm) and the signature (17 mm)
        rows = [pitch for pitch in pitches if 8.0 <= pitch <= 12.0]
        self.assertGreaterEqual(len(rows), 14, pitches)
        self.assertLess(max(rows) - min(rows), 1.0, f"rows of one height: {pitches}")
        # Letter landscape, 215.9 mm high, 8 mm margins: the signature block ends low
        [bottom] = pdf_text_bottoms(content)
        self.assertGreater(bottom, 0.85 * 215.9, "no half page left empty")

    def test_submit_emails_the_real_pdf(self):
        report = self._report(
            lines=[self._line_vals(datetime(2026, 11, 24, 17, 0), self.customer)],
            signed_on=date(2026, 11, 26),
        )
        with self.mock_mail_gateway():
            report.with_user(self.promoter).with_context(
                force_report_rendering=True
            ).action_submit()
        mail = self.assertMailMail(
            self.verifier.partner_id, "sent", author=self.promoter.partner_id
        )
        attachment = mail.attachment_ids
        self.assertEqual(attachment.mimetype, "application/pdf")
        text = "\n".join(pdf_pages_text(attachment.raw))
        self.assertIn("Página 1 de 1", text)
        self.assertIn(self.customer.name, text)
        self.assertEqual(attachment.res_id, report.id, "kept on file with the report (R-1.4)")

    def test_page_count_follows_long_descriptions(self):
        long_text = "Revisión del programa de mantenimiento preventivo de la flotilla. " * 6
        lines = [
            self._line_vals(
                datetime(2026, 11, 23, 16, 0) + timedelta(hours=index),
                self.customer,
                description=long_text,
            )
            for index in range(6)
        ]
        report = self._report(lines=lines)
        expected = len(report._get_pdf_pages())
        self.assertGreater(expected, 1)
        pages = self._render("crm_activity_verification.action_report_fre_7_5_01", report.ids)
        self.assertEqual(len(pages), expected, "the fixed-size pages match the computed layout")
        self.assertIn(f"Página {expected} de {expected}", pages[-1])
        self.assertIn("Nombre", pages[-1])

    def _assert_pages_numbered(self, report, pages):
        expected = len(report._get_pdf_pages())
        self.assertEqual(len(pages), expected, "one printed page per computed page")
        for number, text in enumerate(pages, start=1):
            self.assertIn(f"Página {number} de {expected}", text)
            self.assertIn("Código: FRE-7.5-01", text)
            self.assertIn("Revisión: A", text)
        self.assertIn("Nombre", pages[-1], "the signature block is on the last page")

    def test_long_description_is_printed_whole(self):
        """ISO 9001 §7.5: a 5,000-character description is never cut; it goes on on
        the next pages, marked "(continúa)"."""
        words = [
            f"MANTENIMIENTO{index:03d}" if index % 3 else f"revisión{index:03d}"
            for index in range(400)
        ]
        description = " ".join(words)
        while len(description) < 5000:
            words.append(f"WWW{len(words):03d}")
            description = " ".join(words)
        description = description[:5000].rsplit(" ", 1)[0]
        words = description.split()
        lines = [
            self._line_vals(datetime(2026, 11, 23, 16, 0), self.customer, description="Antes"),
            self._line_vals(datetime(2026, 11, 23, 17, 0), self.customer, description=description),
            self._line_vals(datetime(2026, 11, 23, 18, 0), self.customer, description="Después"),
        ]
        # entered as the promoter enters it (TEXT_MAX_LENGTH allows 10,000 characters)
        report = self._report(lines=lines, signed_by="Pablo Promotor Ruiz")
        self.assertIn(description, report.line_ids.mapped("description"), "stored whole")
        pages = self._render("crm_activity_verification.action_report_fre_7_5_01", report.ids)
        self.assertGreater(len(pages), 2)
        self._assert_pages_numbered(report, pages)
        printed = "\n".join(pages).split()
        for word in [*words, "Antes", "Después"]:
            self.assertIn(word, printed, "every word of the description is printed")
        self.assertGreaterEqual("\n".join(pages).count("(continúa)"), 2)
        for before, after in zip(pages, pages[1:], strict=False):
            if "(continuación)" in after:
                self.assertIn("(continúa)", before, "marked where it goes on")
        # in order: the last word comes after the first one
        self.assertLess(printed.index(words[0]), printed.index(words[-1]))

    def test_two_hundred_lines(self):
        report = self._report_with_lines(200)
        pages = self._render("crm_activity_verification.action_report_fre_7_5_01", report.ids)
        self._assert_pages_numbered(report, pages)
        printed = "\n".join(pages)
        for index in range(200):
            self.assertIn(f"Actividad número {index:03d}", printed)
            self.assertIn(f"Contacto {index:03d}", printed)
        self.assertNotIn("(continúa)", printed)
