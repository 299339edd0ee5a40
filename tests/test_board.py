"""The verifier's board (issue 15, item 2): work to do open, conclusions folded."""

from datetime import datetime

from lxml import etree

from odoo.tests import freeze_time, tagged

from .common import MODULE, VerificationCommon
from .test_weekly_report import NOW, WeeklyReportCommon


@tagged("post_install", "-at_install", MODULE)
class TestBoard(VerificationCommon):
    def _board(self, user):
        """The board as the web client loads it: grouped by state, columns expanded."""
        Verification = self.Verification.with_user(user).with_context(read_group_expand=True)
        result = Verification.web_read_group(
            [],
            ["state"],
            ["__count"],
            auto_unfold=True,
            unfold_read_specification={"display_name": {}},
        )
        return {group["state"]: group for group in result["groups"]}

    def test_concluded_columns_are_folded_a_click_away(self):
        confirmed = self._verification_done()
        confirmed.with_user(self.verifier).action_log_call("confirmed")
        waiting = self._verification_done(feedback="Segunda visita")
        board = self._board(self.verifier)
        self.assertEqual(
            list(board),
            ["pending", "in_progress", "confirmed", "not_confirmed", "unreachable"],
            "one column per state, in the procedure's order, not-sampled ones off the board",
        )
        # work to do: open, with its cards
        self.assertEqual([r["id"] for r in board["pending"]["__records"]], waiting.ids)
        self.assertIn("__records", board["in_progress"])
        # concluded: folded, their count shown on the folded column
        for state in ("confirmed", "not_confirmed", "unreachable"):
            self.assertNotIn("__records", board[state], f"{state} is folded")
        self.assertEqual(board["confirmed"]["__count"], 1)

    def test_opened_column_oldest_activity_first(self):
        """A click on a folded column shows its cards as the open ones: oldest activity
        first, whatever the order of creation or of the calls."""
        done = {}
        for day in (3, 1, 2):  # created in this order, activities of these days
            with freeze_time(datetime(2026, 11, day, 17, 0)):
                done[day] = self._verification_done(feedback=f"Visita del {day}")
        for day in (2, 3, 1):
            done[day].with_user(self.verifier).action_log_call("confirmed")
        views = self.Verification.with_user(self.verifier).get_views([(False, "kanban")])
        order = etree.fromstring(views["views"]["kanban"]["arch"]).get("default_order")
        result = self.Verification.with_user(self.verifier).web_search_read(
            [("state", "=", "confirmed")], {"display_name": {}}, limit=80, order=order
        )
        self.assertEqual([r["id"] for r in result["records"]], [done[1].id, done[2].id, done[3].id])

    def test_other_groupings_are_not_folded(self):
        self._verification_done().with_user(self.verifier).action_log_call("confirmed")
        Verification = self.Verification.with_user(self.verifier)
        result = Verification.web_read_group([], ["last_outcome"], ["__count"], auto_unfold=True)
        self.assertTrue(all("__records" in group for group in result["groups"]))

    def test_board_card_and_empty_help(self):
        views = self.Verification.with_user(self.verifier).get_views(
            [(False, "kanban")],
            {"action_id": self.env.ref(f"{MODULE}.crm_activity_verification_action_board").id},
        )
        arch = views["views"]["kanban"]["arch"]
        self.assertIn('default_order="is_concluded asc, activity_date asc, id asc"', arch)
        for shown in ("last_outcome", "report_customer_name", "record.user_id.value"):
            self.assertIn(shown, arch)
        action = self.env.ref(f"{MODULE}.crm_activity_verification_action_board")
        self.assertIn("o_view_nocontent_smiling_face", action.help)
        self.assertIn("FRE-7.5-01", action.help)


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestBoardReportLine(WeeklyReportCommon):
    def test_company_typed_on_the_report_shows_without_customer_record(self):
        report = self._report(lines=self._default_lines())
        report.with_user(self.promoter).action_submit()
        not_in_crm = report.line_ids.filtered(lambda line: not line.partner_id).verification_id
        self.assertRecordValues(
            not_in_crm.with_user(self.verifier),
            [{"partner_id": False, "report_customer_name": "Refaccionaria El Ciprés"}],
        )
