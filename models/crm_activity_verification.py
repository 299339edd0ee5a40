from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .crm_activity_workflow_mixin import public_method

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
PHONE_REQUEST_TYPE = "crm_activity_verification.mail_activity_type_phone_request"
# Who may read the procedure's records: the groups= of the fields this addon adds to
# Odoo's models (crm.lead, mail.activity, res.partner), so that users outside the
# procedure read those models exactly as without the addon.
PROCEDURE_GROUPS = ",".join(
    f"crm_activity_verification.{group}"
    for group in ("group_collaborator", "group_verifier", "group_manager")
)
# Who reads every verification of their scope: verifiers and managers (not collaborators).
SUPERVISOR_GROUPS = ",".join(
    f"crm_activity_verification.{group}"
    for group in ("group_verifier", "group_manager", "group_process_manager")
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
        "activity_date",
        "description",
        "done_by_id",
        "link_withheld",
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
        "escalation_mail_level",
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
        "phone_received",
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
        help="The responsible collaborator: the activity's assignee.",
    )
    done_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Marked Done By",
        readonly=True,
        help="Who marked the activity done, as recorded by Odoo. When it is not the "
        "collaborator, the activity is always verified and the collaborator is told.",
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
    phone_requested = fields.Boolean(
        compute="_compute_phone_requested",
        help="The collaborator was asked for the contact's phone and has not answered yet.",
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
            values = self._get_contact_values(verification.lead_id, verification.partner_id)
            if not verification.phone:
                verification.phone = values["phone"]
            if not verification.contact_name:
                verification.contact_name = values["contact_name"]

    @api.model
    def _get_contact_values(self, lead, partner):
        """Contact and phone of a verification of ``lead`` / ``partner``: a person is
        their own contact; a company's contact is only known from the opportunity (or
        later, from the verifier, R-2.4)."""
        person = partner if partner and not partner.is_company else False
        return {
            "phone": partner.phone or lead.phone or False,
            "contact_name": lead.contact_name or (person and person.name) or False,
        }

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

    @api.depends("activity_ids.activity_type_id", "activity_ids.active")
    def _compute_phone_requested(self):
        for verification in self:
            verification.phone_requested = bool(verification._get_phone_requests())

    def _compute_display_name(self):
        for verification in self:
            verification.display_name = self.env._(
                "VER-%(number)05d %(customer)s",
                number=verification.id or 0,
                customer=verification.partner_id.name or verification.contact_name or "",
            ).strip()

    @api.model
    def _group_expand_states(self, states, domain):
        """Every column of the board, even empty; not the activities left out of the
        sample (B-1), which are not to be called."""
        return [
            state for state, _label in self._fields["state"].selection if state != "not_sampled"
        ]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_workflow_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_write(vals)
        result = super().write(vals)
        if vals.get("state") in CONCLUDED_STATES:
            # a phone request left open is no longer needed
            self._close_phone_requests()
        if vals.get("state") in CONCLUDED_STATES and self.report_line_id:
            # FRE-7.5-01: a report is verified once all its verifications are concluded.
            # sudo: the verifier may not write the report; only its state is derived here.
            self.report_line_id.report_id.sudo()._update_verified_state()
        return result

    # ------------------------------------------------------------------
    # ACTIONS (public API, see spec/contract.md)
    # ------------------------------------------------------------------
    @public_method(single=True)
    def action_log_call(self, outcome, notes=False, callback_at=False, csat=False):
        """Record one call attempt and its consequence on the verification (R-2.3, R-2.5).

        :param callback_at: for ``call_back``, when the customer asked to be called
            (``YYYY-MM-DD HH:MM:SS`` in UTC over RPC): the verification leaves the call
            queue until then (B-2)
        :param csat: the customer's rating of the service, on Odoo's rating scale (1
            dissatisfied, 3 okay, 5 satisfied) (B-3)
        """
        self.ensure_one()
        outcomes = self._get_selection_labels("last_outcome")
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
        # the result and the note are read by the company's staff, in its language
        staff = self._in_company_lang()
        staff_outcomes = staff._get_selection_labels("last_outcome")
        values = {
            "state": state,
            "result": self._format_result(outcome, notes, staff_outcomes),
            "verifier_id": self.env.uid,
            "verified_on": fields.Datetime.now(),
        }
        if state in CONCLUDED_STATES:
            values["confirmation_channel"] = "phone"
        workflow.write(values)
        self.message_post(
            body=staff.env._(
                "Call %(number)s: %(outcome)s. %(notes)s",
                number=self.call_count,
                outcome=staff_outcomes[outcome],
                notes=notes or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._schedule_next_call(outcome, callback_at)
        if state in CONCLUDED_STATES:
            self._post_validation()
        self._after_call(state, csat, notes)
        return True

    @public_method(single=True)
    def action_request_phone(self, notes=False):
        """Ask the collaborator for the contact's phone (R-2.2)."""
        self.ensure_one()
        self.check_access("write")
        notes = self._check_text_input(notes, self.env._("The request"))
        self._check_open()
        self._check_collaborator()
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
            # due today in the collaborator's day: the call waits on it, and the Activities
            # menu opens on what is due today or late
            date_deadline=fields.Date.context_today(self.with_user(self.user_id)),
            user_id=self.user_id.id,
            note=notes or False,
            summary=self._reader_env(self.user_id)._(
                "Phone number of %(contact)s",
                contact=self.contact_name or self.partner_id.name or "",
            ),
        )
        if self.state == "pending":
            self._workflow().state = "in_progress"
        self.message_post(
            body=self._in_company_lang().env._(
                "Phone number requested from %(collaborator)s. %(notes)s",
                collaborator=self.user_id.name,
                notes=notes or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    @public_method(single=True)
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

    @public_method(single=True)
    @api.readonly
    def action_open_call_dialog(self):
        """Open the dialog in which the verifier logs a call."""
        self._check_open()
        self._check_phone()
        return self._open_dialog("crm.activity.verification.call.log", self.env._("Log a call"))

    @public_method(single=True)
    @api.readonly
    def action_open_customer_dialog(self):
        """Open the dialog in which the verifier completes the customer's data (R-2.4)."""
        return self._open_dialog(
            "crm.activity.verification.customer", self.env._("Complete customer data")
        )

    @public_method(single=True)
    @api.readonly
    def action_open_lead(self):
        """The opportunity of the reported activity, in its form."""
        self.ensure_one()
        if not self.lead_id:
            raise UserError(
                self.env._(
                    "%(verification)s has no opportunity: the activity was recorded on the "
                    "customer, or in a weekly report.",
                    verification=self.display_name,
                )
            )
        return self.lead_id.get_formview_action()

    # ------------------------------------------------------------------
    # PRIVATE
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
                    state=self._get_selection_labels("state")[concluded[0].state],
                )
            )

    def _check_collaborator(self):
        """Refuse a request to the collaborator when nobody is responsible."""
        self.ensure_one()
        if not self.user_id:
            raise UserError(
                self.env._(
                    "%(verification)s has no responsible collaborator to ask.",
                    verification=self.display_name,
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
        for verification in self:
            target = verification._get_validation_target()
            if not target:
                continue
            # read by the company's sales staff, in its language
            staff = verification._in_company_lang()
            body = Markup("<p>%s</p><p>%s</p>") % (
                staff.env._(
                    "Activity verification %(verification)s: %(state)s by %(verifier)s.",
                    verification=verification.display_name,
                    state=staff._get_selection_labels("state")[verification.state],
                    verifier=verification.verifier_id.name
                    or staff.env._("the customer, from the confirmation link"),
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
