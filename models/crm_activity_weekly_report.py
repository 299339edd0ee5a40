import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.misc import format_date

from .. import date_utils, pdf_layout
from .crm_activity_input_mixin import EARLIEST_DATE
from .crm_activity_verification import CLOSED_STATES
from .crm_activity_workflow_mixin import public_method

_logger = logging.getLogger(__name__)

# Fields of the form that a submitted report no longer lets anyone change.
LOCKED_FIELDS = {
    "user_id",
    "team_id",
    "date_start",
    "line_ids",
    "signature",
    "signed_by",
    "signed_on",
}
# What only the collaborator himself writes (R-1.4: his name, signature and date).
SIGNATURE_FIELDS = frozenset({"signature", "signed_by", "signed_on"})
# Fields that change only through the public methods and the crons (issue 8).
REPORT_WORKFLOW_FIELDS = frozenset(
    {"name", "state", "submitted_on", "reminded_on", "manager_notified_on"}
)
# The latest week a report may be written for: the one starting within a week (issue 21).
REPORT_MAX_DAYS_AHEAD = 7
# PDF layout: one page holds this many text rows of the activity table; the
# signature block takes SIGNATURE_ROWS of them on the last page.
PAGE_ROWS = 26
SIGNATURE_ROWS = 7


class CrmActivityWeeklyReport(models.Model):
    _name = "crm.activity.weekly.report"
    _description = "Weekly Activity Report (FRE-7.5-01)"
    _inherit = ["crm.activity.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _workflow_fields = REPORT_WORKFLOW_FIELDS
    # the report is its collaborator's, in his company, for good (issue 21)
    _workflow_fixed_fields = frozenset({"user_id", "company_id"})
    # collaborators keep commenting their report once it is submitted (and locked)
    _mail_post_access = "read"

    def _default_date_start(self):
        return self._get_default_week_start(self.env.user)

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Collaborator",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        index=True,
        check_company=True,
    )
    date_start = fields.Date(
        string="Week From",
        required=True,
        default=lambda self: self._default_date_start(),
        help="Saturday on which the reporting week starts.",
    )
    date_end = fields.Date(
        string="Week To",
        compute="_compute_date_end",
        store=True,
        help="Friday on which the reporting week ends.",
    )
    line_ids = fields.One2many(
        comodel_name="crm.activity.weekly.report.line",
        inverse_name="report_id",
        string="Reported Activities",
        copy=True,
    )
    line_count = fields.Integer(string="Activities Count", compute="_compute_line_count")
    state = fields.Selection(
        selection=[("draft", "Draft"), ("submitted", "Submitted"), ("verified", "Verified")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    # name, signature and date of the collaborator
    signature = fields.Image(copy=False, attachment=True, max_width=1024, max_height=1024)
    signed_by = fields.Char(copy=False, help="The collaborator's name, as signed.")
    signed_on = fields.Date(copy=False, help="Date of the signature.")
    submitted_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    is_late = fields.Boolean(
        string="Submitted Late",
        compute="_compute_is_late",
        store=True,
        help="Submitted after the Saturday that follows the week (in the collaborator's timezone).",
    )
    # Verification (R-2.x)
    verification_ids = fields.One2many(
        comodel_name="crm.activity.verification",
        compute="_compute_verification_ids",
        string="Verifications",
    )
    verification_count = fields.Integer(compute="_compute_verification_ids")

    _user_week_uniq = models.Constraint(
        "UNIQUE(user_id, date_start)",
        "A collaborator has one FRE-7.5-01 report per week.",
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("user_id")
    def _compute_team_id(self):
        for report in self:
            report.team_id = report.user_id.sale_team_id

    @api.depends("date_start")
    def _compute_date_end(self):
        for report in self:
            report.date_end = report.date_start and report.date_start + timedelta(days=6)

    @api.depends("line_ids")
    def _compute_line_count(self):
        for report in self:
            report.line_count = len(report.line_ids)

    @api.depends("submitted_on", "date_end", "user_id.tz")
    def _compute_is_late(self):
        for report in self:
            report.is_late = bool(
                report.submitted_on
                and report.date_end
                and date_utils.local_date(report.submitted_on, report.user_id.tz)
                > report.date_end + timedelta(days=1)
            )

    @api.depends("line_ids.verification_id")
    def _compute_verification_ids(self):
        for report in self:
            report.verification_ids = report.line_ids.verification_id
            report.verification_count = len(report.verification_ids)

    def _compute_display_name(self):
        for report in self:
            if not report.date_start:
                report.display_name = report.name
                continue
            report.display_name = self.env._(
                "%(number)s · %(collaborator)s · %(start)s – %(end)s",
                number=report.name,
                collaborator=report.user_id.name or "",
                start=format_date(self.env, report.date_start),
                end=format_date(self.env, report.date_end),
            )

    # ------------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------------
    @api.constrains("date_start", "user_id")
    def _check_lines_in_week(self):
        """Moving the week (or the collaborator's time zone) keeps the lines in it."""
        self.line_ids._check_date_in_week()

    def _get_input_date_windows(self):
        """A report's week starts from 2000 on and at most a week ahead; it is signed
        within the same window (README "Limits of the inputs")."""
        latest = self._get_input_today() + timedelta(days=REPORT_MAX_DAYS_AHEAD)
        return {"date_start": (EARLIEST_DATE, latest), "signed_on": (EARLIEST_DATE, latest)}

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_workflow_create(vals_list)
        self._check_one_report_per_week(vals_list)
        for vals in vals_list:
            if SIGNATURE_FIELDS.intersection(vals):
                self._check_signer(self.env["res.users"].browse(vals.get("user_id", self.env.uid)))
            if not vals.get("name") or vals["name"] == self.env._("New"):
                # sudo: the sequence is technical; every collaborator numbers his report
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code(
                    "crm.activity.weekly.report", sequence_date=vals.get("date_start")
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_write(vals)
        if {"user_id", "date_start"} & set(vals):
            self._check_one_report_per_week([vals])
        if LOCKED_FIELDS.intersection(vals):
            self._check_draft()
        if SIGNATURE_FIELDS.intersection(vals):
            self._check_signer(self.user_id)
        return super().write(vals)

    # ------------------------------------------------------------------
    # ACTIONS (public API, see spec/contract.md)
    # ------------------------------------------------------------------
    @public_method
    def action_submit(self):
        """Sign off the week (R-1.4), send it to the verifiers (R-1.5) and put
        every line on the verification board (R-2.1)."""
        self._check_signer(self.user_id)
        self._check_submittable()
        self._lock_for_submit()
        pdf_results = {report.id: report._render_pdf_attachment() for report in self}
        self._workflow().write({"state": "submitted", "submitted_on": fields.Datetime.now()})
        self._create_verifications()
        # sudo: the collaborator may no longer write his submitted report; only its derived
        # state changes here (an empty report, or lines all verified before a reset, is verified).
        self.sudo()._update_verified_state()
        for report in self:
            report._send_to_verifiers(*pdf_results[report.id])
        return True

    @public_method
    def action_reset_to_draft(self):
        """Send a submitted report back to its collaborator (verifier or process manager only)."""
        self._check_reset_to_draft()
        user = self.env.user
        self._workflow().write({"state": "draft"})
        for report in self:
            report.message_post(
                body=report._in_company_lang().env._(
                    "Sent back to draft by %(user)s: %(collaborator)s can correct it "
                    "and submit it again.",
                    user=user.name,
                    collaborator=report.user_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @public_method(single=True)
    @api.readonly
    def action_view_verifications(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_activity_verification.crm_activity_verification_action_all"
        )
        action.update(
            {
                "domain": [("id", "in", self.verification_ids.ids)],
                "context": {"create": False},
            }
        )
        return action

    @public_method
    def action_open_current_week(self):
        """Open the current user's report of the week due now, creating it when needed.

        A list header button (``display="always"``): the web client passes the
        selected reports, if any, which play no part.
        """
        report = self._get_or_create_week_report(self.env.user, self._default_date_start())
        return report.get_formview_action()

    @public_method
    @api.readonly
    def action_print_blank_form(self):
        """The blank FRE-7.5-01, for staff who still fill it on paper (a list header
        button: the selected reports, if any, play no part)."""
        return self.env.ref(
            "crm_activity_verification.action_report_fre_7_5_01_blank"
        ).report_action(None, data={"blank": True})

    # ------------------------------------------------------------------
    # SUBMISSION
    # ------------------------------------------------------------------
    def _check_reset_to_draft(self):
        """Only a verifier or the process manager sends back a report, and only a submitted
        one: a verified report is closed evidence (every activity of it was verified), and
        a reset never verifies a report again by itself (issue 21)."""
        user = self.env.user
        if not (
            user.has_group("crm_activity_verification.group_verifier")
            or user.has_group("crm_activity_verification.group_process_manager")
        ):
            raise UserError(
                self.env._(
                    "Only a verifier or the HR & process manager can send a weekly report "
                    "back to draft."
                )
            )
        drafts = self.filtered(lambda r: r.state == "draft")
        if drafts:
            raise UserError(
                self.env._("%(report)s is already a draft.", report=drafts[0].display_name)
            )
        verified = self.filtered(lambda r: r.state == "verified")
        if verified:
            raise UserError(
                self.env._(
                    "%(report)s is verified: every activity of it was verified with the "
                    "customer. It is closed evidence and cannot go back to draft.",
                    report=verified[0].display_name,
                )
            )

    def _check_draft(self):
        locked = self.filtered(lambda r: r.state != "draft")
        if locked:
            raise UserError(
                self.env._(
                    "%(report)s has been submitted and is locked. "
                    "Ask a verifier to send it back to draft "
                    "if it needs a correction.",
                    report=locked[0].display_name,
                )
            )

    def _check_one_report_per_week(self, vals_list):
        """One FRE-7.5-01 per collaborator and week (R-1.3), said before the INSERT or
        UPDATE: the unique constraint stays for concurrent requests, but a user's mistake
        never reaches the database as an error (and its log)."""
        weeks = []
        for vals in vals_list:
            date_start = fields.Date.to_date(vals.get("date_start"))
            for report in self or [None]:
                user = self.env["res.users"].browse(
                    vals.get("user_id") or (report.user_id.id if report else self.env.uid)
                )
                start = date_start or (
                    report.date_start if report else self._get_default_week_start(user)
                )
                weeks.append((user, start))
        # sudo: whether the collaborator already has a report that week is read whatever
        # the current user may see; only its number is said
        existing = self.sudo().search(
            Domain.OR(
                Domain("user_id", "=", user.id) & Domain("date_start", "=", start)
                for user, start in weeks
            )
            & Domain("id", "not in", self.ids),
            limit=1,
        )
        duplicates = [week for week in weeks if weeks.count(week) > 1]
        if not existing and not duplicates:
            return
        user, start = (existing.user_id, existing.date_start) if existing else duplicates[0]
        raise UserError(
            self.env._(
                "%(collaborator)s already has the weekly report FRE-7.5-01 %(report)s for the "
                "week of %(start)s to %(end)s: one report per week. Open it with “This week's "
                "report”, or from the list.",
                collaborator=user.name,
                report=existing.name or "",
                start=format_date(self.env, start),
                end=format_date(self.env, start + timedelta(days=date_utils.WEEK_DAYS - 1)),
            )
        )

    def _check_signer(self, collaborators):
        """Only the collaborator signs and submits his own report (R-1.4): nobody
        else signs it or submits it in his name. (Superuser mode is server code.)"""
        others = collaborators - self.env.user
        if others and not self.env.su:
            # who may not change the report at all is told so first (AccessError)
            self.check_access("write" if self else "create")
            raise UserError(
                self.env._(
                    "Only %(collaborator)s can sign and submit his own weekly report "
                    "FRE-7.5-01 (name, signature and date, R-1.4).",
                    collaborator=others[0].name,
                )
            )

    def _get_submit_errors(self):
        """Reasons (translated) why this report cannot be submitted (R-1.4)."""
        self.ensure_one()
        errors = []
        if not self.signed_by:
            errors.append(self.env._("the collaborator's name (Signed by) is missing"))
        if not self.signature:
            errors.append(self.env._("the signature is missing"))
        if not self.signed_on:
            errors.append(self.env._("the date of the signature is missing"))
        if not date_utils.is_week_start(self.date_start):
            errors.append(self.env._("the week must start on a Saturday"))
        now = fields.Datetime.now()
        for line in self.line_ids:
            week_error = line._get_week_error()
            if week_error:
                errors.append(week_error)
            elif line.date > now:
                errors.append(
                    self.env._(
                        "the activity of %(date)s with %(customer)s is in the future",
                        date=line._get_local_date_string(),
                        customer=line.customer_name or "",
                    )
                )
        return errors

    def _check_submittable(self):
        self._check_draft()
        for report in self:
            errors = report._get_submit_errors()
            if errors:
                raise UserError(
                    self.env._(
                        "%(report)s cannot be submitted:\n- %(errors)s",
                        report=report.display_name,
                        errors="\n- ".join(errors),
                    )
                )

    def _lock_for_submit(self):
        """Lock the reports' rows and re-check they are still drafts, so that two
        submits at once create a single set of verifications."""
        self._lock_rows(
            self.env._(
                "This weekly report is being submitted by someone else right now. "
                "Reload it and check."
            )
        )
        self.invalidate_recordset(["state"])
        self._check_draft()

    def _render_pdf_attachment(self):
        """Render the PDF; return ``(attachment, error)``. A rendering failure
        never blocks the submission: the error is reported in the chatter."""
        self.ensure_one()
        report_action = self.env.ref("crm_activity_verification.action_report_fre_7_5_01")
        try:
            with self.env.cr.savepoint():
                content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
                    report_action, self.ids
                )
        except Exception as error:  # noqa: BLE001 - any failure must not lose the submission
            _logger.info("FRE-7.5-01 %s: PDF rendering failed: %s", self.name, error)
            return self.env["ir.attachment"], str(error) or error.__class__.__name__
        extension = "pdf" if report_type == "pdf" else "html"
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"FRE-7.5-01 {self.name}.{extension}".replace("/", "-"),
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf" if extension == "pdf" else "text/html",
            }
        )
        return attachment, False

    def _get_verifiers(self):
        """Users who receive the report (R-1.5): the verifiers of its company."""
        self.ensure_one()
        group = self.env.ref("crm_activity_verification.group_verifier")
        return self.env["res.users"].search(
            [
                ("group_ids", "in", group.ids),
                ("company_ids", "in", self.company_id.ids),
                ("share", "=", False),
            ]
        )

    def _send_to_verifiers(self, attachment, error):
        """E-mail the report to the verifiers, with its PDF when it could be rendered."""
        self.ensure_one()
        # the template says why the PDF is missing, from the context (ctx)
        self.with_context(verification_pdf_error=error or False).message_post_with_source(
            "crm_activity_verification.mail_template_weekly_report_submitted",
            partner_ids=self._get_verifiers().partner_id.ids,
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        if error:
            self.message_post(
                body=self._in_company_lang().env._(
                    "The PDF of this report could not be generated, "
                    "so it was e-mailed to the verifiers "
                    "without it. Reason: %(error)s",
                    error=error,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _prepare_verification_values(self, line):
        """Values of the verification of one report line; extend to add fields."""
        description = line.description or ""
        if not line.partner_id and line.customer_name:
            # read by the company's verifiers, in its language
            description = self._in_company_lang().env._(
                "Customer (not in the CRM yet): %(customer)s\n%(description)s",
                customer=line.customer_name,
                description=description,
            )
        return {
            "source": "report",
            "report_line_id": line.id,
            "company_id": self.company_id.id,
            "partner_id": line.partner_id.id,
            "contact_name": line.contact_name or line.customer_name or False,
            "phone": line.phone or False,
            "description": description.strip() or False,
            "reported_activity_type_id": line.activity_type_id.id,
            "activity_date": line.date,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            # without a CRM customer, the verifier first looks it up or asks for the phone
            "state": "pending" if line.partner_id else "in_progress",
        }

    def _create_verifications(self):
        """One verification per line not verified yet.

        Lines kept from an earlier submission keep theirs.
        """
        lines = self.line_ids.filtered(lambda line: not line.verification_id)
        if not lines:
            return self.env["crm.activity.verification"]
        vals_list = [line.report_id._prepare_verification_values(line) for line in lines]
        # sudo: collaborators cannot create verifications; submitting their own report creates
        # them on their behalf, with values taken from its lines only.
        Verification = self.env["crm.activity.verification"].sudo()
        verifications = (
            Verification._workflow()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(vals_list)
            .with_env(Verification.env)
        )
        # the notes are read by the company's verifiers, in its language
        staff_envs = {company: self._reader_env(company) for company in verifications.company_id}
        verifications._message_log_batch(
            bodies={
                verification.id: staff_envs[verification.company_id]._(
                    "Created from the weekly report %(report)s submitted by %(user)s.",
                    report=verification.report_line_id.report_id.name,
                    user=self.env.user.name,
                )
                for verification in verifications
            }
        )
        for verification in verifications.filtered(lambda v: v.state == "in_progress"):
            verification._message_log(
                body=staff_envs[verification.company_id]._(
                    "The customer is not in the CRM: look it up, or ask %(collaborator)s for the "
                    "contact's phone number.",
                    collaborator=verification.user_id.name,
                )
            )
        return verifications

    def _update_verified_state(self):
        """Mark verified the submitted reports whose verifications are all concluded."""
        concluded = self.filtered(
            lambda r: (
                r.state == "submitted"
                and all(line.verification_id.state in CLOSED_STATES for line in r.line_ids)
            )
        )
        if concluded:
            concluded._workflow().write({"state": "verified"})
        return concluded

    # ------------------------------------------------------------------
    # WEEKS AND PDF LAYOUT
    # ------------------------------------------------------------------
    @api.model
    def _get_default_week_start(self, user):
        """Saturday of the week ``user`` reports now (R-1.5): the current week, except
        on Saturday, when the week that ended the day before is due until it is submitted."""
        today = date_utils.local_date(fields.Datetime.now(), user.tz)
        saturday = date_utils.week_bounds(today)[0]
        if today == saturday:
            last_week = saturday - timedelta(days=date_utils.WEEK_DAYS)
            submitted = self.search_count(
                [
                    ("user_id", "=", user.id),
                    ("date_start", "=", last_week),
                    ("state", "!=", "draft"),
                ],
                limit=1,
            )
            if not submitted:
                return last_week
        return saturday

    @api.model
    def _get_or_create_week_report(self, user, date_start):
        report = self.search([("user_id", "=", user.id), ("date_start", "=", date_start)], limit=1)
        if not report:
            report = self.create(
                {"user_id": user.id, "date_start": date_start, "company_id": user.company_id.id}
            )
        return report

    def _get_pdf_pages(self):
        """Split the lines into fixed-size pages: wkhtmltopdf with an unpatched Qt
        has no running header/footer, so every page carries its own (see template).

        Each page is a list of ``(line, printed description)``: a line
        takes as many rows as its longest wrapped text; a description longer than the
        room left goes on on the next page(s), marked "(continúa)", never cut. The
        last page keeps room for the signature block.
        """
        self.ensure_one()
        pages, current, used = [], [], 0
        for line in self.line_ids.sorted(lambda line: (line.date, line.id)):
            other_rows = min(line._get_pdf_rows(), PAGE_ROWS - 1)
            description = line._get_pdf_description_rows()
            continued = False
            while True:
                if continued:
                    description = [pdf_layout.CONTINUED, *description]
                room = PAGE_ROWS - used
                needed = max(other_rows, len(description))
                if current and needed > room and (needed <= PAGE_ROWS or room < max(other_rows, 3)):
                    pages.append(current)
                    current, used, room = [], 0, PAGE_ROWS
                if len(description) <= room:
                    current.append((line, "\n".join(description)))
                    used += needed
                    break
                # the marker takes the last row of the part printed on this page
                part, description = description[: room - 1], description[room - 1 :]
                current.append((line, "\n".join([*part, pdf_layout.CONTINUES])))
                pages.append(current)
                current, used, continued = [], 0, True
        if used + SIGNATURE_ROWS > PAGE_ROWS:
            pages.append(current)
            current = []
        pages.append(current)
        return pages
