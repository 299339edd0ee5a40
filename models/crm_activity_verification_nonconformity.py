"""B-5 Anomalies as nonconformities of OCA's Management System (``mgmtsystem_nonconformity``).

A soft dependency: the addon does not depend on the app; the code checks at run time
whether ``mgmtsystem.nonconformity`` is in the registry. With the app, *Report anomaly*
opens a nonconformity linked to the verification (``res_model`` / ``res_id``), with the
customer, the collaborator's department manager as responsible, the HR & process
manager as manager and the origin "Activity verification (PAD-7.2-05)" (made the first
time it is needed: the app may be installed after the addon); the process manager then
works it in OCA's screens (analysis, causes, actions, evaluation). The verification
keeps its anomaly flag and text for the weekly lots, the figures and the seal; its
anomaly is resolved when the nonconformity is closed or cancelled. Without the app the
built-in anomaly flow is unchanged. Either way the anomaly opens an effectiveness check
(``crm_activity_verification_capa.py``).
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from .crm_activity_verification import SUPERVISOR_GROUPS
from .crm_activity_verification_capa import NONCONFORMITY_MODEL
from .crm_activity_workflow_mixin import public_method

# The reference code of OCA's origin of the nonconformities this procedure opens.
NONCONFORMITY_ORIGIN_CODE = "PAD-7.2-05"


class CrmActivityVerification(models.Model):
    _inherit = "crm.activity.verification"

    capa_ids = fields.One2many(
        comodel_name="crm.activity.verification.capa",
        inverse_name="verification_id",
        string="Effectiveness Checks",
        readonly=True,
        groups=SUPERVISOR_GROUPS,
    )
    nonconformity_count = fields.Integer(
        string="Nonconformities", compute="_compute_nonconformity_count"
    )
    nonconformity_stage = fields.Char(
        compute="_compute_nonconformity_stage",
        help="Stage, in the quality app, of the last nonconformity opened from the verification.",
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    def _compute_nonconformity_count(self):
        counts = {}
        if self._nonconformity_app() and self._origin.ids:
            Nonconformity = self.env[NONCONFORMITY_MODEL]
            if Nonconformity.has_access("read"):
                counts = dict(
                    Nonconformity._read_group(
                        [("res_model", "=", self._name), ("res_id", "in", self._origin.ids)],
                        ["res_id"],
                        ["__count"],
                    )
                )
        for verification in self:
            verification.nonconformity_count = counts.get(verification._origin.id, 0)

    def _compute_nonconformity_stage(self):
        stages = {}
        if self._nonconformity_app() and self._origin.ids:
            # sudo: the board shows the stage of a verification's nonconformity to whoever
            # reads the verification, even without rights in the quality app; only the
            # stage's name is read
            nonconformities = (
                self.env[NONCONFORMITY_MODEL]
                .sudo()
                .search_fetch(
                    [("res_model", "=", self._name), ("res_id", "in", self._origin.ids)],
                    ["res_id", "stage_id"],
                    order="id",
                )
            )
            stages = {nc.res_id: nc.stage_id.name for nc in nonconformities}
        for verification in self:
            verification.nonconformity_stage = stages.get(verification._origin.id, False)

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    @public_method(single=True)
    def action_report_anomaly(self, description):
        """R-2.7 / B-5: with the quality app installed, the anomaly is a nonconformity that
        the process manager works there; either way, its corrective action is checked."""
        if self._nonconformity_app():
            return self._report_nonconformity(description)
        result = super().action_report_anomaly(description)
        self.env["crm.activity.verification.capa"]._open_check(self)
        return result

    @public_method(single=True)
    def action_resolve_anomaly(self, resolution):
        """R-3.3; the resolution closes the corrective action: its effectiveness is then
        watched. An anomaly handled as a nonconformity is resolved in the quality app."""
        self.ensure_one()
        check = self._get_anomaly_check()
        if check.nonconformity_id and self.anomaly and not self.anomaly_resolved_on:
            raise UserError(
                self.env._(
                    "The anomaly of %(verification)s is handled in the nonconformity "
                    "%(reference)s: it is resolved there, in the quality app.",
                    verification=self.display_name,
                    reference=check.nonconformity_ref,
                )
            )
        result = super().action_resolve_anomaly(resolution)
        check.filtered(lambda capa: capa.state == "action")._start_watch(self.anomaly_resolved_on)
        return result

    # not @api.readonly: without the app it refuses, with it it only opens a view
    @public_method(single=True)
    def action_open_nonconformities(self):
        """The nonconformities opened from this verification, in the quality app."""
        self.ensure_one()
        if not self._nonconformity_app():
            raise UserError(
                self.env._(
                    "The quality app (OCA's Management System, Nonconformities) is not "
                    "installed: the anomalies of %(verification)s are on the verification.",
                    verification=self.display_name,
                )
            )
        domain = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mgmtsystem_nonconformity.open_mgmtsystem_nonconformity_list"
        )
        # opened from the verification only (its anomaly), not created here
        action.update(domain=domain, context={"create": False})
        nonconformities = self.env[NONCONFORMITY_MODEL].search(domain)
        if len(nonconformities) == 1:
            action.update(res_id=nonconformities.id, view_mode="form", views=[(False, "form")])
        return action

    # ------------------------------------------------------------------
    # THE NONCONFORMITY
    # ------------------------------------------------------------------
    @api.model
    def _nonconformity_app(self):
        """Whether OCA's nonconformities are installed (a soft dependency)."""
        return NONCONFORMITY_MODEL in self.env

    def _report_nonconformity(self, description):
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
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "%(verification)s has no customer: complete the customer first (a "
                    "nonconformity is always about a customer).",
                    verification=self.display_name,
                )
            )
        process_manager = self.process_manager_id
        if not process_manager:
            raise UserError(
                self.env._(
                    "No HR & process manager is set for %(company)s: set one in the "
                    "procedure's settings, to manage the nonconformity.",
                    company=self.company_id.name,
                )
            )
        responsible = self._get_department_manager() or process_manager
        nonconformity = self._create_nonconformity(description, responsible, process_manager)
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
        self.env["crm.activity.verification.capa"]._open_check(self, nonconformity)
        self.message_post(
            body=self._in_company_lang().env._(
                "Anomaly reported as nonconformity %(reference)s, managed by %(manager)s "
                "(responsible: %(responsible)s): %(description)s",
                reference=nonconformity.ref,
                manager=process_manager.name,
                responsible=responsible.name,
                description=description,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _create_nonconformity(self, description, responsible, process_manager):
        """The nonconformity of the anomaly, its responsible and manager told by e-mail."""
        staff_env = self._in_company_lang().env
        # sudo: the verifier opens the nonconformity without rights in the quality app;
        # every value comes from the verification, her text and the procedure's settings
        nonconformity = (
            self.env[NONCONFORMITY_MODEL]
            .sudo()
            .create(
                {
                    "name": staff_env._(
                        "Anomaly in %(verification)s (%(collaborator)s)",
                        verification=self.display_name,
                        collaborator=self.user_id.name or "",
                    ),
                    "partner_id": self.partner_id.id,
                    "responsible_user_id": responsible.id,
                    "manager_user_id": process_manager.id,
                    "user_id": self.env.uid,
                    "origin_ids": [Command.set(self._get_nonconformity_origin().ids)],
                    "description": description,
                    "company_id": self.company_id.id,
                    "res_model": self._name,
                    "res_id": self.id,
                    "reference": self.display_name,
                }
            )
        )
        recipients = (responsible | process_manager).partner_id
        nonconformity.message_subscribe(partner_ids=recipients.ids)
        url = f"{self.get_base_url()}/odoo/{self._name}/{self.id}"
        nonconformity.message_post(
            body=Markup("<p>%s</p><p>%s</p><p><a href='%s'>%s</a></p>")
            % (
                staff_env._(
                    "Customer service found an anomaly while verifying the activity of "
                    "%(collaborator)s with %(customer)s: please analyse it here (causes, "
                    "actions).",
                    collaborator=self.user_id.name or "",
                    customer=self.partner_id.name,
                ),
                description,
                url,
                self.display_name,
            ),
            subtype_xmlid="mail.mt_comment",
            partner_ids=recipients.ids,
        )
        return nonconformity

    @api.model
    def _get_nonconformity_origin(self):
        """OCA's origin "Activity verification (PAD-7.2-05)", made the first time it is
        needed (the app may be installed after the addon), in every installed language."""
        # sudo: the origin is the quality app's configuration, which a verifier may not
        # write; it is found, or made once, by its code
        Origin = self.env["mgmtsystem.nonconformity.origin"].sudo().with_context(active_test=False)
        origin = Origin.search([("ref_code", "=", NONCONFORMITY_ORIGIN_CODE)], limit=1)
        if origin:
            return origin
        origin = Origin.with_context(lang="en_US").create(
            {"name": "Activity verification (PAD-7.2-05)", "ref_code": NONCONFORMITY_ORIGIN_CODE}
        )
        origin.update_field_translations(
            "name",
            {
                code: self.with_context(lang=code).env._("Activity verification (PAD-7.2-05)")
                for code, _name in self.env["res.lang"].get_installed()
            },
        )
        return origin

    def _get_anomaly_check(self):
        """The effectiveness check of the verification's last anomaly."""
        self.ensure_one()
        # sudo: the checks are the procedure's; the flow reads them whatever the role
        return self.sudo().capa_ids.sorted("id")[-1:]

    def _resolve_anomaly_from_nonconformity(self, nonconformity):
        """The nonconformity is closed or cancelled in the quality app: so is the anomaly."""
        self.ensure_one()
        if not self.anomaly or self.anomaly_resolved_on:
            return
        staff_env = self._in_company_lang().env
        if nonconformity.state == "done":
            resolution = staff_env._(
                "Nonconformity %(reference)s closed. %(evaluation)s",
                reference=nonconformity.ref,
                evaluation=nonconformity.evaluation_comments or "",
            )
        else:
            resolution = staff_env._(
                "Nonconformity %(reference)s cancelled.", reference=nonconformity.ref
            )
        self._workflow().write(
            {
                "anomaly_resolution": resolution.strip(),
                "anomaly_resolved_on": nonconformity.closing_date or fields.Datetime.now(),
                "anomaly_resolved_by_id": nonconformity.manager_user_id.id,
            }
        )
        self._log_capa(resolution)

    def _log_capa(self, text):
        """A note on the verification's chatter (its audit trail), in the staff's language."""
        for verification in self:
            verification.message_post(body=text, subtype_xmlid="mail.mt_note")
