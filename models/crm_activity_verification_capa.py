"""B-5 The effectiveness check of a corrective action (ISO 9001 §10.2.1 d), measured.

Every anomaly a verifier reports opens one check on the collaborator concerned: on the
built-in anomaly of the verification, or on the nonconformity of OCA's
``mgmtsystem_nonconformity`` when that app is installed
(``crm_activity_verification_nonconformity.py``). While a check is open, every activity
of the collaborator is verified (B-1 tightened, ``res_users_capa.py``).

- *action*: the corrective action is under way: the built-in anomaly is not resolved
  yet, or one of the nonconformity's actions is not closed (or it has none yet).
- *watch*: the action is closed; the collaborator's next ``verification_capa_clean_weeks``
  weekly lots are watched, from the first Saturday after the closing. A lot is the
  procedure's week (Saturday to Friday, in the company's time zone, as the sampling
  rules count them) with activities of his verified; it is *clean* once every one of
  them is concluded, none not confirmed and none with an anomaly. A bad lot reopens
  the evaluation and tells the process manager; the clean weeks count again from the
  week after it.
- *effective*: enough clean lots in a row: the evaluation quoting them is written (on
  the nonconformity too).
- *cancelled*: the nonconformity was cancelled or deleted in the quality app.

The daily scheduled action ``ir_cron_capa_effectiveness`` moves the checks. It is
idempotent: the lots are counted again from ``watch_from`` at each run, and a bad lot
moves ``watch_from`` past it.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.misc import format_date

from .. import date_utils

CAPA_STATES = [
    ("action", "Corrective Action in Progress"),
    ("watch", "Checking Effectiveness"),
    ("effective", "Effective"),
    ("cancelled", "Cancelled"),
]
OPEN_CAPA_STATES = ("action", "watch")
NONCONFORMITY_MODEL = "mgmtsystem.nonconformity"
# the weekly lot's counts, in the order of _get_lots' aggregates
LOT_MEASURES = (
    "__count",
    "is_concluded:sum",
    "is_confirmed:sum",
    "is_not_confirmed:sum",
    "is_anomaly:sum",
)


class CrmActivityVerificationCapa(models.Model):
    _name = "crm.activity.verification.capa"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Corrective Action Effectiveness Check"
    _order = "id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The verification in which the anomaly was found.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Collaborator",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="Every activity of the collaborator is verified while the check is open.",
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department",
        related="verification_id.team_id",
        store=True,
    )
    nonconformity_model = fields.Char(readonly=True)
    nonconformity_id = fields.Many2oneReference(
        model_field="nonconformity_model",
        readonly=True,
        index="btree_not_null",
        help="The nonconformity of the quality app (OCA's Management System) that handles "
        "the anomaly; empty for an anomaly resolved on the verification.",
    )
    nonconformity_ref = fields.Char(string="Nonconformity Reference", readonly=True)
    manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Process Manager",
        readonly=True,
        help="Who is told when a week shows that the action did not work: the HR & process "
        "manager, or the nonconformity's manager.",
    )
    state = fields.Selection(
        selection=CAPA_STATES, default="action", required=True, readonly=True, index=True
    )
    closed_on = fields.Datetime(string="Action Closed On", readonly=True)
    watch_from = fields.Date(
        string="Weeks Watched From",
        readonly=True,
        help="The Saturday of the first weekly lot watched: the week after the action closed, "
        "or after the last week that was not clean.",
    )
    clean_weeks = fields.Integer(readonly=True, help="Clean weekly lots in a row so far.")
    activity_count = fields.Integer(string="Activities Verified", readonly=True)
    confirmed_count = fields.Integer(string="Activities Confirmed", readonly=True)
    bad_weeks = fields.Integer(
        string="Weeks Not Clean", readonly=True, help="Weeks that reopened the evaluation."
    )
    evaluation = fields.Text(string="Effectiveness Evaluation", readonly=True)
    evaluated_on = fields.Datetime(readonly=True)

    _user_open_idx = models.Index("(user_id) WHERE state IN ('action', 'watch')")

    def _compute_display_name(self):
        for capa in self:
            capa.display_name = " · ".join(
                part for part in (capa.verification_id.display_name, capa.nonconformity_ref) if part
            )

    # ------------------------------------------------------------------
    # THE FLOW (called by the verification's anomaly and by the scheduled action)
    # ------------------------------------------------------------------
    @api.model
    def _open_check(self, verification, nonconformity=None):
        """The check of the anomaly just reported on ``verification`` (handled in
        ``nonconformity`` when given); its collaborator is verified in full from now."""
        if not verification.user_id:
            return self.browse()
        manager = nonconformity.manager_user_id if nonconformity else False
        # sudo: the check is the procedure's own record, written by its flow only (nobody
        # has the right to create or change it): its values come from the verification
        capa = self.sudo().create(
            {
                "company_id": verification.company_id.id,
                "verification_id": verification.id,
                "user_id": verification.user_id.id,
                "nonconformity_model": nonconformity._name if nonconformity else False,
                "nonconformity_id": nonconformity.id if nonconformity else False,
                "nonconformity_ref": nonconformity.ref if nonconformity else False,
                "manager_id": (manager or verification.process_manager_id).id,
            }
        )
        verification.user_id._verification_capa_tighten(capa)
        return capa.sudo(False)

    def _start_watch(self, closed_on):
        """The corrective action closed at ``closed_on`` (naive UTC): watch the weekly lots
        from the first Saturday after it (never before a week already judged)."""
        for capa in self.sudo():
            tz_name = capa.company_id._get_company_tz().zone
            saturday = date_utils.week_of(closed_on, tz_name)[0] + timedelta(weeks=1)
            capa.write(
                {
                    "state": "watch",
                    "closed_on": closed_on,
                    "watch_from": max(saturday, capa.watch_from or saturday),
                    "clean_weeks": 0,
                    "activity_count": 0,
                    "confirmed_count": 0,
                }
            )

    @api.model
    def _cron_capa_effectiveness(self):
        """Follow the nonconformities in the quality app, then judge the weekly lots of
        every check being watched, company by company."""
        checks = self.sudo().search([("state", "in", OPEN_CAPA_STATES)])
        # and the effective ones whose nonconformity is not closed yet (the anomaly with it)
        followed = checks.filtered("nonconformity_id") | self.sudo().search(
            [
                ("state", "=", "effective"),
                ("nonconformity_id", "!=", False),
                ("verification_id.anomaly_resolved_on", "=", False),
            ]
        )
        followed._sync_nonconformities()
        watched = checks.filtered(lambda capa: capa.state == "watch")
        for company, company_checks in watched.grouped("company_id").items():
            company_checks._evaluate_company(company)
        return True

    # ------------------------------------------------------------------
    # THE NONCONFORMITY, as the process manager works it in OCA's screens
    # ------------------------------------------------------------------
    def _get_nonconformity(self):
        """The nonconformity of the check, when the app is there and it still exists."""
        self.ensure_one()
        if not self.nonconformity_id or self.nonconformity_model not in self.env:
            return None
        # sudo: the check follows its nonconformity whatever the reader's rights in the
        # quality app; only its stage, actions and evaluation are read or written
        return self.env[self.nonconformity_model].sudo().browse(self.nonconformity_id).exists()

    def _sync_nonconformities(self):
        """A closed or cancelled nonconformity resolves the verification's anomaly; for an
        open check, its actions all closed start the watch, a new open action stops it,
        and a cancelled or deleted nonconformity cancels the check."""
        if NONCONFORMITY_MODEL not in self.env:
            return  # the app was uninstalled: the checks stay as they were
        for capa in self:
            nonconformity = capa._get_nonconformity()
            if nonconformity and nonconformity.state in ("done", "cancel"):
                capa.verification_id._resolve_anomaly_from_nonconformity(nonconformity)
            if capa.state not in OPEN_CAPA_STATES:
                continue
            if not nonconformity or nonconformity.state == "cancel":
                capa.write({"state": "cancelled"})
                continue
            if capa.manager_id != nonconformity.manager_user_id:
                capa.manager_id = nonconformity.manager_user_id
            closed_on = capa._get_closed_on(nonconformity)
            if closed_on and (capa.state == "action" or closed_on > capa.closed_on):
                capa._start_watch(closed_on)
            elif not closed_on and capa.state == "watch":
                capa.write({"state": "action", "clean_weeks": 0})

    @api.model
    def _get_closed_on(self, nonconformity):
        """When the last action of ``nonconformity`` closed, or False while one is open
        (or none was planned and the nonconformity is not closed)."""
        actions = nonconformity._get_all_actions()
        if not actions:
            return nonconformity.state == "done" and nonconformity.closing_date
        if not all(action.stage_id.is_ending for action in actions):
            return False
        return max(action.date_closed or action.write_date for action in actions)

    # ------------------------------------------------------------------
    # THE WEEKLY LOTS
    # ------------------------------------------------------------------
    def _evaluate_company(self, company):
        tz_name = company._get_company_tz().zone
        today = date_utils.local_date(fields.Datetime.now(), tz_name)
        last_saturday = date_utils.last_complete_week(today)[0]
        due = self.filtered(lambda capa: capa.watch_from and capa.watch_from <= last_saturday)
        if not due:
            return
        first = min(due.mapped("watch_from"))
        lots = self._get_lots(company, due.user_id, first, last_saturday, tz_name)
        for capa in due:
            capa._evaluate(lots.get(capa.user_id, {}), last_saturday)

    @api.model
    def _get_lots(self, company, users, first_saturday, last_saturday, tz_name):
        """``{user: {saturday: [activities, concluded, confirmed, not confirmed,
        anomalies]}}`` of the weeks from ``first_saturday`` to ``last_saturday``, the
        activities left out of the sample aside. One grouped query, by day in the
        company's time zone (the days of the sampling lots)."""
        start = date_utils.week_utc_range(first_saturday, tz_name)[0]
        end = date_utils.week_utc_range(last_saturday, tz_name)[1]
        domain = (
            Domain("company_id", "=", company.id)
            & Domain("user_id", "in", users.ids)
            & Domain("activity_date", ">=", start)
            & Domain("activity_date", "<", end)
            & Domain("state", "!=", "not_sampled")
        )
        # sudo: the scheduled action counts every collaborator's results, archived ones
        # included (still evidence), and returns nothing but the counts
        groups = (
            self.env["crm.activity.verification"]
            .sudo()
            .with_context(tz=tz_name, active_test=False)
            ._read_group(domain, ["user_id", "activity_date:day"], list(LOT_MEASURES))
        )
        lots = defaultdict(lambda: defaultdict(lambda: [0] * len(LOT_MEASURES)))
        for user, day, *counts in groups:
            week = lots[user][date_utils.week_bounds(day)[0]]
            for index, count in enumerate(counts):
                week[index] += count or 0
        return lots

    def _evaluate(self, weeks, last_saturday):
        """Judge the lots from ``watch_from`` on, in order: stop at a week still being
        verified; a bad week reopens the evaluation; enough clean ones prove the action."""
        self.ensure_one()
        needed = self.company_id.verification_capa_clean_weeks
        clean = []
        saturday = self.watch_from
        while saturday <= last_saturday:
            activities, concluded, confirmed, not_confirmed, anomalies = weeks.get(
                saturday, (0, 0, 0, 0, 0)
            )
            if not_confirmed or anomalies:
                self._reopen_evaluation(saturday, concluded, not_confirmed, anomalies)
                clean = []
            elif activities and concluded < activities:
                break  # activities of the week still to verify: not judged yet
            elif activities:
                clean.append((saturday, concluded, confirmed))
                if len(clean) >= needed:
                    self._write_effective(clean)
                    return
            saturday += timedelta(weeks=1)
        values = {
            "clean_weeks": len(clean),
            "activity_count": sum(week[1] for week in clean),
            "confirmed_count": sum(week[2] for week in clean),
        }
        if any(self[fname] != value for fname, value in values.items()):
            self.write(values)

    def _staff_env(self):
        """The environment in the company's language: the evaluation is read by its staff
        (the scheduled action has no language)."""
        return self.env["crm.activity.workflow.mixin"]._reader_env(self.company_id)

    def _write_effective(self, clean):
        staff_env = self._staff_env()
        evaluation = staff_env._(
            "%(weeks)s verified weeks without a not-confirmed activity: %(activities)s "
            "activities, %(confirmed)s confirmed (weeks from %(start)s to %(end)s).",
            weeks=len(clean),
            activities=sum(week[1] for week in clean),
            confirmed=sum(week[2] for week in clean),
            start=format_date(staff_env, clean[0][0]),
            end=format_date(staff_env, clean[-1][0] + timedelta(days=6)),
        )
        self.write(
            {
                "state": "effective",
                "clean_weeks": len(clean),
                "activity_count": sum(week[1] for week in clean),
                "confirmed_count": sum(week[2] for week in clean),
                "evaluation": evaluation,
                "evaluated_on": fields.Datetime.now(),
            }
        )
        nonconformity = self._get_nonconformity()
        if nonconformity:
            self._write_nonconformity_evaluation(nonconformity, evaluation)
            if nonconformity.state != "done" and self.manager_id:
                # in his activities, without an e-mail: nothing is wrong
                nonconformity.with_context(mail_activity_quick_update=True).activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=self.manager_id.id,
                    summary=self.env["crm.activity.workflow.mixin"]
                    ._reader_env(self.manager_id)
                    ._("Close the nonconformity: the corrective action proved effective"),
                    note=evaluation,
                )
        self.verification_id._log_capa(
            staff_env._("Corrective action effective. %(evaluation)s", evaluation=evaluation)
        )

    def _reopen_evaluation(self, saturday, concluded, not_confirmed, anomalies):
        """A bad week: the evaluation is reopened, the process manager told, and the clean
        weeks count again from the week after it."""
        staff_env = self._staff_env()
        evaluation = staff_env._(
            "Week from %(start)s to %(end)s: %(not_confirmed)s not-confirmed activities and "
            "%(anomalies)s anomalies among %(activities)s verified. The corrective action "
            "has not proved effective: the evaluation is reopened, and %(weeks)s clean "
            "weeks are counted again from %(next)s.",
            start=format_date(staff_env, saturday),
            end=format_date(staff_env, saturday + timedelta(days=6)),
            not_confirmed=not_confirmed,
            anomalies=anomalies,
            activities=concluded,
            weeks=self.company_id.verification_capa_clean_weeks,
            next=format_date(staff_env, saturday + timedelta(weeks=1)),
        )
        self.write(
            {
                "watch_from": saturday + timedelta(weeks=1),
                "bad_weeks": self.bad_weeks + 1,
                "clean_weeks": 0,
                "activity_count": 0,
                "confirmed_count": 0,
                "evaluation": evaluation,
                "evaluated_on": fields.Datetime.now(),
            }
        )
        nonconformity = self._get_nonconformity()
        if nonconformity:
            self._write_nonconformity_evaluation(nonconformity, evaluation, reopen=True)
        self._tell_manager(nonconformity, evaluation)
        self.verification_id._log_capa(evaluation)

    @api.model
    def _write_nonconformity_evaluation(self, nonconformity, evaluation, reopen=False):
        """Add ``evaluation`` to the nonconformity's effectiveness evaluation (the process
        manager's own text stays); ``reopen``: a nonconformity closed too early goes back
        to work, and to its action plan when it has none."""
        values = {
            "evaluation_comments": "\n\n".join(
                text for text in (nonconformity.evaluation_comments, evaluation) if text
            )
        }
        if reopen and nonconformity.state == "done":
            state = "open" if nonconformity.action_comments else "pending"
            stage = nonconformity.env["mgmtsystem.nonconformity.stage"].search(
                [("state", "=", state)], limit=1
            )
            if stage:
                values["stage_id"] = stage.id
        nonconformity.write(values)
        nonconformity.message_post(body=evaluation, subtype_xmlid="mail.mt_note")

    def _tell_manager(self, nonconformity, evaluation):
        """An activity where he works (the nonconformity, or the verification) and an
        e-mail, for the process manager."""
        if not self.manager_id:
            return
        summary = (
            self.env["crm.activity.workflow.mixin"]
            ._reader_env(self.manager_id)
            ._(
                "Corrective action not effective: %(collaborator)s",
                collaborator=self.user_id.name,
            )
        )
        # the e-mail below tells him: no second e-mail for the activity
        if nonconformity:
            nonconformity.with_context(mail_activity_quick_update=True).activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.manager_id.id,
                summary=summary,
                note=evaluation,
            )
        else:
            # sudo: the scheduled action gives the process manager his activity on the
            # verification; the workflow fields are not touched
            self.verification_id.sudo().with_context(
                mail_activity_quick_update=True
            ).activity_schedule(
                "crm_activity_verification.mail_activity_type_anomaly",
                user_id=self.manager_id.id,
                summary=summary,
                note=evaluation,
            )
        # sudo: the template only renders this check, for its process manager
        self.env.ref("crm_activity_verification.mail_template_capa_not_effective").sudo().send_mail(
            self.id
        )
