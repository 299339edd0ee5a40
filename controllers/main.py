"""B-3: the customer's public page: confirm or deny the reported activity, then rate.

Security:
- the page needs the link's token, made when the e-mail was sent and kept only as a
  digest (``crm_activity_verification_link.py``), compared in constant time; a wrong,
  expired or other verification's token, an unknown id and a company with the link off
  all get the same 404 page (in the visitor's language, with the dealership's name);
- bad links are counted per client address in the database, shared by every worker
  (``crm.activity.verification.link.throttle``): past the limit, bad links get 429 for a
  while; a valid link is never refused;
- a GET only shows the page: answers and ratings are recorded by an explicit POST
  from it (Odoo's CSRF token), so a mail scanner that opens the link changes nothing;
- the page shows only the activity (date, advisor's first name, type, first line of
  the description); everything the customer types is escaped by QWeb and by the
  chatter.
"""

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.crm_activity_verification_link import COMMENT_MAX, CSAT_VALUES

BAD_LINK_TEMPLATE = "crm_activity_verification.verification_link_invalid_page"


class VerificationLinkController(http.Controller):
    def _get_verification(self, verification_id, token):
        """The verification the link opens, as superuser, or None."""
        # sudo: a public visitor has no rights; access is granted by the link's token,
        # checked right below (constant-time), and the page shows only the activity
        verification = request.env["crm.activity.verification"].sudo().browse(verification_id)
        if not verification.exists() or not verification._is_link_valid(token):
            return None
        # the page speaks the customer's language
        lang = verification.partner_id.lang
        if lang and request.env["res.lang"]._get_data(code=lang):
            request.update_context(lang=lang)
        return verification.with_context(lang=request.env.lang)

    def _bad_link(self):
        """The same page for every bad link: 404, or 429 past the limit of bad links from
        the client's address (as Odoo sees it through its proxy mode)."""
        # sudo: the public visitor counts his bad links; only the counter is written
        throttled = (
            request.env["crm.activity.verification.link.throttle"]
            .sudo()
            ._count_bad_link(request.httprequest.remote_addr)
        )
        # sudo: the public user's company (one for every bad link): name, logo, contact
        company = request.env.company.sudo()
        lang = self._visitor_lang(company)
        request.update_context(lang=lang)
        return request.render(
            BAD_LINK_TEMPLATE,
            {"company": company, "throttled": throttled},
            status=429 if throttled else 404,
        )

    def _visitor_lang(self, company):
        """The installed language that the visitor's browser prefers, else the company's."""
        Lang = request.env["res.lang"]
        for accepted, _quality in request.httprequest.accept_languages:
            code = accepted.replace("-", "_")
            for candidate in (code, code.split("_")[0]):
                data = Lang._get_data(code=candidate)
                if data.code:
                    return data.code
            prefix = code.split("_")[0] + "_"
            for lang_code, _name in Lang.get_installed():
                if lang_code.startswith(prefix):
                    return lang_code
        return company.partner_id.lang or "en_US"

    def _render(self, verification, token, **values):
        page = verification._get_link_page_values()
        page.update(
            token=token,
            csat_values=CSAT_VALUES,
            csat_labels=verification._get_csat_labels(),
            comment_max=COMMENT_MAX,
            company=verification.company_id,
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
        if not verification:
            return self._bad_link()
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
        if not verification:
            return self._bad_link()
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
        if not verification:
            return self._bad_link()
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
