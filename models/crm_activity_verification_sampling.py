"""B-1 Risk-based sampling of the activities to verify.

Each collaborator is at an inspection level (``res.users.verification_sampling_level``):
*tightened* (every activity verified), *normal* or *reduced* (a share of them, set per
company). A new verification is drawn at the rate in force: the draw hashes the
reported activity's key with the company's secret (HMAC-SHA256), so that it is
reproducible, stored on the verification, and never comes from ``random()``.

The levels follow switching rules in the spirit of ISO 2859-1, applied per collaborator
over weekly lots (Saturday to Friday, the procedure's week, in the company's time zone)
by the weekly scheduled action ``ir_cron_sampling_switch``. A lot is a week in which at
least one of the collaborator's activities was verified; it is *bad* when one of them
was not confirmed or had an anomaly, or when the week is out of control on the
collaborator's p-chart (B-6), which the reason of the change then says.
"""

import hashlib
import hmac
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from .. import date_utils
from .crm_activity_verification import CONCLUDED_STATES
from .crm_activity_workflow_mixin import public_method

SAMPLING_LEVELS = [("tightened", "Tightened"), ("normal", "Normal"), ("reduced", "Reduced")]
# ISO 2859-1 in spirit: (bad lots, among the last weeks) and runs of clean lots
TIGHTEN_BAD_LOTS, TIGHTEN_WEEKS = 2, 5
RELAX_CLEAN_LOTS = 5  # tightened -> normal
REDUCE_CLEAN_LOTS = 10  # normal -> reduced
# Groups that may put a verification left out of the sample back in the queue.
FORCE_GROUPS = (
    "crm_activity_verification.group_verifier",
    "crm_activity_verification.group_manager",
    "crm_activity_verification.group_process_manager",
)


def draw_ticket(secret, key):
    """The draw of ``key`` with the company's ``secret``: a number in [0, 100).

    The activity is verified when its ticket is below the sampling rate. Anyone with
    the secret recomputes it: HMAC-SHA256(secret, key), first 8 bytes as an integer,
    scaled to [0, 100).
    """
    digest = hmac.new(secret.encode(), key.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 100


class CrmActivityVerification(models.Model):
    _inherit = "crm.activity.verification"

    sampling_level = fields.Selection(
        selection=SAMPLING_LEVELS,
        readonly=True,
        help="Inspection level of the collaborator when the activity was drawn (B-1). "
        "Empty: sampling was off, every activity is verified.",
    )
    sampling_rate = fields.Float(
        string="Sampling Rate (%)",
        readonly=True,
        digits=(5, 1),
        aggregator="avg",
        help="Share of the collaborator's activities verified when this one was drawn.",
    )
    sampling_ticket = fields.Float(
        string="Sampling Draw",
        readonly=True,
        digits=(16, 6),
        aggregator=None,
        help="The reproducible draw of the activity, from 0 to 100: it is verified when the "
        "draw is below the rate. It is recomputed from the activity's key "
        "(“crm:<activity id>” or “report:<report line id>”) and the company's sampling secret.",
    )
    is_drawn = fields.Integer(
        string="Activities Drawn",
        compute="_compute_is_drawn",
        store=True,
        precompute=True,
        help="1 when the activity is to be verified (coverage: activities, drawn, verified).",
    )

    @api.depends("state")
    def _compute_is_drawn(self):
        for verification in self:
            verification.is_drawn = int(verification.state != "not_sampled")

    # ------------------------------------------------------------------
    # CRUD: the draw happens when the verification is created
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._draw_sample(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "not_confirmed" or vals.get("anomaly"):
            # reduced -> normal at the first not-confirmed result or anomaly
            self.user_id._verification_sampling_demote_reduced(self)
        return result

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    @public_method
    def action_force_verification(self):
        """Put a verification left out of the sample back in the queue (B-1)."""
        if not any(self.env.user.has_group(group) for group in FORCE_GROUPS):
            raise AccessError(
                self.env._(
                    "Only verifiers and managers can verify an activity left out of the sample."
                )
            )
        wrong = self.filtered(lambda v: v.state != "not_sampled")
        if wrong:
            raise UserError(
                self.env._(
                    "%(verification)s was drawn for a call already: it is %(state)s.",
                    verification=wrong[0].display_name,
                    state=self._get_selection_labels("state")[wrong[0].state],
                )
            )
        self.check_access("read")
        # sudo: managers read their teams' verifications but write none; forcing the draw is
        # theirs too (B-1), checked above, and only the state goes back to pending
        self.sudo()._workflow().write({"state": "pending"})
        self._message_log_batch(
            bodies={
                verification.id: verification._in_company_lang().env._(
                    "Not drawn by the sample (draw %(ticket)s ≥ %(rate)s %%), put back in the "
                    "call queue by %(user)s.",
                    ticket=f"{verification.sampling_ticket:.2f}",
                    rate=f"{verification.sampling_rate:g}",
                    user=self.env.user.name,
                )
                for verification in self
            }
        )
        return True

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------
    @api.model
    def _get_sampling_key(self, vals):
        """What identifies the reported activity, whatever the verification's id."""
        if vals.get("activity_id"):
            return f"crm:{vals['activity_id']}"
        if vals.get("report_line_id"):
            return f"report:{vals['report_line_id']}"
        return False

    @api.model
    def _draw_sample(self, vals_list):
        """Draw each new verification at its collaborator's rate; fill in place the
        sampling fields of ``vals_list``, and ``state`` for those not drawn."""
        companies = self.env["res.company"].browse(
            {vals.get("company_id") or self.env.company.id for vals in vals_list}
        )
        sampling = companies.filtered("verification_sampling")
        for vals in vals_list:
            vals.setdefault("sampling_rate", 100.0)
        if not sampling:
            return
        # sudo: the level of the collaborator is read whoever marks his activity done
        users = (
            self.env["res.users"]
            .sudo()
            .browse({vals["user_id"] for vals in vals_list if vals.get("user_id")})
        )
        today = fields.Date.context_today(self)
        levels = {user.id: user._get_verification_sampling_level(today) for user in users}
        for vals in vals_list:
            company = companies.browse(vals.get("company_id") or self.env.company.id)
            key = self._get_sampling_key(vals)
            if company not in sampling or not key or vals.get("state", "pending") != "pending":
                continue
            level = levels.get(vals.get("user_id"), "tightened")
            rate = {
                "tightened": 100,
                "normal": company.verification_sampling_normal_rate,
                "reduced": company.verification_sampling_reduced_rate,
            }[level]
            if vals.get("done_by_id") and vals["done_by_id"] != vals.get("user_id"):
                rate = 100  # marked done by someone else than the collaborator (issue 21)
            ticket = draw_ticket(company._get_verification_sampling_secret(), key)
            vals.update(sampling_level=level, sampling_rate=rate, sampling_ticket=ticket)
            if ticket >= rate:
                vals["state"] = "not_sampled"

    # ------------------------------------------------------------------
    # SWITCHING RULES (weekly scheduled action)
    # ------------------------------------------------------------------
    @api.model
    def _cron_sampling_switch(self):
        """Apply the switching rules to every collaborator of the companies that sample,
        over the weekly lots up to the last complete week. Idempotent: the runs of clean
        lots are counted from the collaborator's last change of level."""
        companies = self.env["res.company"].search([("verification_sampling", "=", True)])
        for company in companies:
            self._sampling_switch_company(company)
        return True

    @api.model
    def _sampling_switch_company(self, company):
        tz_name = company._get_company_tz().zone
        today = date_utils.local_date(fields.Datetime.now(), tz_name)
        last_saturday = date_utils.last_complete_week(today)[0]
        users = self.env["res.users"].search(
            [
                ("verification_role", "!=", False),
                ("company_id", "=", company.id),
                ("share", "=", False),
            ]
        )
        if not users:
            return
        lots = self._get_sampling_lots(company, users, last_saturday, tz_name)
        weeks = [last_saturday - timedelta(weeks=n) for n in range(REDUCE_CLEAN_LOTS + 1)]
        # B-6: a week above its p-chart's upper limit is a bad lot, named in the reason
        out_of_control = self.env["crm.activity.verification.analysis"]._get_out_of_control_weeks(
            company, weeks[-1], last_saturday
        )
        for user in users:
            user_lots = lots.get(user, {})
            user_out = out_of_control.get(user.id, {})
            user_lots.update(dict.fromkeys(user_out, True))
            new_level, reason = user._get_verification_sampling_switch(
                user_lots, weeks, today, out_of_control=user_out
            )
            if new_level:
                user._set_verification_sampling_level(new_level, reason)

    @api.model
    def _get_sampling_lots(self, company, users, last_saturday, tz_name):
        """``{user: {saturday: bad}}`` of the weeks up to ``last_saturday`` in which the
        user's activities were verified; ``bad`` when one was not confirmed or had an
        anomaly. One grouped query, by day in the company's time zone."""
        start, _end = date_utils.week_utc_range(
            last_saturday - timedelta(weeks=REDUCE_CLEAN_LOTS), tz_name
        )
        end = date_utils.week_utc_range(last_saturday, tz_name)[1]
        domain = (
            Domain("company_id", "=", company.id)
            & Domain("user_id", "in", users.ids)
            & Domain("activity_date", ">=", start)
            & Domain("activity_date", "<", end)
            & (Domain("state", "in", CONCLUDED_STATES) | Domain("anomaly", "=", True))
        )
        lots = defaultdict(dict)
        # sudo: the scheduled action reads every collaborator's results, only to count them
        groups = (
            self.sudo()
            .with_context(tz=tz_name)
            ._read_group(
                domain,
                ["user_id", "activity_date:day"],
                ["is_not_confirmed:sum", "is_anomaly:sum"],
            )
        )
        for user, day, not_confirmed, anomalies in groups:
            saturday = date_utils.week_bounds(day)[0]
            lots[user][saturday] = lots[user].get(saturday, False) or bool(
                not_confirmed or anomalies
            )
        return lots
