from odoo import api, models


class VerificationWorkingTimeCache(models.AbstractModel):
    """The working days of the verification deadlines are cached per calendar
    (crm.activity.verification._get_sla_deadline): a change of working time, leaves and
    public holidays included, clears the cache."""

    _name = "crm.activity.verification.working.time.cache"
    _description = "Activity Verification: Working Time Cache"

    def _affects_verification_deadlines(self):
        """Whether a change of these records can move a verification deadline."""
        return bool(self)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if records._affects_verification_deadlines():
            self.env.registry.clear_cache()
        return records

    def write(self, vals):
        affected = self._affects_verification_deadlines()
        result = super().write(vals)
        if affected or self._affects_verification_deadlines():
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        affected = self._affects_verification_deadlines()
        result = super().unlink()
        if affected:
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

    def _affects_verification_deadlines(self):
        """Only the calendars' own leaves (public holidays, closures) count in the
        deadlines (``plan_days`` with ``compute_leaves``); a person's time off, written
        far more often, keeps the cache."""
        return any(not leave.resource_id for leave in self)
