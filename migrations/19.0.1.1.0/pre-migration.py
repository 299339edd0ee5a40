"""What a database installed before 19.0.1.1.0 does not get from the upgrade alone.

The head of each company's chain of sealed records moves from the company's row to a
table of its own (``crm.activity.verification.seal.head``), which no other row points
to: moving it at each seal no longer writes the company's row, which every record of
the company checks while it is written (issue 24: concurrent writes failed and were
retried). The numbers and hashes are copied here, before the module's models load, as
they are: the chain does not change (the old columns go in the post-migration).

The managers' weekly e-mail (issue 22) has four columns that fit a phone, a link to the
analysis and names its week by its days. Its template is noupdate: it is removed here,
before the module's data load, so that the upgrade creates it again from the module's
file (with its translations). A copy the administrator changed is replaced too: the old
13-column table no longer matches the figures the digest passes.
"""

from odoo.tools.sql import column_exists

DIGEST_TEMPLATE = "mail_template_weekly_digest"


def migrate(cr, version):
    _move_seal_heads(cr)
    _remove_digest_template(cr)


def _move_seal_heads(cr):
    if not column_exists(cr, "res_company", "verification_seal_number"):
        return
    cr.execute(
        "CREATE TABLE IF NOT EXISTS crm_activity_verification_seal_head ("
        " id serial PRIMARY KEY, company_id integer NOT NULL, number integer,"
        " inalterable_hash varchar, inalterable_hmac varchar)"
    )
    hmac = (
        "verification_seal_hmac"
        if column_exists(cr, "res_company", "verification_seal_hmac")
        else "NULL"
    )
    cr.execute(
        "INSERT INTO crm_activity_verification_seal_head"
        " (company_id, number, inalterable_hash, inalterable_hmac)"
        f" SELECT id, verification_seal_number, verification_seal_hash, {hmac}"  # noqa: S608
        " FROM res_company WHERE verification_seal_number IS NOT NULL"
    )


def _remove_digest_template(cr):
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
