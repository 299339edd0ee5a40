from odoo import api, models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    # The working days of the verification deadlines are cached per calendar
    # (crm.activity.verification._get_sla_deadline): a change of working time clears it.
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
