from odoo.exceptions import AccessError
from odoo.tests import tagged, users
from odoo.tools import mute_logger

from .common import VerificationCommon, new_user


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestVerificationAccess(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.v_sales = cls._verification_done(cls.lead, cls.advisor)
        cls.v_sales_2 = cls._verification_done(cls.customer, cls.advisor_2)
        cls.v_parts = cls._verification_done(cls.customer, cls.promoter)
        cls.customer_c2 = cls.env["res.partner"].create(
            {
                "name": "Cliente Otra Empresa",
                "phone": "+52 55 5555 0000",
                "company_id": cls.company_2.id,
            }
        )
        cls.v_c2 = cls._verification_done(cls.customer_c2, cls.advisor_c2)
        cls.all_company_1 = cls.v_sales | cls.v_sales_2 | cls.v_parts

    def _visible(self):
        return self.env["crm.activity.verification"].search([]) & (self.all_company_1 | self.v_c2)

    def test_admin_groups_after_install(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("crm_activity_verification.group_process_manager"))
        self.assertTrue(admin.has_group("crm_activity_verification.group_verifier"))
        # the user form offers the verifier apart from the ladder of the other roles, so
        # the administrator keeps both roles when his groups are edited there
        verifier_group = self.env.ref("crm_activity_verification.group_verifier")
        process_group = self.env.ref("crm_activity_verification.group_process_manager")
        self.assertNotEqual(verifier_group.privilege_id, process_group.privilege_id)
        self.assertTrue(self.advisor.has_group("sales_team.group_sale_salesman"))
        self.assertTrue(self.verifier.has_group("sales_team.group_sale_salesman_all_leads"))
        self.assertTrue(self.manager_sales.has_group("sales_team.group_sale_salesman_all_leads"))
        self.assertTrue(self.process_manager.has_group("sales_team.group_sale_salesman_all_leads"))

    @users("asesor")
    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_collaborator_sees_own_and_cannot_change(self):
        self.assertEqual(self._visible(), self.v_sales)
        mine = self.v_sales.with_user(self.env.user)
        self.assertEqual(mine.state, "pending")
        with self.assertRaises(AccessError):
            mine.write({"result": "Lo confirmo yo mismo"})
        with self.assertRaises(AccessError):
            mine.action_log_call("confirmed")
        with self.assertRaises(AccessError):
            self.v_sales_2.with_user(self.env.user).read(["state"])
        self.assertEqual(self.v_sales.state, "pending")

    @users("gcom")
    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_department_manager_reads_teams_led(self):
        self.assertEqual(self._visible(), self.v_sales | self.v_sales_2)
        with self.assertRaises(AccessError):
            self.v_sales.with_user(self.env.user).write({"result": "x"})
        with self.assertRaises(AccessError):
            self.v_parts.with_user(self.env.user).read(["state"])

    @users("aux")
    def test_verifier_works_company_wide(self):
        self.assertEqual(self._visible(), self.all_company_1)
        self.v_parts.with_user(self.env.user).action_log_call("confirmed")
        self.assertEqual(self.v_parts.state, "confirmed")

    @users("rhp")
    def test_process_manager_reads_company(self):
        self.assertEqual(self._visible(), self.all_company_1)

    @users("aux_c2")
    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_other_company_isolated(self):
        self.assertEqual(self._visible(), self.v_c2)
        with self.assertRaises(AccessError):
            self.v_sales.with_user(self.env.user).read(["state"])

    @users("employee")
    @mute_logger("odoo.addons.base.models.ir_model")
    def test_user_without_role_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.env["crm.activity.verification"].search([])

    @users("aux")
    def test_verifier_completes_customer_with_own_rights(self):
        partner = self.customer_no_phone.with_user(self.env.user)
        partner.write({"phone": "+52 661 555 0000", "street": "Blvd. Benito Juárez 100"})
        child = self.env["res.partner"].create({"name": "Contacto nuevo", "parent_id": partner.id})
        self.assertEqual(child.parent_id, self.customer_no_phone)

    def test_salesman_without_role_opens_customer_and_opportunity(self):
        """The smart-button counters read as 0 for a salesman outside the procedure,
        instead of failing on the verifications and complaints he may not read."""
        salesman = new_user(self.env, "vendedor", role="salesman")
        self.env["crm.activity.complaint"].create(
            {"partner_id": self.customer.id, "description": "Entrega tardía"}
        )
        customer = self.customer.with_user(salesman)
        self.assertEqual((customer.verification_count, customer.complaint_count), (0, 0))
        self.assertEqual(self.lead.with_user(salesman).verification_count, 0)
        # the same counters as the verifier (her own request): what she may read
        self.env.invalidate_all()
        as_verifier = self.customer.with_user(self.verifier)
        self.assertEqual((as_verifier.verification_count, as_verifier.complaint_count), (3, 1))
