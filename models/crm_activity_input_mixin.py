"""Limits of the inputs of the addon's models and dialogs (issue 21, README "Limits of
the inputs").

Every Char and Text field of the addon has a size limit, and the dates that users type
a window: a value beyond them is refused with a clear error before anything is stored,
never cut silently (as Odoo's ``size=`` would) and never left to fail later with a
traceback (a week in year 9999 overflows the week's end). The checks run on every
``create`` and ``write`` made by users — forms, dialogs, imports, XML-RPC and
JSON-RPC —; what the procedure itself writes (``_skip_input_checks``) derives from
inputs checked here or by the public methods.
"""

from datetime import date, datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

MODULE = "crm_activity_verification"
# Longest text accepted in notes, descriptions, resolutions and comments (characters).
TEXT_MAX_LENGTH = 10000
# Longest one-line input: names, phone numbers, references, addresses (characters).
CHAR_MAX_LENGTH = 256
# The longest value of each kind of free-text field of the addon (characters).
INPUT_MAX_LENGTHS = {"char": CHAR_MAX_LENGTH, "text": TEXT_MAX_LENGTH}
# No date of the procedure is older than this (its records are this century's).
EARLIEST_DATE = date(2000, 1, 1)


class CrmActivityInputMixin(models.AbstractModel):
    _name = "crm.activity.input.mixin"
    _description = "Activity Verification: Input Limits"

    @api.model_create_multi
    def create(self, vals_list):
        self._check_input(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_input([vals])
        return super().write(vals)

    # ------------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------------
    def _skip_input_checks(self):
        """Whether the values come from trusted code: the data files of a module being
        loaded (the registry is not ready then)."""
        return not self.pool.ready

    def _get_input_max_length(self, fname):
        """The longest value of the field ``fname`` (characters), or None: the addon's
        Char and Text fields are limited (``INPUT_MAX_LENGTHS``)."""
        field = self._fields.get(fname)
        if field is None or MODULE not in field._modules:
            return None
        return INPUT_MAX_LENGTHS.get(field.type)

    def _get_input_date_windows(self):
        """``{field name: (earliest, latest)}`` of the Date and Datetime fields whose
        input is bounded (dates, or naive UTC datetimes); extend per model."""
        return {}

    # ------------------------------------------------------------------
    # THE CHECK
    # ------------------------------------------------------------------
    def _check_input(self, vals_list):
        """Refuse, before anything is stored, a text longer than its limit or a date
        outside its window."""
        if self._skip_input_checks():
            return
        windows = None
        for vals in vals_list:
            for fname, value in vals.items():
                max_length = self._get_input_max_length(fname)
                if max_length and isinstance(value, str) and len(value) > max_length:
                    raise ValidationError(
                        self.env._(
                            "%(input)s is too long: %(length)s characters, at most %(max)s. "
                            "Shorten it; nothing was cut.",
                            input=self._get_input_label(fname),
                            length=len(value),
                            max=max_length,
                        )
                    )
            if windows is None:
                windows = self._get_input_date_windows()
            for fname in windows.keys() & vals.keys():
                if vals[fname]:
                    self._check_input_date(fname, vals[fname], *windows[fname])

    def _check_input_date(self, fname, value, earliest, latest):
        field = self._fields[fname]
        try:
            value = field.to_datetime(value) if field.type == "datetime" else field.to_date(value)
        except (TypeError, ValueError):
            value = None
        if not value:
            raise ValidationError(
                self.env._(
                    "%(input)s must be a date (YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS in UTC).",
                    input=self._get_input_label(fname),
                )
            )
        if not earliest <= value <= latest:
            raise ValidationError(
                self.env._(
                    "%(input)s must be between %(earliest)s and %(latest)s, not %(value)s.",
                    input=self._get_input_label(fname),
                    earliest=format_date(self.env, _day(earliest)),
                    latest=format_date(self.env, _day(latest)),
                    value=format_date(self.env, _day(value)),
                )
            )

    def _get_input_label(self, fname):
        return f"“{self._fields[fname]._description_string(self.env)}”"

    @api.model
    def _get_input_today(self):
        """Today in the user's time zone, the reference of the date windows."""
        return fields.Date.context_today(self)


def _day(value):
    return value.date() if isinstance(value, datetime) else value
