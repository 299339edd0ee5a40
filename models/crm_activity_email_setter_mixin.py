"""Who last set a customer's e-mail address (issue 21).

No confirmation link goes to an address that the collaborator whose activity is
verified set himself: he could receive it and answer as the customer. ``res.partner``
and ``crm.lead`` record who set their address last, by SQL after each create and write
that sets it; nobody writes it through the ORM, and only supervisors read it.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .crm_activity_verification import SUPERVISOR_GROUPS

EMAIL_SETTER_FIELD = "verification_email_user_id"


class CrmActivityEmailSetterMixin(models.AbstractModel):
    _name = "crm.activity.email.setter.mixin"
    _description = "Activity Verification: Who Set the E-mail Address"

    # the model's field holding the e-mail address
    _email_setter_field = "email"

    verification_email_user_id = fields.Many2one(
        comodel_name="res.users",
        string="E-mail Last Set By",
        readonly=True,
        copy=False,
        groups=SUPERVISOR_GROUPS,
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_email_setter_write(vals_list)
        records = super().create(vals_list)
        records._record_email_setter(vals_list)
        return records

    def write(self, vals):
        if self.env.context.get("verification_email_setter_drop") and EMAIL_SETTER_FIELD in vals:
            # a merge of contacts copies every field: who set the address is not copied
            # (dropping it is all the context key can do: it never sets the field)
            vals = {key: value for key, value in vals.items() if key != EMAIL_SETTER_FIELD}
        self._check_email_setter_write([vals])
        result = super().write(vals)
        self._record_email_setter([vals] * len(self))
        return result

    @api.model
    def _check_email_setter_write(self, vals_list):
        if any(EMAIL_SETTER_FIELD in vals for vals in vals_list) and self.pool.ready:
            raise UserError(self.env._("Who last set an e-mail address is recorded by Odoo only."))

    def _record_email_setter(self, vals_list):
        changed = self.browse(
            record.id
            for record, vals in zip(self, vals_list, strict=True)
            if self._email_setter_field in vals
        )
        if changed:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE id IN %s",
                    SQL.identifier(self._table),
                    SQL.identifier(EMAIL_SETTER_FIELD),
                    self.env.uid,
                    tuple(changed.ids),
                )
            )
            changed.invalidate_recordset([EMAIL_SETTER_FIELD])
