"""One guard for the workflow fields of the procedure's records (issue 8).

The workflow fields of verifications, calls and weekly reports change only through
the public methods (``action_log_call``, ``action_submit``, …) and the crons. Those
write through one internal path, ``_workflow()``: a context key whose value is the
module-level sentinel ``_WORKFLOW``. It is compared by identity, and no XML-RPC or
JSON-RPC client can send a Python object, only JSON values: the path cannot be
forged over RPC. Module data files (demo) are loaded while the registry is not
ready yet; they are trusted code, as the Python of the addons.

``public_method`` guards the methods that RPC reaches (issue 21): a call with the wrong
arguments, or one on several records of a method that acts on one, is a clear error.
"""

import functools
import inspect

from psycopg2.errors import LockNotAvailable

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# (imported first: the input mixin's model is defined before this one, which inherits it)
from .crm_activity_input_mixin import TEXT_MAX_LENGTH

# The internal workflow path: put in the context by _workflow(), checked with ``is``.
_WORKFLOW = object()
WORKFLOW_KEY = "crm_activity_verification_workflow"
# The mark of the methods wrapped by public_method, its value their ``single`` (the tests
# check that every public method of the addon carries it).
PUBLIC_METHOD_MARK = "_verification_public_method"


def public_method(method=None, *, single=False):
    """Decorate a public method of the addon (a button, an API of spec/contract.md,
    callable over XML-RPC and JSON-RPC) so that a wrong call is a clear ``UserError``
    in the user's language, raised before the method runs: wrong arguments (instead of
    Python's ``TypeError``), and, with ``single``, a recordset of other than one record
    (instead of "Expected singleton"). Odoo's marks on the method (``_api_model``,
    ``_readonly``…) are kept, as RPC and the web client's ``call_button`` read them.

    Use ``@public_method`` or ``@public_method(single=True)``; put it on every override
    of the method too, as RPC calls the last one."""
    if method is None:
        return functools.partial(public_method, single=single)
    signature = inspect.signature(method)
    parameters = list(signature.parameters.values())[1:]

    @functools.wraps(method)
    def checked(self, *args, **kwargs):
        try:
            signature.bind(self, *args, **kwargs)
        except TypeError:
            raise UserError(
                self.env._(
                    "%(method)s was called with the wrong arguments: it takes %(parameters)s.",
                    method=f"{self._name}.{method.__name__}",
                    parameters=", ".join(map(str, parameters)) or self.env._("no argument"),
                )
            ) from None
        if single and len(self) != 1:
            raise UserError(
                self.env._(
                    "%(method)s acts on one record at a time; it was called on %(count)s.",
                    method=f"{self._name}.{method.__name__}",
                    count=len(self),
                )
            )
        return method(self, *args, **kwargs)

    setattr(checked, PUBLIC_METHOD_MARK, single)
    return checked


class CrmActivityWorkflowMixin(models.AbstractModel):
    _name = "crm.activity.workflow.mixin"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Activity Verification: Workflow Guard"

    # Fields that only the public methods and the crons change.
    _workflow_fields = frozenset()
    # True: records are created only by the workflow (a done activity, a report, a call).
    _workflow_create_only = False
    # Many2one fields set when the record is created that never change, whoever writes:
    # the owner and the place of a record of evidence (issue 21).
    _workflow_fixed_fields = frozenset()

    # ------------------------------------------------------------------
    # THE INTERNAL PATH
    # ------------------------------------------------------------------
    def _workflow(self):
        """``self`` on the internal workflow path (for the public methods and crons)."""
        return self.with_context(**{WORKFLOW_KEY: _WORKFLOW})

    def _in_workflow(self):
        # the registry is not ready only while modules (and their data files) load
        return self.env.context.get(WORKFLOW_KEY) is _WORKFLOW or not self.pool.ready

    def _skip_input_checks(self):
        # what the procedure itself writes derives from inputs already checked
        return self._in_workflow()

    # ------------------------------------------------------------------
    # CHECKS, called first by create() and write() of each model
    # ------------------------------------------------------------------
    def _check_workflow_create(self, vals_list):
        """Refuse a direct create that sets workflow fields (or any create, for the
        records that only the workflow creates)."""
        if self._in_workflow():
            return
        # who may not create at all is told so first (AccessError)
        self.check_access("create")
        if self._workflow_create_only:
            raise UserError(
                self.env._(
                    "%(model)s records are created only by the procedure (a done activity, "
                    "a submitted weekly report, a logged call); they cannot be created "
                    "directly or imported.",
                    model=self._get_workflow_model_label(),
                )
            )
        defaults = self.default_get(list(self._workflow_fields))
        touched = {
            fname
            for vals in vals_list
            for fname in self._workflow_fields.intersection(vals)
            if vals[fname] and vals[fname] != defaults.get(fname)
        }
        if touched:
            self._raise_workflow_fields(touched)

    def _check_workflow_write(self, vals):
        """Refuse a direct write on workflow fields, and any change of a fixed field."""
        self._check_fixed_fields(vals)
        touched = self._workflow_fields.intersection(vals)
        if touched and not self._in_workflow():
            # who may not write at all is told so first (AccessError)
            self.check_access("write")
            self._raise_workflow_fields(touched)

    def _check_fixed_fields(self, vals):
        """Refuse a change of the fields set at creation once and for all."""
        fixed = self._workflow_fixed_fields.intersection(vals)
        if not fixed or not self.pool.ready:
            return
        changed = sorted(
            fname
            for fname in fixed
            if any(record[fname].id != (vals[fname] or False) for record in self)
        )
        if changed:
            self.check_access("write")
            raise UserError(
                self.env._(
                    "%(fields)s of %(model)s are set when it is created and never change: "
                    "the record stays with its owner and in its place (evidence of the "
                    "procedure).",
                    fields=", ".join(
                        f"“{self._fields[fname]._description_string(self.env)}”"
                        for fname in changed
                    ),
                    model=self._get_workflow_model_label(),
                )
            )

    def _raise_workflow_fields(self, fnames):
        labels = sorted(self._fields[fname]._description_string(self.env) for fname in fnames)
        raise UserError(
            self.env._(
                "%(fields)s of %(model)s change only through the actions of the procedure "
                "(log a call, submit the report, request a follow-up, …); "
                "they cannot be written, created or imported directly.",
                fields=", ".join(f"“{label}”" for label in labels),
                model=self._get_workflow_model_label(),
            )
        )

    def _get_selection_labels(self, fname):
        """``{value: label}`` of the selection field ``fname``, in the user's language."""
        return dict(self._fields[fname]._description_selection(self.env))

    def _get_workflow_model_label(self):
        return self.env["ir.model"]._get(self._name).name or self._description

    def _lock_rows(self, busy_message):
        """Lock the rows of ``self`` until the end of the transaction, so that of two
        concurrent requests on the same records the second is refused with
        ``busy_message`` (already translated) instead of doing the work twice."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT",
                        SQL.identifier(self._table),
                        tuple(self.ids),
                    ),
                    log_exceptions=False,
                )
        except LockNotAvailable:
            raise UserError(busy_message) from None

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        """Records of the procedure are kept (ISO 9001 §7.5.3); uninstalling the
        addon still removes them. The internal path may (test clean-ups)."""
        if not self._in_workflow():
            raise UserError(
                self.env._(
                    "%(model)s records are evidence of the procedure (ISO 9001): "
                    "they are kept and cannot be deleted.",
                    model=self._get_workflow_model_label(),
                )
            )

    # ------------------------------------------------------------------
    # THE READER'S LANGUAGE
    # ------------------------------------------------------------------
    @api.model
    def _reader_env(self, reader):
        """The environment in the language of ``reader`` (a user, a partner or a company),
        for the texts written for someone else than the acting user: a chatter note is
        read by the company's staff, an activity by its assignee, an e-mail by its
        recipient, whoever writes it (another user, a cron without a language). The
        current environment when ``reader`` has no active language."""
        lang = reader.partner_id.lang if reader._name == "res.company" else reader.lang
        if not (lang and self.env["res.lang"]._get_data(code=lang).code):
            return self.env
        return self.with_context(lang=lang).env

    def _in_company_lang(self):
        """``self`` in its company's language: its chatter is read by the company's staff."""
        self.ensure_one()
        return self.with_env(self._reader_env(self.company_id))

    # ------------------------------------------------------------------
    # INPUT
    # ------------------------------------------------------------------
    @api.model
    def _check_text_input(self, text, label, missing=False):
        """``text`` stripped, or False: a str of at most TEXT_MAX_LENGTH characters.
        ``label`` names the input in the errors; ``missing``: the error when it is
        empty (then it is required). Both already translated."""
        if text is None or text is False or (isinstance(text, str) and not text.strip()):
            if missing:
                raise UserError(missing)
            return False
        if not isinstance(text, str):
            raise UserError(
                self.env._(
                    "%(input)s must be text, not %(type)s.",
                    input=label,
                    type=type(text).__name__,
                )
            )
        self._check_text_length(text, label)
        return text.strip()

    @api.model
    def _check_text_length(self, text, label):
        if text and len(text) > TEXT_MAX_LENGTH:
            raise UserError(
                self.env._(
                    "%(input)s is too long: %(length)s characters, at most %(max)s. "
                    "Shorten it; nothing was cut.",
                    input=label,
                    length=len(text),
                    max=TEXT_MAX_LENGTH,
                )
            )
