"""B-3: bad confirmation links per client address, shared by all the server's workers.

The public page answers a bad, expired or foreign link with the same 404 page; after
``BAD_LINK_LIMIT`` bad links from one address within ``BAD_LINK_WINDOW``, that address
gets 429 for bad links until the window ends. A valid link is never refused (issue 21):
a customer behind the same address as a guesser still answers. The address is the one
Odoo sees, through its proxy mode (``X-Forwarded-For`` counts only behind a proxy
declared with ``--proxy-mode``).
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

BAD_LINK_LIMIT = 10
BAD_LINK_WINDOW = timedelta(minutes=10)


class CrmActivityVerificationLinkThrottle(models.Model):
    _name = "crm.activity.verification.link.throttle"
    _description = "Bad Confirmation Links per Address"
    _log_access = False

    address = fields.Char(required=True, readonly=True)
    window_start = fields.Datetime(required=True, readonly=True)
    count = fields.Integer(required=True, readonly=True)

    _address_uniq = models.Constraint("UNIQUE(address)", "One row per address.")

    @api.model
    def _count_bad_link(self, address):
        """Count one bad link from ``address``; True when the address is over the limit
        (one atomic statement, whatever the number of workers)."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (address, window_start, count)
                     VALUES (%(address)s, %(now)s, 1)
                ON CONFLICT (address) DO UPDATE
                        SET window_start = CASE WHEN %(table)s.window_start < %(since)s
                                                THEN %(now)s ELSE %(table)s.window_start END,
                            count = CASE WHEN %(table)s.window_start < %(since)s
                                         THEN 1 ELSE %(table)s.count + 1 END
                  RETURNING count
                """,
                table=SQL.identifier(self._table),
                address=(address or "unknown")[:64],
                now=now,
                since=now - BAD_LINK_WINDOW,
            )
        )
        return self.env.cr.fetchone()[0] > BAD_LINK_LIMIT

    @api.autovacuum
    def _gc_bad_links(self):
        """Forget the addresses whose window ended."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE window_start < %s",
                SQL.identifier(self._table),
                fields.Datetime.now() - BAD_LINK_WINDOW,
            )
        )
