"""Anomalies (R-2.7, R-3.3) and complaints (R-2.8) found during the call.

An anomaly goes to the HR & process manager, who resolves it; a complaint is handed
to procedure PAD-8.5-02 as a ``crm.activity.complaint``.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .crm_activity_verification import readable_counts
from .crm_activity_workflow_mixin import public_method


class CrmActivityVerification(models.Model):
    _inherit = "crm.activity.verification"

    # Anomalies
    anomaly = fields.Boolean(readonly=True, tracking=True)
    anomaly_description = fields.Text(readonly=True)
    anomaly_reported_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    anomaly_resolution = fields.Text(readonly=True, tracking=True)
    anomaly_resolved_on = fields.Datetime(readonly=True, tracking=True)
    anomaly_resolved_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    # Complaints
    complaint_ids = fields.One2many(
        comodel_name="crm.activity.complaint",
        inverse_name="verification_id",
        string="Complaints",
        readonly=True,
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    def _compute_complaint_count(self):
        counts = readable_counts(self.env["crm.activity.complaint"], "verification_id", self)
        for verification in self:
            verification.complaint_count = counts.get(verification._origin, 0)

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    @public_method(single=True)
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
                summary=self._reader_env(process_manager)._(
                    "Anomaly: %(verification)s", verification=self.display_name
                ),
                note=Markup("<p>%s</p>") % description,
            )
            self._send_template("crm_activity_verification.mail_template_anomaly")
        staff_env = self._in_company_lang().env
        self.message_post(
            body=staff_env._(
                "Anomaly reported to %(manager)s: %(description)s",
                manager=process_manager.name
                or staff_env._("nobody (no HR & process manager configured)"),
                description=description,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    @public_method(single=True)
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
            body=self._in_company_lang().env._(
                "Anomaly resolved by %(user)s: %(resolution)s",
                user=self.env.user.name,
                resolution=resolution,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    @public_method(single=True)
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
        # the workflow path: the verification, the date and the collaborator are the
        # procedure's to set (issue 21); the user's rights still apply
        complaint = (
            self.env["crm.activity.complaint"]
            ._workflow()
            .create(
                {
                    "verification_id": self.id,
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "description": description,
                    "user_id": handler.id,
                }
            )
            .with_env(self.env)
        )
        staff_env = self._in_company_lang().env
        self.message_post(
            body=staff_env._(
                "Complaint %(complaint)s recorded and assigned to %(handler)s.",
                complaint=complaint.name,
                handler=handler.name or staff_env._("nobody (no handler configured)"),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return complaint.id

    @public_method(single=True)
    @api.readonly
    def action_open_anomaly_dialog(self):
        return self._open_dialog(
            "crm.activity.verification.anomaly", self.env._("Report an anomaly")
        )

    @public_method(single=True)
    @api.readonly
    def action_open_anomaly_resolve_dialog(self):
        return self._open_dialog(
            "crm.activity.verification.anomaly.resolve", self.env._("Resolve the anomaly")
        )

    @public_method(single=True)
    @api.readonly
    def action_open_complaint_dialog(self):
        return self._open_dialog(
            "crm.activity.verification.complaint", self.env._("Record a complaint")
        )

    @public_method(single=True)
    @api.readonly
    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_activity_verification.crm_activity_complaint_action"
        )
        action["domain"] = [("verification_id", "=", self.id)]
        action["context"] = {
            "default_verification_id": self.id,
            "default_partner_id": self.partner_id.id,
            # complaints of a verification are recorded from it (its button), not here
            "create": False,
        }
        return action
