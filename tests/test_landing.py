"""Each role lands on its own work after login (issue 15), not on Discuss."""

import importlib.util

from odoo import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

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


@tagged("post_install", "-at_install", MODULE)
class TestLandingMigration(TransactionCase):
    """Upgrading a database installed before 19.0.1.0.2 (migrations/19.0.1.0.2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        path = file_path(f"{MODULE}/migrations/19.0.1.0.2/post-migration.py")
        spec = importlib.util.spec_from_file_location("cav_post_migration_19_0_1_0_2", path)
        cls.migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.migration)

    def test_existing_users_get_their_landing_and_chosen_homes_are_kept(self):
        verifier = new_user(self.env, "mig_verifier", role="verifier")
        advisor = new_user(self.env, "mig_advisor", verification_role="sales_advisor")
        outsider = self.env["res.users"].create(
            {
                "name": "Recepción",
                "login": "mig_outsider",
                "group_ids": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        contacts = self.env.ref("base.action_partner_form")
        chosen = new_user(self.env, "mig_chosen", role="verifier", action_id=contacts.id)
        # as before 19.0.1.0.2: nobody had a landing page of the procedure
        (verifier | advisor).action_id = False
        admin = self.env.ref("base.user_admin")
        admin_action = admin.action_id

        self.migration.migrate(self.env.cr, "19.0.1.0.1")

        board = self.env.ref(f"{MODULE}.crm_activity_verification_action_board")
        self.assertEqual(verifier.action_id.id, board.id)
        self.assertEqual(advisor.action_id.id, self.env.ref("crm.crm_lead_action_pipeline").id)
        self.assertFalse(outsider.action_id)
        self.assertEqual(chosen.action_id.id, contacts.id)
        self.assertEqual(admin.action_id, admin_action)

    def test_submitted_report_template_in_the_companys_language(self):
        template = self.env.ref(f"{MODULE}.mail_template_weekly_report_submitted")
        template.lang = self.migration.SUBMITTED_LANG_BEFORE
        self.migration.migrate(self.env.cr, "19.0.1.0.1")
        self.assertEqual(template.lang, "{{ object.company_id.partner_id.lang }}")
        # a language the administrator chose is kept
        template.lang = "es_MX"
        self.migration.migrate(self.env.cr, "19.0.1.0.1")
        self.assertEqual(template.lang, "es_MX")
