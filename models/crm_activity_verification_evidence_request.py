"""A large evidence pack, made in the background (issue 24).

A pack larger than one request renders safely (the dialog's ``SYNC_MAX_ROWS``) is asked
for here and made by the scheduled action ``ir_cron_evidence_pack``, triggered at once,
in steps that each commit what they did:

1. *Laying out the pages* (``_step_layout``): the first step keeps the records of the
   pack (their ids, as the asker may read them at that moment) and the header's texts;
   each step lays out the next ``_PART_PAGES`` pages from where the last one stopped
   (``layout_position``) and keeps them as a part. The total of pages is known when the
   last part is laid out.
2. *Printing* (``_step_print``): each step prints one part, with its "page x of y", in
   one wkhtmltopdf call.
3. The parts are merged into one PDF, written as it is read (``pdf_merge``), attached
   to the request; the asker gets a notification and an e-mail.

Memory is that of one part at any size. A run killed in a step (``limit_time_real``,
``limit_memory_hard``) loses that step only: the next run goes on from the last one
committed, and a part printed is never printed again. The records are read with the
rights, language and time zone of who asked (``_as_asker``).
"""

import base64
import gc
import hashlib
import io
import math
import os
import shutil
import tempfile

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from .. import pdf_merge
from .crm_activity_workflow_mixin import public_method

REPORT = "crm_activity_verification.action_report_verification_evidence"
CRON = "crm_activity_verification.ir_cron_evidence_pack"
# Pages laid out, then printed, per step: about 2,200 verifications, 3 s to lay out and
# 5 s to print on a 2-core machine (README, "Performance"), far from the limits of a
# worker (120 s of real time, 60 s of CPU) and from a memory that matters.
PART_PAGES = 200
# A step that failed (or was killed) this many times fails the pack.
MAX_ATTEMPTS = 3
OPEN_STATES = ("queued", "layout", "printing")


class CrmActivityVerificationEvidenceRequest(models.Model):
    _name = "crm.activity.verification.evidence.request"
    _inherit = ["crm.activity.verification.evidence.mixin"]
    _description = "Verification Evidence Pack Request"
    _order = "id desc"

    _PART_PAGES = PART_PAGES

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Asked by",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)
    team_ids = fields.Many2many(readonly=True)
    company_id = fields.Many2one(readonly=True, index=True)
    state = fields.Selection(
        selection=[
            ("queued", "Queued"),
            ("layout", "Laying out the pages"),
            ("printing", "Printing"),
            ("done", "Ready"),
            ("failed", "Failed"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    progress = fields.Float(compute="_compute_progress", help="Percentage of the work done.")
    row_count = fields.Integer(
        string="Records", readonly=True, help="Records of the pack (one or more rows each)."
    )
    rows_done = fields.Integer(string="Records laid out", readonly=True)
    page_count = fields.Integer(string="Pages", readonly=True)
    part_count = fields.Integer(string="Parts", readonly=True)
    parts_printed = fields.Integer(readonly=True)
    part_ids = fields.One2many(
        comodel_name="crm.activity.verification.evidence.request.part",
        inverse_name="request_id",
        string="Parts laid out",
        readonly=True,
    )
    attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="PDF", readonly=True, ondelete="set null"
    )
    error = fields.Text(readonly=True)
    date_done = fields.Datetime(string="Finished on", readonly=True)
    # the records of the pack, kept by the first step: {section: [ids]}
    section_ids = fields.Json(string="Records kept", readonly=True, prefetch=False)
    # the header printed on every page: {"teams", "period", "printed_on"}
    header = fields.Json(string="Page header", readonly=True, prefetch=False)
    # where the next page starts ([section, row, rest], mixin._iter_pages)
    layout_position = fields.Json(string="Next page starts at", readonly=True, prefetch=False)
    step_attempts = fields.Integer(string="Attempts of the step", readonly=True)

    @api.depends("date_from", "date_to")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "Evidence pack %(period)s", period=request._get_period_label()
            )

    @api.depends("state", "row_count", "rows_done", "part_count", "parts_printed")
    def _compute_progress(self):
        for request in self:
            if request.state == "done":
                request.progress = 100.0
            elif request.state == "printing":
                request.progress = 45.0 + 50.0 * request.parts_printed / (request.part_count or 1)
            elif request.state == "layout":
                request.progress = 45.0 * request.rows_done / (request.row_count or 1)
            else:
                request.progress = 0.0

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    @public_method(single=True)
    @api.readonly
    def action_download(self):
        """The finished PDF, downloaded as its attachment (readable by whoever may read
        the request: who asked and the HR & process manager)."""
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(self.env._("The evidence pack is not ready yet."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # ASKING
    # ------------------------------------------------------------------
    @api.model
    def _ask(self, wizard):
        """The request of the pack of the dialog ``wizard`` for the current user (checked
        by the dialog): a new one, queued and its scheduled action triggered, or the one
        already on its way for the same pack (a second click adds nothing)."""
        # sudo: requests are written by the procedure only (users read them); the asker
        # and his departments were checked by the dialog (_get_teams)
        Request = self.sudo()
        same = Request.search(
            [
                ("user_id", "=", self.env.uid),
                ("company_id", "=", wizard.company_id.id),
                ("date_from", "=", wizard.date_from),
                ("date_to", "=", wizard.date_to),
                ("state", "in", OPEN_STATES),
            ]
        ).filtered(lambda request: request.team_ids == wizard.team_ids)
        request = same[:1] or Request.create(
            {
                "user_id": self.env.uid,
                "company_id": wizard.company_id.id,
                "date_from": wizard.date_from,
                "date_to": wizard.date_to,
                "team_ids": [Command.set(wizard.team_ids.ids)],
            }
        )
        self.env.ref(CRON)._trigger()
        return request.sudo(False)

    def _get_queued_notification(self, rows):
        """The web client's notification that the pack is made in the background, then
        the request's form, where its progress shows."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_activity_verification.crm_activity_verification_evidence_request_action"
        )
        action.update({"res_id": self.id, "views": [(False, "form")], "view_mode": "form"})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("The evidence pack is made in the background"),
                "message": self.env._(
                    "It holds %(rows)s records, more than can be printed at once. You will "
                    "get it by e-mail and in a notification when it is ready; its progress "
                    "is in Verification > Requested evidence packs.",
                    rows=rows,
                ),
                "sticky": False,
                "next": action,
            },
        }

    # ------------------------------------------------------------------
    # THE SCHEDULED ACTION
    # ------------------------------------------------------------------
    @api.model
    def _cron_print_evidence_packs(self):
        """Make the packs asked for, oldest first, one step at a time, each committed
        with its progress. A run stops starting steps once its time is up (10 s, then the
        step under way: far from a worker's limits) and asks for the next run at once."""
        in_cron = bool(self.env.context.get("cron_id"))
        Cron = self.env["ir.cron"]
        time_left = (
            Cron._commit_progress(remaining=self._count_steps_left()) if in_cron else math.inf
        )
        while time_left > 0 and (request := self._get_open_requests()[:1]):
            request._run_step(in_cron)
            if in_cron:
                time_left = Cron._commit_progress(1, remaining=self._count_steps_left())
            # the next step starts from an empty cache and without the last one's garbage
            # (QWeb's and pypdf's objects refer to each other): the memory is that of one
            # part, whatever the size of the pack
            self.env.invalidate_all()
            gc.collect()
        if in_cron and self._get_open_requests():
            self.env.ref(CRON)._trigger()

    @api.model
    def _get_open_requests(self):
        return self.search([("state", "in", OPEN_STATES)], order="id")

    @api.model
    def _count_steps_left(self):
        """The steps left to the packs on their way (the layout counted as one step)."""
        return sum(
            (request.state != "printing") + request.part_count - request.parts_printed + 1
            for request in self._get_open_requests()
        )

    def _run_step(self, count_attempt=False):
        """Run the next step of the request. A user's error (a right lost, a PDF that
        could not be printed) fails the pack and tells the asker; any other exception
        leaves the step to the next run, which fails the pack after MAX_ATTEMPTS."""
        self.ensure_one()
        if count_attempt:
            if self.step_attempts >= MAX_ATTEMPTS:
                self._fail(
                    self._in_asker_words().env._(
                        "The same step failed %(count)s times; the server's log says why.",
                        count=self.step_attempts,
                    )
                )
                return
            # committed before the step: a step that kills the worker is counted too
            self.step_attempts += 1
            self.env["ir.cron"]._commit_progress()
        try:
            with self.env.cr.savepoint():
                if self.state in ("queued", "layout"):
                    self._step_layout()
                elif self.parts_printed < self.part_count:
                    self._step_print()
                else:
                    self._step_merge()
        except UserError as error:  # an AccessError too
            self._fail(str(error))
        else:
            self.step_attempts = 0

    def _as_asker(self):
        """``self`` with the rights, company, language and time zone of who asked: the pack
        holds what he may read, in his words."""
        user = self.user_id
        return self.with_user(user).with_context(
            lang=user.lang, tz=user.tz, allowed_company_ids=self.company_id.ids
        )

    def _in_asker_words(self):
        """``self`` in the language and time zone of who asked (what he is told)."""
        return self.with_context(lang=self.user_id.lang, tz=self.user_id.tz)

    def _get_section_ids(self, section):
        """The records kept by the first step of the layout: those of the moment the pack
        was laid out, whatever is recorded meanwhile."""
        if self.section_ids:
            return self.section_ids.get(section, [])
        return super()._get_section_ids(section)

    # ------------------------------------------------------------------
    # THE STEPS
    # ------------------------------------------------------------------
    def _step_layout(self):
        """Lay out the next part (its first step keeps the records of the pack)."""
        asker = self._as_asker()
        if self.state == "queued":
            asker.company_id._check_verification_integrity_access()
            section_ids = {
                section: asker._search_section(section).ids
                for section in asker._get_record_sections()
            }
            self.write(
                {
                    "state": "layout",
                    "section_ids": section_ids,
                    "row_count": sum(map(len, section_ids.values())),
                    "header": {
                        "teams": asker._get_teams_label(),
                        "period": asker._get_period_label(),
                        "printed_on": asker._fmt_dt(self.create_date),
                    },
                }
            )
        pages, position = [], self.layout_position
        for page, next_position in asker._iter_pages(position):
            pages.append(page)
            position = next_position  # where the page after it starts
            if len(pages) == self._PART_PAGES:
                break
        self.env["crm.activity.verification.evidence.request.part"].create(
            {
                "request_id": self.id,
                "sequence": self.part_count + 1,
                "first_page": self.page_count + 1,
                "page_count": len(pages),
                "pages": pages,
            }
        )
        values = {
            "layout_position": position,
            "page_count": self.page_count + len(pages),
            "part_count": self.part_count + 1,
            "rows_done": self._count_rows_done(position),
        }
        if position is None:
            values.update(state="printing", section_ids=False)
        self.write(values)

    def _count_rows_done(self, position):
        if position is None:
            return self.row_count
        index, row, _rest = position
        section_ids = self.section_ids or {}
        sections = self._get_sections()
        done = sum(len(section_ids.get(section, ())) for section in sections[:index])
        return done + (row if sections[index] in self._get_record_sections() else 0)

    def _step_print(self):
        """Print the next part, in one wkhtmltopdf call."""
        part = self.part_ids.filtered(lambda p: p.sequence == self.parts_printed + 1)
        part.write({"pdf": base64.b64encode(part._render_pdf()), "pages": False})
        self.parts_printed += 1

    def _step_merge(self):
        """Merge the parts into the pack's PDF, attached to the request, and tell the asker."""
        parts = self.part_ids.sorted("sequence")
        words = self._in_asker_words()
        name = words.env._(
            "Evidence pack %(date_from)s %(date_to)s.pdf",
            date_from=self.date_from,
            date_to=self.date_to,
        )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as merged:
            concatenator = pdf_merge.PdfConcatenator(merged)
            for part_id in parts.ids:
                # one part's PDF in memory at a time: browsed alone, else reading its PDF
                # would read those of every part at once (the prefetch of its siblings)
                part = self.env[parts._name].browse(part_id)
                concatenator.append(io.BytesIO(base64.b64decode(part.pdf)))
                self.env.invalidate_all()
            concatenator.close()
            merged.flush()
            attachment = self._attach_file(merged.name, name)
        self.write(
            {
                "state": "done",
                "attachment_id": attachment.id,
                "date_done": fields.Datetime.now(),
                "header": False,
                "layout_position": False,
            }
        )
        parts.unlink()
        self._notify_asker(
            "crm_activity_verification.mail_template_evidence_request_done",
            words.env._("Your evidence pack is ready"),
            words.env._(
                "%(pack)s: %(pages)s pages, in Verification > Requested evidence packs.",
                pack=words.display_name,
                pages=self.page_count,
            ),
            "success",
        )

    def _attach_file(self, path, name):
        """The PDF at ``path`` attached to the request, without reading it into memory:
        the ORM takes an attachment's content as bytes only (a year's pack: tens of MiB
        held at once), so with the file storage the file is copied into the filestore
        as ``ir.attachment._file_write`` would (its name the SHA-1 of its content,
        marked for the filestore's garbage collection until the transaction commits)
        and the attachment's row completed as ``ir.attachment.create`` would. With the
        database storage, the content goes through the ORM."""
        Attachment = self.env["ir.attachment"]
        values = {
            "name": name,
            "mimetype": "application/pdf",
            "res_model": self._name,
            "res_id": self.id,
        }
        if Attachment._storage() != "file":
            with open(path, "rb") as file:
                return Attachment.create({**values, "raw": file.read()})
        sha1, size = hashlib.sha1(), 0
        with open(path, "rb") as file:
            while chunk := file.read(1 << 20):
                sha1.update(chunk)
                size += len(chunk)
        checksum = sha1.hexdigest()
        store_fname = f"{checksum[:2]}/{checksum}"
        full_path = Attachment._full_path(store_fname)
        if not os.path.exists(full_path):
            os.makedirs(os.path.dirname(full_path), exist_ok=True)
            Attachment._mark_for_gc(store_fname)
            shutil.copyfile(path, full_path)
        attachment = Attachment.create(values)
        self.env.cr.execute(
            "UPDATE ir_attachment SET store_fname = %s, file_size = %s, checksum = %s"
            " WHERE id = %s",
            [store_fname, size, checksum, attachment.id],
        )
        attachment.invalidate_recordset(["store_fname", "file_size", "checksum", "raw", "datas"])
        return attachment

    def _fail(self, error):
        """The pack failed: its parts are dropped, the asker is told why."""
        self.write(
            {
                "state": "failed",
                "error": error[:2000],
                "date_done": fields.Datetime.now(),
                "section_ids": False,
                "header": False,
                "layout_position": False,
            }
        )
        self.part_ids.unlink()
        words = self._in_asker_words()
        self._notify_asker(
            "crm_activity_verification.mail_template_evidence_request_failed",
            words.env._("Your evidence pack could not be made"),
            words.env._("%(pack)s: %(error)s", pack=words.display_name, error=error),
            "danger",
        )

    def _notify_asker(self, template_xmlid, title, message, kind):
        """An e-mail to who asked, and a notification in his web client."""
        self.env.ref(template_xmlid).send_mail(self.id)
        self.user_id._bus_send(
            "simple_notification",
            {"type": kind, "title": title, "message": message, "sticky": True},
        )
