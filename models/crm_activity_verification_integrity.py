"""B-4: which records are sealed, when, and the company's integrity check.

See ``crm_activity_verification_seal.py`` for the ledger and the seal mixin.
"""

import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from .crm_activity_verification import CLOSED_STATES, CONCLUDED_STATES
from .crm_activity_verification_seal import (
    INTEGRITY_BATCH,
    SEALING_EVENTS,
    _canonical,
)


class CrmActivityVerification(models.Model):
    _name = "crm.activity.verification"
    _inherit = ["crm.activity.verification", "crm.activity.verification.sealed.mixin"]

    # the activity as reported and the outcome as concluded (B-4)
    _seal_fields = (
        "source",
        "activity_id",
        "report_line_id",
        "activity_date",
        "user_id",
        "team_id",
        "reported_activity_type_id",
        "description",
        "partner_id",
        "lead_id",
        "state",
        "result",
        "verifier_id",
        "verified_on",
        "confirmation_channel",
    )

    active = fields.Boolean(
        default=True,
        help="Archived verifications leave the board, the lists and the figures; they "
        "stay sealed, in the integrity check and in the evidence pack. Only the HR & "
        "process manager archives, and only a verification with nothing left to do (no call, "
        "no open follow-up, no anomaly to resolve).",
    )

    def write(self, vals):
        if "active" in vals:
            self._check_archive(
                vals["active"],
                lambda v: (
                    v.state in CLOSED_STATES
                    and v.followup_state not in ("requested", "overdue")
                    and not (v.anomaly and not v.anomaly_resolved_on)
                ),
            )
        result = super().write(vals)
        if vals.get("state") in CONCLUDED_STATES:
            self.filtered(lambda v: v.state in CONCLUDED_STATES and not v.sealed)._seal(
                "conclusion"
            )
        return result

    def action_open_reopen_dialog(self):
        return self._open_dialog(
            "crm.activity.verification.reopen", self.env._("Reopen the verification")
        )

    def action_reopen(self, reason):
        """Reopen a concluded verification (HR & process manager only). The reopening is a
        new sealed event with who, when and why; the sealed history stays as it was, and
        the verification goes back to the call queue."""
        if not self.env.user.has_group("crm_activity_verification.group_process_manager"):
            raise AccessError(
                self.env._("Only the HR & process manager can reopen a verification.")
            )
        reason = self._check_text_input(
            reason,
            self.env._("The reason"),
            missing=self.env._("Say why the verification is reopened."),
        )
        not_concluded = self.filtered(lambda v: v.state not in CONCLUDED_STATES)
        if not_concluded:
            raise UserError(
                self.env._(
                    "%(verification)s is not concluded: there is nothing to reopen.",
                    verification=not_concluded[0].display_name,
                )
            )
        self.check_access("write")
        self._seal("reopening", extra={v.id: {"reopen_reason": reason} for v in self})
        self._unseal()
        for verification in self:
            verification._workflow().write(
                {
                    "state": "in_progress" if verification.call_ids else "pending",
                    "result": False,
                    "verifier_id": False,
                    "verified_on": False,
                    "confirmation_channel": False,
                    "next_call_at": False,
                    "callback_at": False,
                }
            )
        self._message_log_batch(
            bodies={
                verification.id: verification._in_company_lang().env._(
                    "Reopened by %(user)s (sealed record no. %(number)s): %(reason)s",
                    user=self.env.user.name,
                    number=verification.secure_sequence_number,
                    reason=reason,
                )
                for verification in self
            }
        )
        return True


class CrmActivityVerificationCall(models.Model):
    _name = "crm.activity.verification.call"
    _inherit = ["crm.activity.verification.call", "crm.activity.verification.sealed.mixin"]

    _seal_fields = ("verification_id", "date", "verifier_id", "outcome", "notes")

    @api.model_create_multi
    def create(self, vals_list):
        calls = super().create(vals_list)
        calls._seal("call")
        return calls


class CrmActivityWeeklyReport(models.Model):
    _name = "crm.activity.weekly.report"
    _inherit = ["crm.activity.weekly.report", "crm.activity.verification.sealed.mixin"]

    _seal_fields = (
        "name",
        "user_id",
        "team_id",
        "date_start",
        "date_end",
        "signature",
        "signed_by",
        "signed_on",
        "submitted_on",
        "line_ids",
    )

    active = fields.Boolean(
        default=True,
        help="Archived reports leave the lists; they stay sealed, in the integrity check "
        "and in the evidence pack. Only the HR & process manager archives, and only a "
        "submitted or verified report.",
    )
    _LINE_SEAL_FIELDS = (
        "date",
        "partner_id",
        "customer_name",
        "contact_name",
        "phone",
        "activity_type_id",
        "description",
    )

    def write(self, vals):
        if "active" in vals:
            self._check_archive(vals["active"], lambda r: r.state != "draft")
        result = super().write(vals)
        if vals.get("state") == "submitted":
            self.filtered(lambda r: r.state == "submitted" and not r.sealed)._seal("submission")
        return result

    def action_reset_to_draft(self):
        """Sending a submitted report back to draft is a sealed event: the submission
        stays sealed in the ledger as it was."""
        sealed = self.sudo().filtered("sealed")  # sudo: only the seal flag is read
        result = super().action_reset_to_draft()  # checks who may, and says it in the chatter
        if sealed:
            sealed._seal("reopening", extra={r.id: {"reopen_reason": "draft"} for r in sealed})
            sealed._unseal()
        return result

    def _get_seal_snapshots(self):
        snapshots = super()._get_seal_snapshots()
        for report in self:
            snapshots[report.id]["lines"] = [
                {name: _canonical(line, name) for name in self._LINE_SEAL_FIELDS}
                for line in report.line_ids.sorted("id")
            ]
        return snapshots


class ResCompany(models.Model):
    _inherit = "res.company"

    def get_verification_integrity(self):
        """Walk the chain of sealed records of the companies (all the user's companies
        when called on none): every hash recomputed, the numbers consecutive, and each
        sealed record compared with its last snapshot.

        :return: ``{"ok": bool, "checked": int, "first_broken": [model, id] or False}``
        """
        details = self._get_verification_integrity_details()
        return {key: details[key] for key in ("ok", "checked", "first_broken")}

    def _get_verification_integrity_details(self):
        companies = self or self.env.companies
        # sudo: the ledger has no access rights for users; its content is only compared
        Seal = self.env["crm.activity.verification.seal"].sudo()
        checked, first_broken = 0, False
        first, last = {}, {}
        fnames = [
            "company_id",
            "secure_sequence_number",
            "res_model",
            "res_id",
            "event",
            "date",
            "user_id",
            "content",
            "previous_hash",
            "inalterable_hash",
        ]
        for company in companies:
            previous, expected = "", 1
            while True:
                batch = Seal.search_fetch(
                    [
                        ("company_id", "=", company.id),
                        ("secure_sequence_number", ">=", expected),
                    ],
                    fnames,
                    order="secure_sequence_number",
                    limit=INTEGRITY_BATCH,
                )
                if not batch:
                    break
                content_broken = self._check_sealed_documents(batch)
                for seal in batch:
                    checked += 1
                    first.setdefault(company, seal)
                    last[company] = seal
                    values = {
                        "company_id": seal.company_id.id,
                        "secure_sequence_number": seal.secure_sequence_number,
                        "res_model": seal.res_model,
                        "res_id": seal.res_id,
                        "event": seal.event,
                        "date": seal.date,
                        "user_id": seal.user_id.id,
                        "content": seal.content,
                    }
                    broken = (
                        seal.secure_sequence_number != expected
                        or (seal.previous_hash or "") != previous
                        or Seal._compute_hash(values, previous) != seal.inalterable_hash
                        or seal in content_broken
                    )
                    if broken and not first_broken:
                        first_broken = [seal.res_model, seal.res_id]
                    previous = seal.inalterable_hash
                    expected = seal.secure_sequence_number + 1
                Seal.invalidate_model()  # memory bounded by the batch
            # the company's head: a seal deleted at the end of the chain shows here
            head = company.sudo()
            if (head.verification_seal_number or 0) != expected - 1 and not first_broken:
                first_broken = ["res.company", company.id]
        return {
            "ok": not first_broken,
            "checked": checked,
            "first_broken": first_broken,
            "first": first,
            "last": last,
            "date": fields.Datetime.now(),
            "companies": companies,
        }

    @api.model
    def _check_sealed_documents(self, seals):
        """The seals of ``seals`` that are their document's last sealing one and whose
        document no longer matches the snapshot (changed behind Odoo's back)."""
        Seal = seals.browse()
        # the last seal of each document, among all seals (one grouped query)
        last_numbers = {
            (model, res_id): number
            for model, res_id, number in Seal.sudo()._read_group(
                Domain("res_model", "in", list(set(seals.mapped("res_model"))))
                & Domain("res_id", "in", list(set(seals.mapped("res_id")))),
                ["res_model", "res_id"],
                ["secure_sequence_number:max"],
            )
        }
        broken = Seal
        by_model = {}
        for seal in seals:
            if (
                seal.event in SEALING_EVENTS
                and last_numbers.get((seal.res_model, seal.res_id)) == seal.secure_sequence_number
            ):
                by_model.setdefault(seal.res_model, []).append(seal)
        for model, model_seals in by_model.items():
            # sudo: compare the sealed documents whoever asks; nothing is returned but a flag
            records = self.env[model].sudo().with_context(active_test=False)
            records = records.browse([seal.res_id for seal in model_seals]).exists()
            snapshots = records._get_seal_snapshots()
            for seal in model_seals:
                stored = json.loads(seal.content)
                live = snapshots.get(seal.res_id)
                if live is None or any(live.get(key) != stored.get(key) for key in live):
                    broken |= seal
            records.invalidate_model()
        return broken

    def _action_verification_integrity_report(self):
        """The integrity check of the current company, as a PDF."""
        if not self.env.user.has_group("crm_activity_verification.group_process_manager"):
            raise AccessError(self.env._("Only the HR & process manager checks the integrity."))
        company = self or self.env.company
        return self.env.ref(
            "crm_activity_verification.action_report_verification_integrity"
        ).report_action(company)
