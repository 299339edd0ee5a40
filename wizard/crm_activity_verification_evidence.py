"""The auditor's evidence pack (ISO 9001 §7.5, issue 10 item 4): one PDF for a period
and departments, laid out in pages by hand (``pdf_layout``) so that every page carries
"page x of y" with Debian's wkhtmltopdf (no running footer, one document per call)."""

from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date, format_datetime

from .. import pdf_layout
from ..models.crm_activity_input_mixin import EARLIEST_DATE
from ..models.crm_activity_verification import CONCLUDED_STATES
from ..models.crm_activity_verification_analysis import confirmation_rate
from ..models.crm_activity_workflow_mixin import public_method
from ..report.crm_activity_weekly_report_blank import pdf_scale

# Landscape Letter with 8 mm margins: the printable width, in mm, and the em of the 8pt
# text as wkhtmltopdf prints it (measured, with a margin), for wrapping the cells.
PAGE_WIDTH_MM = 263.0
EM_MM = 3.8
# The page's box on paper: a little less than the printable height (never a page more);
# the heights below are CSS mm, which wkhtmltopdf prints at pdf_scale() (pdf_layout)
PAGE_PRINTED_MM = pdf_layout.PRINTABLE_HEIGHT_MM - 3.0
# one text row: the 4.2 mm line-height of the style, which WebKit rounds down to 15 px
LINE_MM = 15 * 25.4 / 96
CELL_PADDING_MM = 2.4
ROW_EXTRA_MM = 2.4  # padding and borders of a table row
HEADER_MM = 16.0  # the page header (title, period, departments, page x of y), measured 12.4
SECTION_TITLE_MM = 9.0
SIGNATURE_MM = 20.0
SAFETY_MM = 6.0
# a row that does not fit the room left goes on the next page whole, unless that room is
# more than this share of the page: then it is split there, "(continues)" (no page is
# left a third empty)
SPLIT_ROOM_SHARE = 1 / 3
# The period of a pack: from 2000 on, and not beyond a year ahead (issue 21).
PERIOD_MAX_DAYS_AHEAD = 366


class CrmActivityVerificationEvidenceWizard(models.TransientModel):
    _name = "crm.activity.verification.evidence.wizard"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Verification Evidence Pack"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    team_ids = fields.Many2many(
        comodel_name="crm.team",
        string="Departments",
        default=lambda self: self._default_team_ids(),
        help="Leave empty for all the departments you may see.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )

    @api.model
    def _default_team_ids(self):
        if self._is_process_manager():
            return self.env["crm.team"]
        return self.env["crm.team"].search([("user_id", "=", self.env.uid)])

    def _get_input_date_windows(self):
        latest = self._get_input_today() + timedelta(days=PERIOD_MAX_DAYS_AHEAD)
        return {"date_from": (EARLIEST_DATE, latest), "date_to": (EARLIEST_DATE, latest)}

    def _is_process_manager(self):
        return self.env.user.has_group("crm_activity_verification.group_process_manager")

    # ------------------------------------------------------------------
    def _get_teams(self):
        """The departments printed; a department manager only gets the teams he leads."""
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(self.env._("The period ends before it starts."))
        if self._is_process_manager():
            return self.team_ids
        if not self.env.user.has_group("crm_activity_verification.group_manager"):
            raise AccessError(
                self.env._(
                    "Only the process manager and department managers may print the evidence pack."
                )
            )
        led = self.env["crm.team"].sudo().search([("user_id", "=", self.env.uid)])
        if not self.team_ids:
            if not led:
                raise UserError(self.env._("You do not lead any department."))
            return led.sudo(False)
        foreign = self.team_ids - led
        if foreign:
            raise UserError(
                self.env._(
                    "You may only print the evidence pack of the departments you lead, "
                    "not: %(teams)s.",
                    teams=", ".join(foreign.sudo().mapped("name")),
                )
            )
        return self.team_ids

    @public_method(single=True)
    def action_print(self):
        self.ensure_one()
        self._get_teams()
        return self.env.ref(
            "crm_activity_verification.action_report_verification_evidence"
        ).report_action(self)

    # ------------------------------------------------------------------
    # DATA (read as the user: record rules limit managers to the teams they lead)
    # ------------------------------------------------------------------
    def _utc_range(self):
        tz = self.env.user.tz or self.company_id.partner_id.tz or "UTC"
        zone = pytz.timezone(tz)
        start = zone.localize(datetime.combine(self.date_from, time.min)).astimezone(pytz.utc)
        end = zone.localize(
            datetime.combine(self.date_to + timedelta(days=1), time.min)
        ).astimezone(pytz.utc)
        return start.replace(tzinfo=None), end.replace(tzinfo=None)

    def _get_records(self):
        teams = self._get_teams()
        start, end = self._utc_range()
        team_domain = [("team_id", "in", teams.ids)] if teams else []
        company_domain = [("company_id", "=", self.company_id.id)]
        # archived records are still evidence (B-4): the pack holds them too
        verifications = (
            self.env["crm.activity.verification"]
            .with_context(active_test=False)
            .search(
                [
                    ("activity_date", ">=", start),
                    ("activity_date", "<", end),
                    *team_domain,
                    *company_domain,
                ],
                order="activity_date, id",
            )
        )
        complaints = self.env["crm.activity.complaint"].search(
            [("date", ">=", start), ("date", "<", end), *team_domain, *company_domain],
            order="date, id",
        )
        reports = (
            self.env["crm.activity.weekly.report"]
            .with_context(active_test=False)
            .search(
                [
                    ("date_start", "<=", self.date_to),
                    ("date_start", ">", self.date_from - timedelta(days=7)),
                    *team_domain,
                    *company_domain,
                ],
                order="date_start, id",
            )
        )
        return teams, verifications, complaints, reports

    def _get_integrity(self):
        result = self.company_id.get_verification_integrity()
        if result.get("ok"):
            verdict = self.env._(
                "Intact: %(checked)s sealed records checked, none altered.",
                checked=result.get("checked", 0),
            )
        else:
            broken = result.get("first_broken") or ["", ""]
            verdict = self.env._(
                "BROKEN: %(checked)s sealed records checked; "
                "the first altered record is %(model)s #%(id)s.",
                checked=result.get("checked", 0),
                model=broken[0],
                id=broken[1],
            )
        # the printed head: checked again later, it proves that nothing sealed before
        # it was removed or changed since (get_verification_integrity(number, seal))
        head = self.env._(
            "Head of the chain: no. %(number)s, seal %(hash)s.",
            number=result["head"]["number"],
            hash=result["head"]["hash"] or "-",
        )
        return f"{verdict}\n{head}"

    # ------------------------------------------------------------------
    # LAYOUT
    # ------------------------------------------------------------------
    def _fmt_dt(self, value):
        if not value:
            return ""
        return format_datetime(self.env, value, dt_format="dd/MM/yyyy HH:mm")

    def _fmt_d(self, value):
        return format_date(self.env, value, date_format="dd/MM/yyyy") if value else ""

    def _selection(self, record, field):
        return dict(record._fields[field]._description_selection(self.env)).get(record[field], "")

    @staticmethod
    def _lines(*parts):
        """The non-empty ``parts``, one per line."""
        return "\n".join(part for part in parts if part)

    def _get_sections(self):
        """``([(title, [(column, width %)], [[cell, ...], ...]), ...], teams)``; a cell is
        a text or ``{"image": base64}``."""
        self.ensure_one()
        teams, verifications, complaints, reports = self._get_records()
        return [
            self._section_summary(verifications, complaints, reports),
            self._section_verifications(verifications),
            self._section_followups(verifications.filtered(lambda v: v.followup_state != "none")),
            self._section_anomalies(verifications.filtered("anomaly")),
            self._section_complaints(complaints),
            self._section_reports(reports),
            (
                self.env._("Integrity of the sealed records"),
                [(self.env._("Result"), 100)],
                [[self._get_integrity()]],
            ),
        ], teams

    def _section_summary(self, verifications, complaints, reports):
        by_state = verifications.grouped("state")
        count = {state: len(by_state.get(state, ())) for state in CONCLUDED_STATES}
        concluded = sum(count.values())
        rate = confirmation_rate(count["confirmed"], concluded)
        followups = verifications.filtered(lambda v: v.followup_state != "none")
        anomalies = verifications.filtered("anomaly")
        rows = [
            [self.env._("Verifications"), str(len(verifications))],
            [self.env._("Concluded"), str(concluded)],
            [self.env._("Confirmed"), str(count["confirmed"])],
            [self.env._("Not confirmed"), str(count["not_confirmed"])],
            [self.env._("Unreachable"), str(count["unreachable"])],
            [
                self.env._("Confirmation rate (confirmed ÷ concluded)"),
                "—" if rate is None else f"{rate:.1f} %",
            ],
            [self.env._("Calls"), str(sum(verifications.mapped("call_count")))],
            [
                self.env._("Follow-ups (done / overdue)"),
                "%s (%s / %s)"
                % (
                    len(followups),
                    len(followups.filtered(lambda v: v.followup_state == "done")),
                    len(followups.filtered(lambda v: v.followup_state == "overdue")),
                ),
            ],
            [self.env._("Escalations"), str(len(verifications.filtered("escalation_level")))],
            [
                self.env._("Anomalies (resolved)"),
                "%s (%s)" % (len(anomalies), len(anomalies.filtered("anomaly_resolved_on"))),
            ],
            [self.env._("Complaints"), str(len(complaints))],
            [self.env._("FRE-7.5-01 reports"), str(len(reports))],
        ]
        columns = [(self.env._("Indicator"), 60), (self.env._("Value"), 40)]
        return self.env._("Summary"), columns, rows

    def _section_verifications(self, verifications):
        columns = [
            (self.env._("Activity date"), 11),
            (self.env._("Activity"), 23),
            (self.env._("Collaborator"), 11),
            (self.env._("Verifier"), 11),
            (self.env._("Status"), 10),
            (self.env._("Calls (time, outcome, verifier, notes)"), 21),
            (self.env._("Result"), 13),
        ]
        rows = [
            [
                self._fmt_dt(verification.activity_date),
                self._lines(
                    verification.display_name,
                    verification.reported_activity_type_id.name,
                    verification.description,
                ),
                verification.user_id.name or "",
                verification.verifier_id.name or "",
                self._lines(
                    self._selection(verification, "state"),
                    not verification.active and self.env._("(archived)"),
                ),
                "\n".join(
                    " – ".join(
                        part
                        for part in (
                            self._fmt_dt(call.date),
                            self._selection(call, "outcome"),
                            call.verifier_id.name,
                            call.notes,
                        )
                        if part
                    )
                    for call in verification.call_ids.sorted(lambda c: (c.date, c.id))
                ),
                verification.result or "",
            ]
            for verification in verifications
        ]
        return self.env._("Verifications and calls"), columns, rows

    def _section_followups(self, followups):
        columns = [
            (self.env._("Verification"), 19),
            (self.env._("Request"), 24),
            (self.env._("Deadline"), 11),
            (self.env._("Completed"), 22),
            (self.env._("Escalation"), 14),
            (self.env._("Status"), 10),
        ]
        rows = [
            [
                verification.display_name,
                verification.followup_note or "",
                self._fmt_d(verification.followup_deadline),
                self._lines(
                    self._fmt_dt(verification.followup_done_on), verification.followup_feedback
                ),
                self._lines(
                    str(verification.escalation_level or ""),
                    verification.escalation_user_id.name,
                ),
                self._selection(verification, "followup_state"),
            ]
            for verification in followups
        ]
        return self.env._("Follow-ups and escalations"), columns, rows

    def _section_anomalies(self, anomalies):
        columns = [
            (self.env._("Verification"), 20),
            (self.env._("Reported by"), 12),
            (self.env._("Anomaly"), 28),
            (self.env._("Resolution"), 26),
            (self.env._("Resolved"), 14),
        ]
        rows = [
            [
                verification.display_name,
                verification.anomaly_reported_by_id.name or "",
                verification.anomaly_description or "",
                verification.anomaly_resolution or "",
                self._lines(
                    self._fmt_dt(verification.anomaly_resolved_on),
                    verification.anomaly_resolved_by_id.name,
                ),
            ]
            for verification in anomalies
        ]
        return self.env._("Anomalies and resolutions"), columns, rows

    def _section_complaints(self, complaints):
        columns = [
            (self.env._("Reference"), 12),
            (self.env._("Date"), 11),
            (self.env._("Customer"), 13),
            (self.env._("Collaborator"), 11),
            (self.env._("Complaint"), 22),
            (self.env._("Status"), 10),
            (self.env._("Resolution"), 21),
        ]
        rows = [
            [
                complaint.name or "",
                self._fmt_dt(complaint.date),
                complaint.partner_id.name or "",
                complaint.collaborator_id.name or "",
                complaint.description or "",
                self._selection(complaint, "state"),
                self._lines(complaint.resolution, self._fmt_dt(complaint.resolved_on)),
            ]
            for complaint in complaints
        ]
        return self.env._("Complaints"), columns, rows

    def _section_reports(self, reports):
        columns = [
            (self.env._("Number"), 13),
            (self.env._("Collaborator"), 13),
            (self.env._("Department"), 11),
            (self.env._("Week"), 13),
            (self.env._("Status"), 9),
            (self.env._("Lines"), 6),
            (self.env._("Signed by"), 12),
            (self.env._("Signature"), 12),
            (self.env._("Signed on"), 11),
        ]
        rows = [
            [
                report.name or "",
                report.user_id.name or "",
                report.team_id.name or "",
                f"{self._fmt_d(report.date_start)} – {self._fmt_d(report.date_end)}",
                self._selection(report, "state"),
                str(report.line_count),
                report.signed_by or "",
                {"image": report.signature} if report.signature else "",
                self._fmt_d(report.signed_on),
            ]
            for report in reports
        ]
        return self.env._("FRE-7.5-01 weekly reports"), columns, rows

    @api.model
    def _get_page_height(self):
        """The height of a page's box, in CSS mm: the whole printable page, so that the
        sections flow on and a page ends only where it is full (issue 22)."""
        return round(pdf_layout.css_mm(PAGE_PRINTED_MM, pdf_scale()), 2)

    @staticmethod
    def _column_em(width_percent):
        return (PAGE_WIDTH_MM * width_percent / 100 - CELL_PADDING_MM) / EM_MM

    def _get_pages(self):
        """The pages: each a list of ``(title, columns, rows)`` blocks, every row's
        cells already wrapped; a row longer than the room left goes on on the next
        page, marked "(continues)" in the reader's language."""
        sections, teams = self._get_sections()
        continues, continued = self.env._("(continues)"), self.env._("(continued)")
        budget = self._get_page_height() - HEADER_MM - SAFETY_MM
        pages, current, used = [], [], 0.0

        def new_page():
            nonlocal current, used
            pages.append(current)
            current, used = [], 0.0

        for title, columns, rows in sections:
            widths = [self._column_em(width) for _label, width in columns]
            head_mm = (
                SECTION_TITLE_MM
                + ROW_EXTRA_MM
                + LINE_MM
                * max(
                    len(pdf_layout.wrap(label, width))
                    for (label, _w), width in zip(columns, widths, strict=True)
                )
            )
            if used + head_mm + ROW_EXTRA_MM + 3 * LINE_MM > budget:
                new_page()
            block = (title, columns, [])
            current.append(block)
            used += head_mm
            if not rows:
                rows = [[self.env._("None.")] + [""] * (len(columns) - 1)]
            for cells in rows:
                wrapped = [
                    cell if isinstance(cell, dict) else pdf_layout.wrap(cell, width)
                    for cell, width in zip(cells, widths, strict=True)
                ]
                while True:
                    has_image = any(isinstance(c, dict) for c in wrapped)
                    lines = max((len(c) for c in wrapped if not isinstance(c, dict)), default=1)
                    height = ROW_EXTRA_MM + max(LINE_MM * lines, SIGNATURE_MM if has_image else 0)
                    room = budget - used
                    if height <= room:
                        block[2].append(
                            ["\n".join(c) if isinstance(c, list) else c for c in wrapped]
                        )
                        used += height
                        break
                    fit = int((room - ROW_EXTRA_MM) // LINE_MM)
                    fresh = not block[2]
                    whole_on_next = height <= budget - head_mm and room < budget * SPLIT_ROOM_SHARE
                    if not fresh and (fit < 3 or has_image or whole_on_next):
                        # start the row on a fresh page, under the section's head again
                        new_page()
                        block = (title, columns, [])
                        current.append(block)
                        used = head_mm
                        continue
                    fit = max(fit, 2)
                    printed, rest = [], []
                    for cell in wrapped:
                        if isinstance(cell, dict) or len(cell) <= fit:
                            printed.append(cell if isinstance(cell, dict) else "\n".join(cell))
                            rest.append([])
                        else:
                            printed.append("\n".join([*cell[: fit - 1], continues]))
                            rest.append([continued, *cell[fit - 1 :]])
                    block[2].append(printed)
                    wrapped = rest
                    new_page()
                    block = (title, columns, [])
                    current.append(block)
                    used = head_mm
        pages.append(current)
        return pages, teams

    def _get_report_values(self):
        self.ensure_one()
        pages, teams = self._get_pages()
        return {
            "pages": pages,
            "teams": ", ".join(teams.mapped("name")) if teams else self.env._("All departments"),
            "period": f"{self._fmt_d(self.date_from)} – {self._fmt_d(self.date_to)}",
            "printed_on": self._fmt_dt(fields.Datetime.now()),
            "page_height": self._get_page_height(),
        }
