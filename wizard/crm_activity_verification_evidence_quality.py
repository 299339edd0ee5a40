"""B-5 in the evidence pack: each anomaly's nonconformity (OCA's Management System, when
installed) with its causes, actions and effectiveness evaluation, and the complaints
read from the claims app when it is installed. On the pack's mixin: printed at once by
the dialog and in the background by a request alike."""

from odoo import models
from odoo.fields import Domain


class CrmActivityVerificationEvidenceMixin(models.AbstractModel):
    _inherit = "crm.activity.verification.evidence.mixin"

    def _get_sections(self):
        sections = super()._get_sections()
        sections.insert(sections.index("anomalies") + 1, "capa")
        return sections

    def _get_record_sections(self):
        return [*super()._get_record_sections(), "capa"]

    def _claims_in_pack(self):
        return bool(self.env["crm.activity.verification"]._claims_app())

    def _get_section_model(self, section):
        if section == "capa":
            return self.env["crm.activity.verification.capa"].with_context(active_test=False)
        if section == "complaints" and self._claims_in_pack():
            return self.env["crm.claim"]
        return super()._get_section_model(section)

    def _get_section_domain(self, section):
        if section not in ("capa", "complaints") or (
            section == "complaints" and not self._claims_in_pack()
        ):
            return super()._get_section_domain(section)
        teams = self._get_teams()
        start, end = self._utc_range()
        if section == "capa":
            # the nonconformities and effectiveness checks of the anomalies of the period,
            # read as the user: a department manager's record rules keep his teams only
            domain = (
                Domain("company_id", "=", self.company_id.id)
                & Domain("verification_id.activity_date", ">=", start)
                & Domain("verification_id.activity_date", "<", end)
            )
            return domain & Domain("team_id", "in", teams.ids) if teams else domain
        # the claims of the period heard in the verifications of the departments
        links_domain = Domain("company_id", "=", self.company_id.id)
        if teams:
            links_domain &= Domain("verification_id.team_id", "in", teams.ids)
        links = self.env["crm.activity.verification.claim"]._get_readable_links(links_domain)
        return (
            Domain("id", "in", links.mapped("claim_id"))
            & Domain("date", ">=", start)
            & Domain("date", "<", end)
        )

    def _search_section(self, section):
        if section == "capa":
            return self._get_section_model(section).search(
                self._get_section_domain(section), order="id"
            )
        return super()._search_section(section)

    def _get_section_head(self, section):
        if section != "capa":
            return super()._get_section_head(section)
        return (
            self.env._("Nonconformities and corrective actions"),
            [
                (self.env._("Verification"), 15),
                (self.env._("Nonconformity"), 22),
                (self.env._("Causes and analysis"), 17),
                (self.env._("Actions"), 22),
                (self.env._("Effectiveness"), 24),
            ],
        )

    def _section_capa(self, checks):
        return [self._capa_row(check) for check in checks]

    def _section_complaints(self, complaints):
        if complaints._name != "crm.claim":
            return super()._section_complaints(complaints)
        # sudo: the links only say in which verification each claim (read by the user) was
        # heard; the collaborator's name is printed from it
        links = (
            self.env["crm.activity.verification.claim"]
            .sudo()
            .search([("claim_model", "=", "crm.claim"), ("claim_id", "in", complaints.ids)])
        )
        collaborators = {link.claim_id: link.verification_id.user_id.name for link in links}
        return [
            [
                claim.name or "",
                self._fmt_dt(claim.date),
                claim.partner_id.name or "",
                collaborators.get(claim.id) or "",
                claim.description or "",
                claim.stage_id.name or "",
                self._lines(claim.cause, claim.resolution, self._fmt_dt(claim.date_closed)),
            ]
            for claim in complaints
        ]

    def _capa_row(self, check):
        verification = check.verification_id
        status = self._selection(check, "state")
        if check.state == "watch":
            status = self._lines(
                status,
                self.env._(
                    "%(clean)s of %(weeks)s clean weeks",
                    clean=check.clean_weeks,
                    weeks=check.company_id.verification_capa_clean_weeks,
                ),
            )
        first = self._lines(verification.display_name, verification.user_id.name)
        # the check reads its nonconformity in the quality app (see _get_nonconformity)
        nonconformity = check._get_nonconformity()
        if not nonconformity:
            resolution = self._lines(verification.anomaly_resolution, self._fmt_dt(check.closed_on))
            return [
                first,
                verification.anomaly_description or "",
                "",
                resolution,
                self._lines(status, check.evaluation),
            ]
        actions = [
            " – ".join(
                part
                for part in (
                    action.name,
                    self._selection(action, "type_action"),
                    action.stage_id.name,
                    self._fmt_dt(action.date_closed),
                )
                if part
            )
            for action in nonconformity._get_all_actions()
        ]
        return [
            first,
            self._lines(
                f"{nonconformity.ref} – {nonconformity.stage_id.name or ''}",
                nonconformity.description,
            ),
            self._lines(
                ", ".join(nonconformity.cause_ids.mapped("name")),
                nonconformity.severity_id.name,
                nonconformity.analysis,
            ),
            self._lines(*actions, nonconformity.action_comments),
            self._lines(status, nonconformity.evaluation_comments),
        ]
