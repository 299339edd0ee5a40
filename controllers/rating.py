"""Odoo's rating pages (``/rate/<token>/...``) refuse the ratings of verifications: the
customer rates a verification on its confirmation page only, where the answer and the
rating are recorded together (issue 21)."""

from werkzeug.exceptions import NotFound

from odoo.addons.rating.controllers.main import Rating


class VerificationRating(Rating):
    def _get_rating_and_record(self, token):
        rating, record = super()._get_rating_and_record(token)
        if rating.res_model == "crm.activity.verification":
            raise NotFound()
        return rating, record
