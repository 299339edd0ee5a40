from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import VerificationCommon


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestVerificationPerformance(VerificationCommon):
    """Marking activities done must not cost a query per activity for the verification.

    Odoo itself posts one "activity done" message per activity (about 4 queries each),
    so the totals grow with the batch; what the addon adds must not.
    """

    def _activities(self, count, activity_type):
        return (
            self.env["mail.activity"]
            .concat(
                *(self._schedule(self.lead, self.advisor, activity_type) for _i in range(count))
            )
            .with_user(self.advisor)
        )

    def _mark_done_queries(self, count, activity_type):
        activities = self._activities(count, activity_type)
        self.env.invalidate_all()
        self.env.flush_all()
        start = self.cr.sql_log_count
        activities.action_done()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def test_mark_done_overhead_constant(self):
        """The verification's extra queries are the same for 1 and for 50 activities."""
        # warm the caches (ir.model.data, templates, access rules) on both paths
        self._mark_done_queries(1, self.type_visit)
        self._mark_done_queries(1, self.type_todo)
        overhead_1 = self._mark_done_queries(1, self.type_visit) - self._mark_done_queries(
            1, self.type_todo
        )
        overhead_50 = self._mark_done_queries(50, self.type_visit) - self._mark_done_queries(
            50, self.type_todo
        )
        self.assertEqual(
            overhead_50,
            overhead_1,
            f"the verification adds a query per activity ({overhead_1} for 1, {overhead_50} "
            "for 50)",
        )
        # per batch, whatever its size: one read of the customers and of the companies'
        # partners (contact data, language of the note), the INSERT of the verifications
        # and the INSERT of their creation notes. Which documents still exist is known
        # from Odoo's own pass (no query), the working days of the deadline come from a
        # cache, and the link to the activity goes in the activity's own UPDATE.
        self.assertLessEqual(overhead_1, 3, f"{overhead_1} extra queries")
        self.assertEqual(
            self.env["crm.activity.verification"].search_count([("lead_id", "=", self.lead.id)]),
            52,
        )

    def test_new_verification_values_as_computed(self):
        """The values precomputed at creation without Odoo's new records (measures,
        contact, outcome of the opportunity, deadline) are those their computes give; no
        follower is added, the creation note is the only message."""
        activity = self._activities(1, self.type_visit)
        activity.action_done()
        verification = self.env["crm.activity.verification"].search(
            [("activity_id", "=", activity.id)]
        )
        precomputed = [f for f in verification._fields.values() if f.precompute]
        created = {field.name: verification[field.name] for field in precomputed}
        self.assertEqual(created["contact_name"], self.lead.contact_name)
        self.assertEqual(created["phone"], self.customer.phone)
        for field in precomputed:
            if field.name not in ("contact_name", "phone"):  # kept when set
                self.env.add_to_compute(field, verification)
        verification._recompute_recordset()
        self.assertEqual({f.name: verification[f.name] for f in precomputed}, created)
        self.assertFalse(verification.message_follower_ids)
        self.assertEqual(len(verification.message_ids), 1)

    def test_creation_note_in_company_language(self):
        """The creation note is written in the company's language (its readers are the
        verifiers), with the activity type's translated name, whoever marks it done."""
        self.env["res.lang"]._activate_lang("es_MX")
        self.env["ir.module.module"]._load_module_terms(["crm_activity_verification"], ["es_MX"])
        self.company_admin.partner_id.lang = "es_MX"
        self.advisor.lang = "en_US"
        self.type_visit.with_context(lang="es_MX").name = "Visita de promoción"
        activity = self._activities(1, self.type_visit)
        activity.with_context(lang="en_US").action_done()
        verification = self.env["crm.activity.verification"].search(
            [("activity_id", "=", activity.id)]
        )
        bodies = verification.message_ids.mapped("body")
        self.assertTrue(
            any(
                "Creada a partir de la actividad “Visita de promoción” marcada como hecha por "
                f"{self.advisor.name}" in body
                for body in bodies
            ),
            bodies,
        )

    def test_company_check_in_batch(self):
        """The company check of a batch (one pass per company and field) still refuses
        a record whose department belongs to another company, and only that one."""
        team_c2 = self.env["crm.team"].create({"name": "Ventas 2", "company_id": self.company_2.id})
        Verification = self.env["crm.activity.verification"]._workflow()

        def vals(team):
            return {
                "user_id": self.advisor.id,
                "team_id": team.id,
                "activity_date": "2026-03-06 12:00:00",
                "company_id": self.company_admin.id,
            }

        self.assertEqual(len(Verification.create([vals(self.team_sales)] * 3)), 3)
        with self.assertRaisesRegex(UserError, "Ventas 2"):
            Verification.create([vals(self.team_sales), vals(team_c2), vals(self.team_sales)])
