"""Each role lands on its own work after login (issue 15), not on Discuss."""

from odoo import Command
from odoo.tests import TransactionCase, tagged

from .common import MODULE, new_user


@tagged("post_install", "-at_install", MODULE)
class TestLandingAction(TransactionCase):
    def assertLandsOn(self, user, xmlid):
        self.assertEqual(user.action_id.id, self.env.ref(xmlid).id, user.login)

    def test_each_role_lands_on_its_work(self):
        board = f"{MODULE}.crm_activity_verification_action_board"
        self.assertLandsOn(new_user(self.env, "land_verifier", role="verifier"), board)
        self.assertLandsOn(new_user(self.env, "land_process", role="process_manager"), board)
        self.assertLandsOn(
            new_user(self.env, "land_manager", role="manager"),
            "spreadsheet_dashboard.ir_actions_dashboard_action",
        )
        self.assertLandsOn(
            new_user(self.env, "land_promoter", verification_role="parts_promoter"),
            f"{MODULE}.crm_activity_weekly_report_action_my",
        )
        self.assertLandsOn(
            new_user(self.env, "land_advisor", verification_role="sales_advisor"),
            "crm.crm_lead_action_pipeline",
        )

    def test_home_action_of_the_administrator_is_kept(self):
        contacts = self.env.ref("contacts.action_contacts", raise_if_not_found=False) or (
            self.env.ref("base.action_partner_form")
        )
        user = new_user(self.env, "land_chosen", role="verifier", action_id=contacts.id)
        self.assertEqual(user.action_id.id, contacts.id)

    def test_a_user_joining_the_procedure_later(self):
        """An employee outside the procedure keeps Odoo's default; when the
        administrator makes her the verifier, she lands on the board."""
        user = self.env["res.users"].create(
            {
                "name": "Recepción",
                "login": "land_later",
                "group_ids": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        self.assertFalse(user.action_id)
        user.group_ids = [Command.link(self.env.ref(f"{MODULE}.group_verifier").id)]
        self.assertLandsOn(user, f"{MODULE}.crm_activity_verification_action_board")

    def test_administrators_keep_odoos_home(self):
        """The administrator, given a role of the procedure (as at the addon's install),
        still lands on Odoo's home, as Odoo's own tours expect."""
        admin = new_user(self.env, "land_admin", role="process_manager")
        admin.action_id = False
        admin.group_ids = [Command.link(self.env.ref("base.group_system").id)]
        admin.group_ids = [Command.link(self.env.ref(f"{MODULE}.group_verifier").id)]
        self.assertFalse(admin.action_id)
        self.assertFalse(self.env.ref("base.user_admin").action_id)
