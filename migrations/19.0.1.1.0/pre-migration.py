"""What a database installed before 19.0.1.1.0 does not get from the upgrade alone.

The managers' weekly e-mail (issue 22) has four columns that fit a phone, a link to the
analysis and names its week by its days. Its template is noupdate: it is removed here,
before the module's data load, so that the upgrade creates it again from the module's
file (with its translations). A copy the administrator changed is replaced too: the old
13-column table no longer matches the figures the digest passes.
"""

DIGEST_TEMPLATE = "mail_template_weekly_digest"


def migrate(cr, version):
    cr.execute(
        "SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s AND model = %s",
        ["crm_activity_verification", DIGEST_TEMPLATE, "mail.template"],
    )
    row = cr.fetchone()
    if not row:
        return
    cr.execute("DELETE FROM mail_template WHERE id = %s", row)
    cr.execute(
        "DELETE FROM ir_model_data WHERE module = %s AND name = %s",
        ["crm_activity_verification", DIGEST_TEMPLATE],
    )
