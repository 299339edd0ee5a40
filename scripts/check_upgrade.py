"""Run by scripts/test (step e4) in ``odoo shell`` on a database just upgraded from the
previous version: the seals made before are all there, unchanged; no link token is left
in ``access_token`` and a link sent before still opens its page; a complaint recorded
before is sealed once; the chain is intact."""

import os

last_id, count, digest = (os.environ["CAV_SEALS_BEFORE"].split() + [""])[:3]
cr = env.cr  # noqa: F821 - odoo shell's env
cr.execute(
    "SELECT count(*), coalesce(md5(string_agg(concat_ws(':', id, company_id,"
    " secure_sequence_number, inalterable_hash), ',' ORDER BY id)), '')"
    " FROM crm_activity_verification_seal WHERE id <= %s",
    [int(last_id)],
)
assert list(map(str, cr.fetchone())) == [count, digest], "the seals made before changed"
cr.execute("SELECT count(*) FROM crm_activity_verification WHERE access_token IS NOT NULL")
assert cr.fetchone()[0] == 0, "link tokens left in access_token"
Verification = env["crm.activity.verification"]  # noqa: F821
sent_before = Verification.search([], order="id", limit=1)
assert sent_before._is_link_valid("e4-link-sent-before"), "the link sent before stopped working"
complaint = env["crm.activity.complaint"].search([("name", "=", "QJA/E4")])  # noqa: F821
assert complaint.sealed, "the complaint recorded before was not sealed at the upgrade"
result = env["res.company"].search([]).get_verification_integrity()  # noqa: F821
assert result["ok"] and result["checked"] >= int(count), result
print(f"upgraded from {os.environ['CAV_PREVIOUS']}: the {count} seals made before kept, {result}")
