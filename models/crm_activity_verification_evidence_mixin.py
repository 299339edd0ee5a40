"""The auditor's evidence pack (ISO 9001 §7.5, issue 10 item 4): its data and its pages,
shared by the dialog that prints it at once (``crm.activity.verification.evidence.wizard``)
and the request that prints a large one in the background
(``crm.activity.verification.evidence.request``, issue 24).

The pages are laid out by hand (``pdf_layout``) so that every page carries "page x of y"
with Debian's wkhtmltopdf (no running footer, one document per call). The layout is a
generator that reads the records a chunk at a time and can start again at any page
(``_iter_pages(position)``): the background request lays out a part of the pack, keeps
where the next page starts, and goes on from there in its next step."""

from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools.misc import format_date, format_datetime

from .. import pdf_layout
from ..report.crm_activity_weekly_report_blank import pdf_scale
from .crm_activity_input_mixin import EARLIEST_DATE
from .crm_activity_verification import CONCLUDED_STATES
from .crm_activity_verification_analysis import confirmation_rate

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
# The sections of the pack, in their order; those of records are read in chunks.
SECTIONS = (
    "summary",
    "verifications",
    "followups",
    "anomalies",
    "complaints",
    "reports",
    "integrity",
)
RECORD_SECTIONS = ("verifications", "followups", "anomalies", "complaints", "reports")
# Records read (and their cache emptied) at a time while laying out a section.
CHUNK_SIZE = 500


class CrmActivityVerificationEvidenceMixin(models.AbstractModel):
    _name = "crm.activity.verification.evidence.mixin"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Verification Evidence Pack: Data and Pages"

    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    team_ids = fields.Many2many(
        comodel_name="crm.team",
        string="Departments",
        help="Leave empty for all the departments you may see.",
    )
    company_id = fields.Many2one(comodel_name="res.company", required=True)

    def _get_input_date_windows(self):
        latest = self._get_input_today() + timedelta(days=PERIOD_MAX_DAYS_AHEAD)
        return {"date_from": (EARLIEST_DATE, latest), "date_to": (EARLIEST_DATE, latest)}

    def _is_process_manager(self):
        return self.env.user.has_group("crm_activity_verification.group_process_manager")

    # ------------------------------------------------------------------
    # WHO PRINTS WHAT
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
        # sudo: the teams a manager leads, to compare with those he asks for (names only)
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

    def _get_sections(self):
        """The keys of the pack's sections, in their order; extend to add one (with its
        ``_get_section_head``, and for records ``_get_section_model``,
        ``_get_section_domain`` and ``_section_<key>``)."""
        return list(SECTIONS)

    def _get_record_sections(self):
        """The sections that print records, read a chunk at a time."""
        return list(RECORD_SECTIONS)

    def _get_section_domain(self, section):
        """The domain of the records of ``section`` (one of ``_get_record_sections``)."""
        teams = self._get_teams()
        start, end = self._utc_range()
        domain = Domain("company_id", "=", self.company_id.id)
        if teams:
            domain &= Domain("team_id", "in", teams.ids)
        if section == "complaints":
            return domain & Domain("date", ">=", start) & Domain("date", "<", end)
        if section == "reports":
            return (
                domain
                & Domain("date_start", "<=", self.date_to)
                & Domain("date_start", ">", self.date_from - timedelta(days=7))
            )
        domain &= Domain("activity_date", ">=", start) & Domain("activity_date", "<", end)
        if section == "followups":
            domain &= Domain("followup_state", "!=", "none")
        elif section == "anomalies":
            domain &= Domain("anomaly", "=", True)
        return domain

    def _get_section_model(self, section):
        """The model of ``section``; archived verifications and reports are still
        evidence (B-4): the pack holds them too."""
        if section == "complaints":
            return self.env["crm.activity.complaint"]
        model = (
            "crm.activity.weekly.report" if section == "reports" else "crm.activity.verification"
        )
        return self.env[model].with_context(active_test=False)

    def _search_section(self, section):
        order = {"complaints": "date, id", "reports": "date_start, id"}.get(
            section, "activity_date, id"
        )
        return self._get_section_model(section).search(
            self._get_section_domain(section), order=order
        )

    def _get_section_ids(self, section):
        """The ids of the records of ``section``, in the pack's order; extend to print a
        fixed list of records (the background request keeps those of the moment it was
        asked)."""
        return self._search_section(section).ids

    def _count_rows(self):
        """How many records the pack prints (its verifications, complaints and reports):
        what decides whether it is printed at once or in the background."""
        return sum(
            self._get_section_model(section).search_count(self._get_section_domain(section))
            for section in ("verifications", "complaints", "reports")
        )

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
    # SECTIONS: their heads, and their rows read a chunk at a time
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

    def _get_section_head(self, section):
        """``(title, [(column, width %), ...])`` of ``section``."""
        return {
            "summary": (
                self.env._("Summary"),
                [(self.env._("Indicator"), 60), (self.env._("Value"), 40)],
            ),
            "verifications": (
                self.env._("Verifications and calls"),
                [
                    (self.env._("Activity date"), 11),
                    (self.env._("Activity"), 23),
                    (self.env._("Collaborator"), 11),
                    (self.env._("Verifier"), 11),
                    (self.env._("Status"), 10),
                    (self.env._("Calls (time, outcome, verifier, notes)"), 21),
                    (self.env._("Result"), 13),
                ],
            ),
            "followups": (
                self.env._("Follow-ups and escalations"),
                [
                    (self.env._("Verification"), 19),
                    (self.env._("Request"), 24),
                    (self.env._("Deadline"), 11),
                    (self.env._("Completed"), 22),
                    (self.env._("Escalation"), 14),
                    (self.env._("Status"), 10),
                ],
            ),
            "anomalies": (
                self.env._("Anomalies and resolutions"),
                [
                    (self.env._("Verification"), 20),
                    (self.env._("Reported by"), 12),
                    (self.env._("Anomaly"), 28),
                    (self.env._("Resolution"), 26),
                    (self.env._("Resolved"), 14),
                ],
            ),
            "complaints": (
                self.env._("Complaints"),
                [
                    (self.env._("Reference"), 12),
                    (self.env._("Date"), 11),
                    (self.env._("Customer"), 13),
                    (self.env._("Collaborator"), 11),
                    (self.env._("Complaint"), 22),
                    (self.env._("Status"), 10),
                    (self.env._("Resolution"), 21),
                ],
            ),
            "reports": (
                self.env._("FRE-7.5-01 weekly reports"),
                [
                    (self.env._("Number"), 13),
                    (self.env._("Collaborator"), 13),
                    (self.env._("Department"), 11),
                    (self.env._("Week"), 13),
                    (self.env._("Status"), 9),
                    (self.env._("Lines"), 6),
                    (self.env._("Signed by"), 12),
                    (self.env._("Signature"), 12),
                    (self.env._("Signed on"), 11),
                ],
            ),
            "integrity": (
                self.env._("Integrity of the sealed records"),
                [(self.env._("Result"), 100)],
            ),
        }[section]

    def _iter_section_rows(self, section, start=0):
        """The rows of ``section`` from its row ``start`` on; a cell is a text or
        ``{"image": base64 text}``. Records are read ``CHUNK_SIZE`` at a time, each chunk
        with its own prefetch, and the cache is emptied after it: the memory does not
        grow with the pack."""
        if section == "summary":
            yield from self._section_summary()[start:]
            return
        if section == "integrity":
            yield from [[self._get_integrity()]][start:]
            return
        ids = self._get_section_ids(section)
        Model = self._get_section_model(section)
        rows = getattr(self, f"_section_{section}")
        for begin in range(start, len(ids), CHUNK_SIZE):
            # browse the chunk alone: its prefetch is the chunk, not the whole section
            records = Model.browse(ids[begin : begin + CHUNK_SIZE]).exists()
            yield from rows(records)
            self.env.invalidate_all()

    def _iter_rows_or_none(self, section, start, width):
        """The rows of ``section`` from ``start``; an empty section prints "None."."""
        empty = True
        for row in self._iter_section_rows(section, start):
            empty = False
            yield row
        if empty and not start:
            yield [self.env._("None.")] + [""] * (width - 1)

    def _section_summary(self):
        """The indicators of the pack, counted in the database (``_read_group``)."""
        verifications = self._get_section_model("verifications")
        domain = self._get_section_domain("verifications")
        by_state = dict(verifications._read_group(domain, ["state"], ["__count"]))
        [(total, calls)] = verifications._read_group(domain, [], ["__count", "call_count:sum"])
        count = {state: by_state.get(state, 0) for state in CONCLUDED_STATES}
        concluded = sum(count.values())
        rate = confirmation_rate(count["confirmed"], concluded)
        followups = dict(
            verifications._read_group(
                self._get_section_domain("followups"), ["followup_state"], ["__count"]
            )
        )
        [(anomalies, resolved)] = verifications._read_group(
            self._get_section_domain("anomalies"), [], ["__count", "anomaly_resolved_on:count"]
        )
        escalations = verifications.search_count(domain & Domain("escalation_level", "!=", 0))
        complaints, reports = (
            self._get_section_model(section).search_count(self._get_section_domain(section))
            for section in ("complaints", "reports")
        )
        return [
            [self.env._("Verifications"), str(total)],
            [self.env._("Concluded"), str(concluded)],
            [self.env._("Confirmed"), str(count["confirmed"])],
            [self.env._("Not confirmed"), str(count["not_confirmed"])],
            [self.env._("Unreachable"), str(count["unreachable"])],
            [
                self.env._("Confirmation rate (confirmed ÷ concluded)"),
                "—" if rate is None else f"{rate:.1f} %",
            ],
            [self.env._("Calls"), str(calls or 0)],
            [
                self.env._("Follow-ups (done / overdue)"),
                "%s (%s / %s)"
                % (
                    sum(followups.values()),
                    followups.get("done", 0),
                    followups.get("overdue", 0),
                ),
            ],
            [self.env._("Escalations"), str(escalations)],
            [self.env._("Anomalies (resolved)"), "%s (%s)" % (anomalies, resolved)],
            [self.env._("Complaints"), str(complaints)],
            [self.env._("FRE-7.5-01 reports"), str(reports)],
        ]

    def _section_verifications(self, verifications):
        return [
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

    def _section_followups(self, followups):
        return [
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

    def _section_anomalies(self, anomalies):
        return [
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

    def _section_complaints(self, complaints):
        return [
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

    def _section_reports(self, reports):
        return [
            [
                report.name or "",
                report.user_id.name or "",
                report.team_id.name or "",
                f"{self._fmt_d(report.date_start)} – {self._fmt_d(report.date_end)}",
                self._selection(report, "state"),
                str(report.line_count),
                report.signed_by or "",
                # a text, so that a part of the pack can be kept as JSON
                {"image": report.signature.decode()} if report.signature else "",
                self._fmt_d(report.signed_on),
            ]
            for report in reports
        ]

    # ------------------------------------------------------------------
    # LAYOUT
    # ------------------------------------------------------------------
    @api.model
    def _get_page_height(self):
        """The height of a page's box, in CSS mm: the whole printable page, so that the
        sections flow on and a page ends only where it is full (issue 22)."""
        return round(pdf_layout.css_mm(PAGE_PRINTED_MM, pdf_scale()), 2)

    @staticmethod
    def _column_em(width_percent):
        return (PAGE_WIDTH_MM * width_percent / 100 - CELL_PADDING_MM) / EM_MM

    def _iter_pages(self, position=None):
        """Yield the pages, each ``(page, position)``: the page is a list of ``[title,
        columns, rows]`` blocks, every row's cells already wrapped (a row longer than
        the room left goes on on the next page, marked "(continues)" in the reader's
        language); ``position`` is where the next page starts, ``[section, row, rest]``
        (``rest``: what is left of a row split over the page break), or ``None`` after
        the last page. Started again at a ``position`` it yields the same pages on."""
        section_start, row_start, rest = position or (0, 0, None)
        continues, continued = self.env._("(continues)"), self.env._("(continued)")
        budget = self._get_page_height() - HEADER_MM - SAFETY_MM
        current, used = [], 0.0
        sections = self._get_sections()
        for index in range(section_start, len(sections)):
            section = sections[index]
            title, columns = self._get_section_head(section)
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
            start = row_start if index == section_start else 0
            if used + head_mm + ROW_EXTRA_MM + 3 * LINE_MM > budget:
                yield current, [index, start, None]
                current, used = [], 0.0
            block = [title, columns, []]
            current.append(block)
            used += head_mm
            rows = self._iter_rows_or_none(section, start, len(columns))
            for row_index, cells in enumerate(rows, start):
                if rest is not None:
                    wrapped, rest = rest, None
                else:
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
                        yield current, [index, row_index, None]
                        block = [title, columns, []]
                        current, used = [block], head_mm
                        continue
                    fit = max(fit, 2)
                    printed, left = [], []
                    for cell in wrapped:
                        if isinstance(cell, dict) or len(cell) <= fit:
                            printed.append(cell if isinstance(cell, dict) else "\n".join(cell))
                            left.append([])
                        else:
                            printed.append("\n".join([*cell[: fit - 1], continues]))
                            left.append([continued, *cell[fit - 1 :]])
                    block[2].append(printed)
                    wrapped = left
                    yield current, [index, row_index, wrapped]
                    block = [title, columns, []]
                    current, used = [block], head_mm
        yield current, None

    def _get_pages(self):
        """All the pages of the pack (the pack printed at once)."""
        return [page for page, _position in self._iter_pages()]

    def _get_period_label(self):
        return f"{self._fmt_d(self.date_from)} – {self._fmt_d(self.date_to)}"

    def _get_teams_label(self):
        teams = self._get_teams()
        return ", ".join(teams.mapped("name")) if teams else self.env._("All departments")

    def _get_report_values(self):
        """What the template prints of the pack printed at once."""
        self.ensure_one()
        pages = self._get_pages()
        return {
            "pages": pages,
            "first_page": 1,
            "page_total": len(pages),
            "teams": self._get_teams_label(),
            "period": self._get_period_label(),
            "printed_on": self._fmt_dt(fields.Datetime.now()),
            "page_height": self._get_page_height(),
        }
