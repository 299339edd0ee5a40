from odoo import api, models

from .res_users import REPORTING_ROLES

MODULE = "crm_activity_verification"
# The first page of each role after login (issue 15): the first rule that matches wins.
LANDING_ACTIONS = (
    (f"{MODULE}.group_process_manager", None, f"{MODULE}.crm_activity_verification_action_board"),
    (f"{MODULE}.group_verifier", None, f"{MODULE}.crm_activity_verification_action_board"),
    (f"{MODULE}.group_manager", None, "spreadsheet_dashboard.ir_actions_dashboard_action"),
    (
        f"{MODULE}.group_collaborator",
        REPORTING_ROLES,
        f"{MODULE}.crm_activity_weekly_report_action_my",
    ),
    (f"{MODULE}.group_collaborator", None, "crm.crm_lead_action_pipeline"),
)


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._set_verification_landing_action()
        return users

    def write(self, vals):
        result = super().write(vals)
        if {"group_ids", "verification_role"} & set(vals):
            self._set_verification_landing_action()
        return result

    def _get_verification_landing_action(self):
        """The action of the user's role in the procedure, or an empty recordset."""
        self.ensure_one()
        groups = self.all_group_ids
        for group_xmlid, roles, action_xmlid in LANDING_ACTIONS:
            group = self.env.ref(group_xmlid, raise_if_not_found=False)
            if group in groups and (roles is None or self.verification_role in roles):
                return self.env.ref(action_xmlid, raise_if_not_found=False)
        return self.env["ir.actions.actions"]

    def _set_verification_landing_action(self):
        """Users of the procedure land on their own work rather than on Discuss; a home
        action chosen by the administrator is kept, and administrators keep Odoo's."""
        by_action = {}
        # administrators keep Odoo's home (Discuss): they set up more than the procedure
        admin_group = self.env.ref("base.group_system")
        for user in self.filtered(
            lambda u: not u.action_id and not u.share and admin_group not in u.all_group_ids
        ):
            action = user._get_verification_landing_action()
            if action:
                by_action.setdefault(action.id, []).append(user.id)
        for action_id, user_ids in by_action.items():
            self.browse(user_ids).action_id = action_id
