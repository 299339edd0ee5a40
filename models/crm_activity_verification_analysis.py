"""Analysis measures of the verifications (managers' pivots, graphs and dashboards).

Stored, precomputed integer and float measures that the views sum or average, and
the traceability of the opportunity to its quotations and orders (``sale_crm``).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.rating.models import rating_data

from .. import date_utils
from .crm_activity_verification import CONCLUDED_STATES
from .crm_activity_workflow_mixin import public_method

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
