"""Analysis measures of the verifications (managers' pivots, graphs and dashboards).

Stored, precomputed integer and float measures that the views sum or average, and
the traceability of the opportunity to its quotations and orders (``sale_crm``).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .crm_activity_verification import CONCLUDED_STATES

# The outcome of a verification's opportunity, by the opportunity's won status
LEAD_OUTCOMES = {"won": "won", "lost": "lost", "pending": "open"}


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
        help="100 for a confirmed activity, 0 otherwise: its average over verified activities "
        "(filter “Concluded”) is the confirmation rate.",
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
    # ACTIONS
    # ------------------------------------------------------------------
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
