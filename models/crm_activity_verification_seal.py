"""B-4 Tamper-evident records (ISO 9001 §7.5.3).

Every sealing event — a verification concluded, a call recorded, an FRE-7.5-01 report
submitted, a complaint recorded, a later change of their evidence through the
procedure — and every reopening writes a *seal*: an immutable row with the company's
next ``secure_sequence_number``, a snapshot of the record's evidence fields, and an
``inalterable_hash``, SHA-256 over the snapshot and the previous seal's hash (one chain
per company, in the spirit of Odoo's accounting inalterability). The sealed record
carries the number and hash of its latest seal, and while it is sealed the evidence
fields it was sealed with cannot change, whoever writes; the fields that the procedure
still changes afterwards (a follow-up, an anomaly, the customer's rating, the archive)
change only through it, and each such change is sealed again.

With the server option ``crm_activity_verification_seal_key`` (the configuration file,
never the database), every seal also carries ``inalterable_hmac``: HMAC-SHA256 with that
key over the same content and the previous seal's HMAC. Whoever holds only the database
can recompute SHA-256 hashes, not these.

``res.company.get_verification_integrity()`` (``crm_activity_verification_integrity.py``)
walks the chain and cross-checks every sealed record against it.
"""

import base64
import hashlib
import hmac
import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, config

# Events after which the record is sealed (its snapshot must match the record).
SEALING_EVENTS = ("conclusion", "call", "submission", "creation", "update")
INTEGRITY_BATCH = 2000
# pg_advisory_xact_lock(SEAL_LOCK_KEY, company id): who seals the company's chain
SEAL_LOCK_KEY = 0x5EA1
# The server option holding the key of the HMAC chain (configuration file only).
SEAL_KEY_OPTION = "crm_activity_verification_seal_key"
# Fields of the sealed records that only the sealing code writes.
SEAL_STATE_FIELDS = frozenset({"secure_sequence_number", "inalterable_hash", "sealed"})


def get_seal_key():
    """The key of the HMAC chain, from the server's configuration (bytes), or None."""
    key = config.get(SEAL_KEY_OPTION)
    return key.encode() if isinstance(key, str) and key.strip() else None


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
            ("creation", "Recorded"),
            ("update", "Changed by the procedure"),
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
    inalterable_hmac = fields.Char(
        string="Keyed Seal (HMAC-SHA256)",
        readonly=True,
        help="Set when the server has the seal key (configuration file): only that key "
        "can produce it.",
    )

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

    # ------------------------------------------------------------------
    # Hashes
    # ------------------------------------------------------------------
    @api.model
    def _hash_payload(self, values, previous):
        return json.dumps(
            {
                "company": values["company_id"],
                "number": values["secure_sequence_number"],
                "model": values["res_model"],
                "id": values["res_id"],
                "event": values["event"],
                "date": fields.Datetime.to_string(values["date"]),
                "user": values["user_id"],
                "content": values["content"],
                "previous": previous or "",
            },
            sort_keys=True,
            ensure_ascii=False,
        ).encode()

    @api.model
    def _compute_hash(self, values, previous_hash):
        return hashlib.sha256(self._hash_payload(values, previous_hash)).hexdigest()

    @api.model
    def _compute_hmac(self, values, previous_hmac, key):
        payload = self._hash_payload(values, previous_hmac)
        return hmac.new(key, payload, hashlib.sha256).hexdigest()

    # ------------------------------------------------------------------
    # Appending
    # ------------------------------------------------------------------
    @api.model
    def _append(self, records, event, extra=None):
        """Seal each record of ``records`` (one model) as ``event``; return the seals.

        The company's chain is locked (``_lock_chain_head``): a second transaction sealing
        at once waits for the first to end, then goes on from its head, so that the
        chain never forks."""
        if not records:
            return self.browse()
        # sudo: the snapshot reads every evidence field, whoever seals the record
        records = records.sudo()
        records.flush_recordset()
        snapshots = records._get_seal_snapshots()
        now = fields.Datetime.now()
        key = get_seal_key()
        seals = self.browse()
        for company in records.company_id:
            number, previous, previous_hmac = self._lock_chain_head(company)
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
                    "previous_hash": previous,
                }
                values["inalterable_hash"] = previous = self._compute_hash(values, previous)
                if key:
                    values["inalterable_hmac"] = previous_hmac = self._compute_hmac(
                        values, previous_hmac, key
                    )
                vals_list.append(values)
            # sudo: the ledger is written by the workflows only (no access rights on it)
            seals |= self.sudo().create(vals_list)
            self._move_chain_head(company, number, previous, previous_hmac if key else None)
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
        """``(number, hash, hmac)`` of the company's last seal, the chain locked for the
        company until the transaction ends.

        The lock is a transaction-level advisory lock, and the head is read as committed
        now, not as this transaction's snapshot saw it: a request that ran long before it
        seals (a report submitted with its PDF) is not failed by the seals others made
        meanwhile, as a ``FOR UPDATE`` of a head row moved since its snapshot would be in
        REPEATABLE READ (issue 24's load run). The head is appended to, never updated
        (``crm.activity.verification.seal.head``): no row is ever written by two sealing
        transactions. Those who seal at once wait for each other; the chain never forks
        (the head and the ledger are unique per company and number)."""
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", SEAL_LOCK_KEY, company.id))
        Head = self.env["crm.activity.verification.seal.head"]
        row = Head._read_last(company)
        if row is None:
            # the company's first seal in this database (or one sealed before the head
            # had a table): the head starts from the ledger's last seal
            row = Head._read_last(
                company,
                SQL(
                    "SELECT secure_sequence_number, inalterable_hash, inalterable_hmac "
                    "FROM %s WHERE company_id = %s ORDER BY secure_sequence_number DESC "
                    "LIMIT 1",
                    SQL.identifier(self._table),
                    company.id,
                ),
            )
        number, previous, previous_hmac = row or (0, None, None)
        return number or 0, previous or "", previous_hmac or ""

    @api.model
    def _move_chain_head(self, company, number, last_hash, last_hmac):
        """The company's chain head, moved by SQL: no ORM write reaches it (issue 21)."""
        self.env["crm.activity.verification.seal.head"]._move(company, number, last_hash, last_hmac)


class CrmActivityVerificationSealHead(models.Model):
    """The head of each company's chain of sealed records: a row per sealing, its last
    number, hash and HMAC; the head is the row of the highest number. Appended to by the
    sealing alone, in SQL; no ORM create or write, whoever asks."""

    _name = "crm.activity.verification.seal.head"
    _description = "Head of a Chain of Sealed Records"
    _rec_name = "company_id"

    company_id = fields.Many2one(comodel_name="res.company", required=True, readonly=True)
    number = fields.Integer(string="Last Sealed Number", readonly=True)
    inalterable_hash = fields.Char(string="Last Seal", readonly=True)
    inalterable_hmac = fields.Char(string="Last Keyed Seal", readonly=True)

    _company_number_uniq = models.Constraint(
        "UNIQUE(company_id, number)", "The chain of sealed records never forks."
    )

    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        # never calls super: the head is written in SQL by the sealing alone
        raise UserError(self.env._("The head of a chain of sealed records is set by Odoo only."))

    def write(self, vals):  # pylint: disable=method-required-super
        # never calls super: the head is written in SQL by the sealing alone
        raise UserError(self.env._("The head of a chain of sealed records is set by Odoo only."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The head of a chain of sealed records is set by Odoo only."))

    @api.model
    def _read_last(self, company, query=None):
        """The last ``(number, hash, hmac)`` of ``query`` (the company's head by
        default), or None: the larger of what this transaction sees (its own seals) and
        of what is committed now, read through a cursor of its own. Called under the
        chain's advisory lock, so that nobody else seals in between."""
        query = query or SQL(
            "SELECT number, inalterable_hash, inalterable_hmac FROM %s "
            "WHERE company_id = %s ORDER BY number DESC LIMIT 1",
            SQL.identifier(self._table),
            company.id,
        )
        self.env.cr.execute(query)
        rows = [self.env.cr.fetchone()]
        if self.pool.ready:
            # (while the module is installed or upgraded its tables may not be committed
            # yet, and nobody else seals: the transaction's own view is the head)
            with self.env.registry.cursor() as committed:
                committed.execute(query)
                rows.append(committed.fetchone())
        rows = [row for row in rows if row]
        return max(rows, key=lambda row: row[0] or 0) if rows else None

    @api.model
    def _move(self, company, number, last_hash, last_hmac):
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (company_id, number, inalterable_hash, inalterable_hmac) "
                "VALUES (%s, %s, %s, %s) "
                # the same number again: the key's introduction signs the head it has
                "ON CONFLICT (company_id, number) DO UPDATE SET "
                "inalterable_hash = EXCLUDED.inalterable_hash, "
                "inalterable_hmac = EXCLUDED.inalterable_hmac",
                SQL.identifier(self._table),
                company.id,
                number,
                last_hash,
                last_hmac,
            )
        )
        self.invalidate_model()

    @api.model
    def _get_heads(self, companies):
        """``{company id: (number, hash, hmac)}`` of ``companies``' heads."""
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT ON (company_id) company_id, number, inalterable_hash, "
                "inalterable_hmac FROM %s WHERE company_id IN %s "
                "ORDER BY company_id, number DESC",
                SQL.identifier(self._table),
                tuple(companies.ids) or (0,),
            )
        )
        return {company_id: rest for company_id, *rest in self.env.cr.fetchall()}


# The context key that lets only the sealing code write the seal fields: a Python object,
# which no JSON-RPC client can send.
_SEAL_CONTEXT = "_verification_sealing"
_SEALING = object()


class VerificationSealedMixin(models.AbstractModel):
    """Sealed records: the seal fields, the evidence they cover, and its lock."""

    _name = "crm.activity.verification.sealed.mixin"
    _description = "Sealed Verification Record (mixin)"

    # the evidence fields of the model that a seal covers; extend per model
    _seal_fields = ()
    # among them, those the procedure still changes once the record is sealed (each
    # change through it is sealed again, event "update"); the others are locked
    _seal_mutable_fields = ()

    secure_sequence_number = fields.Integer(
        string="Sealed Number", readonly=True, copy=False, index="btree_not_null"
    )
    inalterable_hash = fields.Char(string="Seal (SHA-256)", readonly=True, copy=False)
    sealed = fields.Boolean(
        readonly=True, copy=False, help="Sealed: its evidence cannot change (ISO 9001 §7.5.3)."
    )

    def write(self, vals):
        sealing = self.env.context.get(_SEAL_CONTEXT) is _SEALING
        if not sealing:
            self._check_sealed_write(vals)
        result = super().write(vals)
        if not sealing and set(self._seal_mutable_fields).intersection(vals):
            # sudo: only the seal flag is read; the change is sealed whoever made it
            self.sudo().filtered("sealed")._seal("update")
        return result

    def _check_sealed_write(self, vals):
        """Refuse the seal fields, and the locked evidence of sealed records."""
        if SEAL_STATE_FIELDS.intersection(vals):
            raise UserError(self.env._("The seal of a record is set by Odoo only."))
        locked = (set(self._seal_fields) - set(self._seal_mutable_fields)).intersection(vals)
        sealed = self.filtered("sealed") if locked else self.browse()
        if sealed:
            raise UserError(
                self.env._(
                    "%(record)s is sealed (ISO 9001 §7.5.3): its %(fields)s cannot change. "
                    "The HR & process manager can reopen it, which is recorded.",
                    record=sealed[0].display_name,
                    fields=", ".join(
                        self._fields[name]._description_string(self.env) for name in sorted(locked)
                    ),
                )
            )

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

    @api.model
    def _get_unsealed_domain(self):
        """Records of the model that the procedure must have sealed but are not
        (the integrity check names them); extend per model."""
        return False


def _image_digest(value):
    """Digest of a binary field's base64 value (signatures are large)."""
    if not value:
        return False
    raw = base64.b64decode(value) if isinstance(value, (bytes, str)) else value
    return hashlib.sha256(raw).hexdigest()
