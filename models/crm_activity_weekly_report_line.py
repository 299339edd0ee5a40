from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date, format_datetime

from .. import date_utils, pdf_layout
from .crm_activity_input_mixin import EARLIEST_DATE
from .crm_activity_weekly_report import REPORT_MAX_DAYS_AHEAD
from .crm_activity_workflow_mixin import TEXT_MAX_LENGTH

# Printable width, in em of the printed font, of the wrapped columns of the PDF
# (measured on Debian's wkhtmltopdf, with a margin): a cell must never need more rows
# than counted, or the fixed-height page would hide its end.
PDF_COLUMN_WIDTHS = {"customer": 11.0, "contact": 9.0, "type": 7.5, "description": 22.0}
# Marker of a description that goes on on the next page (never cut).
PDF_CONTINUES = pdf_layout.CONTINUES


class CrmActivityWeeklyReportLine(models.Model):
    _name = "crm.activity.weekly.report.line"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Weekly Activity Report Line (FRE-7.5-01)"
    _order = "date, id"
    _check_company_auto = True
    _rec_name = "customer_name"

    report_id = fields.Many2one(
        comodel_name="crm.activity.weekly.report",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="report_id.user_id", store=True, string="Collaborator")
    report_state = fields.Selection(related="report_id.state", string="Report Status")
    date = fields.Datetime(
        string="Date and Time",
        required=True,
        default=fields.Datetime.now,
        help="When the activity took place.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index="btree_not_null",
        check_company=True,
        help="The customer in the CRM. When it is not there yet, type its name and phone instead.",
    )
    customer_name = fields.Char(
        compute="_compute_customer_data",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    contact_name = fields.Char(string="Contact Person")
    phone = fields.Char(
        compute="_compute_customer_data", store=True, readonly=False, precompute=True
    )
    activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type",
        required=True,
        domain="[('verification_required', '=', True)]",
    )
    description = fields.Text()
    verification_ids = fields.One2many(
        comodel_name="crm.activity.verification",
        inverse_name="report_line_id",
        string="Verifications",
    )
    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification",
        compute="_compute_verification_id",
        store=True,
        index="btree_not_null",
    )
    verification_state = fields.Selection(
        related="verification_id.state", string="Verification Status"
    )

    @api.depends("partner_id")
    def _compute_customer_data(self):
        for line in self:
            if line.partner_id:
                line.customer_name = line.partner_id.commercial_partner_id.name
                line.phone = line.partner_id.phone or line.phone

    @api.depends("verification_ids")
    def _compute_verification_id(self):
        for line in self:
            line.verification_id = line.verification_ids[:1]

    @api.constrains("activity_type_id")
    def _check_activity_type_id(self):
        wrong = self.filtered(lambda line: not line.activity_type_id.verification_required)
        if wrong:
            raise ValidationError(
                self.env._(
                    "“%(type)s” is not an activity of the procedure: a line of the weekly "
                    "report FRE-7.5-01 needs an activity type that is verified "
                    "(promotion visit, prospecting call, demonstration, quotation, sale).",
                    type=wrong[0].activity_type_id.name,
                )
            )

    @api.constrains("description")
    def _check_description(self):
        for line in self:
            if line.description and len(line.description) > TEXT_MAX_LENGTH:
                raise ValidationError(
                    self.env._(
                        "The description of the activity with %(customer)s is too long: "
                        "%(length)s characters, at most %(max)s. Shorten it; nothing was cut.",
                        customer=line.customer_name or "",
                        length=len(line.description),
                        max=TEXT_MAX_LENGTH,
                    )
                )

    # ------------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------------
    @api.constrains("date", "report_id")
    def _check_date_in_week(self):
        """A line belongs to its report's week (R-1.4), checked when it is saved."""
        for line in self:
            error = line._get_week_error()
            if error:
                raise ValidationError(
                    self.env._(
                        "This line cannot be saved: %(reason)s. Each line of the FRE-7.5-01 "
                        "report belongs to its week (Saturday to Friday); change the date or "
                        "open the report of that week.",
                        reason=error,
                    )
                )

    def _get_input_date_windows(self):
        """A line's activity is from 2000 on and at most in the last week a report may
        be written for (its week is checked when it is saved)."""
        latest = fields.Datetime.now() + timedelta(days=REPORT_MAX_DAYS_AHEAD + 8)
        return {"date": (datetime.combine(EARLIEST_DATE, time.min), latest)}

    # ------------------------------------------------------------------
    # CRUD: lines follow the lock of their report
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.report_id._check_draft()
        return lines

    def write(self, vals):
        self._check_report_fixed(vals)
        self._check_not_verified()
        self.report_id._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self._check_not_verified()
        self.report_id._check_draft()

    def _check_report_fixed(self, vals):
        """A line stays in the report it was written in (issue 21)."""
        if "report_id" in vals and any(line.report_id.id != vals["report_id"] for line in self):
            raise UserError(
                self.env._(
                    "A line of a weekly report FRE-7.5-01 stays in its report: it cannot "
                    "be moved to another one."
                )
            )

    def _check_not_verified(self):
        """A line whose activity went to customer service is frozen, also after its
        report is sent back to draft: its verification is the evidence (issue 21)."""
        # sudo: only whether the line has a verification is read
        verified = self.sudo().filtered("verification_id")
        if verified:
            line = verified[0]
            raise UserError(
                self.env._(
                    "The activity of %(date)s with %(customer)s is already being verified "
                    "(%(verification)s): its line cannot change any more. Add a new line to "
                    "report a correction.",
                    date=line._get_local_date_string(),
                    customer=line.customer_name or "",
                    verification=line.verification_id.display_name,
                )
            )

    # ------------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------------
    def _get_week_error(self):
        """Why the line's date is outside its report's week (translated), or ``False``."""
        self.ensure_one()
        report = self.report_id
        if not (self.date and report.date_start):
            return False
        start, end = date_utils.week_utc_range(report.date_start, report.user_id.tz)
        if start <= self.date < end:
            return False
        return self.env._(
            "the activity of %(date)s with %(customer)s is outside the week %(start)s – %(end)s",
            date=self._get_local_date_string(),
            customer=self.customer_name or "",
            start=format_date(self.env, report.date_start),
            end=format_date(self.env, report.date_end),
        )

    def _get_local_date_string(self):
        """The line's date and time, in its collaborator's timezone and language."""
        self.ensure_one()
        user = self.report_id.user_id
        return format_datetime(
            self.env, self.date, tz=user.tz, dt_format="short", lang_code=user.lang
        )

    def _get_pdf_rows(self):
        """How many printed rows the line takes in the PDF without its description
        (the description is split across pages, see ``_get_pdf_description_rows``)."""
        self.ensure_one()
        cells = {
            "customer": self.customer_name,
            "contact": self.contact_name,
            "type": self.activity_type_id.name,
        }
        return max(
            len(pdf_layout.wrap(text, PDF_COLUMN_WIDTHS[column])) for column, text in cells.items()
        )

    def _get_pdf_description_rows(self):
        """The whole description as printed rows: nothing is ever cut."""
        self.ensure_one()
        return pdf_layout.wrap(self.description, PDF_COLUMN_WIDTHS["description"])

    def _get_pdf_date_parts(self):
        """``(dd/mm/yyyy, HH:MM)`` of the line in its collaborator's timezone,
        as on the paper form.
        """
        self.ensure_one()
        local = fields.Datetime.context_timestamp(
            self.with_context(tz=self.report_id.user_id.tz or "UTC"), self.date
        )
        return local.strftime("%d/%m/%Y"), local.strftime("%H:%M")
