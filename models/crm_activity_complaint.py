from odoo import api, fields, models
from odoo.exceptions import UserError

from .crm_activity_workflow_mixin import public_method

# Procedure the complaints are handed to.
COMPLAINT_PROCEDURE = "PAD-8.5-02"


class CrmActivityComplaint(models.Model):
    _name = "crm.activity.complaint"
    _description = "Customer Complaint (PAD-8.5-02)"
    _inherit = ["crm.activity.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # the state changes through the actions below only (issue 8); when, about which
    # verification and whose activity the complaint was heard is the procedure's (issue 21)
    _workflow_fields = frozenset(
        {"name", "state", "resolved_on", "date", "verification_id", "collaborator_id", "team_id"}
    )
    _workflow_fixed_fields = frozenset({"company_id"})

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    procedure_ref = fields.Char(
        string="Procedure",
        default=COMPLAINT_PROCEDURE,
        readonly=True,
        help="Quality procedure that governs the handling of this complaint.",
    )
    active = fields.Boolean(
        default=True,
        tracking=True,
        help="Archived complaints are kept (ISO 9001 records) but hidden from the lists.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
    )
    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
        check_company=True,
    )
    collaborator_id = fields.Many2one(
        related="verification_id.user_id",
        string="Collaborator",
        store=True,
    )
    team_id = fields.Many2one(related="verification_id.team_id", string="Department", store=True)
    description = fields.Text(required=True, tracking=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Handler",
        index=True,
        tracking=True,
        help="Who handles the complaint under procedure PAD-8.5-02.",
    )
    state = fields.Selection(
        selection=[
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("resolved", "Resolved"),
            ("cancelled", "Cancelled"),
        ],
        default="new",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        group_expand=True,
    )
    resolution = fields.Text(tracking=True)
    resolved_on = fields.Datetime(readonly=True)
    color = fields.Integer(compute="_compute_color")

    @api.depends("state")
    def _compute_color(self):
        colors = {"new": 2, "in_progress": 4, "resolved": 10, "cancelled": 0}
        for complaint in self:
            complaint.color = colors.get(complaint.state, 0)

    @api.constrains("description", "resolution")
    def _check_description(self):
        if any(not (complaint.description or "").strip() for complaint in self):
            raise UserError(self.env._("Describe the customer's complaint."))
        for complaint in self:
            self._check_text_length(complaint.description, self.env._("The complaint"))
            self._check_text_length(complaint.resolution, self.env._("The resolution"))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_workflow_create(vals_list)
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                # sudo: the sequence is technical; every user who may record a complaint
                # gets its next number, whatever their rights on ir.sequence.
                vals["name"] = (
                    self.env["ir.sequence"].sudo().next_by_code("crm.activity.complaint") or "/"
                )
        # the handler gets the complaint's own e-mail below, not the generic "assigned to you"
        complaints = (
            super(CrmActivityComplaint, self.with_context(mail_auto_subscribe_no_notify=True))
            .create(vals_list)
            .with_env(self.env)
        )
        complaints._notify_handler()
        return complaints

    def write(self, vals):
        self._check_workflow_write(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    @public_method
    def action_start(self):
        self._check_state(("new",))
        self._workflow().write({"state": "in_progress"})
        return True

    @public_method
    def action_resolve(self):
        self._check_state(("new", "in_progress"))
        missing = self.filtered(lambda complaint: not (complaint.resolution or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Write the resolution of %(complaint)s before closing it.",
                    complaint=missing[0].name,
                )
            )
        self._workflow().write({"state": "resolved", "resolved_on": fields.Datetime.now()})
        for company, complaints in self.grouped("company_id").items():
            # the closing note is read by the company's staff, in its language
            staff_env = complaints._reader_env(company)
            complaints.with_env(staff_env).activity_feedback(
                ["crm_activity_verification.mail_activity_type_complaint"],
                feedback=staff_env._("Complaint resolved."),
            )
        return True

    @public_method
    def action_cancel(self):
        self._check_state(("new", "in_progress"))
        self._workflow().write({"state": "cancelled"})
        self.activity_unlink(["crm_activity_verification.mail_activity_type_complaint"])
        return True

    @public_method
    def action_reset(self):
        self._check_state(("resolved", "cancelled"))
        self._workflow().write({"state": "in_progress", "resolved_on": False})
        return True

    @public_method(single=True)
    @api.readonly
    def action_open_verification(self):
        """The verification during which the complaint was heard, in its form."""
        self.ensure_one()
        if not self.verification_id:
            raise UserError(
                self.env._(
                    "%(complaint)s was not recorded during a verification call.",
                    complaint=self.name,
                )
            )
        return self.verification_id.get_formview_action()

    # ------------------------------------------------------------------
    # BUSINESS HELPERS
    # ------------------------------------------------------------------
    def _check_state(self, allowed):
        labels = self._get_selection_labels("state")
        wrong = self.filtered(lambda complaint: complaint.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(complaint)s is %(state)s: this action does not apply.",
                    complaint=wrong[0].name,
                    state=labels[wrong[0].state],
                )
            )

    def _notify_handler(self):
        """Give each complaint to its handler: an activity and an e-mail (R-2.8)."""
        with_handler = self.filtered("user_id")
        if not with_handler:
            return
        for complaint in with_handler:
            # sudo: whoever records the complaint may assign it to the handler, even if
            # they cannot schedule activities on complaints themselves (collaborators).
            complaint.sudo().with_context(mail_activity_quick_update=True).activity_schedule(
                "crm_activity_verification.mail_activity_type_complaint",
                date_deadline=fields.Date.context_today(complaint),
                user_id=complaint.user_id.id,
                summary=self._reader_env(complaint.user_id)._(
                    "Handle complaint %(complaint)s", complaint=complaint.name
                ),
            )
        with_handler.message_subscribe(partner_ids=with_handler.user_id.partner_id.ids)
        template = self.env.ref("crm_activity_verification.mail_template_complaint_assigned")
        template.send_mail_batch(with_handler.ids)
