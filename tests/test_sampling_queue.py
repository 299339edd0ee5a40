"""B-1 risk-based sampling and B-2 call queue.

Calendar of these tests: the company's standard calendar (Monday to Friday, 08:00-12:00
and 13:00-17:00) in America/Tijuana (UTC-8 in November, UTC-7 in March).
"""

from contextlib import closing
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from psycopg2.errors import SerializationFailure

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, freeze_time, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..models.crm_activity_verification_queue import QUEUE_ORDER
from ..models.crm_activity_verification_sampling import draw_ticket
from .common import MODULE, VerificationCommon

# Thursday 2026-11-26 10:00 in Tijuana
NOW = datetime(2026, 11, 26, 18, 0)


def board_domain(action):
    """The board action's domain, evaluated as the web client does."""
    return safe_eval(
        action.domain,
        {"context_today": lambda: date(2026, 11, 26), "relativedelta": relativedelta},
    )


class SamplingCommon(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_admin.resource_calendar_id.tz = "America/Tijuana"
        cls.company_admin.write(
            {
                "verification_sampling": True,
                "verification_sampling_normal_rate": 25,
                "verification_sampling_reduced_rate": 10,
                "verification_new_collaborator_weeks": 4,
            }
        )
        # the collaborators joined the procedure long ago
        (cls.advisor | cls.advisor_2 | cls.promoter).write(
            {"verification_start_date": date(2025, 1, 6)}
        )

    def _board_domain(self, action):
        return board_domain(action)

    def _level(self, user, level):
        user._set_verification_sampling_level(level, "set by the test")
        # the runs of clean weeks count from the change: put it back in time
        user.sudo().verification_sampling_since = date(2025, 1, 6)


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestSampling(SamplingCommon):
    def test_sampling_off_verifies_every_activity(self):
        self.company_admin.verification_sampling = False
        self._level(self.advisor, "reduced")
        verification = self._verification_done()
        self.assertRecordValues(
            verification,
            [{"state": "pending", "sampling_level": False, "sampling_rate": 100.0, "is_drawn": 1}],
        )

    def test_rate_of_25_draws_about_a_quarter(self):
        """2,000 activities of a collaborator at the normal level: between 20 and 30 % drawn."""
        self._level(self.advisor, "normal")
        Verification = self.env["crm.activity.verification"]
        vals_list = [
            {"company_id": self.company_admin.id, "user_id": self.advisor.id, "activity_id": n}
            for n in range(1, 2001)
        ]
        Verification._draw_sample(vals_list)
        drawn = sum(1 for vals in vals_list if vals.get("state") != "not_sampled")
        self.assertTrue(400 <= drawn <= 600, f"{drawn} of 2000 drawn at 25 %")
        self.assertEqual({vals["sampling_rate"] for vals in vals_list}, {25})
        # the same activities, drawn again: the same decisions (no random)
        again = [dict(vals, state="pending") for vals in vals_list]
        for vals in again:
            vals.pop("sampling_ticket")
        Verification._draw_sample(again)
        self.assertEqual(
            [vals["sampling_ticket"] for vals in again],
            [vals["sampling_ticket"] for vals in vals_list],
        )

    def test_draw_is_reproducible_from_stored_inputs(self):
        """The auditor recomputes each draw from the activity and the company's secret."""
        self._level(self.advisor, "normal")
        verifications = self.env["crm.activity.verification"]
        for _n in range(12):
            verifications |= self._verification_done()
        secret = self.company_admin.sudo().verification_sampling_secret
        self.assertTrue(secret)
        self.assertEqual(set(verifications.mapped("sampling_level")), {"normal"})
        for verification in verifications:
            ticket = draw_ticket(secret, f"crm:{verification.activity_id.id}")
            self.assertAlmostEqual(ticket, verification.sampling_ticket, places=6)
            drawn = ticket < verification.sampling_rate
            self.assertEqual(verification.state, "pending" if drawn else "not_sampled")
        self.assertIn("not_sampled", verifications.mapped("state"), "12 draws at 25 %")
        # a weekly report line is drawn from its own key
        self.assertEqual(
            self.env["crm.activity.verification"]._get_sampling_key({"report_line_id": 7}),
            "report:7",
        )

    def test_new_collaborator_is_verified_in_full(self):
        self._level(self.advisor, "reduced")
        self.advisor.verification_start_date = date(2026, 11, 2)  # 3 weeks and a half ago
        verification = self._verification_done()
        self.assertRecordValues(
            verification,
            [{"sampling_level": "tightened", "sampling_rate": 100, "state": "pending"}],
        )

    def _not_sampled(self):
        self._level(self.advisor, "reduced")
        self.company_admin.verification_sampling_reduced_rate = 0
        verification = self._verification_done()
        self.assertEqual(verification.state, "not_sampled")
        return verification

    def test_not_sampled_is_off_the_board_and_forced_back(self):
        verification = self._not_sampled()
        board = self.env.ref(f"{MODULE}.crm_activity_verification_action_board")
        Verification = self.env["crm.activity.verification"].with_user(self.verifier)
        self.assertNotIn(verification, Verification.search(self._board_domain(board)))
        columns = [state for [state] in Verification._read_group([], ["state"])]
        self.assertNotIn("not_sampled", Verification._group_expand_states(columns, []))
        # counted in coverage, out of the confirmation rate
        self.assertRecordValues(verification, [{"is_drawn": 0, "is_concluded": 0}])
        # it cannot be called before it is forced back
        with self.assertRaisesRegex(UserError, "not drawn"):
            verification.with_user(self.verifier).action_log_call("confirmed")
        with self.assertRaises(AccessError):
            verification.with_user(self.advisor).action_force_verification()
        self.assertIs(verification.with_user(self.manager_sales).action_force_verification(), True)
        self.assertEqual(verification.state, "pending")
        self.assertIn("put back in the call queue", verification.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "drawn for a call already"):
            verification.with_user(self.verifier).action_force_verification()

    def test_bad_settings_are_refused(self):
        company = self.company_admin
        for values, message in (
            ({"verification_sampling_normal_rate": 120}, "from 0 to 100"),
            ({"verification_sampling_reduced_rate": -1}, "from 0 to 100"),
            ({"verification_sampling_reduced_rate": 30}, "cannot be above the normal"),
            ({"verification_sla_days": -2}, "cannot be negative"),
        ):
            with self.subTest(values=values), self.assertRaisesRegex(ValidationError, message):
                with self.env.cr.savepoint():
                    company.write(values)
        self.assertEqual(
            (company.verification_sampling_normal_rate, company.verification_sampling_reduced_rate),
            (25, 10),
        )


@tagged("post_install", "-at_install", MODULE)
class TestSamplingSwitchingRules(SamplingCommon):
    """The switching rules over simulated weeks (Saturday to Friday in Tijuana)."""

    # Saturday 2026-11-28 09:00 in Tijuana: the last complete week is 21-27 November
    SATURDAY = datetime(2026, 11, 28, 17, 0)

    def _week(self, weeks_ago, bad=False, user=None):
        """A verified activity of ``user`` on the Tuesday of the week ``weeks_ago`` before
        the last complete one; not confirmed when ``bad``."""
        tuesday = datetime(2026, 11, 24, 18, 0) - timedelta(weeks=weeks_ago)
        return (
            self.env["crm.activity.verification"]
            ._workflow()
            .create(
                {
                    "company_id": self.company_admin.id,
                    "user_id": (user or self.advisor).id,
                    "team_id": self.team_sales.id,
                    "partner_id": self.customer.id,
                    "activity_date": tuesday,
                    "state": "not_confirmed" if bad else "confirmed",
                    "verified_on": tuesday + timedelta(hours=2),
                }
            )
        )

    def _switch(self, now=None):
        with freeze_time(now or self.SATURDAY):
            self.env["crm.activity.verification"]._cron_sampling_switch()
        self.advisor.invalidate_recordset()

    def _logs(self):
        return self.env["crm.activity.verification.sampling.log"].search(
            [("user_id", "=", self.advisor.id), ("reason", "!=", "set by the test")]
        )

    def test_normal_to_tightened_after_2_bad_weeks_of_the_last_5(self):
        self._level(self.advisor, "normal")
        self._week(0)
        self._week(1, bad=True)
        self._week(5, bad=True)  # the 6th week back: out of the window
        self._switch()
        self.assertEqual(self.advisor.verification_sampling_level, "normal", "1 bad of 5")
        self._week(4, bad=True)
        self._switch()
        self.assertEqual(self.advisor.verification_sampling_level, "tightened")
        log = self._logs()
        self.assertRecordValues(
            log, [{"old_level": "normal", "new_level": "tightened", "team_id": self.team_sales.id}]
        )
        self.assertIn("2 of the last 5 weeks", log.reason)
        # the managers read it
        self.assertEqual(
            self.env["crm.activity.verification.sampling.log"]
            .with_user(self.manager_sales)
            .search([("user_id", "=", self.advisor.id)]),
            self.env["crm.activity.verification.sampling.log"].search(
                [("user_id", "=", self.advisor.id)]
            ),
        )
        # idempotent: a second run the same week changes nothing
        self._switch()
        self.assertEqual(len(self._logs()), 1)

    def test_tightened_to_normal_after_5_clean_weeks_in_a_row(self):
        self._level(self.advisor, "tightened")
        for weeks_ago in (0, 1, 2, 4):
            self._week(weeks_ago)
        self._week(6, bad=True)
        self._switch()
        self.assertEqual(self.advisor.verification_sampling_level, "tightened", "4 clean lots")
        # a week without activity (3 weeks ago) neither breaks nor extends the run
        self._week(5)
        self._switch()
        self.assertEqual(self.advisor.verification_sampling_level, "normal")
        self.assertIn("5 verified weeks in a row", self._logs().reason)

    def test_new_collaborator_stays_tightened(self):
        self._level(self.advisor, "tightened")
        self.advisor.verification_start_date = date(2026, 11, 2)  # 4 weeks on 30 November
        for weeks_ago in range(6):
            self._week(weeks_ago)
        self._switch()
        self.assertEqual(self.advisor.verification_sampling_level, "tightened")
        # four weeks after he joined, the same clean weeks relax the level
        self._switch(self.SATURDAY + timedelta(days=7))
        self.assertEqual(self.advisor.verification_sampling_level, "normal")

    def test_normal_to_reduced_after_10_clean_weeks_then_back_at_first_problem(self):
        self._level(self.advisor, "normal")
        for weeks_ago in range(9):
            self._week(weeks_ago)
        self._switch()
        self.assertEqual(self.advisor.verification_sampling_level, "normal", "9 clean lots")
        self._week(9)
        self._switch()
        self.assertEqual(self.advisor.verification_sampling_level, "reduced")
        # reduced -> normal at once, at the first not-confirmed result
        with freeze_time(self.SATURDAY + timedelta(days=3)):
            verification = self._verification_done()
            if verification.state == "not_sampled":  # drawn at 10 %: call it anyway
                verification.with_user(self.verifier).action_force_verification()
            verification.with_user(self.verifier).action_log_call(
                "not_confirmed", notes="El cliente no recibió la visita"
            )
        self.advisor.invalidate_recordset()
        self.assertEqual(self.advisor.verification_sampling_level, "normal")
        self.assertRecordValues(self._logs()[0], [{"old_level": "reduced", "new_level": "normal"}])

    def test_anomaly_counts_as_a_bad_week(self):
        self._level(self.advisor, "normal")
        for weeks_ago in (0, 2):
            self._week(weeks_ago)._workflow().write(
                {"anomaly": True, "anomaly_description": "Sospechosa"}
            )
        self._switch()
        self.assertEqual(self.advisor.verification_sampling_level, "tightened")


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestCallQueue(SamplingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_admin.verification_sampling = False

    def _open(self, activity_date, user=None, phone="+52 686 555 0101"):
        verification = (
            self.env["crm.activity.verification"]
            ._workflow()
            .create(
                {
                    "company_id": self.company_admin.id,
                    "user_id": (user or self.advisor).id,
                    "team_id": self.team_sales.id,
                    "partner_id": self.customer.id,
                    "activity_date": activity_date,
                    "phone": phone,
                }
            )
        )
        return verification

    def _next(self, user=None):
        # the reservation commits on a cursor of its own: here, one inside the test's
        with self.enter_registry_test_mode():
            action = (
                self.env["crm.activity.verification"]
                .with_user(user or self.verifier)
                .action_next_call()
            )
        if action["type"] == "ir.actions.client":
            return action
        return self.env["crm.activity.verification"].browse(action["res_id"])

    def test_queue_order_and_reservation(self):
        Verification = self.env["crm.activity.verification"]
        Verification.search([("state", "in", ("pending", "in_progress"))])._workflow().write(
            {"next_call_at": datetime(2030, 1, 1)}
        )
        oldest = self._open(datetime(2026, 11, 23, 17, 0))
        newer = self._open(datetime(2026, 11, 24, 17, 0))
        tried = self._open(datetime(2026, 11, 24, 17, 0))
        tried.with_user(self.verifier).action_log_call("no_answer")
        tried.next_call_at = False  # its retry time has come
        callback = self._open(datetime(2026, 11, 25, 17, 0))
        with freeze_time(datetime(2026, 11, 25, 18, 0)):
            callback.with_user(self.verifier).action_log_call(
                "call_back",
                callback_at=datetime(2026, 11, 26, 17, 0),  # today 09:00
            )
        later = self._open(datetime(2026, 11, 20, 17, 0))
        with freeze_time(datetime(2026, 11, 25, 18, 0)):
            later.with_user(self.verifier).action_log_call(
                "call_back",
                callback_at=datetime(2026, 11, 27, 17, 0),  # tomorrow
            )
        self._open(datetime(2026, 11, 1, 17, 0), phone=False)  # nothing to dial
        # the due call-back, then the oldest activity, then fewer attempts first
        self.assertEqual(self._next(), callback)
        self.assertEqual(callback.queue_user_id, self.verifier, "reserved for her")
        # another assistant does not get a call reserved by the first one
        other = self.verifier.copy({"login": "aux2", "name": "Berenice Aux"})
        self.assertEqual(self._next(other), oldest)
        callback.with_user(self.verifier).action_log_call("confirmed")
        self.assertEqual(self._next(), newer)
        newer.with_user(self.verifier).action_log_call("confirmed")
        self.assertEqual(self._next(), tried, "same day as 'newer', one attempt more")
        tried.with_user(self.verifier).action_log_call("confirmed")
        oldest.with_user(other).action_log_call("confirmed")
        action = self._next()
        self.assertEqual(action["tag"], "display_notification", "the call-back of tomorrow waits")
        self.assertIn("queue is empty", action["params"]["message"])
        # tomorrow at 09:00 the call-back comes back at its time
        with freeze_time(datetime(2026, 11, 27, 17, 0)):
            self.assertEqual(self._next(), later)

    def test_no_answer_is_retried_later_within_working_hours(self):
        verification = self._open(datetime(2026, 11, 25, 17, 0))
        # Friday 27 November 16:30 in Tijuana; retry after 2 hours: Monday 08:00
        with freeze_time(datetime(2026, 11, 28, 0, 30)):
            verification.with_user(self.verifier).action_log_call("no_answer")
        self.assertEqual(verification.next_call_at, datetime(2026, 11, 30, 16, 0))
        # a customer in Mexico City (2 hours ahead): Monday 08:00 there
        self.customer.tz = "America/Mexico_City"
        with freeze_time(datetime(2026, 11, 28, 0, 30)):
            verification.with_user(self.verifier).action_log_call("no_answer")
        self.assertEqual(verification.next_call_at, datetime(2026, 11, 30, 14, 0))

    def test_bad_callback_times_are_refused(self):
        verification = self._open(datetime(2026, 11, 25, 17, 0))
        for callback_at, message in (
            ("2026-11-25 18:00:00", "in the past"),
            ("2026-11-27 03:00:00", "outside working hours"),  # Thursday 19:00 in Tijuana
            ("2026-11-28 18:00:00", "outside working hours"),  # Saturday
            ("next week", "must be a date and time"),
            (["2026-11-27"], "must be a date and time"),
        ):
            with self.subTest(callback_at=callback_at), self.assertRaisesRegex(UserError, message):
                verification.with_user(self.verifier).action_log_call(
                    "call_back", callback_at=callback_at
                )
        with self.assertRaisesRegex(UserError, "only with the outcome"):
            verification.with_user(self.verifier).action_log_call(
                "confirmed", callback_at="2026-11-27 17:00:00"
            )
        self.assertFalse(verification.call_ids, "nothing recorded")
        # over RPC: a string in UTC, within working hours
        verification.with_user(self.verifier).action_log_call(
            "call_back", notes="Llamar mañana", callback_at="2026-11-27 17:00:00"
        )
        self.assertEqual(verification.callback_at, datetime(2026, 11, 27, 17, 0))

    def test_verification_deadline(self):
        # Thursday 26 November + 5 working days: Thursday 3 December
        verification = self._open(datetime(2026, 11, 26, 17, 0))
        self.assertEqual(verification.sla_deadline, date(2026, 12, 3))
        self.assertFalse(verification.sla_overdue)
        with freeze_time(datetime(2026, 12, 4, 18, 0)):
            verification.invalidate_recordset(["sla_overdue"])
            self.assertTrue(verification.sla_overdue)
            verification.with_user(self.verifier).action_log_call("confirmed")
        self.assertEqual(verification.verified_on_time, 0)
        on_time = self._open(datetime(2026, 11, 26, 17, 0))
        on_time.with_user(self.verifier).action_log_call("confirmed")
        self.assertEqual(on_time.verified_on_time, 1)
        # the analysis: on-time rate and coverage per collaborator
        [[drawn, concluded, in_time]] = self.env["crm.activity.verification"]._read_group(
            [("id", "in", (verification | on_time).ids)],
            [],
            ["is_drawn:sum", "is_concluded:sum", "verified_on_time:sum"],
        )
        self.assertEqual((drawn, concluded, in_time), (2, 2, 1))

    def test_verification_deadline_follows_calendar_changes(self):
        """The deadlines' working days are cached per calendar: a holiday added to the
        company's calendar, and then a change of calendar, apply to the next activity."""
        day = datetime(2026, 11, 26, 17, 0)
        self.assertEqual(self._open(day).sla_deadline, date(2026, 12, 3))
        calendar = self.company_admin.resource_calendar_id
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Asueto",
                "calendar_id": calendar.id,
                "date_from": datetime(2026, 11, 30, 7, 0),
                "date_to": datetime(2026, 12, 1, 7, 0),
            }
        )
        self.assertEqual(self._open(day).sla_deadline, date(2026, 12, 4))
        self.company_admin.verification_sla_days = 1
        self.assertEqual(self._open(day).sla_deadline, date(2026, 11, 27))

    def test_board_leaves_the_history_out(self):
        """The board holds the work to do and the last week's conclusions; older ones are
        in Verifications, so the board's cost does not grow with the years (issue 13)."""
        board = self.env.ref(f"{MODULE}.crm_activity_verification_action_board")
        old = self._open(datetime(2026, 10, 1, 17, 0))
        with freeze_time(datetime(2026, 10, 2, 18, 0)):
            old.with_user(self.verifier).action_log_call("confirmed")
        recent = self._open(datetime(2026, 11, 24, 17, 0))
        recent.with_user(self.verifier).action_log_call("confirmed")
        waiting = self._open(datetime(2026, 9, 1, 17, 0))
        on_board = self.env["crm.activity.verification"].search(board_domain(board))
        self.assertIn(recent, on_board)
        self.assertIn(waiting, on_board, "work to do stays, however old")
        self.assertNotIn(old, on_board)

    def test_queue_uses_an_index(self):
        """The next call is the first row of the queue's partial index, in its order: no
        sort of the open verifications (the ORM orders a boolean as COALESCE)."""
        self.env.flush_all()
        Verification = self.env["crm.activity.verification"]
        query = Verification._search(
            Verification._get_queue_domain(NOW), order=QUEUE_ORDER, limit=1
        )
        # a table of a few rows: ask for the plan of a big one (no full scan, and a sort
        # only when no index gives the order)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute("SET LOCAL enable_sort = off")
        self.env.cr.execute(f"EXPLAIN {query.select().code}", query.select().params)
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("Index Scan using crm_activity_verification_queue_idx", plan)
        self.assertNotIn("Sort", plan)


@tagged("post_install", "-at_install", MODULE)
class TestCallQueueConcurrency(TransactionCase):
    def _committed_queue(self, count):
        """``count`` open verifications at the head of the queue, committed (deleted
        after the test): ids, oldest activity first."""
        registry = self.registry
        with closing(registry.cursor()) as cr:
            env = self.env(cr=cr, su=True)
            partner = env["res.partner"].create({"name": "Cola Concurrente", "phone": "+52 1"})
            ids = (
                env["crm.activity.verification"]
                ._workflow()
                .create(
                    [
                        {
                            "partner_id": partner.id,
                            "activity_date": datetime(2000, 1, 1 + n),
                            "phone": "+52 686 555 0000",
                        }
                        for n in range(count)
                    ]
                )
                .ids
            )
            cr.commit()  # pylint: disable=invalid-commit

        def cleanup():
            with closing(registry.cursor()) as cr:
                cr.execute(
                    "DELETE FROM mail_message WHERE model = 'crm.activity.verification' "
                    "AND res_id IN %s",
                    [tuple(ids)],
                )
                cr.execute("DELETE FROM crm_activity_verification WHERE id IN %s", [tuple(ids)])
                cr.execute("DELETE FROM res_partner WHERE id = %s", [partner.id])
                cr.commit()  # pylint: disable=invalid-commit

        self.addCleanup(cleanup)
        return ids

    def _queue(self, cr, user_xmlid):
        """The queue as one assistant sees it, on the cursor ``cr`` (superuser mode: the
        rights play no part here; a reservation is the assistant's own)."""
        return self.env(cr=cr, user=self.env.ref(user_xmlid).id, su=True)[
            "crm.activity.verification"
        ]

    def test_two_assistants_at_once_never_get_the_same_call(self):
        """Two transactions ask for the next call at the same moment: the row the first one
        holds is skipped by the second. Uses committed data, deleted afterwards."""
        ids = self._committed_queue(2)
        registry = self.registry
        with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
            first = self._queue(cr_a, "base.user_root")._reserve_next_call()
            second = self._queue(cr_b, "base.user_admin")._reserve_next_call()
            self.assertEqual(first.id, ids[0], "the oldest open activity")
            self.assertTrue(second)
            self.assertNotEqual(first.id, second.id)
            cr_a.rollback()
            cr_b.rollback()

    def test_reserved_after_the_request_began_is_skipped_without_error(self):
        """Issue 24: a verifier's request began (its REPEATABLE READ snapshot taken)
        before another verifier's reservation was committed. The queue's statement run in
        that snapshot fails with "could not serialize access" (Odoo logged it as an ERROR
        and retried the whole request); the reservation in its own READ COMMITTED
        transaction skips the row reserved meanwhile: no error, no double pick."""
        ids = self._committed_queue(2)
        registry = self.registry
        with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
            Queue_b = self._queue(cr_b, "base.user_admin")
            # B's request has begun: its snapshot is taken
            cr_b.execute(
                "SELECT count(*) FROM crm_activity_verification WHERE id IN %s", [tuple(ids)]
            )
            # A's reservation, committed at once
            first = self._queue(cr_a, "base.user_root")._reserve_next_call()
            self.assertEqual(first.id, ids[0])
            # the old statement, in B's snapshot: the collision of issue 24
            query = Queue_b._search(
                Queue_b._get_queue_domain(datetime.now()), order=QUEUE_ORDER, limit=1
            )
            old_statement = SQL(
                "%s FOR UPDATE OF %s SKIP LOCKED",
                query.select(SQL.identifier(Queue_b._table, "id")),
                SQL.identifier(Queue_b._table),
            )
            with self.assertRaises(SerializationFailure), cr_b.savepoint(flush=False):
                cr_b.execute(old_statement, log_exceptions=False)
            # the same moment with the reservation of today
            with self.assertNoLogs("odoo.sql_db", "ERROR"):
                second = Queue_b._reserve_next_call()
            self.assertEqual(second.id, ids[1], "the next one, not the one reserved meanwhile")
            cr_b.rollback()
            with closing(registry.cursor()) as cr:
                cr.execute(
                    "SELECT id, queue_user_id FROM crm_activity_verification WHERE id IN %s "
                    "ORDER BY id",
                    [tuple(ids)],
                )
                self.assertEqual(
                    cr.fetchall(),
                    [
                        (ids[0], self.env.ref("base.user_root").id),
                        (ids[1], self.env.ref("base.user_admin").id),
                    ],
                    "each reservation committed once, by its own transaction",
                )
