"""The daily capture reminder (R-1.1) moved from crm.activity.verification to res.users.

Its cron is a noupdate record: point it at its new model here, keeping its XML id and
whatever the administrator changed (interval, next call, active).
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("crm_activity_verification.ir_cron_daily_capture_reminder", False)
    if cron:
        cron.write(
            {
                "model_id": env["ir.model"]._get_id("res.users"),
                "code": "model._cron_daily_capture_reminder()",
            }
        )
