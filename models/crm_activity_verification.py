from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

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


class CrmActivityVerification(models.Model):
    _name = "crm.activity.verification"
    _description = "Activity Verification"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "activity_date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["partner_id", "contact_name", "lead_id"]

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
    contact_name = fields.Char(
        string="Contact", compute="_compute_contact_data", store=True, readonly=False
    )
    phone = fields.Char(compute="_compute_contact_data", store=True, readonly=False)
    # What the verifier found
    state = fields.Selection(
        selection=[
            ("pending", "To Verify"),
            ("in_progress", "In Progress"),
            ("confirmed", "Confirmed"),
            ("not_confirmed", "Not Confirmed"),
            ("unreachable", "Unreachable"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        group_expand=True,
    )
    call_ids = fields.One2many(
        comodel_name="crm.activity.verification.call",
        inverse_name="verification_id",
        string="Calls",
        readonly=True,
    )
    call_count = fields.Integer(string="Call Attempts", compute="_compute_call_count", store=True)
    last_outcome = fields.Selection(
        selection=CALL_OUTCOMES,
        compute="_compute_call_count",
        store=True,
        string="Last Outcome",
    )
    result = fields.Text(readonly=True, tracking=True)
    verifier_id = fields.Many2one(comodel_name="res.users", string="Verifier", readonly=True, tracking=True)
    verified_on = fields.Datetime(readonly=True, tracking=True)
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

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("partner_id.phone", "lead_id.phone", "lead_id.contact_name", "partner_id.name")
    def _compute_contact_data(self):
        for verification in self:
            lead, partner = verification.lead_id, verification.partner_id
            if not verification.phone:
                verification.phone = partner.phone or lead.phone or False
            if not verification.contact_name:
                verification.contact_name = lead.contact_name or partner.name or False

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

    def _compute_display_name(self):
        for verification in self:
            verification.display_name = self.env._(
                "VER-%(number)05d %(customer)s",
                number=verification.id or 0,
                customer=verification.partner_id.name or verification.contact_name or "",
            ).strip()

    # ------------------------------------------------------------------
    # ACTIONS (public API, see spec/contract.md)
    # ------------------------------------------------------------------
    def action_log_call(self, outcome, notes=False):
        """Record one call attempt and its consequence on the verification (R-2.3, R-2.5)."""
        self.ensure_one()
        outcomes = dict(self._fields["last_outcome"]._description_selection(self.env))
        if outcome not in outcomes:
            raise UserError(
                self.env._(
                    "Unknown call outcome “%(outcome)s”. Use one of: %(allowed)s.",
                    outcome=outcome,
                    allowed=", ".join(outcomes.values()),
                )
            )
        self._check_open()
        if not self._get_phone():
            raise UserError(
                self.env._(
                    "%(verification)s has no phone number: complete the customer's data "
                    "or ask %(collaborator)s for it before calling.",
                    verification=self.display_name,
                    collaborator=self.user_id.name or self.env._("the collaborator"),
                )
            )
        self.env["crm.activity.verification.call"].create(
            {"verification_id": self.id, "outcome": outcome, "notes": notes or False}
        )
        state = self._get_state_after_call(outcome)
        self.write(
            {
                "state": state,
                "result": self._format_result(outcome, notes, outcomes),
                "verifier_id": self.env.uid,
                "verified_on": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._(
                "Call %(number)s: %(outcome)s. %(notes)s",
                number=self.call_count,
                outcome=outcomes[outcome],
                notes=notes or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        if state in CONCLUDED_STATES:
            self._post_validation()
        return True

    def action_request_phone(self, notes=False):
        """Ask the collaborator for the contact's phone (R-2.2)."""
        self.ensure_one()
        self._check_open()
        if not self.user_id:
            raise UserError(self.env._("%(verification)s has no responsible collaborator to ask.", verification=self.display_name))
        self.activity_schedule(
            "crm_activity_verification.mail_activity_type_phone_request",
            user_id=self.user_id.id,
            note=notes or False,
            summary=self.env._("Phone number of %(contact)s", contact=self.contact_name or self.partner_id.name or ""),
        )
        if self.state == "pending":
            self.state = "in_progress"
        self.message_post(
            body=self.env._("Phone number requested from %(collaborator)s. %(notes)s", collaborator=self.user_id.name, notes=notes or ""),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_open_call_dialog(self):
        """Open the dialog in which the verifier logs a call."""
        self.ensure_one()
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a call"),
            "res_model": "crm.activity.verification.call.log",
            "view_mode": "form",
            "target": "new",
            "context": {"default_verification_id": self.id},
        }

    def action_open_customer_dialog(self):
        """Open the dialog in which the verifier completes the customer's data (R-2.4)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complete customer data"),
            "res_model": "crm.activity.verification.customer",
            "view_mode": "form",
            "target": "new",
            "context": {"default_verification_id": self.id},
        }

    def action_open_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # BUSINESS HELPERS
    # ------------------------------------------------------------------
    def _check_open(self):
        concluded = self.filtered(lambda v: v.state in CONCLUDED_STATES)
        if concluded:
            raise UserError(
                self.env._(
                    "%(verification)s is already concluded (%(state)s); it cannot be changed.",
                    verification=concluded[0].display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[concluded[0].state],
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
                    verifier=verification.verifier_id.name,
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
                for part in (activity.summary, activity.note and html2plaintext(activity.note), feedback)
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
        return vals_list

    @api.model
    def _create_from_activities(self, activities, feedback=False):
        vals_list = self._prepare_from_activities(activities, feedback=feedback)
        if not vals_list:
            return self.browse()
        # sudo: collaborators may not create verifications themselves; marking their own
        # activity done creates it on their behalf, with values taken from that activity.
        verifications = self.sudo().with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create(vals_list)
        verifications._message_log_batch(
            bodies={
                verification.id: self.env._(
                    "Created from the activity “%(type)s” marked done by %(user)s.",
                    type=verification.reported_activity_type_id.name,
                    user=self.env.user.name,
                )
                for verification in verifications
            }
        )
        return verifications
