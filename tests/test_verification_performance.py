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
        self.assertEqual(overhead_50, overhead_1, "the verification adds a query per activity")
        # insert, creation log, activity link, stored related, the company's working
        # calendar for the verification deadline (B-2) and the sampling settings (B-1)
        self.assertLessEqual(overhead_1, 11)
        self.assertEqual(
            self.env["crm.activity.verification"].search_count([("lead_id", "=", self.lead.id)]),
            52,
        )
