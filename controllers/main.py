"""B-3 The customer's public page: confirm or deny the reported activity, then rate.

Security:
- the page needs the verification's ``access_token`` (``portal.mixin``, a random UUID),
  compared in constant time; a wrong, expired or other verification's token, an
  unknown id and a company with the link off all get the same 404 page;
- repeated bad tokens from one address are slowed down (HTTP 429 for a while);
- a GET only shows the page: answers and ratings are recorded by an explicit POST
  from it (Odoo's CSRF token), so a mail scanner that opens the link changes nothing;
- the page shows only the activity (date, advisor's first name, type, first line of
  the description); everything the customer types is escaped by QWeb and by the
  chatter.
"""

import time
from collections import OrderedDict

from werkzeug.exceptions import NotFound, TooManyRequests

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.crm_activity_verification_link import COMMENT_MAX, CSAT_VALUES

# Bad tokens tolerated per client address and window before answering 429
BAD_TOKEN_LIMIT = 10
BAD_TOKEN_WINDOW = 600  # seconds
_bad_tokens = OrderedDict()  # address -> [first failure time, count]; per worker process


def _client_address():
    return request.httprequest.remote_addr or "unknown"


def _check_not_throttled():
    entry = _bad_tokens.get(_client_address())
    if entry and time.monotonic() - entry[0] < BAD_TOKEN_WINDOW and entry[1] >= BAD_TOKEN_LIMIT:
        raise TooManyRequests()


def _count_bad_token():
    address = _client_address()
    now = time.monotonic()
    first, count = _bad_tokens.pop(address, (now, 0))
    if now - first >= BAD_TOKEN_WINDOW:
        first, count = now, 0
    _bad_tokens[address] = [first, count + 1]
    while len(_bad_tokens) > 10000:  # bounded memory
        _bad_tokens.popitem(last=False)


class VerificationLinkController(http.Controller):
    def _get_verification(self, verification_id, token):
        """The verification the link opens, as superuser, or the 404 page."""
        _check_not_throttled()
        # sudo: a public visitor has no rights; access is granted by the link's token,
        # checked right below (constant-time), and the page shows only the activity
        verification = request.env["crm.activity.verification"].sudo().browse(verification_id)
        if not verification.exists() or not verification._is_link_valid(token):
            _count_bad_token()
            raise NotFound()
        # the page speaks the customer's language
        lang = verification.partner_id.lang
        if lang and request.env["res.lang"]._get_data(code=lang):
            request.update_context(lang=lang)
        return verification.with_context(lang=request.env.lang)

    def _render(self, verification, token, **values):
        page = verification._get_link_page_values()
        page.update(
            token=token,
            csat_values=CSAT_VALUES,
            comment_max=COMMENT_MAX,
            closed=verification.state in ("confirmed", "not_confirmed", "unreachable"),
            rated=bool(verification.is_rated),
            **values,
        )
        return request.render("crm_activity_verification.verification_link_page", page)

    @http.route(
        "/verification/<int:verification_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def verification_page(self, verification_id, token, **kwargs):
        """Show the activity and the answer buttons; change nothing."""
        verification = self._get_verification(verification_id, token)
        return self._render(verification, token)

    @http.route(
        "/verification/<int:verification_id>/<string:token>/answer",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def verification_answer(self, verification_id, token, answer=None, **kwargs):
        verification = self._get_verification(verification_id, token)
        try:
            verification._in_company_lang()._record_customer_answer(answer)
        except UserError as error:
            return self._render(verification, token, error=str(error))
        return self._render(verification, token, thanks=True)

    @http.route(
        "/verification/<int:verification_id>/<string:token>/rate",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def verification_rate(self, verification_id, token, rating=None, comment="", **kwargs):
        verification = self._get_verification(verification_id, token)
        if verification.is_rated:
            return self._render(
                verification,
                token,
                error=verification.env._("Your rating was already recorded. Thank you."),
            )
        try:
            rate = int(rating)
        except (TypeError, ValueError):
            rate = None
        if rate not in CSAT_VALUES:
            return self._render(
                verification,
                token,
                error=verification.env._("Choose one of the three faces to rate the service."),
            )
        comment = (comment or "").strip()
        cut = len(comment) > COMMENT_MAX
        verification._in_company_lang()._apply_csat(rate, comment[:COMMENT_MAX])
        return self._render(verification, token, rated_now=True, comment_cut=cut)
