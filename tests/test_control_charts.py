"""B-6 Where to improve: each collaborator's weekly lots on a p-chart (issue 25).

A simulated department: three collaborators with 13 weeks of verified activities at the
department's usual rate (about 5 % not confirmed); in the last complete week one drifts
(6 of 10 not confirmed: flagged), another has a single bad week that chance explains
(1 of 3: inside its wider limits, not flagged)."""

import base64
import json
import re
from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged
from odoo.tools import file_open, mute_logger

from .common import MODULE, VerificationCommon, new_user

# Thursday 2026-11-26: the last complete week is Saturday 2026-11-14 – Friday 2026-11-20
NOW = datetime(2026, 11, 26, 18, 0)
LAST_WEEK = date(2026, 11, 14)


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestControlCharts(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.advisor_3 = new_user(
            cls.env, "asesor3", "Carmen Asesora", verification_role="sales_advisor"
        )
        cls.team_sales.member_ids |= cls.advisor_3
        vals_list = []
        # 12 weeks before the last one: 1 of 20 not confirmed per collaborator and week
        for week in range(1, 13):
            for user in (cls.advisor, cls.advisor_2, cls.advisor_3):
                vals_list += cls._week_vals(user, week, verified=20, not_confirmed=1)
        # the last complete week: a drift, a single bad week of few activities, a good one
        vals_list += cls._week_vals(cls.advisor, 0, verified=10, not_confirmed=6)
        vals_list += cls._week_vals(cls.advisor_2, 0, verified=3, not_confirmed=1)
        vals_list += cls._week_vals(cls.advisor_3, 0, verified=20, not_confirmed=1)
        cls.env["crm.activity.verification"]._workflow().with_context(
            tracking_disable=True, mail_create_nolog=True
        ).create(vals_list)
        cls.Analysis = cls.env["crm.activity.verification.analysis"]
        cls.Analysis._refresh(cls.company_admin)

    @classmethod
    def _week_vals(cls, user, weeks_ago, verified, not_confirmed):
        # Wednesday 10:00 in Tijuana of the week that starts weeks_ago before LAST_WEEK
        when = datetime.combine(LAST_WEEK - timedelta(weeks=weeks_ago), datetime.min.time())
        when += timedelta(days=4, hours=18)
        return [
            {
                "partner_id": cls.customer.id,
                "user_id": user.id,
                "team_id": cls.team_sales.id,
                "company_id": cls.company_admin.id,
                "activity_date": when,
                "state": "not_confirmed" if n < not_confirmed else "confirmed",
                "verified_on": when + timedelta(days=1),
            }
            for n in range(verified)
        ]

    def _last_week(self, user):
        return self.Analysis.search([("user_id", "=", user.id), ("week_start", "=", LAST_WEEK)])

    def test_the_drift_is_flagged_the_bad_luck_is_not(self):
        drift, bad_luck, steady = (
            self._last_week(user) for user in (self.advisor, self.advisor_2, self.advisor_3)
        )
        # the department's rate over the 12 weeks before: 36 of 720 = 5 %
        for row in drift | bad_luck | steady:
            self.assertAlmostEqual(row.centre_line, 5.0)
            self.assertTrue(row.has_limits and row.is_last_week)
        self.assertRecordValues(
            drift,
            [{"verified": 10, "not_confirmed": 6, "proportion": 60.0, "is_out_of_control": True}],
        )
        # (the figures are kept to one decimal, as shown)
        self.assertAlmostEqual(
            drift.upper_limit, 100 * (0.05 + 3 * (0.05 * 0.95 / 10) ** 0.5), places=1
        )
        # one of three is 33 %, but three activities tell little: its limit is 42.7 %
        self.assertRecordValues(
            bad_luck, [{"verified": 3, "not_confirmed": 1, "is_out_of_control": False}]
        )
        self.assertAlmostEqual(bad_luck.proportion, 100 / 3, places=1)
        self.assertGreater(bad_luck.upper_limit, bad_luck.proportion)
        self.assertFalse(steady.is_out_of_control)
        # 13 weeks per collaborator kept (the 12 shown and the one before, for its limits)
        self.assertEqual(
            self.Analysis.search_count([("user_id", "=", self.advisor.id)]), 12, "12 weeks shown"
        )
        # the chart of the last 12 weeks is an image
        self.assertTrue(base64.b64decode(drift.chart).startswith(b"\x89PNG"))
        # computed again: the same rows, nothing doubled
        self.Analysis._refresh(self.company_admin)
        self.assertEqual(len(self._last_week(self.advisor)), 1)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_managers_read_their_teams_only(self):
        action = (
            self.env.ref(f"{MODULE}.crm_activity_verification_analysis_action_refresh")
            .with_user(self.manager_sales)
            .run()
        )
        self.assertEqual(action["res_model"], "crm.activity.verification.analysis")
        seen = self.Analysis.with_user(self.manager_sales).search([("is_last_week", "=", True)])
        self.assertEqual(seen.user_id, self.advisor | self.advisor_2 | self.advisor_3)
        self.assertFalse(self.Analysis.with_user(self.manager_parts).search([]))
        self.assertEqual(len(self.Analysis.with_user(self.process_manager).search([])), 36)
        for user in (self.advisor, self.verifier):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Analysis.with_user(user).search([])

    def test_the_digest_shows_the_charts_and_who_is_out_of_control(self):
        Digest = self.env["crm.activity.verification.digest"]
        with freeze_time(datetime(2026, 11, 21, 16, 0)), self.mock_mail_gateway():
            # Saturday: the digest of the week that ended, the charts computed again
            Digest._cron_send_weekly_digest()
        mail = self._new_mails.filtered(lambda m: self.manager_sales.partner_id in m.recipient_ids)
        self.assertEqual(len(mail), 1)
        body = mail.body_html
        self.assertIn("o_digest_control_charts", body)
        out = re.search(r'class="o_digest_out_of_control">(.*?)</p>', body, re.S).group(1)
        self.assertIn("Arturo Asesor", out)
        self.assertIn("6 of 10", out)
        self.assertNotIn("Beatriz", out, "a bad week that chance explains is not listed")
        images = re.findall(r'src="([^"]*/web/image/(\d+)\?access_token=[^"]+)"', body)
        self.assertEqual(len(images), 3, "one chart per collaborator of his team")
        attachment = self.env["ir.attachment"].browse(int(images[0][1]))
        self.assertTrue(attachment.raw.startswith(b"\x89PNG"))

    def test_the_dashboard_lists_what_the_analysis_says(self):
        """The dashboard's list of who is out of control reads the analysis model: as the
        department manager, the same collaborators and figures as the control charts."""
        with file_open(f"{MODULE}/data/files/verification_dashboard.json") as file:
            dashboard = json.load(file)
        listed = dashboard["lists"]["1"]
        self.assertEqual(listed["model"], "crm.activity.verification.analysis")
        cells = dashboard["sheets"][0]["cells"]
        self.assertIn("ODOO.LIST(1,1,", cells["A16"])
        rows = (
            self.env[listed["model"]]
            .with_user(self.manager_sales)
            .search_read(listed["domain"], listed["columns"], order="proportion desc")
        )
        charts = (
            self.env["crm.activity.verification.digest"]
            .with_user(self.manager_sales)
            ._prepare_control_chart_values({self.company_admin: {"date_from": LAST_WEEK}})[
                "out_of_control"
            ]
        )
        self.assertEqual(
            [(row["user_id"][1], row["not_confirmed"], row["verified"]) for row in rows],
            [(chart["name"], chart["not_confirmed"], chart["verified"]) for chart in charts],
        )
        self.assertEqual([row["user_id"][1] for row in rows], ["Arturo Asesor"])

    def test_an_out_of_control_week_is_a_bad_lot_in_the_sampling(self):
        """B-1's switching rules count the week out of control as a bad lot, and the
        sampling log says so with the chart's figures; the week of bad luck is a bad lot
        for its not-confirmed activity, without that sentence."""
        self.company_admin.write(
            {
                "verification_sampling": True,
                "verification_sampling_normal_rate": 25,
                "verification_sampling_reduced_rate": 10,
            }
        )
        for user in (self.advisor, self.advisor_2, self.advisor_3):
            user.sudo().verification_start_date = date(2025, 1, 6)
            user._set_verification_sampling_level("reduced", "set by the test")
            user.sudo().verification_sampling_since = LAST_WEEK
        self.env["crm.activity.verification"]._cron_sampling_switch()
        Log = self.env["crm.activity.verification.sampling.log"]
        drift = Log.search([("user_id", "=", self.advisor.id)], order="id desc", limit=1)
        self.assertRecordValues(drift, [{"old_level": "reduced", "new_level": "normal"}])
        self.assertIn("A not-confirmed activity or an anomaly in the week of", drift.reason)
        self.assertIn(
            "was out of control on the p-chart: 60.0 % not confirmed (6 of 10)", drift.reason
        )
        self.assertIn("above its upper limit of 25.7 %", drift.reason)
        bad_luck = Log.search([("user_id", "=", self.advisor_2.id)], order="id desc", limit=1)
        self.assertEqual(bad_luck.new_level, "normal")
        self.assertNotIn("out of control", bad_luck.reason)
        # the department manager reads the reason in the log
        self.assertEqual(
            Log.with_user(self.manager_sales).search([("id", "=", drift.id)]).reason, drift.reason
        )
