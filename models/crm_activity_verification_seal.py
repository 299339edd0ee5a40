"""B-4 Tamper-evident records (ISO 9001 §7.5.3).

Every sealing event — a verification concluded, a call recorded, an FRE-7.5-01 report
submitted — and every reopening writes a *seal*: an immutable row with the company's
next ``secure_sequence_number``, a snapshot of the record's evidence fields, and an
``inalterable_hash``, SHA-256 over the snapshot and the previous seal's hash (one chain
per company, in the spirit of Odoo's accounting inalterability). The sealed record
carries the number and hash of its latest seal, and while it is sealed its evidence
fields cannot change, whoever writes. A reopening is a new seal: the old ones stay.

``res.company.get_verification_integrity()`` walks the chain: it recomputes every hash,
checks the numbers follow each other, and compares each sealed record with its last
snapshot, so that a row changed behind Odoo's back (SQL) shows where the chain breaks.
"""

import base64
import hashlib
import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

SEALING_EVENTS = ("conclusion", "call", "submission")
INTEGRITY_BATCH = 2000


def _canonical(record, name):
    """JSON-able value of ``record[name]``, stable between sealing and checking."""
    field = record._fields[name]
    value = record[name]
    if field.type == "many2one":
        return value.id or False
    if field.type in ("one2many", "many2many"):
        return sorted(value.ids)
    if field.type in ("date", "datetime"):
        return value and field.to_string(value)
    if field.type in ("binary", "image"):
        return _image_digest(value)
    if field.type == "float":
        return round(value or 0.0, 6)
    return value if value is not None else False


class CrmActivityVerificationSeal(models.Model):
    _name = "crm.activity.verification.seal"
    _description = "Sealed Verification Record"
    _order = "company_id, secure_sequence_number"
    _rec_name = "secure_sequence_number"

    company_id = fields.Many2one(comodel_name="res.company", required=True, readonly=True)
    secure_sequence_number = fields.Integer(required=True, readonly=True)
    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Integer(string="Document", required=True, readonly=True)
    event = fields.Selection(
        selection=[
            ("conclusion", "Verification concluded"),
            ("call", "Call recorded"),
            ("submission", "Weekly report submitted"),
            ("reopening", "Reopened"),
        ],
        required=True,
        readonly=True,
    )
    date = fields.Datetime(required=True, readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="By", readonly=True)
    content = fields.Text(string="Sealed Content", required=True, readonly=True)
    previous_hash = fields.Char(readonly=True)
    inalterable_hash = fields.Char(required=True, readonly=True)

    _company_sequence_uniq = models.Constraint(
        "UNIQUE(company_id, secure_sequence_number)",
        "A sealed record's number is unique in its company.",
    )
    _document_idx = models.Index("(res_model, res_id, secure_sequence_number)")

    # ------------------------------------------------------------------
    # The ledger never changes
    # ------------------------------------------------------------------
    def write(self, vals):  # pylint: disable=method-required-super
        # never calls super: no write reaches a sealed row, whoever asks
        raise UserError(self.env._("Sealed records cannot be changed (ISO 9001 §7.5.3)."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Sealed records cannot be deleted (ISO 9001 §7.5.3)."))

    @api.model
    def _compute_hash(self, values, previous_hash):
        payload = json.dumps(
            {
                "company": values["company_id"],
                "number": values["secure_sequence_number"],
                "model": values["res_model"],
                "id": values["res_id"],
                "event": values["event"],
                "date": fields.Datetime.to_string(values["date"]),
                "user": values["user_id"],
                "content": values["content"],
                "previous": previous_hash or "",
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    @api.model
    def _append(self, records, event, extra=None):
        """Seal each record of ``records`` (one model) as ``event``; return the seals.

        The company's chain head (its last number and hash, on the company) is locked
        with ``FOR UPDATE``: a second transaction sealing at once waits, then fails with
        a serialization error and is retried by Odoo (requests and scheduled actions),
        so that the chain never forks."""
        if not records:
            return self.browse()
        # sudo: the snapshot reads every evidence field, whoever seals the record
        records = records.sudo()
        records.flush_recordset()
        snapshots = records._get_seal_snapshots()
        now = fields.Datetime.now()
        seals = self.browse()
        for company in records.company_id:
            number, previous = self._lock_chain_head(company)
            vals_list = []
            for record in records.filtered(lambda r, c=company: r.company_id == c):
                content = dict(snapshots[record.id], **(extra or {}).get(record.id, {}))
                number += 1
                values = {
                    "company_id": company.id,
                    "secure_sequence_number": number,
                    "res_model": records._name,
                    "res_id": record.id,
                    "event": event,
                    "date": now,
                    "user_id": self.env.uid,
                    "content": json.dumps(content, sort_keys=True, ensure_ascii=False),
                }
                values["previous_hash"] = previous
                values["inalterable_hash"] = previous = self._compute_hash(values, previous)
                vals_list.append(values)
            # sudo: the ledger is written by the workflows only (no access rights on it)
            seals |= self.sudo().create(vals_list)
            self._move_chain_head(company, number, previous)
        for seal in seals:
            record = records.browse(seal.res_id)
            record._write_seal(
                {
                    "secure_sequence_number": seal.secure_sequence_number,
                    "inalterable_hash": seal.inalterable_hash,
                    "sealed": event in SEALING_EVENTS,
                }
            )
        return seals

    @api.model
    def _lock_chain_head(self, company):
        """``(number, hash)`` of the company's last seal, its row locked ``FOR UPDATE``
        until the transaction ends."""
        self.env.cr.execute(
            SQL(
                "SELECT verification_seal_number, verification_seal_hash FROM res_company "
                "WHERE id = %s FOR UPDATE",
                company.id,
            ),
            log_exceptions=False,
        )
        number, previous = self.env.cr.fetchone()
        if number:
            return number, previous or ""
        # a head not recorded yet (a database sealed before the head): the ledger's last
        self.env.cr.execute(
            SQL(
                "SELECT secure_sequence_number, inalterable_hash FROM %s "
                "WHERE company_id = %s ORDER BY secure_sequence_number DESC LIMIT 1",
                SQL.identifier(self._table),
                company.id,
            )
        )
        return self.env.cr.fetchone() or (0, "")

    @api.model
    def _move_chain_head(self, company, number, last_hash):
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET verification_seal_number = %s, "
                "verification_seal_hash = %s WHERE id = %s",
                number,
                last_hash,
                company.id,
            )
        )
        company.invalidate_recordset(["verification_seal_number", "verification_seal_hash"])


# The context key that lets only the sealing code write the seal fields: a Python object,
# which no JSON-RPC client can send.
_SEAL_CONTEXT = "_verification_sealing"
_SEALING = object()


class VerificationSealedMixin(models.AbstractModel):
    """Sealed records: the seal fields, and evidence fields locked while sealed."""

    _name = "crm.activity.verification.sealed.mixin"
    _description = "Sealed Verification Record (mixin)"

    # evidence fields of the model, locked once sealed; extend per model
    _seal_fields = ()

    secure_sequence_number = fields.Integer(
        string="Sealed Number", readonly=True, copy=False, index="btree_not_null"
    )
    inalterable_hash = fields.Char(string="Seal (SHA-256)", readonly=True, copy=False)
    sealed = fields.Boolean(
        readonly=True, copy=False, help="Sealed: its evidence cannot change (ISO 9001 §7.5.3)."
    )

    def write(self, vals):
        if self.env.context.get(_SEAL_CONTEXT) is not _SEALING:
            if {"secure_sequence_number", "inalterable_hash", "sealed"} & set(vals):
                raise UserError(self.env._("The seal of a record is set by Odoo only."))
            locked = set(self._seal_fields) & set(vals)
            sealed = self.filtered("sealed") if locked else self.browse()
            if sealed:
                raise UserError(
                    self.env._(
                        "%(record)s is sealed (ISO 9001 §7.5.3): its %(fields)s cannot change. "
                        "The HR & process manager can reopen it, which is recorded.",
                        record=sealed[0].display_name,
                        fields=", ".join(
                            self._fields[name]._description_string(self.env)
                            for name in sorted(locked)
                        ),
                    )
                )
        return super().write(vals)

    def _check_archive(self, active, archivable):
        """Archiving hides a record, it does not delete it (ISO 9001 §7.5.3): the HR &
        process manager alone archives or restores, and only records ``archivable``
        accepts (a record still in the workflow stays visible)."""
        if self._in_workflow() or self.env.su:
            return
        if not self.env.user.has_group("crm_activity_verification.group_process_manager"):
            raise AccessError(
                self.env._(
                    "Only the HR & process manager can archive or restore %(model)s records.",
                    model=self._get_workflow_model_label(),
                )
            )
        if not active:
            refused = self.filtered(lambda r: not archivable(r))
            if refused:
                raise UserError(
                    self.env._(
                        "%(record)s is still in the procedure: a verification can be "
                        "archived once concluded, with no open follow-up or anomaly; a "
                        "weekly report once submitted.",
                        record=refused[0].display_name,
                    )
                )

    def _write_seal(self, values):
        # sudo: whoever concludes, calls or submits (a verifier, a collaborator, the
        # customer's link) seals the record; only the seal fields are written here
        return self.sudo().with_context(**{_SEAL_CONTEXT: _SEALING})._workflow().write(values)

    def _seal(self, event, extra=None):
        return self.env["crm.activity.verification.seal"]._append(self, event, extra)

    def _unseal(self):
        """Open the record to changes again (after a reopening seal)."""
        return self._write_seal({"sealed": False})

    def _get_seal_snapshots(self):
        """``{id: {field: value}}`` of the evidence fields, as sealed."""
        return {
            record.id: {name: _canonical(record, name) for name in self._seal_fields}
            for record in self
        }


def _image_digest(value):
    """Digest of a binary field's base64 value (signatures are large)."""
    if not value:
        return False
    raw = base64.b64decode(value) if isinstance(value, (bytes, str)) else value
    return hashlib.sha256(raw).hexdigest()
