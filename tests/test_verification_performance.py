from odoo.tests import tagged, warmup

from .common import VerificationCommon


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestVerificationPerformance(VerificationCommon):
    """Marking activities done must not cost a query per activity for the verification."""

    def _activities(self, count, activity_type):
        return self.env["mail.activity"].concat(
            *(self._schedule(self.lead, self.advisor, activity_type) for _i in range(count))
        )

    def _mark_done_queries(self, count, activity_type):
        activities = self._activities(count, activity_type).with_user(self.advisor)
        self.env.invalidate_all()
        self.env.flush_all()
        start = self.cr.sql_log_count
        activities.action_done()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    @warmup
    def test_mark_done_overhead_constant(self):
        """The verification's extra queries are the same for 1 and for 50 activities."""
        overhead_1 = self._mark_done_queries(1, self.type_visit) - self._mark_done_queries(1, self.type_todo)
        overhead_50 = self._mark_done_queries(50, self.type_visit) - self._mark_done_queries(50, self.type_todo)
        self.assertLessEqual(overhead_50, overhead_1 + 2, f"overhead 1: {overhead_1}, 50: {overhead_50}")
        self.assertEqual(self.env["crm.activity.verification"].search_count([("lead_id", "=", self.lead.id)]), 51)
