"""B-5 in the evidence pack: each anomaly's nonconformity (OCA's Management System, when
installed) with its causes, actions and effectiveness evaluation, and the complaints
read from the claims app when it is installed."""

from odoo import models


class CrmActivityVerificationEvidenceWizard(models.TransientModel):
    _inherit = "crm.activity.verification.evidence.wizard"

    def _get_records(self):
        teams, verifications, complaints, reports = super()._get_records()
        if self.env["crm.activity.verification"]._claims_app():
            complaints = self._get_claims(teams)
        return teams, verifications, complaints, reports

    def _get_claims(self, teams):
        """The claims of the period heard in the verifications of ``teams``."""
        start, end = self._utc_range()
        domain = [("company_id", "=", self.company_id.id)]
        if teams:
            domain.append(("verification_id.team_id", "in", teams.ids))
        links = self.env["crm.activity.verification.claim"]._get_readable_links(domain)
        return self.env["crm.claim"].search(
            [("id", "in", links.mapped("claim_id")), ("date", ">=", start), ("date", "<", end)],
            order="date, id",
        )

    def _get_sections(self):
        sections, teams = super()._get_sections()
        anomalies = self.env._("Anomalies and resolutions")
        index = next(
            (number for number, section in enumerate(sections) if section[0] == anomalies),
            len(sections) - 2,
        )
        sections.insert(index + 1, self._section_capa(teams))
        return sections, teams

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
        title, columns, _rows = super()._section_complaints(self.env["crm.activity.complaint"])
        rows = [
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
        return title, columns, rows

    def _section_capa(self, teams):
        """The nonconformities and effectiveness checks of the anomalies of the period."""
        start, end = self._utc_range()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("verification_id.activity_date", ">=", start),
            ("verification_id.activity_date", "<", end),
        ]
        if teams:
            domain.append(("team_id", "in", teams.ids))
        # read as the user: a department manager's record rules keep his teams only
        checks = (
            self.env["crm.activity.verification.capa"]
            .with_context(active_test=False)
            .search(domain, order="id")
        )
        columns = [
            (self.env._("Verification"), 15),
            (self.env._("Nonconformity"), 22),
            (self.env._("Causes and analysis"), 17),
            (self.env._("Actions"), 22),
            (self.env._("Effectiveness"), 24),
        ]
        rows = [self._capa_row(check) for check in checks]
        return self.env._("Nonconformities and corrective actions"), columns, rows

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
