"""B-4: which records are sealed, when, and the company's integrity check.

See ``crm_activity_verification_seal.py`` for the ledger and the seal mixin.

The check (``res.company.get_verification_integrity``) proves, per company:

- the chain: the numbers follow each other from 1, each seal's hash is recomputed from
  its content and the previous hash (and its HMAC, with the server's seal key);
- the records: each sealed record still matches the snapshot of its last seal, carries
  the number and hash of that seal (a record pointing at a missing or foreign seal, or a
  seal whose record lost it, breaks the check), and every record the procedure must
  have sealed (a concluded verification, a call, a submitted report, a complaint) is;
- the head: the company's last number is the ledger's last, and a head printed earlier
  (``anchor_number``, ``anchor_hash``: the integrity PDF, the evidence pack, the
  process manager's weekly digest) is still in the chain.
"""

import json
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from .crm_activity_verification import CLOSED_STATES, CONCLUDED_STATES
from .crm_activity_verification_seal import (
    INTEGRITY_BATCH,
    SEALING_EVENTS,
    _canonical,
    get_seal_key,
)
from .crm_activity_workflow_mixin import public_method

_logger = logging.getLogger(__name__)

# The sealed models, in the order their records are cross-checked.
SEALED_MODELS = (
    "crm.activity.verification",
    "crm.activity.verification.call",
    "crm.activity.weekly.report",
    "crm.activity.complaint",
)
# What the report line of a verification (FRE-7.5-01) said, sealed with the verification.
LINE_SEAL_FIELDS = (
    "date",
    "partner_id",
    "customer_name",
    "contact_name",
    "phone",
    "activity_type_id",
    "description",
)


class CrmActivityVerification(models.Model):
    _name = "crm.activity.verification"
    _inherit = ["crm.activity.verification", "crm.activity.verification.sealed.mixin"]

    # the activity as reported, the outcome as concluded and what followed (B-4): every
    # field the evidence pack prints; what changes after the conclusion is sealed again
    _seal_mutable_fields = (
        "followup_state",
        "followup_note",
        "followup_deadline",
        "followup_done_on",
        "followup_feedback",
        "escalation_level",
        "escalation_user_id",
        "anomaly",
        "anomaly_description",
        "anomaly_reported_by_id",
        "anomaly_resolution",
        "anomaly_resolved_on",
        "anomaly_resolved_by_id",
        "csat",
        "is_rated",
        "active",
    )
    _seal_fields = (
        "company_id",
        "source",
        "activity_id",
        "report_line_id",
        "activity_date",
        "user_id",
        "done_by_id",
        "team_id",
        "reported_activity_type_id",
        "description",
        "partner_id",
        "lead_id",
        "contact_name",
        "phone",
        "sampling_level",
        "sampling_rate",
        "sampling_ticket",
        "state",
        "result",
        "verifier_id",
        "verified_on",
        "confirmation_channel",
        "customer_answer",
        "customer_answered_on",
        *_seal_mutable_fields,
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

    def _get_seal_snapshots(self):
        snapshots = super()._get_seal_snapshots()
        for verification in self.filtered("report_line_id"):
            line = verification.report_line_id
            snapshots[verification.id]["report_line"] = {
                name: _canonical(line, name) for name in LINE_SEAL_FIELDS
            }
        return snapshots

    @api.model
    def _get_unsealed_domain(self):
        return Domain("state", "in", CONCLUDED_STATES) & Domain("sealed", "=", False)

    @public_method(single=True)
    @api.readonly
    def action_open_reopen_dialog(self):
        return self._open_dialog(
            "crm.activity.verification.reopen", self.env._("Reopen the verification")
        )

    @public_method
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

    _seal_fields = ("company_id", "verification_id", "date", "verifier_id", "outcome", "notes")

    @api.model_create_multi
    def create(self, vals_list):
        calls = super().create(vals_list)
        calls._seal("call")
        return calls

    @api.model
    def _get_unsealed_domain(self):
        return Domain("secure_sequence_number", "=", False)


class CrmActivityWeeklyReport(models.Model):
    _name = "crm.activity.weekly.report"
    _inherit = ["crm.activity.weekly.report", "crm.activity.verification.sealed.mixin"]

    _seal_fields = (
        "name",
        "company_id",
        "user_id",
        "team_id",
        "date_start",
        "date_end",
        "signature",
        "signed_by",
        "signed_on",
        "submitted_on",
        "line_ids",
        "state",
        "active",
    )
    _seal_mutable_fields = ("state", "active")

    active = fields.Boolean(
        default=True,
        help="Archived reports leave the lists; they stay sealed, in the integrity check "
        "and in the evidence pack. Only the HR & process manager archives, and only a "
        "submitted or verified report.",
    )

    def write(self, vals):
        if "active" in vals:
            self._check_archive(vals["active"], lambda r: r.state != "draft")
        result = super().write(vals)
        if vals.get("state") == "submitted":
            self.filtered(lambda r: r.state == "submitted" and not r.sealed)._seal("submission")
        return result

    @public_method
    def action_reset_to_draft(self):
        """Sending a submitted report back to draft is a sealed event: the submission
        stays sealed in the ledger as it was, and the report is open again."""
        self._check_reset_to_draft()
        sealed = self.sudo().filtered("sealed")  # sudo: only the seal flag is read
        if sealed:
            sealed._seal("reopening", extra={r.id: {"reopen_reason": "draft"} for r in sealed})
            sealed._unseal()
        return super().action_reset_to_draft()

    def _get_seal_snapshots(self):
        snapshots = super()._get_seal_snapshots()
        for report in self:
            snapshots[report.id]["lines"] = [
                {name: _canonical(line, name) for name in LINE_SEAL_FIELDS}
                for line in report.line_ids.sorted("id")
            ]
        return snapshots

    @api.model
    def _get_unsealed_domain(self):
        return Domain("state", "!=", "draft") & Domain("sealed", "=", False)


class CrmActivityComplaint(models.Model):
    _name = "crm.activity.complaint"
    _inherit = ["crm.activity.complaint", "crm.activity.verification.sealed.mixin"]

    # recorded once (who, when, about which activity), then worked through PAD-8.5-02
    _seal_mutable_fields = (
        "partner_id",
        "description",
        "user_id",
        "state",
        "resolution",
        "resolved_on",
        "active",
    )
    _seal_fields = (
        "name",
        "company_id",
        "date",
        "verification_id",
        "collaborator_id",
        "team_id",
        *_seal_mutable_fields,
    )

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        complaints._seal("creation")
        return complaints

    @api.model
    def _get_unsealed_domain(self):
        return Domain("secure_sequence_number", "=", False)


class ResCompany(models.Model):
    _inherit = "res.company"

    @public_method
    @api.readonly
    def get_verification_integrity(self, anchor_number=None, anchor_hash=None):
        """Walk the chain of sealed records of the companies (all the user's companies
        when called on none) and cross-check every sealed record against it.

        :param anchor_number: with ``anchor_hash``, a head printed earlier (integrity
            PDF, evidence pack, weekly digest) of the current company's chain: the check
            fails, naming it, when that seal is no longer in the chain as printed
        :return: ``{"ok": bool, "checked": int, "first_broken": [model, id] or False,
            "head": {"number": int, "hash": str}}``; ``head`` is the last seal of the
            current company's chain (its HMAC when the server has the seal key)
        """
        self._check_verification_integrity_access()
        details = self._get_verification_integrity_details(anchor_number, anchor_hash)
        return {key: details[key] for key in ("ok", "checked", "first_broken", "head")}

    def _get_verification_integrity_details(self, anchor_number=None, anchor_hash=None):
        companies = self or self.env.companies
        anchor = self._check_integrity_anchor_input(anchor_number, anchor_hash)
        key = get_seal_key()
        self.env.flush_all()  # the checks below read the tables in SQL
        # sudo: the ledger has no access rights for users; its content is only compared
        Seal = self.env["crm.activity.verification.seal"].sudo()
        checked = 0
        broken = []  # (seal number or None, [model, id]) of every finding
        first, last = {}, {}
        for company in companies:
            company_checked, company_broken = self._check_verification_chain(
                company, key, first, last
            )
            checked += company_checked
            broken += company_broken
            broken += self._check_sealed_records(company)
        head_company = self.env.company if self.env.company in companies else companies[:1]
        head_seal = last.get(head_company, Seal)
        head = {
            "number": head_seal.secure_sequence_number or 0,
            "hash": (head_seal.inalterable_hmac if key else head_seal.inalterable_hash) or "",
        }
        if anchor and not self._is_anchor_in_chain(head_company, *anchor):
            broken.append((anchor[0], ["anchor", anchor[0]]))
        first_broken = (
            min(broken, key=lambda item: (item[0] is None, item[0] or 0))[1] if broken else False
        )
        return {
            "ok": not broken,
            "checked": checked,
            "first_broken": first_broken,
            "head": head,
            "keyed": bool(key),
            "first": first,
            "last": last,
            "date": fields.Datetime.now(),
            "companies": companies,
        }

    @api.model
    def _check_integrity_anchor_input(self, anchor_number, anchor_hash):
        """``(number, hash)`` of a printed head, or None; a clear error for bad input."""
        if anchor_number in (None, False) and anchor_hash in (None, False):
            return None
        if (
            isinstance(anchor_number, bool)
            or not isinstance(anchor_number, int)
            or anchor_number < 1
            or not isinstance(anchor_hash, str)
            or not anchor_hash.strip()
            or len(anchor_hash) > 128
        ):
            raise UserError(
                self.env._(
                    "A printed head is a sealed number (a positive integer) and its seal "
                    "(the 64 characters printed beside it)."
                )
            )
        return anchor_number, anchor_hash.strip().lower()

    def _check_verification_chain(self, company, key, first, last):
        """Walk ``company``'s ledger in batches; return ``(checked, [(number, [model, id])])``."""
        Seal = self.env["crm.activity.verification.seal"].sudo()
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
            "inalterable_hmac",
        ]
        checked, broken = 0, []
        previous, previous_hmac, expected = "", "", 1
        while True:
            batch = Seal.search_fetch(
                [("company_id", "=", company.id), ("secure_sequence_number", ">=", expected)],
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
                if (
                    seal.secure_sequence_number != expected
                    or (seal.previous_hash or "") != previous
                    or Seal._compute_hash(values, previous) != seal.inalterable_hash
                    or (
                        key
                        and Seal._compute_hmac(values, previous_hmac, key) != seal.inalterable_hmac
                    )
                    or seal in content_broken
                ):
                    broken.append((seal.secure_sequence_number, [seal.res_model, seal.res_id]))
                previous = seal.inalterable_hash
                previous_hmac = seal.inalterable_hmac or ""
                expected = seal.secure_sequence_number + 1
            Seal.invalidate_model()  # memory bounded by the batch
        # the company's head: a seal deleted at the end of the chain shows here
        head = self.env["crm.activity.verification.seal.head"]._get_heads(company)
        head_number = head.get(company.id, (0,))[0] or 0
        if head_number != expected - 1:
            broken.append((expected, ["res.company", company.id]))
        return checked, broken

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
                # what the seal covers: a seal made before a field was covered does not
                # hold it, and stays valid
                if live is None or any(
                    key in live and live[key] != value for key, value in stored.items()
                ):
                    broken |= seal
            records.invalidate_model()
        return broken

    @api.model
    def _check_sealed_records(self, company):
        """``[(number, [model, id])]`` of the records of ``company`` that point at a seal
        that is missing or not theirs, whose last seal is not the one they carry, or
        that the procedure must have sealed but are not (set-based queries)."""
        Seal = self.env["crm.activity.verification.seal"]
        broken = []
        for model in SEALED_MODELS:
            Model = self.env[model].sudo().with_context(active_test=False)
            # each document's last seal, against the number and hash its record carries:
            # a record pointing at a missing, foreign or older seal, a sealed document
            # whose record lost its seal (or is gone, or moved to another company)
            self.env.cr.execute(
                SQL(
                    """
                    WITH last AS (
                        SELECT res_id, max(secure_sequence_number) AS number
                          FROM %(seals)s
                         WHERE company_id = %(company)s AND res_model = %(model)s
                      GROUP BY res_id
                    ), sealed AS (
                        SELECT id, secure_sequence_number, inalterable_hash
                          FROM %(table)s
                         WHERE company_id = %(company)s AND secure_sequence_number IS NOT NULL
                    )
                    SELECT coalesce(sealed.id, last.res_id),
                           coalesce(sealed.secure_sequence_number, last.number)
                      FROM sealed
                 FULL JOIN last ON last.res_id = sealed.id
                 LEFT JOIN %(seals)s seal
                        ON seal.company_id = %(company)s
                       AND seal.secure_sequence_number = sealed.secure_sequence_number
                     WHERE sealed.id IS NULL
                        OR last.res_id IS NULL
                        OR last.number != sealed.secure_sequence_number
                        OR seal.id IS NULL
                        OR seal.res_model != %(model)s
                        OR seal.res_id != sealed.id
                        OR seal.inalterable_hash IS DISTINCT FROM sealed.inalterable_hash
                    """,
                    table=SQL.identifier(Model._table),
                    seals=SQL.identifier(Seal._table),
                    company=company.id,
                    model=model,
                ),
            )
            broken += [(number, [model, res_id]) for res_id, number in self.env.cr.fetchall()]
            # a record the procedure must have sealed, and did not
            domain = Model._get_unsealed_domain()
            if domain is not False:
                unsealed = Model.search(Domain("company_id", "=", company.id) & domain, order="id")
                broken += [(None, [model, record_id]) for record_id in unsealed.ids]
        return broken

    def _is_anchor_in_chain(self, company, number, anchor_hash):
        """Whether the seal ``number`` of ``company`` still has the hash (or HMAC)
        printed as ``anchor_hash``."""
        self.env.cr.execute(
            SQL(
                "SELECT inalterable_hash, inalterable_hmac FROM %s "
                "WHERE company_id = %s AND secure_sequence_number = %s",
                SQL.identifier(self.env["crm.activity.verification.seal"]._table),
                company.id,
                number,
            )
        )
        row = self.env.cr.fetchone()
        return bool(row) and anchor_hash in {value for value in row if value}

    def _action_verification_integrity_report(self):
        """The integrity check of the current company, as a PDF."""
        self._check_verification_integrity_access()
        company = self or self.env.company
        return self.env.ref(
            "crm_activity_verification.action_report_verification_integrity"
        ).report_action(company)

    # ------------------------------------------------------------------
    # The seal key (server option), introduced on a database sealed without it
    # ------------------------------------------------------------------
    def _verification_seal_key_introduce(self):
        """Sign the existing chain with the server's seal key (HMAC), once the key is in
        the configuration file (README, "The seal key"): administrators only, explicit,
        after checking that the chain is intact; the SHA-256 seals are not changed.

        :return: ``{company name: seals signed}``
        """
        if not self.env.is_superuser() and not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only an administrator introduces the seal key."))
        key = get_seal_key()
        if not key:
            raise UserError(
                self.env._(
                    "The server has no seal key: add crm_activity_verification_seal_key to "
                    "its configuration file and restart it first."
                )
            )
        # sudo: every company of the database (an administrator's explicit operation)
        companies = self or self.env["res.company"].sudo().with_context(active_test=False).search(
            [("id", "!=", False)], order="id"
        )
        # checked without the key: the existing seals are SHA-256 only
        Seal = self.env["crm.activity.verification.seal"].sudo()
        for company in companies:
            checked, broken = self._check_verification_chain(company, None, {}, {})
            broken += self._check_sealed_records(company)
            if broken:
                raise UserError(
                    self.env._(
                        "The chain of %(company)s is broken at %(record)s: investigate "
                        "before signing it with the key.",
                        company=company.name,
                        record=" #".join(map(str, min(broken, key=lambda b: b[0] or 0)[1])),
                    )
                )
        signed = {}
        for company in companies:
            Seal._lock_chain_head(company)
            previous_hmac, count, start = "", 0, 1
            while True:
                batch = Seal.search(
                    [("company_id", "=", company.id), ("secure_sequence_number", ">=", start)],
                    order="secure_sequence_number",
                    limit=INTEGRITY_BATCH,
                )
                if not batch:
                    break
                for seal in batch:
                    values = seal.read(
                        [
                            "company_id",
                            "secure_sequence_number",
                            "res_model",
                            "res_id",
                            "event",
                            "date",
                            "user_id",
                            "content",
                        ],
                        load=None,
                    )[0]
                    previous_hmac = Seal._compute_hmac(values, previous_hmac, key)
                    # the ledger refuses every ORM write: the HMAC column is set by SQL
                    self.env.cr.execute(
                        SQL(
                            "UPDATE %s SET inalterable_hmac = %s WHERE id = %s",
                            SQL.identifier(Seal._table),
                            previous_hmac,
                            seal.id,
                        )
                    )
                    count += 1
                start = batch[-1].secure_sequence_number + 1
                Seal.invalidate_model()
            number, last_hash, _hmac = Seal._lock_chain_head(company)
            Seal._move_chain_head(company, number, last_hash, previous_hmac or None)
            signed[company.name] = count
            _logger.info(
                "Seal key introduced for %s: %s sealed records signed with it", company.name, count
            )
        return signed
