from odoo import api, models


class VerificationWorkingTimeCache(models.AbstractModel):
    """The working days of the verification deadlines are cached per calendar
    (crm.activity.verification._get_sla_deadline): a change of working time, leaves and
    public holidays included, clears the cache."""

    _name = "crm.activity.verification.working.time.cache"
    _description = "Activity Verification: Working Time Cache"

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


class ResourceCalendar(models.Model):
    _name = "resource.calendar"
    _inherit = ["resource.calendar", "crm.activity.verification.working.time.cache"]


class ResourceCalendarAttendance(models.Model):
    _name = "resource.calendar.attendance"
    _inherit = ["resource.calendar.attendance", "crm.activity.verification.working.time.cache"]


class ResourceCalendarLeaves(models.Model):
    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "crm.activity.verification.working.time.cache"]
