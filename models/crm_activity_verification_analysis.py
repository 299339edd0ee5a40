"""Analysis measures of the verifications (managers' pivots, graphs and dashboards).

Stored, precomputed integer and float measures that the views sum or average, and
the traceability of the opportunity to its quotations and orders (``sale_crm``).
"""

import base64
import io
from collections import defaultdict
from datetime import timedelta

from PIL import Image, ImageDraw

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.rating.models import rating_data

from .. import date_utils, spc
from .crm_activity_verification import CONCLUDED_STATES
from .crm_activity_workflow_mixin import public_method

# Weeks of a collaborator's control chart (B-6), and before each point for its centre line
CHART_WEEKS = 12
# The control charts opened by a manager are computed again when older than this
REFRESH_AFTER = timedelta(minutes=10)
# The outcome of a verification's opportunity, by the opportunity's won status
LEAD_OUTCOMES = {"won": "won", "lost": "lost", "pending": "open"}
# Odoo's rating scale (rating module), with the labels people read: the call dialog,
# the verification's form and the managers' dashboard all use these three
CSAT_SCALE = [
    (str(rating_data.RATING_HAPPY_VALUE), "Satisfied"),
    (str(rating_data.RATING_NEUTRAL_VALUE), "Okay"),
    (str(rating_data.RATING_UNHAPPY_VALUE), "Dissatisfied"),
]
# Fields of the satisfaction measures, per level of the scale
CSAT_MEASURES = {"5": "csat_satisfied", "3": "csat_okay", "1": "csat_dissatisfied"}
CONFIRMATION_RATE_HELP = (
    "Confirmed ÷ concluded, in %: of the activities drawn for a call whose verification is "
    "concluded (confirmed, not confirmed or unreachable), the share the customer confirmed. "
    "The same figure in the dashboard, this analysis, the digest and the evidence pack."
)


def confirmation_rate(confirmed, concluded):
    """THE confirmation rate, in %: confirmed ÷ concluded (drawn activities only: a
    verification not drawn is never concluded); ``None`` when nothing was concluded."""
    return 100.0 * confirmed / concluded if concluded else None


def csat_level(value):
    """The level of the scale (``"5"``, ``"3"``, ``"1"``) of a rating, or ``False``."""
    return str(rating_data._rating_to_threshold(value)) if value else False


class CrmActivityVerification(models.Model):
    _inherit = "crm.activity.verification"

    # Analysis (managers): stored measures, so that pivots, graphs and dashboards sum them
    lead_outcome = fields.Selection(
        selection=[("won", "Won"), ("lost", "Lost"), ("open", "Open")],
        string="Opportunity Outcome",
        compute="_compute_lead_outcome",
        store=True,
        precompute=True,
        help="Outcome of the opportunity the activity belongs to; empty without opportunity.",
    )
    is_concluded = fields.Integer(
        string="Activities Verified",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
        help="1 when the verification is concluded (confirmed, not confirmed or unreachable).",
    )
    is_confirmed = fields.Integer(
        string="Confirmed Activities",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
    )
    is_not_confirmed = fields.Integer(
        string="Not Confirmed Activities",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
    )
    is_unreachable = fields.Integer(
        string="Unreachable Activities",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
    )
    is_anomaly = fields.Integer(
        string="Anomalies", compute="_compute_analysis_measures", store=True, precompute=True
    )
    confirmation_rate = fields.Float(
        string="Confirmation Rate (%)",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
        aggregator="avg",
        digits=(5, 1),
        help=CONFIRMATION_RATE_HELP,
    )
    verify_hours = fields.Float(
        string="Hours to Verify",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
        aggregator="avg",
        digits=(16, 1),
        help="Hours from the activity to the call that concluded its verification; "
        "average it over verified activities (filter “Concluded”).",
    )
    followup_on_time = fields.Integer(
        string="Follow-ups On Time",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
    )
    followup_late = fields.Integer(
        string="Follow-ups Late",
        compute="_compute_analysis_measures",
        store=True,
        precompute=True,
        help="1 when the follow-up is overdue, or was done after its deadline.",
    )
    # The customer's satisfaction on Odoo's rating scale (B-3): a level, and a count per level
    csat_level = fields.Selection(
        selection=CSAT_SCALE,
        string="Customer Satisfaction",
        compute="_compute_csat_measures",
        store=True,
        precompute=True,
        help="How the customer rated the service, by link or by phone (Odoo's rating scale).",
    )
    csat_satisfied = fields.Integer(
        string="Satisfied", compute="_compute_csat_measures", store=True, precompute=True
    )
    csat_okay = fields.Integer(
        string="Okay", compute="_compute_csat_measures", store=True, precompute=True
    )
    csat_dissatisfied = fields.Integer(
        string="Dissatisfied", compute="_compute_csat_measures", store=True, precompute=True
    )
    # The procedure's week (Saturday to Friday, R-1.5) of the activity, in the company's
    # time zone: the analysis groups by it and names it by its first day
    activity_week = fields.Date(
        string="Week (from Saturday)",
        compute="_compute_activity_week",
        store=True,
        precompute=True,
        help="The Saturday that starts the procedure's week (Saturday to Friday) of the activity.",
    )
    # Traceability to the sale (purpose 1.1): filled when Sales (sale_crm) is installed
    lead_sale_count = fields.Integer(
        string="Quotations and Orders",
        compute="_compute_lead_sale_count",
        compute_sudo=True,  # a count only; opening them applies the user's own rights
        help="Quotations and sales orders of the opportunity (requires the Sales app).",
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("lead_id.won_status")
    def _compute_lead_outcome(self):
        for verification in self:
            verification.lead_outcome = LEAD_OUTCOMES.get(verification.lead_id.won_status, False)

    @api.depends(
        "state",
        "anomaly",
        "activity_date",
        "verified_on",
        "followup_state",
        "followup_done_on",
        "followup_deadline",
    )
    def _compute_analysis_measures(self):
        for verification in self:
            state = verification.state
            concluded = state in CONCLUDED_STATES
            verification.is_concluded = int(concluded)
            verification.is_confirmed = int(state == "confirmed")
            verification.is_not_confirmed = int(state == "not_confirmed")
            verification.is_unreachable = int(state == "unreachable")
            verification.is_anomaly = int(verification.anomaly)
            verification.confirmation_rate = 100.0 if state == "confirmed" else 0.0
            hours = 0.0
            if concluded and verification.verified_on and verification.activity_date:
                hours = max(
                    (verification.verified_on - verification.activity_date).total_seconds() / 3600,
                    0.0,
                )
            verification.verify_hours = hours
            done_on = verification.followup_done_on and verification.followup_done_on.date()
            deadline = verification.followup_deadline
            done_late = bool(
                verification.followup_state == "done"
                and deadline
                and done_on
                and done_on > deadline
            )
            verification.followup_on_time = int(
                verification.followup_state == "done" and not done_late
            )
            verification.followup_late = int(verification.followup_state == "overdue" or done_late)

    @api.depends("csat")
    def _compute_csat_measures(self):
        for verification in self:
            values = self._get_csat_values(verification.csat)
            for fname, value in values.items():
                verification[fname] = value

    @api.model
    def _get_csat_values(self, csat):
        """``{field: value}`` of the satisfaction measures of a rating ``csat``."""
        level = csat_level(csat)
        return {
            "csat_level": level,
            **{fname: int(level == key) for key, fname in CSAT_MEASURES.items()},
        }

    @api.depends("activity_date", "company_id")
    def _compute_activity_week(self):
        for verification in self:
            verification.activity_week = self._get_activity_week(
                verification.company_id or self.env.company, verification.activity_date
            )

    @api.model
    def _get_activity_week(self, company, activity_date):
        """The Saturday of the procedure's week of ``activity_date`` (naive UTC) in the
        time zone of ``company``'s working time (no query: the zone is cached)."""
        if not activity_date:
            return False
        calendar_id = company.resource_calendar_id.id
        tz_name = (
            self._get_calendar_tz(calendar_id) if calendar_id else company._get_company_tz().zone
        )
        return date_utils.week_of(activity_date, tz_name)[0]

    def _compute_lead_sale_count(self):
        # soft dependency on sale_crm: no field on crm.lead without it, and no count
        if "order_ids" not in self.env["crm.lead"]._fields:
            self.lead_sale_count = 0
            return
        for verification in self:
            lead = verification.lead_id
            verification.lead_sale_count = (
                (lead.quotation_count + lead.sale_order_count) if lead else 0
            )

    # ------------------------------------------------------------------
    # CRUD: the new measures precomputed from the creation values
    # ------------------------------------------------------------------
    def _add_precomputed_values(self, vals_list):
        """The satisfaction measures and the week of new verifications from their values,
        without Odoo's new records (the cost of marking activities done, issue 13)."""
        for vals in vals_list:
            for fname, value in self._get_csat_values(vals.get("csat")).items():
                vals.setdefault(fname, value)
            if "company_id" in vals and "activity_date" in vals:
                vals.setdefault(
                    "activity_week",
                    self._get_activity_week(
                        self.env["res.company"].browse(vals["company_id"]),
                        fields.Datetime.to_datetime(vals["activity_date"]),
                    ),
                )
        return super()._add_precomputed_values(vals_list)

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """THE confirmation rate of a group (``confirmation_rate:avg``, the pivot's and the
        dashboard's measure): confirmed ÷ concluded of its verifications, whatever else
        the group holds (open ones, not drawn ones), as :func:`confirmation_rate`."""
        if aggregate_spec == "confirmation_rate:avg":
            return SQL(
                "100.0 * SUM(%s) / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, "is_confirmed", query),
                self._field_to_sql(self._table, "is_concluded", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    @public_method(single=True)
    @api.readonly
    def action_view_lead_sales(self):
        """Quotations and orders of the opportunity, when Sales (sale_crm) is installed."""
        self.ensure_one()
        if not self.lead_id or not hasattr(self.lead_id, "action_view_sale_quotation"):
            raise UserError(
                self.env._(
                    "%(verification)s has no opportunity with quotations or orders.",
                    verification=self.display_name,
                )
            )
        return self.lead_id.action_view_sale_quotation()


class CrmActivityVerificationAnalysis(models.Model):
    """B-6 Where to improve: each collaborator's weekly lot on a p-chart.

    One row per collaborator and week (Saturday to Friday, the company's time zone) with
    verified activities: how many were verified (concluded) and not confirmed, the
    proportion, and the limits of a p-chart around his department's not-confirmed rate
    over the 12 weeks before (``spc.py``). A week above its upper limit is out of
    control. The rows are recomputed from the verifications (``_refresh``): by the
    weekly digest's scheduled action, and when a manager opens the control charts."""

    _name = "crm.activity.verification.analysis"
    _description = "Control Chart of a Collaborator's Week (p-chart)"
    _order = "week_start desc, team_id, user_id"
    _rec_name = "user_id"

    company_id = fields.Many2one(comodel_name="res.company", required=True, readonly=True)
    team_id = fields.Many2one(comodel_name="crm.team", string="Department", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Collaborator", required=True, readonly=True
    )
    week_start = fields.Date(string="Week (from Saturday)", required=True, readonly=True)
    week_end = fields.Date(string="To Friday", required=True, readonly=True)
    verified = fields.Integer(
        string="Verified Activities",
        readonly=True,
        help="Activities of the week whose verification is concluded (the sample, n).",
    )
    not_confirmed = fields.Integer(
        readonly=True,
        help="Of them, the activities the customer did not confirm.",
    )
    proportion = fields.Float(
        string="Not Confirmed (%)",
        readonly=True,
        digits=(5, 1),
        aggregator="avg",
        help="Not confirmed ÷ verified, in %: the week's point on the p-chart.",
    )
    centre_line = fields.Float(
        string="Centre Line (%)",
        readonly=True,
        digits=(5, 1),
        aggregator="avg",
        help="The department's not-confirmed rate over the 12 weeks before this one, in %.",
    )
    upper_limit = fields.Float(
        string="Upper Limit (%)",
        readonly=True,
        digits=(5, 1),
        aggregator="avg",
        help="Centre line + 3·√(p̄(1 − p̄)/n): above it, more not-confirmed activities than "
        "chance explains.",
    )
    lower_limit = fields.Float(
        string="Lower Limit (%)",
        readonly=True,
        digits=(5, 1),
        aggregator="avg",
        help="Centre line − 3·√(p̄(1 − p̄)/n), at least 0.",
    )
    has_limits = fields.Boolean(
        readonly=True,
        help="The department had verified activities in the 12 weeks before: the week has "
        "a centre line and limits.",
    )
    is_out_of_control = fields.Boolean(
        string="Out of Control",
        readonly=True,
        help="The week's proportion is above its upper limit.",
    )
    is_last_week = fields.Boolean(
        string="Last Complete Week",
        readonly=True,
        help="The last week that ended (Saturday to Friday) when the charts were computed.",
    )
    chart = fields.Binary(
        string="Last 12 Weeks",
        compute="_compute_chart",
        help="The collaborator's p-chart up to this week: the weekly points, the centre line "
        "and the limits.",
    )

    _week_user_uniq = models.Constraint(
        "UNIQUE(company_id, user_id, week_start)", "One point per collaborator and week."
    )
    _week_idx = models.Index("(company_id, week_start)")

    @api.depends("user_id", "week_start")
    def _compute_chart(self):
        history = self._get_chart_history()
        for row in self:
            row.chart = base64.b64encode(p_chart_image(history.get(row.id, [])))

    def _get_chart_history(self):
        """``{row id: [points of the 12 weeks up to its week]}``; one search."""
        if not self.ids:
            return {}
        weeks = {row.week_start for row in self}
        rows = self.search(
            [
                ("company_id", "in", self.company_id.ids),
                ("user_id", "in", self.user_id.ids),
                ("week_start", ">", min(weeks) - timedelta(weeks=CHART_WEEKS)),
                ("week_start", "<=", max(weeks)),
            ],
            order="week_start",
        )
        by_user = defaultdict(list)
        for row in rows:
            by_user[row.company_id, row.user_id].append(row)
        return {
            row.id: [
                point._get_chart_point()
                for point in by_user[row.company_id, row.user_id]
                if row.week_start - timedelta(weeks=CHART_WEEKS)
                < point.week_start
                <= row.week_start
            ]
            for row in self
        }

    def _get_chart_image_urls(self):
        """``{row id: URL}`` of each row's chart as a PNG that an e-mail shows: an
        attachment opened by its access token (as Odoo shows the images of its e-mails),
        kept after the rows are computed again, shared by identical charts."""
        base_url = self.browse().get_base_url()
        # sudo: the charts of the rows the user reads, stored for the e-mails that show them
        Attachment = self.env["ir.attachment"].sudo()
        urls = {}
        for row in self:
            png = base64.b64decode(row.chart)
            name = f"p-chart {row.user_id.id} {row.week_start}.png"
            attachment = Attachment.search(
                [
                    ("res_model", "=", "crm.activity.verification.digest"),
                    ("name", "=", name),
                    ("checksum", "=", Attachment._compute_checksum(png)),
                ],
                limit=1,
            ) or Attachment.create(
                {
                    "name": name,
                    "raw": png,
                    "mimetype": "image/png",
                    "res_model": "crm.activity.verification.digest",
                }
            )
            token = attachment.access_token or attachment.generate_access_token()[0]
            urls[row.id] = f"{base_url}/web/image/{attachment.id}?access_token={token}"
        return urls

    def _get_chart_point(self):
        self.ensure_one()
        return {
            "week": self.week_start,
            "p": self.proportion / 100,
            "centre": self.centre_line / 100 if self.has_limits else None,
            "ucl": self.upper_limit / 100 if self.has_limits else None,
            "lcl": self.lower_limit / 100 if self.has_limits else None,
            "out": self.is_out_of_control,
        }

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    @public_method
    @api.model
    def action_open_control_charts(self):
        """The managers' control charts, up to date: one card per collaborator with his
        last 12 weeks, the out-of-control ones first."""
        stale = fields.Datetime.now() - REFRESH_AFTER
        # sudo: when the rows were last computed, whatever the teams the user reads
        groups = self.sudo()._read_group(
            [("company_id", "in", self.env.companies.ids), ("create_date", ">=", stale)],
            ["company_id"],
        )
        fresh = self.env["res.company"].union(*(company for (company,) in groups))
        self._refresh(self.env.companies - fresh)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_activity_verification.crm_activity_verification_analysis_action"
        )

    # ------------------------------------------------------------------
    # COMPUTING THE WEEKS
    # ------------------------------------------------------------------
    @api.model
    def _refresh(self, companies, today=None):
        """Recompute the rows of the last weeks of ``companies`` from their verifications
        (``CHART_WEEKS`` shown, each with the ``CHART_WEEKS`` before for its centre line).
        Idempotent; a grouped query per company."""
        # sudo: the figures are computed for every collaborator; each manager then reads
        # the rows of his teams only (record rules)
        Analysis = self.sudo()
        for company in companies:
            tz_name = company._get_company_tz().zone
            company_today = today or date_utils.local_date(fields.Datetime.now(), tz_name)
            last_saturday = date_utils.last_complete_week(company_today)[0]
            first_shown = last_saturday - timedelta(weeks=CHART_WEEKS - 1)
            counts = self._get_weekly_counts(
                company, first_shown - timedelta(weeks=CHART_WEEKS), last_saturday
            )
            vals_list = self._prepare_rows(company, counts, first_shown, last_saturday)
            Analysis.search(
                [("company_id", "=", company.id), ("week_start", ">=", first_shown)]
            ).unlink()
            Analysis.search([("company_id", "=", company.id), ("is_last_week", "=", True)]).write(
                {"is_last_week": False}
            )
            Analysis.create(vals_list)
        return True

    @api.model
    def _get_weekly_counts(self, company, first_saturday, last_saturday):
        """``{(team, user, saturday): (verified, not confirmed)}`` of ``company``'s
        concluded verifications of those weeks."""
        # sudo: counts only, for the managers' charts (their rows are scoped by rules)
        groups = (
            self.env["crm.activity.verification"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("activity_week", ">=", first_saturday),
                    ("activity_week", "<=", last_saturday),
                    ("user_id", "!=", False),
                    ("is_concluded", "=", 1),
                ],
                ["team_id", "user_id", "activity_week:day"],
                ["__count", "is_not_confirmed:sum"],
            )
        )
        return {
            (team, user, saturday): (count, not_confirmed)
            for team, user, saturday, count, not_confirmed in groups
        }

    @api.model
    def _get_out_of_control_weeks(self, company, first_saturday, last_saturday):
        """``{user id: {saturday: row values}}`` of ``company``'s weeks from
        ``first_saturday`` to ``last_saturday`` that are above their upper limit, computed
        from the verifications (not from the stored rows, which may be older): for B-1's
        switching rules, where such a week is a bad lot."""
        counts = self._get_weekly_counts(
            company, first_saturday - timedelta(weeks=CHART_WEEKS), last_saturday
        )
        weeks = defaultdict(dict)
        for values in self._prepare_rows(company, counts, first_saturday, last_saturday):
            if values.get("is_out_of_control"):
                weeks[values["user_id"]][values["week_start"]] = values
        return weeks

    @api.model
    def _prepare_rows(self, company, counts, first_shown, last_saturday):
        """The rows of the weeks from ``first_shown`` to ``last_saturday``: each point
        against its department's rate over the ``CHART_WEEKS`` weeks before it."""
        team_weeks = defaultdict(lambda: [0, 0])
        for (team, _user, saturday), (verified, not_confirmed) in counts.items():
            team_weeks[team, saturday][0] += verified
            team_weeks[team, saturday][1] += not_confirmed
        vals_list = []
        for (team, user, saturday), (verified, not_confirmed) in counts.items():
            if saturday < first_shown or not verified:
                continue
            before = [
                team_weeks.get((team, saturday - timedelta(weeks=n)), (0, 0))
                for n in range(1, CHART_WEEKS + 1)
            ]
            sample = sum(total for total, _bad in before)
            values = {
                "company_id": company.id,
                "team_id": team.id,
                "user_id": user.id,
                "week_start": saturday,
                "week_end": saturday + timedelta(days=6),
                "verified": verified,
                "not_confirmed": not_confirmed,
                "proportion": 100.0 * not_confirmed / verified,
                "has_limits": bool(sample),
                "is_last_week": saturday == last_saturday,
            }
            if sample:
                p_bar = sum(bad for _total, bad in before) / sample
                point = spc.p_chart_point(not_confirmed, verified, p_bar)
                values.update(
                    centre_line=100.0 * p_bar,
                    upper_limit=100.0 * point["ucl"],
                    lower_limit=100.0 * point["lcl"],
                    is_out_of_control=point["out_of_control"],
                )
            vals_list.append(values)
        return vals_list


def p_chart_image(points, width=300, height=96):
    """A small PNG of a p-chart: the weekly points (red when out of control), the centre
    line (grey) and the upper limit (red, stepped, as it follows each week's sample)."""
    scale = 2  # drawn at twice the size, then reduced: smooth lines
    image = Image.new("RGB", (width * scale, height * scale), "white")
    draw = ImageDraw.Draw(image)
    if points:
        top = max(
            [point["p"] for point in points] + [point["ucl"] or 0 for point in points] + [0.1]
        )
        top = min(1.0, top * 1.1)
        margin = 6 * scale
        step = (width * scale - 2 * margin) / max(CHART_WEEKS - 1, 1)
        first = points[-1]["week"] - timedelta(weeks=CHART_WEEKS - 1)

        def xy(point, value):
            x = margin + (point["week"] - first).days / 7 * step
            y = height * scale - margin - value / top * (height * scale - 2 * margin)
            return x, y

        for point in points:  # limits: a short step per week, around its point
            for key, colour in (("ucl", "#dc3545"), ("lcl", "#f1aeb5"), ("centre", "#6c757d")):
                if point[key] is not None:
                    x, y = xy(point, point[key])
                    draw.line([(x - step / 2, y), (x + step / 2, y)], fill=colour, width=scale)
        draw.line([xy(point, point["p"]) for point in points], fill="#017e84", width=scale)
        for point in points:
            x, y = xy(point, point["p"])
            radius = 3 * scale
            colour = "#dc3545" if point["out"] else "#017e84"
            draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)
    image = image.resize((width, height), Image.LANCZOS)
    stream = io.BytesIO()
    image.save(stream, format="PNG", optimize=True)
    return stream.getvalue()
