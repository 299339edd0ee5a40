"""The blank FRE-7.5-01, filled by hand: rows a promoter writes in (at least 8 mm on
paper) that fill the page down to the signature block."""

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _wkhtml

from .. import pdf_layout

# On paper: each handwritten row, and the rest of the page (controlled header, the
# collaborator's line, column titles, signature block, and a margin of safety)
BLANK_ROW_MM = 9.5
BLANK_OTHER_MM = 56.0
# The page's box, on paper: a little less than the printable height, never a page more
BLANK_PAGE_MM = pdf_layout.PRINTABLE_HEIGHT_MM - 3.0


def pdf_scale():
    """What one CSS mm measures on paper with the wkhtmltopdf Odoo runs."""
    if _wkhtml().is_patched_qt:
        return pdf_layout.PATCHED_QT_SCALE
    return pdf_layout.UNPATCHED_QT_SCALE


class ReportFre751Blank(models.AbstractModel):
    _name = "report.crm_activity_verification.report_fre_7_5_01_blank"
    _description = "FRE-7.5-01 Blank Form"

    @api.model
    def _get_report_values(self, docids, data=None):
        scale = pdf_scale()
        return {
            "doc_ids": docids,
            "docs": self.env["crm.activity.weekly.report"].browse(docids),
            "company": self.env.company,
            "rows": pdf_layout.blank_rows(BLANK_ROW_MM, BLANK_OTHER_MM),
            "row_height": round(pdf_layout.css_mm(BLANK_ROW_MM, scale), 2),
            "page_height": round(pdf_layout.css_mm(BLANK_PAGE_MM, scale), 2),
        }
