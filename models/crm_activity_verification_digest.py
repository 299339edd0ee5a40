from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.misc import format_date

from .. import date_utils
from .crm_activity_verification import CONCLUDED_STATES
from .crm_activity_verification_analysis import confirmation_rate
from .res_users import REPORTING_ROLES

# Collaborators who report their activities on the weekly report FRE-7.5-01.
COUNTERS = (
    "recorded",
    "drawn",
    "verified",
    "on_time",
    "hours",
    "by_link",
    "rated",
    "csat_sum",
    "confirmed",
    "not_confirmed",
    "unreachable",
    "overdue",
    "late_reports",
)


class CrmActivityVerificationDigest(models.AbstractModel):
    """The managers' weekly e-mail digest (scheduled action ``ir_cron_weekly_digest``).

    Each department manager (``crm.team.user_id``) and each HR & process manager
    receives the figures he may read: they are read as him (``with_user``), so the
    record rules decide (a manager: his teams' and his own; the process manager: his
    company), never a copy of them in Python. Each recipient costs a few grouped
    queries, whatever the number of teams or collaborators.
    """

    _name = "crm.activity.verification.digest"
    _description = "Weekly Verification Digest"

    @api.model
    def _cron_send_weekly_digest(self):
        """Send last week's digest to every department manager and HR & process manager."""
        companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        periods = self._get_digest_periods(companies)
        # the control charts of the week that ended (B-6), as of now
        self.env["crm.activity.verification.analysis"]._refresh(companies)
        self._send_digests(self._prepare_digests(periods))
        return True

    # ------------------------------------------------------------------
    # PERIOD AND FIGURES
    # ------------------------------------------------------------------
    @api.model
    def _get_digest_periods(self, companies, now=None, current=False):
        """``{company: period}`` of the last complete reporting week (Saturday to Friday,
        R-1.5) in each company's timezone, with its bounds in naive UTC; ``current``: the
        week in progress instead, until ``now`` (a preview)."""
        now = now or fields.Datetime.now()
        periods = {}
        for company in companies:
            tz_name = company._get_company_tz().zone
            today = date_utils.local_date(now, tz_name)
            if current:
                saturday, friday = date_utils.week_bounds(today)
            else:
                saturday, friday = date_utils.last_complete_week(today)
            start, end = date_utils.week_utc_range(saturday, tz_name)
            periods[company] = {
                "date_from": saturday,
                "date_to": min(friday, today) if current else friday,
                "start": start,
                "end": min(end, now) if current else end,
                "partial": current,
            }
        return periods

    @api.model
    def _period_domain(self, periods, field_name):
        return Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain(field_name, ">=", period["start"])
            & Domain(field_name, "<", period["end"])
            for company, period in periods.items()
        )

    @api.model
    def _get_digest_stats(self, periods):
        """Counters per ``(company, team, collaborator)`` of what the current user may
        read (called as each recipient): a handful of grouped queries."""
        stats = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
        self._add_verification_stats(stats, periods)
        self._add_report_stats(stats, periods)
        return stats

    @api.model
    def _add_verification_stats(self, stats, periods):
        """Activities recorded, drawn, concluded (by outcome) and overdue follow-ups."""
        Verification = self.env["crm.activity.verification"]
        companies = self.env["res.company"].union(*periods)
        keys = ["company_id", "team_id", "user_id"]
        for company, team, user, count, drawn in Verification._read_group(
            self._period_domain(periods, "activity_date"), keys, ["__count", "is_drawn:sum"]
        ):
            stats[company, team, user]["recorded"] += count
            stats[company, team, user]["drawn"] += drawn
        for (
            company,
            team,
            user,
            state,
            count,
            on_time,
            hours,
            by_link,
            csat_sum,
            rated,
        ) in Verification._read_group(
            self._period_domain(periods, "verified_on") & Domain("state", "in", CONCLUDED_STATES),
            [*keys, "state"],
            [
                "__count",
                "verified_on_time:sum",
                "verify_hours:sum",
                "is_link_answer:sum",
                "csat:sum",
                "is_rated:sum",
            ],
        ):
            row = stats[company, team, user]
            row["verified"] += count
            row[state] += count
            row["on_time"] += on_time
            row["hours"] += hours
            row["by_link"] += by_link
            row["csat_sum"] += csat_sum
            row["rated"] += rated
        for company, team, user, count in Verification._read_group(
            [("company_id", "in", companies.ids), ("followup_state", "=", "overdue")],
            keys,
            ["__count"],
        ):
            stats[company, team, user]["overdue"] += count

    @api.model
    def _add_report_stats(self, stats, periods):
        """Weekly reports FRE-7.5-01 of the week: late when submitted late or still a
        draft, or missing for a collaborator who fills them."""
        Report = self.env["crm.activity.weekly.report"]
        companies = self.env["res.company"].union(*periods)
        keys = ["company_id", "team_id", "user_id"]
        week_domain = Domain.OR(
            Domain("company_id", "=", company.id) & Domain("date_start", "=", period["date_from"])
            for company, period in periods.items()
        )
        reported = set()
        for company, team, user, state, is_late, count in Report._read_group(
            week_domain, [*keys, "state", "is_late"], ["__count"]
        ):
            reported.add(user)
            if state == "draft" or is_late:
                stats[company, team, user]["late_reports"] += count
        # Collaborators of the procedure: listed even without activity; a missing report is late
        collaborators = self.env["res.users"].search_fetch(
            [
                ("verification_role", "!=", False),
                ("share", "=", False),
                ("company_id", "in", companies.ids),
                *self._get_digest_collaborator_domain(),
            ],
            ["name", "verification_role", "sale_team_id", "company_id"],
        )
        for user in collaborators:
            row = stats[user.company_id, user.sale_team_id, user]
            if user.verification_role in REPORTING_ROLES and user not in reported:
                row["late_reports"] += 1

    @api.model
    def _get_digest_collaborator_domain(self):
        """The collaborators listed for the current recipient even without activity: those
        of the teams he leads, or all of his companies for the HR & process manager."""
        if self.env.su or self.env.user.has_group(
            "crm_activity_verification.group_process_manager"
        ):
            return []
        return [("sale_team_id.user_id", "=", self.env.uid)]

    @api.model
    def _get_digest_events(self, periods):
        """Anomalies (open, or resolved in the week) and complaints of the week that the
        current user may read (called as each recipient)."""
        companies = self.env["res.company"].union(*periods)
        start = min(period["start"] for period in periods.values())
        anomalies = self.env["crm.activity.verification"].search_fetch(
            Domain("company_id", "in", companies.ids)
            & Domain("anomaly", "=", True)
            & (
                Domain("anomaly_resolved_on", "=", False)
                | Domain("anomaly_resolved_on", ">=", start)
            ),
            [
                "company_id",
                "team_id",
                "user_id",
                "partner_id",
                "contact_name",
                "anomaly_description",
                "anomaly_resolved_on",
            ],
            order="id",
        )
        complaints = self.env["crm.activity.complaint"].search_fetch(
            self._period_domain(periods, "date"),
            [
                "name",
                "company_id",
                "team_id",
                "collaborator_id",
                "partner_id",
                "description",
                "state",
            ],
            order="id",
        )
        return anomalies, complaints

    # ------------------------------------------------------------------
    # RECIPIENTS AND CONTENT
    # ------------------------------------------------------------------
    @api.model
    def _get_digest_recipients(self, companies, teams):
        """``{user: (teams led, companies)}``: the department manager of each team and
        the HR & process manager of each company."""
        Verification = self.env["crm.activity.verification"]
        scopes = defaultdict(lambda: [self.env["crm.team"], self.env["res.company"]])
        for team in teams.filtered("user_id"):
            scopes[team.user_id][0] |= team
        for company in companies:
            manager = Verification._get_process_manager(company)
            if manager:
                scopes[manager][1] |= company
        return {
            user: tuple(scope)
            for user, scope in scopes.items()
            if user.active and user.email and not user.share
        }

    @api.model
    def _prepare_digests(self, periods):
        """``{user: values}`` of the e-mail of each recipient, in his language, with the
        figures read as him."""
        if not periods:
            return {}
        digests = {}
        for user, scope in self._get_period_recipients(periods).items():
            values = self._prepare_user_digest(user, scope, periods)
            if values and (values["sections"] or values["anomalies"] or values["complaints"]):
                digests[user] = values
        return digests

    @api.model
    def _get_period_recipients(self, periods):
        """``{user: (teams led, companies)}`` of the digests of ``periods``' companies."""
        companies = self.env["res.company"].union(*periods)
        teams = self.env["crm.team"].search([("company_id", "in", [*companies.ids, False])])
        return self._get_digest_recipients(companies, teams)

    @api.model
    def _prepare_user_digest(self, user, scope, periods):
        """The values of ``user``'s e-mail (``scope``: the teams he leads and the companies
        where he is HR & process manager), read as him; ``None`` when he may read nothing."""
        scope_teams, scope_companies = scope
        # the companies of his digest: where he is HR & process manager or leads a team
        companies = (scope_companies | scope_teams.company_id or user.company_id) & user.company_ids
        digest = self.with_user(user).with_context(
            lang=user.lang or "en_US", allowed_company_ids=companies.ids
        )
        if not companies or not digest.env["crm.activity.verification"].has_access("read"):
            return None
        return digest._prepare_recipient_digest(
            {company: period for company, period in periods.items() if company in companies},
            bool(scope_companies),
        )

    @api.model
    def _render_digest_preview(self, user, current=False):
        """``(subject, html)`` of ``user``'s weekly digest as the Saturday cron sends it
        (last week), or of the week in progress (``current``), for his dashboard; ``None``
        when he receives no digest (he leads no department, is no process manager)."""
        # sudo: the companies and teams are read to find his scope only; the figures are
        # then read as him (_prepare_user_digest)
        companies = user.company_ids.sudo()
        periods = self.sudo()._get_digest_periods(companies, current=current)
        scope = self.sudo()._get_period_recipients(periods).get(user.sudo())
        if not scope:
            return None
        values = self._prepare_user_digest(user, (scope[0].sudo(False), scope[1]), periods)
        if not values:
            return None
        template = self.env.ref("crm_activity_verification.mail_template_weekly_digest")
        # sudo: the template is rendered for this user only, with his own figures
        rendered = (
            template.sudo()
            .with_context(verification_digest={user.id: values})
            ._generate_template([user.id], ("subject", "body_html"))[user.id]
        )
        return rendered["subject"], rendered["body_html"]

    @api.model
    def _prepare_recipient_digest(self, periods, company_wide):
        """The values of the current user's e-mail: what his record rules let him read."""
        env = self.env
        stats = self._get_digest_stats(periods)
        anomalies, complaints = self._get_digest_events(periods)
        teams = env["crm.team"].union(*(team for _company, team, _user in stats))
        values = self._prepare_digest_values(
            env, env.user, company_wide, periods, stats, {team: team.name for team in teams}
        )
        values["anomalies"] = [self._prepare_anomaly_values(anomaly) for anomaly in anomalies]
        complaint_states = complaints._get_selection_labels("state")
        values["complaints"] = [
            self._prepare_complaint_values(complaint, complaint_states) for complaint in complaints
        ]
        values.update(self._prepare_control_chart_values(periods))
        if company_wide:
            values["integrity"] = self._prepare_integrity_values(env.user.company_id)
        return values

    @api.model
    def _prepare_control_chart_values(self, periods):
        """The week's p-charts that the user reads (B-6): each collaborator's last 12 weeks
        as an image the mail clients load, and who was out of control."""
        Analysis = self.env["crm.activity.verification.analysis"]
        if not Analysis.has_access("read"):
            return {"charts": [], "out_of_control": []}
        rows = Analysis.search(
            Domain.OR(
                Domain("company_id", "=", company.id)
                & Domain("week_start", "=", period["date_from"])
                for company, period in periods.items()
            ),
            order="is_out_of_control desc, team_id, user_id",
        )
        images = rows._get_chart_image_urls()
        charts = [
            {
                "name": row.user_id.name,
                "team": row.team_id.name or "",
                "verified": row.verified,
                "not_confirmed": row.not_confirmed,
                "proportion": round(row.proportion, 1),
                "upper_limit": round(row.upper_limit, 1) if row.has_limits else None,
                "centre_line": round(row.centre_line, 1) if row.has_limits else None,
                "out": row.is_out_of_control,
                "image_url": images[row.id],
            }
            for row in rows
        ]
        return {"charts": charts, "out_of_control": [chart for chart in charts if chart["out"]]}

    @api.model
    def _prepare_integrity_values(self, company):
        """The head of the company's chain of sealed records, for the process manager to
        keep: ``get_verification_integrity(anchor_number, anchor_hash)`` proves later that
        it is still in the chain (issue 21)."""
        result = company.get_verification_integrity()
        return {"ok": result["ok"], **result["head"]}

    @api.model
    def _prepare_digest_values(self, env, user, company_wide, periods, rows, team_names):
        """Sections (one per team) of the collaborators' table; extend to add columns."""
        sections = defaultdict(list)
        for (_company, team, collaborator), counters in rows.items():
            sections[team].append(
                dict(
                    counters,
                    name=collaborator.name or env._("Unknown collaborator"),
                    **self._get_digest_rates(counters),
                )
            )
        result = []
        for team, team_rows in sections.items():
            totals = {counter: sum(row[counter] for row in team_rows) for counter in COUNTERS}
            totals.update(self._get_digest_rates(totals))
            totals["name"] = False  # the template shows the totals' row as "Total"
            result.append(
                {
                    "team": team_names.get(team) or team.name or env._("No department"),
                    "rows": sorted(team_rows, key=lambda row: row["name"]),
                    "totals": totals,
                }
            )
        result.sort(key=lambda section: section["team"])
        period = periods.get(user.company_id) or next(iter(periods.values()))
        lang = env.lang
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return {
            "sections": result,
            "company_wide": company_wide,
            # the week named by its days, in the reader's language (never "last week")
            "date_from": format_date(env, period["date_from"], lang_code=lang),
            "date_to": format_date(env, period["date_to"], lang_code=lang),
            "day_from": format_date(env, period["date_from"], date_format="full", lang_code=lang),
            "day_to": format_date(env, period["date_to"], date_format="full", lang_code=lang),
            "partial": period.get("partial", False),
            "base_url": base_url,
            "analysis_url": f"{base_url}/odoo/action-crm_activity_verification."
            "crm_activity_verification_action_analysis",
        }

    @api.model
    def _get_digest_rates(self, counters):
        """Confirmation rate, on-time rate (B-2) and share answered by link (B-3) in %, the
        average hours to verify and the average rating (1 to 5)."""
        verified = counters["verified"]
        rated = counters["rated"]
        csat = round(counters["csat_sum"] / rated, 1) if rated else None
        if not verified:
            return {
                "rate": None,
                "on_time_rate": None,
                "avg_hours": None,
                "link_rate": None,
                "csat": csat,
            }
        return {
            "rate": round(confirmation_rate(counters["confirmed"], verified)),
            "on_time_rate": round(100.0 * counters["on_time"] / verified),
            "avg_hours": round(counters["hours"] / verified, 1),
            "link_rate": round(100.0 * counters["by_link"] / verified),
            "csat": csat,
        }

    @api.model
    def _prepare_anomaly_values(self, verification):
        return {
            "name": verification.display_name,
            "url": f"/odoo/{verification._name}/{verification.id}",
            "collaborator": verification.user_id.name or "",
            "description": verification.anomaly_description or "",
            "resolved": bool(verification.anomaly_resolved_on),
        }

    @api.model
    def _prepare_complaint_values(self, complaint, states):
        return {
            "name": complaint.name,
            "url": f"/odoo/{complaint._name}/{complaint.id}",
            "customer": complaint.partner_id.name or "",
            "collaborator": complaint.collaborator_id.name or "",
            "description": complaint.description or "",
            "state": states.get(complaint.state, ""),
        }

    @api.model
    def _send_digests(self, digests):
        """One e-mail per recipient, queued in one batch (rendered in his language)."""
        if not digests:
            return self.env["mail.mail"]
        template = self.env.ref("crm_activity_verification.mail_template_weekly_digest")
        payload = {user.id: values for user, values in digests.items()}
        users = self.env["res.users"].union(*digests)
        return template.with_context(verification_digest=payload).send_mail_batch(users.ids)
