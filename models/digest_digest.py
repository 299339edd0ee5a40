from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from .crm_activity_verification import CONCLUDED_STATES


class DigestDigest(models.Model):
    _inherit = "digest.digest"

    kpi_verification_done = fields.Boolean(string="Activities Verified")
    kpi_verification_done_value = fields.Integer(compute="_compute_kpi_verification_done_value")
    kpi_verification_confirmed_rate = fields.Boolean(string="Confirmation Rate (%)")
    kpi_verification_confirmed_rate_value = fields.Float(
        compute="_compute_kpi_verification_confirmed_rate_value"
    )
    kpi_verification_followup_overdue = fields.Boolean(string="Overdue Follow-ups")
    kpi_verification_followup_overdue_value = fields.Integer(
        compute="_compute_kpi_verification_followup_overdue_value"
    )
    kpi_verification_link_share = fields.Boolean(string="Answered by Link (%)")
    kpi_verification_link_share_value = fields.Float(
        compute="_compute_kpi_verification_link_share_value"
    )
    kpi_verification_csat = fields.Boolean(string="Customer Satisfaction")
    kpi_verification_csat_value = fields.Float(compute="_compute_kpi_verification_csat_value")
    kpi_verification_complaint = fields.Boolean(string="Customer Complaints")
    kpi_verification_complaint_value = fields.Integer(
        compute="_compute_kpi_verification_complaint_value"
    )

    def _check_verification_kpi_access(self):
        """Skip the verification KPIs in the digests of users outside the procedure; the
        others see the figures their record rules allow (a manager: his teams)."""
        user = self.env.user
        if not (
            user.has_group("crm_activity_verification.group_manager")
            or user.has_group("crm_activity_verification.group_verifier")
        ):
            raise AccessError(
                self.env._("Do not have access, skip this data for user's digest email")
            )

    def _compute_kpi_verification_done_value(self):
        self._check_verification_kpi_access()
        self._calculate_company_based_kpi(
            "crm.activity.verification",
            "kpi_verification_done_value",
            date_field="verified_on",
            additional_domain=[("state", "in", CONCLUDED_STATES)],
        )

    def _compute_kpi_verification_confirmed_rate_value(self):
        """THE confirmation rate (confirmed ÷ concluded, ``confirmation_rate:avg`` as the
        analysis and the dashboard read it) of the period: one grouped query."""
        self._check_verification_kpi_access()
        groups = self._get_verification_period_groups(["confirmation_rate:avg"])
        for digest in self:
            [rate] = groups.get(digest.company_id or self.env.company, [None])
            digest.kpi_verification_confirmed_rate_value = round(rate or 0.0, 2)

    def _compute_kpi_verification_followup_overdue_value(self):
        """Follow-ups whose deadline had passed at the period's end without being done then."""
        self._check_verification_kpi_access()
        _start, end, companies = self._get_kpi_compute_parameters()
        end_date = fields.Datetime.to_datetime(end).date()
        domain = (
            Domain("company_id", "in", companies.ids)
            & Domain("followup_state", "in", ("requested", "overdue", "done"))
            & Domain("followup_deadline", "<", end_date)
            & (Domain("followup_done_on", "=", False) | Domain("followup_done_on", ">=", end))
        )
        counts = dict(
            self.env["crm.activity.verification"]._read_group(domain, ["company_id"], ["__count"])
        )
        for digest in self:
            digest.kpi_verification_followup_overdue_value = counts.get(
                digest.company_id or self.env.company, 0
            )

    def _get_verification_period_groups(self, aggregates, extra_domain=()):
        """``{company: aggregates}`` of the verifications concluded in the digest's period."""
        start, end, companies = self._get_kpi_compute_parameters()
        groups = self.env["crm.activity.verification"]._read_group(
            [
                ("company_id", "in", companies.ids),
                ("verified_on", ">=", start),
                ("verified_on", "<", end),
                ("state", "in", CONCLUDED_STATES),
                *extra_domain,
            ],
            ["company_id"],
            aggregates,
        )
        return {company: values for company, *values in groups}

    def _compute_kpi_verification_link_share_value(self):
        """Share (%) of the verifications concluded in the period that the customer
        answered from the confirmation link (B-3)."""
        self._check_verification_kpi_access()
        groups = self._get_verification_period_groups(["__count", "is_link_answer:sum"])
        for digest in self:
            count, by_link = groups.get(digest.company_id or self.env.company, (0, 0))
            digest.kpi_verification_link_share_value = (
                round(100.0 * by_link / count, 2) if count else 0.0
            )

    def _compute_kpi_verification_csat_value(self):
        """Average rating (1 to 5) of the verifications concluded in the period."""
        self._check_verification_kpi_access()
        groups = self._get_verification_period_groups(["csat:avg"], [("csat", ">", 0)])
        for digest in self:
            [average] = groups.get(digest.company_id or self.env.company, [0.0])
            digest.kpi_verification_csat_value = round(average or 0.0, 2)

    def _compute_kpi_verification_complaint_value(self):
        self._check_verification_kpi_access()
        self._calculate_company_based_kpi(
            "crm.activity.complaint", "kpi_verification_complaint_value", date_field="date"
        )

    def _compute_kpis_actions(self, company, user):
        actions = super()._compute_kpis_actions(company, user)
        menu_id = self.env.ref("crm_activity_verification.crm_activity_verification_menu_root").id
        analysis = (
            f"crm_activity_verification.crm_activity_verification_action_analysis?menu_id={menu_id}"
        )
        actions.update(
            {
                "kpi_verification_done": analysis,
                "kpi_verification_confirmed_rate": analysis,
                "kpi_verification_link_share": analysis,
                "kpi_verification_csat": analysis,
                "kpi_verification_followup_overdue": (
                    f"crm_activity_verification.crm_activity_verification_action_analysis_followup?menu_id={menu_id}"
                ),
                "kpi_verification_complaint": (
                    f"crm_activity_verification.crm_activity_complaint_action_analysis?menu_id={menu_id}"
                ),
            }
        )
        return actions
