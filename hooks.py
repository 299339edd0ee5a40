from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

# Children first: each model's records before the records they point to.
PROCEDURE_MODELS = (
    "crm.activity.verification.call",
    "crm.activity.complaint",
    "crm.activity.verification",
    "crm.activity.weekly.report.line",
    "crm.activity.weekly.report",
)


def uninstall_hook(env):
    """Delete the procedure's records (with their chatter, followers and activities)
    before Odoo removes the addon's data. Calls and reports point to their users with
    ON DELETE RESTRICT: left in place, they would stop the removal of the users the
    addon created (the demo users), with SQL errors in the log."""
    for model in PROCEDURE_MODELS:
        # the flag skips the ondelete checks that keep these records (at_uninstall=False)
        Model = env[model].with_context(active_test=False, **{MODULE_UNINSTALL_FLAG: True})
        Model.search([]).unlink()
