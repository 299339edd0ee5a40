import itertools
import logging
import re
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup
from psycopg2.errors import LockNotAvailable

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, html2plaintext

_logger = logging.getLogger(__name__)

CALL_OUTCOMES = [
    ("confirmed", "Confirmed"),
    ("not_confirmed", "Not confirmed"),
    ("no_answer", "No answer"),
    ("wrong_number", "Wrong number"),
    ("call_back", "Call back later"),
]
# Outcomes that conclude a verification, and the state each one leads to.
CONCLUSIVE_OUTCOMES = {"confirmed": "confirmed", "not_confirmed": "not_confirmed"}
# Outcomes where the customer was not reached: they count against the attempt limit.
FAILED_OUTCOMES = ("no_answer", "wrong_number")
CONCLUDED_STATES = ("confirmed", "not_confirmed", "unreachable")
# States in which nothing is left to do: concluded, or not drawn for a call (B-1).
CLOSED_STATES = (*CONCLUDED_STATES, "not_sampled")
# Follow-ups may be requested once the customer was reached.
FOLLOWUP_STATES = ("in_progress", "confirmed", "not_confirmed")
PHONE_REQUEST_TYPE = "crm_activity_verification.mail_activity_type_phone_request"
# Documented fallbacks of the company settings left empty (spec/contract.md).
DEFAULT_FOLLOWUP_DAYS = 2
DEFAULT_ESCALATION_MANAGER_DAYS = 1
DEFAULT_ESCALATION_PROCESS_DAYS = 3
# End of the working day when the company has no working-time calendar.
DEFAULT_WORKDAY_END = time(18, 0)
# A follow-up deadline: an ISO date, at most this far ahead.
DEADLINE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEADLINE_MAX_AHEAD = relativedelta(years=1)
# Who may read the procedure's records: the groups= of the fields this addon adds to
# Odoo's models (crm.lead, mail.activity, res.partner), so that users outside the
# procedure read those models exactly as without the addon.
PROCEDURE_GROUPS = ",".join(
    f"crm_activity_verification.{group}"
    for group in ("group_collaborator", "group_verifier", "group_manager")
)
# Fields that change only through the public methods and the crons (issue 8).
VERIFICATION_WORKFLOW_FIELDS = frozenset(
    {
        # what was reported, and by whom
        "company_id",
        "source",
        "activity_id",
        "report_line_id",
        "user_id",
        "team_id",
        "lead_id",
        "reported_activity_type_id",
        "description",
        # what the verifier found, and what followed
        "state",
        "call_ids",
        "result",
        "verifier_id",
        "verified_on",
        "followup_state",
        "followup_note",
        "followup_deadline",
        "followup_user_id",
        "followup_activity_id",
        "followup_done_on",
        "followup_feedback",
        "escalation_level",
        "escalation_user_id",
        "anomaly",
        "anomaly_description",
        "anomaly_reported_by_id",
        "anomaly_resolution",
        "anomaly_resolved_on",
        "anomaly_resolved_by_id",
        "complaint_ids",
        # sampling and call queue (B-1, B-2): the draw is evidence, the queue is the flow's
        "sampling_level",
        "sampling_rate",
        "sampling_ticket",
        "sla_deadline",
        "callback_at",
        "next_call_at",
        "queue_user_id",
        "queue_reserved_until",
        # the customer's answer and rating (B-3): recorded by the link and the call only
        "customer_answer",
        "customer_answered_on",
        "confirmation_channel",
        "link_sent_on",
        "csat",
        "is_rated",
    }
)


def readable_counts(model, fname, records):
    """Records of ``model`` per record of its field ``fname`` among ``records``, as
    {record: count}; empty when the user cannot read ``model`` (smart buttons)."""
    if not model.has_access("read"):
        return {}
    return dict(model._read_group([(fname, "in", records.ids)], [fname], ["__count"]))


class CrmActivityVerification(models.Model):
    _name = "crm.activity.verification"
    _description = "Activity Verification"
    _inherit = ["crm.activity.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "activity_date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["partner_id", "contact_name", "lead_id"]
    _workflow_fields = VERIFICATION_WORKFLOW_FIELDS
    _workflow_create_only = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    # What was reported
    source = fields.Selection(
        selection=[("crm", "CRM activity"), ("report", "Weekly report FRE-7.5-01")],
        required=True,
        default="crm",
        readonly=True,
    )
    activity_id = fields.Many2one(
        comodel_name="mail.activity",
        string="Reported Activity",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    report_line_id = fields.Many2one(
        comodel_name="crm.activity.weekly.report.line",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The line of the weekly report FRE-7.5-01 that reported the activity.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        index="btree_not_null",
        readonly=True,
        check_company=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Collaborator",
        index=True,
        readonly=True,
        help="The responsible collaborator: who recorded the activity.",
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department",
        index=True,
        readonly=True,
        check_company=True,
    )
    reported_activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type",
        string="Activity Type",
        readonly=True,
    )
    activity_date = fields.Datetime(readonly=True, index=True, required=True)
    description = fields.Text(readonly=True)
    # precomputed (here and below): computed before the INSERT, so that creating
    # verifications (marking activities done) costs no UPDATE after it
    contact_name = fields.Char(
        string="Contact",
        compute="_compute_contact_data",
        store=True,
        readonly=False,
        precompute=True,
    )
    phone = fields.Char(
        compute="_compute_contact_data", store=True, readonly=False, precompute=True
    )
    # What the verifier found
    state = fields.Selection(
        selection=[
            ("pending", "To Verify"),
            ("in_progress", "In Progress"),
            ("confirmed", "Confirmed"),
            ("not_confirmed", "Not Confirmed"),
            ("unreachable", "Unreachable"),
            ("not_sampled", "Not Sampled"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        group_expand="_group_expand_states",
    )
    call_ids = fields.One2many(
        comodel_name="crm.activity.verification.call",
        inverse_name="verification_id",
        string="Calls",
        readonly=True,
    )
    call_count = fields.Integer(
        string="Call Attempts", compute="_compute_call_count", store=True, precompute=True
    )
    last_outcome = fields.Selection(
        selection=CALL_OUTCOMES,
        compute="_compute_call_count",
        store=True,
        precompute=True,
    )
    result = fields.Text(readonly=True, tracking=True)
    verifier_id = fields.Many2one(comodel_name="res.users", readonly=True, tracking=True)
    verified_on = fields.Datetime(readonly=True, tracking=True, index="btree_not_null")
    waiting_days = fields.Integer(
        string="Days Waiting",
        compute="_compute_waiting_days",
        help="Days since the activity was reported.",
    )
    # Follow-up and escalation (R-2.6, R-2.7, R-3.x)
    followup_state = fields.Selection(
        selection=[
            ("none", "None"),
            ("requested", "Requested"),
            ("done", "Done"),
            ("overdue", "Overdue"),
        ],
        string="Follow-up",
        default="none",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    anomaly = fields.Boolean(readonly=True, tracking=True)
    escalation_level = fields.Integer(
        readonly=True,
        tracking=True,
        help="0: none, 1: department manager, 2: HR & process manager.",
    )
    followup_note = fields.Text(
        string="Follow-up Request",
        readonly=True,
        help="What the customer needs from the collaborator (R-2.6).",
    )
    followup_deadline = fields.Date(readonly=True, tracking=True, index="btree_not_null")
    followup_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Follow-up Requested By",
        readonly=True,
    )
    followup_activity_id = fields.Many2one(
        comodel_name="mail.activity",
        string="Follow-up Activity",
        readonly=True,
        ondelete="set null",
    )
    followup_done_on = fields.Datetime(string="Follow-up Done On", readonly=True, tracking=True)
    followup_feedback = fields.Text(
        string="Follow-up Result",
        readonly=True,
        help="The collaborator's note when marking the follow-up done (R-3.1).",
    )
    escalation_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Escalated To",
        readonly=True,
        tracking=True,
    )
    anomaly_description = fields.Text(readonly=True)
    anomaly_reported_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    anomaly_resolution = fields.Text(readonly=True, tracking=True)
    anomaly_resolved_on = fields.Datetime(readonly=True, tracking=True)
    anomaly_resolved_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    complaint_ids = fields.One2many(
        comodel_name="crm.activity.complaint",
        inverse_name="verification_id",
        string="Complaints",
        readonly=True,
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")
    phone_requested = fields.Boolean(
        compute="_compute_phone_requested",
        help="The collaborator was asked for the contact's phone and has not answered yet.",
    )
    # Recipients of the follow-up e-mails, computed for the mail templates
    department_manager_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_recipients",
        compute_sudo=True,
        help="Leader of the collaborator's sales team (spec: department manager).",
    )
    process_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="HR & Process Manager",
        compute="_compute_recipients",
        compute_sudo=True,
    )
    followup_cc = fields.Char(
        string="Follow-up Copies",
        compute="_compute_recipients",
        compute_sudo=True,
        help="Copies of the follow-up e-mails: department manager and HR & process manager.",
    )
    escalation_cc = fields.Char(
        string="Escalation Copies",
        compute="_compute_recipients",
        compute_sudo=True,
    )
    # Analysis (managers): stored measures, so that pivots, graphs and dashboards sum them
    lead_outcome = fields.Selection(
        selection=[("won", "Won"), ("lost", "Lost"), ("open", "Open")],
        string="Opportunity Outcome",
        compute="_compute_lead_outcome",
        store=True,
        precompute=True,
        help="Outcome of the opportunity the activity belongs to; empty without opportunity.",
    )
    is_concluded = fields.Integer(
        string="Activities Verified",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
        help="1 when the verification is concluded (confirmed, not confirmed or unreachable).",
    )
    is_confirmed = fields.Integer(
        string="Confirmed Activities",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
    )
    is_not_confirmed = fields.Integer(
        string="Not Confirmed Activities",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
    )
    is_unreachable = fields.Integer(
        string="Unreachable Activities",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
    )
    is_anomaly = fields.Integer(
        string="Anomalies", compute="_compute_analysis_measures", store=True, precompute=True
    )
    confirmation_rate = fields.Float(
        string="Confirmation Rate (%)",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
        aggregator="avg",
        digits=(5, 1),
        help="100 for a confirmed activity, 0 otherwise: its average over verified activities "
        "(filter “Concluded”) is the confirmation rate.",
    )
    verify_hours = fields.Float(
        string="Hours to Verify",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
        aggregator="avg",
        digits=(16, 1),
        help="Hours from the activity to the call that concluded its verification; "
        "average it over verified activities (filter “Concluded”).",
    )
    followup_on_time = fields.Integer(
        string="Follow-ups On Time",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
    )
    # Traceability to the sale (purpose 1.1): filled when Sales (sale_crm) is installed
    lead_sale_count = fields.Integer(
        string="Quotations and Orders",
        compute="_compute_lead_sale_count",
        compute_sudo=True,  # a count only; opening them applies the user's own rights
        help="Quotations and sales orders of the opportunity (requires the Sales app).",
    )
    followup_late = fields.Integer(
        string="Follow-ups Late",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
        help="1 when the follow-up is overdue, or was done after its deadline.",
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends(
        "partner_id.phone",
        "lead_id.phone",
        "lead_id.contact_name",
        "partner_id.name",
        "partner_id.is_company",
    )
    def _compute_contact_data(self):
        for verification in self:
            lead, partner = verification.lead_id, verification.partner_id
            if not verification.phone:
                verification.phone = partner.phone or lead.phone or False
            if not verification.contact_name:
                # a person is their own contact; a company's contact is only known from
                # the opportunity (or later, from the verifier, R-2.4)
                person = partner if partner and not partner.is_company else False
                verification.contact_name = lead.contact_name or (person and person.name) or False

    @api.depends("call_ids.outcome")
    def _compute_call_count(self):
        for verification in self:
            calls = verification.call_ids.sorted("id")
            verification.call_count = len(calls)
            verification.last_outcome = calls[-1:].outcome

    @api.depends("activity_date")
    def _compute_waiting_days(self):
        now = fields.Datetime.now()
        for verification in self:
            start = verification.activity_date or now
            verification.waiting_days = max((now - start).days, 0)

    def _compute_complaint_count(self):
        counts = readable_counts(self.env["crm.activity.complaint"], "verification_id", self)
        for verification in self:
            verification.complaint_count = counts.get(verification._origin, 0)

    @api.depends("activity_ids.activity_type_id")
    def _compute_phone_requested(self):
        request_type = self.env.ref(PHONE_REQUEST_TYPE, raise_if_not_found=False)
        for verification in self:
            verification.phone_requested = bool(
                request_type and request_type in verification.activity_ids.activity_type_id
            )

    @api.depends("team_id.user_id", "user_id", "company_id", "escalation_user_id")
    def _compute_recipients(self):
        process_managers = {
            company: self._get_process_manager(company) for company in self.company_id
        }
        for verification in self:
            manager = verification._get_department_manager()
            process_manager = process_managers.get(verification.company_id, self.env["res.users"])
            verification.department_manager_id = manager
            verification.process_manager_id = process_manager
            verification.followup_cc = self._format_emails(manager | process_manager)
            copies = verification.user_id
            if verification.escalation_level >= 2:
                copies |= manager
            verification.escalation_cc = self._format_emails(
                copies - verification.escalation_user_id
            )

    def _compute_lead_sale_count(self):
        # soft dependency on sale_crm: no field on crm.lead without it, and no count
        if "order_ids" not in self.env["crm.lead"]._fields:
            self.lead_sale_count = 0
            return
        for verification in self:
            lead = verification.lead_id
            verification.lead_sale_count = (
                (lead.quotation_count + lead.sale_order_count) if lead else 0
            )

    @api.depends("lead_id.won_status")
    def _compute_lead_outcome(self):
        outcomes = {"won": "won", "lost": "lost", "pending": "open"}
        for verification in self:
            verification.lead_outcome = outcomes.get(verification.lead_id.won_status, False)

    @api.depends(
        "state",
        "anomaly",
        "activity_date",
        "verified_on",
        "followup_state",
        "followup_done_on",
        "followup_deadline",
    )
    def _compute_analysis_measures(self):
        for verification in self:
            state = verification.state
            concluded = state in CONCLUDED_STATES
            verification.is_concluded = int(concluded)
            verification.is_confirmed = int(state == "confirmed")
            verification.is_not_confirmed = int(state == "not_confirmed")
            verification.is_unreachable = int(state == "unreachable")
            verification.is_anomaly = int(verification.anomaly)
            verification.confirmation_rate = 100.0 if state == "confirmed" else 0.0
            hours = 0.0
            if concluded and verification.verified_on and verification.activity_date:
                hours = max(
                    (verification.verified_on - verification.activity_date).total_seconds() / 3600,
                    0.0,
                )
            verification.verify_hours = hours
            done_on = verification.followup_done_on and verification.followup_done_on.date()
            deadline = verification.followup_deadline
            done_late = bool(
                verification.followup_state == "done"
                and deadline
                and done_on
                and done_on > deadline
            )
            verification.followup_on_time = int(
                verification.followup_state == "done" and not done_late
            )
            verification.followup_late = int(verification.followup_state == "overdue" or done_late)

    @api.model
    def _group_expand_states(self, states, domain):
        """Every column of the board, even empty; not the activities left out of the
        sample (B-1), which are not to be called."""
        return [
            state for state, _label in self._fields["state"].selection if state != "not_sampled"
        ]

    def _compute_display_name(self):
        for verification in self:
            verification.display_name = self.env._(
                "VER-%(number)05d %(customer)s",
                number=verification.id or 0,
                customer=verification.partner_id.name or verification.contact_name or "",
            ).strip()

    @api.model_create_multi
    def create(self, vals_list):
        self._check_workflow_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_write(vals)
        result = super().write(vals)
        if vals.get("state") in CONCLUDED_STATES and self.report_line_id:
            # FRE-7.5-01: a report is verified once all its verifications are concluded.
            # sudo: the verifier may not write the report; only its state is derived here.
            self.report_line_id.report_id.sudo()._update_verified_state()
        return result

    # ------------------------------------------------------------------
    # ACTIONS (public API, see spec/contract.md)
    # ------------------------------------------------------------------
    def action_log_call(self, outcome, notes=False, callback_at=False, csat=False):
        """Record one call attempt and its consequence on the verification (R-2.3, R-2.5).

        :param callback_at: for ``call_back``, when the customer asked to be called
            (``YYYY-MM-DD HH:MM:SS`` in UTC over RPC): the verification leaves the call
            queue until then (B-2)
        :param csat: the customer's rating of the service, on Odoo's rating scale (1
            dissatisfied, 3 okay, 5 satisfied) (B-3)
        """
        self.ensure_one()
        outcomes = dict(self._fields["last_outcome"]._description_selection(self.env))
        if not isinstance(outcome, str) or outcome not in outcomes:
            raise UserError(
                self.env._(
                    "Unknown call outcome “%(outcome)s”. Use one of: %(allowed)s.",
                    outcome=outcome,
                    allowed=", ".join(outcomes),
                )
            )
        notes = self._check_text_input(notes, self.env._("The call notes"))
        self._check_open()
        self._check_phone()
        callback_at = self._check_callback_at(outcome, callback_at)
        self._check_csat(csat)
        self.check_access("write")
        workflow = self._workflow()
        workflow.env["crm.activity.verification.call"].create(
            {"verification_id": self.id, "outcome": outcome, "notes": notes or False}
        )
        state = self._get_state_after_call(outcome)
        values = {
            "state": state,
            "result": self._format_result(outcome, notes, outcomes),
            "verifier_id": self.env.uid,
            "verified_on": fields.Datetime.now(),
        }
        if state in CONCLUDED_STATES:
            values["confirmation_channel"] = "phone"
        workflow.write(values)
        self.message_post(
            body=self.env._(
                "Call %(number)s: %(outcome)s. %(notes)s",
                number=self.call_count,
                outcome=outcomes[outcome],
                notes=notes or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._schedule_next_call(outcome, callback_at)
        if state in CONCLUDED_STATES:
            self._post_validation()
        self._after_call(state, csat, notes)
        return True

    def action_request_phone(self, notes=False):
        """Ask the collaborator for the contact's phone (R-2.2)."""
        self.ensure_one()
        self.check_access("write")
        notes = self._check_text_input(notes, self.env._("The request"))
        self._check_open()
        if not self.user_id:
            raise UserError(
                self.env._(
                    "%(verification)s has no responsible collaborator to ask.",
                    verification=self.display_name,
                )
            )
        if self.phone_requested:
            raise UserError(
                self.env._(
                    "The phone number was already requested from %(collaborator)s; "
                    "the request is waiting in their activities.",
                    collaborator=self.user_id.name,
                )
            )
        self.activity_schedule(
            PHONE_REQUEST_TYPE,
            user_id=self.user_id.id,
            note=notes or False,
            summary=self.env._(
                "Phone number of %(contact)s",
                contact=self.contact_name or self.partner_id.name or "",
            ),
        )
        if self.state == "pending":
            self._workflow().state = "in_progress"
        self.message_post(
            body=self.env._(
                "Phone number requested from %(collaborator)s. %(notes)s",
                collaborator=self.user_id.name,
                notes=notes or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_request_phone_button(self):
        """The "Ask for phone" button: :meth:`action_request_phone`, then say it was done."""
        self.action_request_phone()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(collaborator)s was asked for the phone number of %(contact)s.",
                    collaborator=self.user_id.name,
                    contact=self.contact_name or self.partner_id.name or self.display_name,
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_open_call_dialog(self):
        """Open the dialog in which the verifier logs a call."""
        self._check_open()
        self._check_phone()
        return self._open_dialog("crm.activity.verification.call.log", self.env._("Log a call"))

    def action_open_customer_dialog(self):
        """Open the dialog in which the verifier completes the customer's data (R-2.4)."""
        return self._open_dialog(
            "crm.activity.verification.customer", self.env._("Complete customer data")
        )

    def action_open_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_lead_sales(self):
        """Quotations and orders of the opportunity, when Sales (sale_crm) is installed."""
        self.ensure_one()
        if not self.lead_id or not hasattr(self.lead_id, "action_view_sale_quotation"):
            raise UserError(
                self.env._(
                    "%(verification)s has no opportunity with quotations or orders.",
                    verification=self.display_name,
                )
            )
        return self.lead_id.action_view_sale_quotation()

    # ---- Follow-ups, anomalies and complaints (R-2.6 to) ----
    def action_request_followup(self, notes, deadline=False):
        """Ask the collaborator for an immediate follow-up of the customer (R-2.6)."""
        self.ensure_one()
        self.check_access("write")
        notes = self._check_text_input(
            notes,
            self.env._("What the customer needs"),
            missing=self.env._("Write what the customer needs from the collaborator."),
        )
        today = fields.Date.context_today(self)
        if deadline:
            deadline = self._parse_deadline(deadline)
            if deadline < today:
                raise UserError(
                    self.env._(
                        "The follow-up deadline %(deadline)s is in the past.",
                        deadline=fields.Date.to_string(deadline),
                    )
                )
            if deadline > today + DEADLINE_MAX_AHEAD:
                raise UserError(
                    self.env._(
                        "The follow-up deadline %(deadline)s is more than one year ahead.",
                        deadline=fields.Date.to_string(deadline),
                    )
                )
        self._lock_for_followup()
        self._check_followup_request()
        if not deadline:
            days = self.company_id.verification_followup_days or DEFAULT_FOLLOWUP_DAYS
            deadline = self._add_working_days(self.company_id, today, days)
        activity = self.with_context(mail_activity_quick_update=True).activity_schedule(
            "crm_activity_verification.mail_activity_type_followup",
            date_deadline=deadline,
            user_id=self.user_id.id,
            summary=self.env._(
                "Follow up %(customer)s", customer=self.partner_id.name or self.contact_name or ""
            ),
            note=Markup("<p>%s</p>") % notes,
        )
        self._workflow().write(
            {
                "followup_state": "requested",
                "followup_note": notes,
                "followup_deadline": deadline,
                "followup_user_id": self.env.uid,
                "followup_activity_id": activity.id,
                "followup_done_on": False,
                "followup_feedback": False,
                "escalation_level": 0,
                "escalation_user_id": False,
            }
        )
        self.message_post(
            body=self.env._(
                "Follow-up requested from %(collaborator)s by %(deadline)s: %(notes)s",
                collaborator=self.user_id.name,
                deadline=fields.Date.to_string(deadline),
                notes=notes,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._send_template("crm_activity_verification.mail_template_followup_request")
        if not self.department_manager_id:
            self._report_missing_manager()
        return True

    def action_report_anomaly(self, description):
        """Escalate to the HR & process manager an anomaly found during the call (R-2.7)."""
        self.ensure_one()
        self.check_access("write")
        description = self._check_text_input(
            description, self.env._("The anomaly"), missing=self.env._("Describe the anomaly.")
        )
        if self.anomaly and not self.anomaly_resolved_on:
            raise UserError(
                self.env._(
                    "%(verification)s already has an anomaly waiting for resolution.",
                    verification=self.display_name,
                )
            )
        self._workflow().write(
            {
                "anomaly": True,
                "anomaly_description": description,
                "anomaly_reported_by_id": self.env.uid,
                "anomaly_resolution": False,
                "anomaly_resolved_on": False,
                "anomaly_resolved_by_id": False,
            }
        )
        process_manager = self.process_manager_id
        if process_manager:
            self.with_context(mail_activity_quick_update=True).activity_schedule(
                "crm_activity_verification.mail_activity_type_anomaly",
                user_id=process_manager.id,
                summary=self.env._("Anomaly: %(verification)s", verification=self.display_name),
                note=Markup("<p>%s</p>") % description,
            )
            self._send_template("crm_activity_verification.mail_template_anomaly")
        self.message_post(
            body=self.env._(
                "Anomaly reported to %(manager)s: %(description)s",
                manager=process_manager.name
                or self.env._("nobody (no HR & process manager configured)"),
                description=description,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_resolve_anomaly(self, resolution):
        """Record how the HR & process manager resolved the anomaly (R-3.3)."""
        self.ensure_one()
        if not self.env.user.has_group("crm_activity_verification.group_process_manager"):
            raise AccessError(self.env._("Only the HR & process manager resolves anomalies."))
        self.check_access("write")
        resolution = self._check_text_input(
            resolution,
            self.env._("The resolution"),
            missing=self.env._("Write the resolution of the anomaly."),
        )
        if not self.anomaly or self.anomaly_resolved_on:
            raise UserError(
                self.env._(
                    "%(verification)s has no anomaly to resolve.", verification=self.display_name
                )
            )
        self._workflow().write(
            {
                "anomaly_resolution": resolution,
                "anomaly_resolved_on": fields.Datetime.now(),
                "anomaly_resolved_by_id": self.env.uid,
            }
        )
        self.activity_feedback(
            ["crm_activity_verification.mail_activity_type_anomaly"], feedback=resolution
        )
        self.message_post(
            body=self.env._(
                "Anomaly resolved by %(user)s: %(resolution)s",
                user=self.env.user.name,
                resolution=resolution,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_report_complaint(self, description):
        """Hand a complaint heard during the call to procedure PAD-8.5-02 (R-2.8).

        :return: the id of the new ``crm.activity.complaint``
        """
        self.ensure_one()
        self.check_access("write")
        description = self._check_text_input(
            description,
            self.env._("The complaint"),
            missing=self.env._("Describe the customer's complaint."),
        )
        handler = self.company_id.verification_complaint_user_id or self.process_manager_id
        complaint = self.env["crm.activity.complaint"].create(
            {
                "verification_id": self.id,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "description": description,
                "user_id": handler.id,
            }
        )
        self.message_post(
            body=self.env._(
                "Complaint %(complaint)s recorded and assigned to %(handler)s.",
                complaint=complaint.name,
                handler=handler.name or self.env._("nobody (no handler configured)"),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return complaint.id

    def action_open_followup_dialog(self):
        return self._open_dialog(
            "crm.activity.verification.followup", self.env._("Request a follow-up")
        )

    def action_open_anomaly_dialog(self):
        return self._open_dialog(
            "crm.activity.verification.anomaly", self.env._("Report an anomaly")
        )

    def action_open_anomaly_resolve_dialog(self):
        return self._open_dialog(
            "crm.activity.verification.anomaly.resolve", self.env._("Resolve the anomaly")
        )

    def action_open_complaint_dialog(self):
        return self._open_dialog(
            "crm.activity.verification.complaint", self.env._("Record a complaint")
        )

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_activity_verification.crm_activity_complaint_action"
        )
        action["domain"] = [("verification_id", "=", self.id)]
        action["context"] = {
            "default_verification_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    # ------------------------------------------------------------------
    # BUSINESS HELPERS
    # ------------------------------------------------------------------
    def _check_open(self):
        not_sampled = self.filtered(lambda v: v.state == "not_sampled")
        if not_sampled:
            raise UserError(
                self.env._(
                    "%(verification)s was not drawn for a call (sampling). Use “Verify anyway” "
                    "to put it back in the queue first.",
                    verification=not_sampled[0].display_name,
                )
            )
        concluded = self.filtered(lambda v: v.state in CLOSED_STATES)
        if concluded:
            raise UserError(
                self.env._(
                    "%(verification)s is already concluded (%(state)s); it cannot be changed.",
                    verification=concluded[0].display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        concluded[0].state
                    ],
                )
            )

    def _check_phone(self):
        self.ensure_one()
        if not self._get_phone():
            raise UserError(
                self.env._(
                    "%(verification)s has no phone number: complete the customer's data "
                    "or ask %(collaborator)s for it before calling.",
                    verification=self.display_name,
                    collaborator=self.user_id.name or self.env._("the collaborator"),
                )
            )

    def _get_phone(self):
        self.ensure_one()
        return self.phone or self.partner_id.phone or self.lead_id.phone

    def _get_state_after_call(self, outcome):
        if outcome in CONCLUSIVE_OUTCOMES:
            return CONCLUSIVE_OUTCOMES[outcome]
        failed = len(self.call_ids.filtered(lambda call: call.outcome in FAILED_OUTCOMES))
        if outcome in FAILED_OUTCOMES and failed >= self.company_id.verification_max_attempts:
            return "unreachable"
        return "in_progress"

    def _format_result(self, outcome, notes, outcome_labels):
        label = outcome_labels[outcome]
        return f"{label}: {notes}" if notes else label

    def _get_validation_target(self):
        """The CRM document that shows the validation (R-2.5): the opportunity of a
        sales advisor's activity, the customer for everything else."""
        self.ensure_one()
        if self.source == "crm" and self.lead_id:
            return self.lead_id
        return self.partner_id

    def _post_validation(self):
        """Record the validation in the CRM, as a note on the opportunity or customer (R-2.5)."""
        state_labels = dict(self._fields["state"]._description_selection(self.env))
        for verification in self:
            target = verification._get_validation_target()
            if not target:
                continue
            body = Markup("<p>%s</p><p>%s</p>") % (
                self.env._(
                    "Activity verification %(verification)s: %(state)s by %(verifier)s.",
                    verification=verification.display_name,
                    state=state_labels[verification.state],
                    verifier=verification.verifier_id.name
                    or self.env._("the customer, from the confirmation link"),
                ),
                verification.result or "",
            )
            # sudo: the verifier may record a note on any customer/opportunity she verifies;
            # the note is authored by her and only states the recorded outcome.
            target.sudo().message_post(
                body=body,
                subtype_xmlid="mail.mt_note",
                author_id=self.env.user.partner_id.id,
            )

    @api.model
    def _prepare_from_activities(self, activities, feedback=False):
        """Values of the verifications of done activities (R-1.2); one read per model."""
        now = fields.Datetime.now()
        vals_list = []
        records = {
            model: self.env[model].browse(data["record_ids"])
            for model, data in activities._classify_by_model().items()
        }
        for activity in activities:
            record = records[activity.res_model].browse(activity.res_id)
            lead = record if activity.res_model == "crm.lead" else self.env["crm.lead"]
            partner = lead.partner_id if lead else record
            user = activity.user_id or self.env.user
            description = "\n".join(
                part
                for part in (
                    activity.summary,
                    activity.note and html2plaintext(activity.note),
                    feedback,
                )
                if part
            )
            vals_list.append(
                {
                    "source": "crm",
                    "activity_id": activity.id,
                    "company_id": (lead.company_id or user.company_id).id,
                    "partner_id": partner.id,
                    "lead_id": lead.id,
                    "user_id": user.id,
                    "team_id": (lead.team_id or user.sale_team_id).id,
                    "reported_activity_type_id": activity.activity_type_id.id,
                    "activity_date": now,
                    "description": description,
                }
            )
        # one read for the customers (contact data) and the companies' partners (the
        # language of the creation note), whatever the number of activities
        companies = self.env["res.company"].browse({vals["company_id"] for vals in vals_list})
        self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals["partner_id"]}
            | set(companies.partner_id.ids)
        ).mapped("lang")
        return vals_list

    @api.model
    def _create_from_activities(self, activities, feedback=False):
        """Create the verifications of done activities (R-1.2) in one batch, each with its
        creation note; the extra queries do not grow with the number of activities."""
        vals_list = self._prepare_from_activities(activities, feedback=feedback)
        if not vals_list:
            return self.browse()
        # The activities have no verification yet (see mail.activity._action_done): say so
        # to the cache, so that linking them (mail.activity.verification_id, computed from
        # this one2many) does not read it back from the database.
        unlinked = activities.filtered(lambda activity: not activity.verification_id)
        unlinked._fields["verification_ids"]._insert_cache(
            unlinked, itertools.repeat((), len(unlinked))
        )
        # sudo: collaborators may not create verifications themselves; marking their own
        # activity done creates it on their behalf, with values taken from that activity.
        verifications = (
            self.sudo()
            ._workflow()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(vals_list)
            .with_env(self.sudo().env)
        )
        verifications._message_log_batch(bodies=self._creation_notes(verifications))
        return verifications

    def _creation_notes(self, verifications):
        """{id: note} of new verifications, in their company's language (its readers are
        the company's verifiers, whoever marked the activity done)."""
        notes = {}
        for company, records in verifications.grouped("company_id").items():
            env = self.with_context(lang=company.partner_id.lang or self.env.lang).env
            for verification in records:
                notes[verification.id] = env._(
                    "Created from the activity “%(type)s” marked done by %(user)s.",
                    type=verification.reported_activity_type_id.with_env(env).name,
                    user=self.env.user.name,
                )
        return notes

    # ------------------------------------------------------------------
    # FOLLOW-UPS, ANOMALIES, COMPLAINTS: helpers
    # ------------------------------------------------------------------
    _ESCALATION_BATCH_SIZE = 100

    def _check_followup_request(self):
        self.ensure_one()
        if self.state not in FOLLOWUP_STATES:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "A follow-up can be requested only once the customer was reached "
                    "(%(allowed)s); %(verification)s is %(state)s.",
                    allowed=", ".join(states[state] for state in FOLLOWUP_STATES),
                    verification=self.display_name,
                    state=states[self.state],
                )
            )
        if not self.user_id:
            raise UserError(
                self.env._(
                    "%(verification)s has no responsible collaborator to ask.",
                    verification=self.display_name,
                )
            )
        if self.followup_state in ("requested", "overdue"):
            raise UserError(
                self.env._(
                    "A follow-up of %(verification)s is already open until %(deadline)s.",
                    verification=self.display_name,
                    deadline=fields.Date.to_string(self.followup_deadline),
                )
            )

    def _parse_deadline(self, deadline):
        """A date, or an ISO date string (YYYY-MM-DD, as over RPC): nothing else."""
        if isinstance(deadline, date) and not isinstance(deadline, datetime):
            return deadline
        if isinstance(deadline, str) and DEADLINE_PATTERN.match(deadline):
            try:
                return fields.Date.to_date(deadline)
            except ValueError:
                _logger.debug("Follow-up deadline %r is not a calendar date", deadline)
        raise UserError(
            self.env._("“%(deadline)s” is not a date (expected YYYY-MM-DD).", deadline=deadline)
        )

    def _lock_for_followup(self):
        """Lock the verification's row, so that of two follow-up requests at the same
        moment the second is told it was already requested."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT",
                        SQL.identifier(self._table),
                        tuple(self.ids),
                    ),
                    log_exceptions=False,
                )
        except LockNotAvailable:
            raise UserError(
                self.env._(
                    "A follow-up of %(verification)s was already requested by someone else "
                    "just now. Reload it and check.",
                    verification=self.display_name,
                )
            ) from None
        self.invalidate_recordset(["followup_state", "followup_deadline"])

    def _open_dialog(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_verification_id": self.id},
        }

    def _send_template(self, template_xmlid):
        """Queue the e-mail of ``template_xmlid`` for each verification of ``self``."""
        if self:
            self.env.ref(template_xmlid).send_mail_batch(self.ids)

    def _report_missing_manager(self):
        """Tell the HR & process manager that the collaborator has no department manager."""
        for verification in self:
            verification.message_post(
                body=self.env._(
                    "%(collaborator)s has no department manager (no sales team, or a team "
                    "without a leader): reported to the HR & process manager.",
                    collaborator=verification.user_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.filtered("process_manager_id")._send_template(
            "crm_activity_verification.mail_template_missing_manager"
        )

    def _get_department_manager(self):
        """The leader of the collaborator's sales team (spec: department manager)."""
        self.ensure_one()
        team = self.team_id or self.user_id.sale_team_id
        return team.user_id

    @api.model
    def _get_process_manager(self, company):
        """The company's HR & process manager; empty setting: the first member of the
        HR & process manager group in that company."""
        if company.verification_process_manager_id:
            return company.verification_process_manager_id
        group = self.env.ref("crm_activity_verification.group_process_manager")
        # sudo: reading a group's members is reserved to admins; only a user is returned
        users = group.sudo().all_user_ids.filtered(
            lambda user: not user._is_superuser() and user.active and company in user.company_ids
        )
        return users.sorted("id")[:1]

    @api.model
    def _format_emails(self, users):
        return ", ".join(users.filtered("email").mapped("email_formatted"))

    def _followup_done(self, feedback=False):
        """The collaborator marked the follow-up activity done (R-3.1)."""
        # sudo: collaborators cannot write verifications; marking their own follow-up
        # activity done is what closes it, and only the follow-up fields are written.
        verifications = self.sudo().filtered(lambda v: v.followup_state in ("requested", "overdue"))
        if not verifications:
            return
        feedback = feedback and html2plaintext(feedback) or False
        self._check_text_length(feedback, self.env._("The follow-up feedback"))
        verifications._workflow().write(
            {
                "followup_state": "done",
                "followup_done_on": fields.Datetime.now(),
                "followup_feedback": feedback,
            }
        )
        verifications.activity_feedback(
            ["crm_activity_verification.mail_activity_type_followup_escalated"],
            feedback=self.env._("The collaborator did the follow-up."),
        )
        for verification in verifications:
            verification.message_post(
                body=self.env._(
                    "Follow-up done by %(user)s: %(feedback)s",
                    user=self.env.user.name,
                    feedback=verification.followup_feedback or "",
                ),
                subtype_xmlid="mail.mt_note",
                author_id=self.env.user.partner_id.id,
            )
        verifications.filtered("followup_user_id")._send_template(
            "crm_activity_verification.mail_template_followup_done"
        )

    # ---- Working days, per the company's working-time calendar ----
    @api.model
    def _get_company_tz(self, company):
        return pytz.timezone(company.resource_calendar_id.tz or company.partner_id.tz or "UTC")

    @api.model
    def _get_company_now(self, company):
        return pytz.utc.localize(fields.Datetime.now()).astimezone(self._get_company_tz(company))

    @api.model
    def _get_work_intervals(self, company, date_from, date_to, tz=None):
        """Work intervals (aware datetimes, in ``tz``, by default the company's) between
        two dates included; Monday to Friday until 18:00 when the company has no calendar."""
        calendar = company.resource_calendar_id
        tz = tz or self._get_company_tz(company)
        if calendar:
            start = tz.localize(datetime.combine(date_from, time.min))
            end = tz.localize(datetime.combine(date_to, time.max))
            return [
                (begin, stop)
                for begin, stop, _meta in calendar._work_intervals_batch(start, end, tz=tz)[False]
            ]
        days = ((date_from + timedelta(days=n)) for n in range((date_to - date_from).days + 1))
        return [
            (
                tz.localize(datetime.combine(day, time.min)),
                tz.localize(datetime.combine(day, DEFAULT_WORKDAY_END)),
            )
            for day in days
            if day.weekday() < 5
        ]

    @api.model
    def _get_working_dates(self, company, date_from, date_to):
        return sorted(
            {begin.date() for begin, _stop in self._get_work_intervals(company, date_from, date_to)}
        )

    @api.model
    def _add_working_days(self, company, day, days):
        """The ``days``-th working date after ``day`` (``day`` itself when 0)."""
        found = []
        start = day + timedelta(days=1)
        for _window in range(27):  # at most about a year ahead
            if len(found) >= days:
                break
            end = start + timedelta(days=13)
            found += self._get_working_dates(company, start, end)
            start = end + timedelta(days=1)
        if len(found) < days:  # a calendar without working time: count Monday to Friday
            return self._add_working_days(company.browse(), day, days)
        return found[days - 1] if days else day

    @api.model
    def _subtract_working_days(self, company, day, days):
        """The ``days``-th most recent working date up to ``day`` included (``day`` when 0)."""
        found = []
        end = day
        for _window in range(27):
            if len(found) >= days:
                break
            start = end - timedelta(days=13)
            found += reversed(self._get_working_dates(company, start, end))
            end = start - timedelta(days=1)
        if len(found) < days:
            return self._subtract_working_days(company.browse(), day, days)
        return found[days - 1] if days else day

    # ---- Escalation of overdue follow-ups (R-2.7, R-3.2) ----
    @api.model
    def _get_escalation_limits(self, company):
        """(today, limit 1, limit 2): a follow-up whose deadline is before a limit
        is escalated to that level."""
        today = self._get_company_now(company).date()
        manager_days = (
            company.verification_escalation_manager_days or DEFAULT_ESCALATION_MANAGER_DAYS
        )
        process_days = (
            company.verification_escalation_process_days or DEFAULT_ESCALATION_PROCESS_DAYS
        )
        return (
            today,
            self._subtract_working_days(company, today, manager_days),
            self._subtract_working_days(company, today, max(process_days, manager_days)),
        )

    @api.model
    def _get_followup_escalation_domain(self, limits):
        """Open follow-ups that must become overdue or be escalated one step more."""
        domains = []
        for company, (today, limit_manager, limit_process) in limits.items():
            domains.append(
                Domain("company_id", "=", company.id)
                & Domain("followup_state", "in", ("requested", "overdue"))
                & (
                    (
                        Domain("followup_state", "=", "requested")
                        & Domain("followup_deadline", "<", today)
                    )
                    | (
                        Domain("escalation_level", "<", 1)
                        & Domain("followup_deadline", "<", limit_manager)
                    )
                    | (
                        Domain("escalation_level", "<", 2)
                        & Domain("followup_deadline", "<", limit_process)
                    )
                )
            )
        return Domain.OR(domains)

    @api.model
    def _cron_followup_escalation(self):
        """Mark overdue follow-ups and escalate them, in committed batches. Idempotent:
        each step is written with its e-mail, so a second run finds nothing to send."""
        limits = {
            company: self._get_escalation_limits(company)
            for company in self.env["res.company"].search([])
        }
        domain = self._get_followup_escalation_domain(limits)
        in_cron = bool(self.env.context.get("cron_id"))
        while batch := self.search(domain, limit=self._ESCALATION_BATCH_SIZE, order="id"):
            batch._escalate_followups(limits)
            if in_cron:
                remaining = self.search_count(domain)
                time_left = self.env["ir.cron"]._commit_progress(len(batch), remaining=remaining)
                if not remaining or time_left <= 0:
                    break
        return True

    def _escalate_followups(self, limits):
        overdue = self.filtered(lambda v: v.followup_deadline < limits[v.company_id][0])
        overdue.filtered(lambda v: v.followup_state == "requested")._workflow().write(
            {"followup_state": "overdue"}
        )
        for level in (1, 2):
            to_escalate = overdue.filtered(
                lambda v, level=level: (
                    v.escalation_level < level and v.followup_deadline < limits[v.company_id][level]
                )
            )
            to_escalate._escalate_followup(level)

    def _escalate_followup(self, level):
        """Escalate each follow-up of ``self`` to ``level``: chatter, activity and e-mail."""
        if not self:
            return
        recipients = {
            verification: (
                verification.department_manager_id
                if level == 1 and verification.department_manager_id
                else verification.process_manager_id
            )
            for verification in self
        }
        for recipient, verifications in self.grouped(lambda v: recipients[v]).items():
            verifications._workflow().write(
                {"escalation_level": level, "escalation_user_id": recipient.id}
            )
        self._message_log_batch(
            bodies={
                verification.id: self.env._(
                    "Follow-up overdue since %(deadline)s: escalated to %(user)s.",
                    deadline=fields.Date.to_string(verification.followup_deadline),
                    user=recipients[verification].name
                    or self.env._("nobody (no manager configured)"),
                )
                for verification in self
            }
        )
        activity_type = self.env.ref(
            "crm_activity_verification.mail_activity_type_followup_escalated"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": verification.id,
                    "user_id": recipient.id,
                    "summary": self.env._(
                        "Overdue follow-up of %(collaborator)s",
                        collaborator=verification.user_id.name,
                    ),
                    "date_deadline": fields.Date.context_today(verification),
                    "automated": True,
                }
                for verification, recipient in recipients.items()
                if recipient
            ]
        )
        self.filtered("escalation_user_id")._send_template(
            "crm_activity_verification.mail_template_followup_escalation"
        )
        if level == 1:
            self.filtered(lambda v: not v.department_manager_id)._report_missing_manager()

    # ---- Daily capture reminder (R-1.1) ----
    @api.model
    def _cron_daily_capture_reminder(self):
        """After the end of each company's working day, remind the sales advisors who
        recorded no procedure activity that day. Idempotent: one reminder per day."""
        # a handful of companies; each is checked against its own working day
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            now = self._get_company_now(company)
            intervals = self._get_work_intervals(company, now.date(), now.date())
            if not intervals or now < max(stop for _begin, stop in intervals):
                continue  # not a working day, or the working day is not over
            advisors = self._get_advisors_without_activity(company, now)
            self._send_capture_reminders(advisors, now.date())
        return True

    @api.model
    def _send_capture_reminders(self, users, day):
        """A to-do for ``day`` in each user's activities, and an e-mail (R-1.1)."""
        if not users:
            return
        reminder_type = self.env.ref(
            "crm_activity_verification.mail_activity_type_capture_reminder"
        )
        # sudo: the cron gives each advisor a personal to-do (no document attached)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": reminder_type.id,
                    "user_id": user.id,
                    "summary": reminder_type.summary,
                    "date_deadline": day,
                    "automated": True,
                }
                for user in users
            ]
        )
        # sudo: the cron may run as a user without rights on mail templates; the
        # template only renders the advisor's own name and the day
        self.env.ref(
            "crm_activity_verification.mail_template_capture_reminder"
        ).sudo().send_mail_batch(users.ids)

    @api.model
    def _get_advisors_without_activity(self, company, now):
        """Sales advisors of ``company`` who recorded no procedure activity on ``now``'s
        day and were not reminded yet that day."""
        advisors = self.env["res.users"].search(
            [
                ("verification_role", "=", "sales_advisor"),
                ("company_id", "=", company.id),
                ("share", "=", False),
            ]
        )
        if not advisors:
            return advisors
        day_start = (
            now.replace(hour=0, minute=0, second=0, microsecond=0)
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        # sudo: counts verifications per advisor whatever the cron user's rights;
        # nothing is returned but the advisors who recorded something
        active = {
            user
            for [user] in self.sudo()._read_group(
                [("user_id", "in", advisors.ids), ("create_date", ">=", day_start)], ["user_id"]
            )
        }
        # sudo: done activities of the advisors on any document, only counted per advisor
        Activity = self.env["mail.activity"].with_context(active_test=False).sudo()
        active.update(
            user
            for [user] in Activity._read_group(
                [
                    ("user_id", "in", advisors.ids),
                    ("active", "=", False),
                    ("date_done", "=", now.date()),
                    ("activity_type_id.verification_required", "=", True),
                ],
                ["user_id"],
            )
        )
        reminder_type = self.env.ref(
            "crm_activity_verification.mail_activity_type_capture_reminder"
        )
        active.update(
            user
            for [user] in Activity._read_group(
                [
                    ("user_id", "in", advisors.ids),
                    ("activity_type_id", "=", reminder_type.id),
                    ("date_deadline", "=", now.date()),
                ],
                ["user_id"],
            )
        )
        return advisors.filtered(lambda user: user not in active)
