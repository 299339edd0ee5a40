"""B-2 The call queue of the customer-service assistant.

``action_next_call`` chooses the next verification to phone for the calling verifier:
the customers who denied the activity from the confirmation link (B-3), then the phone
numbers the collaborators just gave (R-2.2), then call-backs
that are due (at the time the customer asked), then the oldest
activity (the one closest to, or past, its verification deadline), then the one with
fewer attempts. The row is reserved for her for a few minutes with ``FOR UPDATE SKIP
LOCKED``, so that two assistants pressing the button at once never get the same call.

After an unanswered call, the verification comes back no sooner than the company's
retry delay, and within working hours in the customer's time zone; after a "call
back", at the agreed time. Each activity has a verification deadline (SLA) in working
days of the company's calendar.
"""

from datetime import datetime, timedelta

import pytz
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.sql_db import Cursor
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

from .. import date_utils
from .crm_activity_verification import CLOSED_STATES, CONCLUDED_STATES
from .crm_activity_workflow_mixin import public_method

OPEN_STATES = ("pending", "in_progress")
# How long the next call stays reserved for the assistant who was given it.
RESERVATION = timedelta(minutes=15)
# A call-back is agreed for the coming weeks, not later (issue 21).
CALLBACK_MAX_AHEAD = timedelta(days=90)
QUEUE_ORDER = (
    "customer_denied desc, phone_received desc, callback_at asc, activity_date asc, "
    "call_count asc, id asc"
)


class CrmActivityVerification(models.Model):
    _inherit = "crm.activity.verification"

    callback_at = fields.Datetime(
        string="Call Back At",
        readonly=True,
        help="The customer asked to be called at this time: not proposed before.",
    )
    next_call_at = fields.Datetime(
        string="Next Call From",
        readonly=True,
        help="Not proposed by the call queue before this time (a call-back, or the retry "
        "delay after an unanswered call, within working hours).",
    )
    sla_deadline = fields.Date(
        string="Verification Deadline",
        compute="_compute_sla_deadline",
        store=True,
        precompute=True,
        help="Day by which the verification should be concluded: the activity's day plus the "
        "company's verification deadline in working days.",
    )
    sla_overdue = fields.Boolean(
        string="Past Deadline",
        compute="_compute_sla_overdue",
        help="Still to verify after its verification deadline.",
    )
    verified_on_time = fields.Integer(
        compute="_compute_verified_on_time",
        store=True,
        precompute=True,
        help="1 when the verification was concluded by its deadline.",
    )
    queue_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Reserved For",
        readonly=True,
        help="The assistant who was given this call by the queue.",
    )
    queue_reserved_until = fields.Datetime(readonly=True)

    # the queue's search: open verifications in their calling order (a small partial
    # index, whatever the concluded history), walked in that order up to the first call
    # to make; a boolean is ordered as COALESCE(field, FALSE) by the ORM (QUEUE_ORDER)
    _queue_idx = models.Index(
        "(COALESCE(customer_denied, FALSE) DESC, COALESCE(phone_received, FALSE) DESC, "
        "callback_at, activity_date, call_count, id) WHERE state IN ('pending', 'in_progress')"
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("activity_date", "company_id")
    def _compute_sla_deadline(self):
        for verification in self:
            verification.sla_deadline = self._get_verification_sla_deadline(
                verification.company_id or self.env.company, verification.activity_date
            )

    @api.model
    def _get_verification_sla_deadline(self, company, activity_date):
        """The day by which a verification of an activity done at ``activity_date`` in
        ``company`` is due: cached per calendar (no query when marking activities done)."""
        if not activity_date:
            return False
        calendar_id = company.resource_calendar_id.id
        if calendar_id:
            tz_name = self._get_calendar_tz(calendar_id)
        else:
            tz_name = company._get_company_tz().zone
        day = date_utils.local_date(activity_date, tz_name)
        return self._get_sla_deadline(company.id, calendar_id, day, company.verification_sla_days)

    @api.depends("state", "sla_deadline")
    def _compute_sla_overdue(self):
        today = fields.Date.context_today(self)
        for verification in self:
            verification.sla_overdue = bool(
                verification.state in OPEN_STATES
                and verification.sla_deadline
                and verification.sla_deadline < today
            )

    @api.depends("state", "verified_on", "sla_deadline")
    def _compute_verified_on_time(self):
        for verification in self:
            on_time = False
            if verification.state in CONCLUDED_STATES and verification.verified_on:
                tz_name = verification.company_id._get_company_tz().zone
                day = date_utils.local_date(verification.verified_on, tz_name)
                on_time = not verification.sla_deadline or day <= verification.sla_deadline
            verification.verified_on_time = int(on_time)

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    @public_method
    def action_next_call(self):
        """Open the next verification to phone, reserved for the calling verifier, with
        its call dialog; a notification when there is none. The selected records, if
        any (a header button of the board), play no part."""
        verification = self.browse()._reserve_next_call()
        if not verification:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "title": self.env._("No call to make now"),
                    "message": self.env._(
                        "The call queue is empty: every verification is concluded, waiting for "
                        "its call-back time or its next attempt, or without a phone number."
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        action = verification.get_formview_action()
        action.update(name=verification.display_name, context={"verification_queue": True})
        return action

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache("calendar_id")
    def _get_calendar_tz(self, calendar_id):
        """Time zone of a working-time calendar (cleared when a calendar changes)."""
        return self.env["resource.calendar"].browse(calendar_id).sudo().tz or "UTC"

    @api.model
    @tools.ormcache("company_id", "calendar_id", "day", "days")
    def _get_sla_deadline(self, company_id, calendar_id, day, days):
        """The verification deadline of an activity of ``day``: ``days`` working days
        later. Cached per company, calendar and day: the registry cache is cleared when a
        calendar, its attendances or its leaves change (resource_calendar.py)."""
        # sudo: only the company's working time is read, to return a date
        company = self.env["res.company"].sudo().browse(company_id)
        return company._add_working_days(day, days)

    @api.model
    def _get_queue_domain(self, now):
        return (
            Domain("state", "in", OPEN_STATES)
            & Domain("phone", "!=", False)
            & (Domain("next_call_at", "=", False) | Domain("next_call_at", "<=", now))
            & (
                Domain("queue_reserved_until", "=", False)
                | Domain("queue_reserved_until", "<=", now)
                | Domain("queue_user_id", "=", self.env.uid)
            )
        )

    @api.model
    def _reserve_next_call(self):
        """Lock, reserve and return the next verification of the queue (or nothing).

        The search applies the user's record rules; ``SKIP LOCKED`` hands a row locked
        by another assistant's transaction to nobody else. The reservation is made and
        committed at once in a short READ COMMITTED transaction of its own: there
        PostgreSQL re-checks a row that another assistant reserved and committed after
        this request began, and skips it. In the request's REPEATABLE READ transaction
        that row would raise "could not serialize access due to concurrent update",
        logged as an error and retried by Odoo."""
        self.check_access("write")
        now = fields.Datetime.now()
        self.flush_model()
        query = self._search(self._get_queue_domain(now), order=QUEUE_ORDER, limit=1)
        with self.env.registry.cursor() as cr:
            if isinstance(cr, Cursor):  # a test cursor runs inside its test's transaction
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            cr.execute(
                SQL(
                    "%s FOR UPDATE OF %s SKIP LOCKED",
                    query.select(SQL.identifier(self._table, "id")),
                    SQL.identifier(self._table),
                )
            )
            row = cr.fetchone()
            if not row:
                return self.browse()
            self.with_env(self.env(cr=cr)).browse(row[0])._workflow().write(
                {"queue_user_id": self.env.uid, "queue_reserved_until": now + RESERVATION}
            )
        verification = self.browse(row[0])
        verification.invalidate_recordset(["queue_user_id", "queue_reserved_until"])
        return verification

    def _get_customer_tz(self):
        """The customer's time zone, else the company's."""
        self.ensure_one()
        if self.partner_id.tz:
            return pytz.timezone(self.partner_id.tz)
        return self.company_id._get_company_tz()

    def _get_customer_work_intervals(self, start, days=14):
        """Working intervals of the company's calendar in the customer's time zone, from
        the day of ``start`` (naive UTC) on, as naive UTC pairs."""
        tz = self._get_customer_tz()
        day = date_utils.local_date(start, tz.zone)
        intervals = self.company_id._get_work_intervals(day, day + timedelta(days=days), tz=tz)
        return [
            (
                begin.astimezone(pytz.utc).replace(tzinfo=None),
                stop.astimezone(pytz.utc).replace(tzinfo=None),
            )
            for begin, stop in intervals
        ]

    def _get_next_call_time(self, earliest):
        """The first working moment, in the customer's time zone, at or after ``earliest``."""
        for begin, stop in self._get_customer_work_intervals(earliest):
            if stop > earliest:
                return max(begin, earliest)
        return earliest

    def _check_callback_at(self, outcome, callback_at):
        """The call-back time as a naive UTC datetime, or ``False``; refused in the past
        or outside working hours in the customer's time zone."""
        self.ensure_one()
        if not callback_at:
            return False
        if outcome != "call_back":
            raise UserError(
                self.env._("A call-back time goes only with the outcome “Call back later”.")
            )
        if not isinstance(callback_at, datetime):
            try:
                callback_at = fields.Datetime.to_datetime(callback_at)
            except (TypeError, ValueError):
                callback_at = None
            if not callback_at:
                raise UserError(
                    self.env._(
                        "The call-back time must be a date and time (YYYY-MM-DD HH:MM:SS, UTC)."
                    )
                ) from None
        now = fields.Datetime.now()
        if callback_at <= now:
            raise UserError(self.env._("The call-back time is in the past."))
        if callback_at > now + CALLBACK_MAX_AHEAD:
            raise UserError(
                self.env._(
                    "The call-back time must be within the next %(days)s days.",
                    days=CALLBACK_MAX_AHEAD.days,
                )
            )
        if not any(
            begin <= callback_at < stop
            for begin, stop in self._get_customer_work_intervals(callback_at, days=1)
        ):
            tz = self._get_customer_tz()
            raise UserError(
                self.env._(
                    "%(time)s is outside working hours in the customer's time zone (%(tz)s): "
                    "choose a time within the company's working hours.",
                    time=format_datetime(self.env, callback_at, tz=tz.zone, dt_format="short"),
                    tz=tz.zone,
                )
            )
        return callback_at

    def _schedule_next_call(self, outcome, callback_at):
        """After a call: when the queue proposes the verification again (B-2)."""
        self.ensure_one()
        values = {
            "queue_user_id": False,
            "queue_reserved_until": False,
            "callback_at": False,
            "phone_received": False,
        }
        if self.state in CLOSED_STATES:
            values["next_call_at"] = False
        elif callback_at:
            values.update(callback_at=callback_at, next_call_at=callback_at)
        else:
            retry = timedelta(hours=self.company_id.verification_retry_hours)
            values["next_call_at"] = self._get_next_call_time(fields.Datetime.now() + retry)
        self._workflow().write(values)
