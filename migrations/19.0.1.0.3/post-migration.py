"""What a database installed before 19.0.1.0.3 does not get from the upgrade alone
(issue 21: forgery at the source).

- The customer links already sent keep working, but their tokens are no longer kept:
  only their SHA-256 digest is (``link_token_digest``, a column no ORM field maps), and
  ``access_token`` is emptied, so that nobody reads them through the ORM any more.
- Complaints are sealed records from now on: the existing ones are sealed once here,
  as they are (event "Recorded"), and the log says how many. The seals already in the
  chain are not touched: they stay valid as they are.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(
        "UPDATE crm_activity_verification"
        "   SET link_token_digest = encode(sha256(convert_to(access_token, 'UTF8')), 'hex'),"
        "       access_token = NULL"
        " WHERE access_token IS NOT NULL"
    )
    _logger.info("Customer links: %s tokens replaced by their digest", cr.rowcount)
    env = api.Environment(cr, SUPERUSER_ID, {})
    complaints = (
        env["crm.activity.complaint"]
        .with_context(active_test=False)
        .search([("secure_sequence_number", "=", False)], order="id")
    )
    complaints._seal("creation")
    _logger.info("Complaints sealed at the upgrade to 19.0.1.0.3: %s", len(complaints))
