"""What a database installed before 19.0.1.0.2 does not get from the upgrade alone.

- Users land on the work of their role (issue 15) when their groups change. The groups
  of existing users do not change at the upgrade: those without a home action get
  their role's here (``res.users._set_verification_landing_action``, which keeps
  Odoo's home for administrators).
- The e-mail of a submitted weekly report goes to the company's verifiers, so it is now
  written in the company's language, not the collaborator's. Its template is noupdate:
  it is changed here, unless the administrator had changed its language already.
"""

from odoo import SUPERUSER_ID, api

SUBMITTED_TEMPLATE = "crm_activity_verification.mail_template_weekly_report_submitted"
SUBMITTED_LANG_BEFORE = "{{ object.user_id.lang }}"
SUBMITTED_LANG = "{{ object.company_id.partner_id.lang }}"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    users = env["res.users"].search([("share", "=", False), ("action_id", "=", False)])
    users._set_verification_landing_action()
    template = env.ref(SUBMITTED_TEMPLATE, raise_if_not_found=False)
    if template and template.lang == SUBMITTED_LANG_BEFORE:
        template.lang = SUBMITTED_LANG
