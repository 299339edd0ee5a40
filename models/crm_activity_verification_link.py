"""B-3 The customer confirms the reported activity from a secure link, and rates the service.

Where the company turns ``verification_customer_link`` on, a new verification (drawn,
when sampling is on) whose customer has an e-mail sends the customer a short message
in their language with a link to a public page (``controllers/main.py``). The link
expires after ``verification_link_days``.

The link's token is the customer's alone (issue 21): it is made when the e-mail leaves
the server (``mail.mail._prepare_outgoing_body``), and only its SHA-256 digest is kept,
in a column no ORM field maps (as Odoo keeps its API keys), so that nobody reads or sets
it through the ORM, the administrator included; the copy of the e-mail in the chatter
has no working link, and each sending makes a new token. ``portal.mixin``'s
``access_token`` stays empty: a verification is never shared by a portal token. No link
goes to an e-mail address that the collaborator himself set last (he could receive it).

The answer is recorded only by an explicit POST from the page: *yes* confirms the
verification (``confirmation_channel`` = ``customer_link``), *no* sends it to the top of
the phone queue marked "customer denies", *call me* leaves it in the queue. The customer
may then rate the service with Odoo's rating (``rating.mixin``); the phone call offers
the same rating (``action_log_call(csat=)``).
"""

import hashlib
import secrets
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, consteq, email_normalize

from .crm_activity_verification import CLOSED_STATES
from .crm_activity_workflow_mixin import public_method

CUSTOMER_ANSWERS = [
    ("confirmed", "Yes, it happened"),
    ("denied", "No, it did not happen"),
    ("call_me", "Please call me"),
]
# Odoo's rating scale (rating module): 1 dissatisfied, 3 okay, 5 satisfied
CSAT_VALUES = (1, 3, 5)
# Longest comment kept from the public page (characters)
COMMENT_MAX = 2000
# Where the link's token goes in the stored e-mail; replaced when the e-mail is sent.
LINK_TOKEN_PLACEHOLDER = "link-token-sent-to-the-customer-only"


def link_token_digest(token):
    """The digest kept of a link token (SHA-256, hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


class CrmActivityVerification(models.Model):
    _name = "crm.activity.verification"
    _inherit = ["rating.mixin", "portal.mixin", "crm.activity.verification"]

    customer_answer = fields.Selection(
        selection=CUSTOMER_ANSWERS,
        readonly=True,
        tracking=True,
        help="What the customer answered from the confirmation link (B-3).",
    )
    customer_answered_on = fields.Datetime(readonly=True)
    customer_denied = fields.Boolean(
        string="Customer Denies",
        compute="_compute_customer_denied",
        store=True,
        precompute=True,
        help="The customer answered from the link that the activity did not happen: first "
        "in the phone queue.",
    )
    confirmation_channel = fields.Selection(
        selection=[("phone", "Phone"), ("customer_link", "Customer link")],
        readonly=True,
        help="How the customer confirmed, or did not confirm, the activity.",
    )
    link_sent_on = fields.Datetime(
        readonly=True, help="When the confirmation link was last e-mailed."
    )
    link_withheld = fields.Boolean(
        readonly=True,
        help="No confirmation link was sent: the customer's e-mail address was last set by "
        "the collaborator whose activity is verified. Customer service calls instead.",
    )
    link_email = fields.Char(
        compute="_compute_link_email",
        help="Where the confirmation link goes: the customer's e-mail, else the opportunity's.",
    )
    is_link_answer = fields.Integer(
        string="Answered by Link",
        compute="_compute_is_link_answer",
        store=True,
        precompute=True,
        help="1 when the customer answered from the confirmation link.",
    )
    csat = fields.Float(
        string="Satisfaction",
        readonly=True,
        aggregator="avg",
        help="The customer's rating of the service (1 dissatisfied, 3 okay, 5 satisfied); "
        "empty when not rated. Average it over the rated verifications (filter “Rated”).",
    )
    is_rated = fields.Integer(
        string="Rated",
        readonly=True,
        help="1 when the customer rated the service (by link or by phone).",
    )

    # no rating when created: no query, no UPDATE after the INSERT (rating.mixin's field)
    rating_last_value = fields.Float(
        compute="_compute_rating_last_value", store=True, precompute=True
    )

    @api.depends("customer_answer")
    def _compute_customer_denied(self):
        for verification in self:
            verification.customer_denied = verification.customer_answer == "denied"

    @api.depends("partner_id.email", "lead_id.email_from")
    def _compute_link_email(self):
        for verification in self:
            verification.link_email = (
                verification.partner_id.email or verification.lead_id.email_from or False
            )

    @api.depends("customer_answer")
    def _compute_is_link_answer(self):
        for verification in self:
            verification.is_link_answer = int(bool(verification.customer_answer))

    def _compute_access_url(self):
        for verification in self:
            verification.access_url = f"/verification/{verification.id}"

    def init(self):
        result = super().init()
        # the digest of the link's token: a column that no ORM field maps (issue 21)
        self.env.cr.execute(
            SQL(
                "ALTER TABLE %s ADD COLUMN IF NOT EXISTS link_token_digest varchar",
                SQL.identifier(self._table),
            )
        )
        return result

    # ------------------------------------------------------------------
    # CRUD: the link goes when the verification is created
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_no_access_token(vals_list)
        verifications = super().create(vals_list)
        verifications._send_customer_link_auto()
        return verifications

    def write(self, vals):
        self._check_no_access_token([vals])
        return super().write(vals)

    @api.model
    def _check_no_access_token(self, vals_list):
        if any("access_token" in vals for vals in vals_list):
            raise UserError(
                self.env._(
                    "A verification has no access token: the customer's link is made when "
                    "its e-mail is sent, and nobody sets it."
                )
            )

    def _portal_ensure_token(self):
        """No portal token: a verification is shared with its customer by the
        confirmation link alone (the notification e-mails of its chatter get none)."""
        return ""

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    @public_method
    def action_send_customer_link(self):
        """E-mail (again) the confirmation link to the customer (B-3); each sending makes
        a new link, the earlier ones stop working."""
        self.check_access("write")
        for verification in self:
            verification._check_open()
            if not verification.company_id.verification_customer_link:
                raise UserError(
                    self.env._(
                        "The customer confirmation link is off for %(company)s (Settings).",
                        company=verification.company_id.name,
                    )
                )
            if not verification.link_email:
                raise UserError(
                    self.env._(
                        "%(verification)s: the customer has no e-mail; complete the customer's "
                        "data first.",
                        verification=verification.display_name,
                    )
                )
            setter = verification._get_link_email_setter()
            if setter:
                raise UserError(
                    self.env._(
                        "%(verification)s: the customer's e-mail address was last set by "
                        "%(user)s, whose activity is verified: no link goes there. Call the "
                        "customer, or have customer service confirm the address first.",
                        verification=verification.display_name,
                        user=setter.name,
                    )
                )
        self._send_customer_link()
        return True

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------
    def _send_customer_link_auto(self):
        """At creation: the link goes to the customers of the companies that use it, for
        the verifications drawn for a call (B-1), when the customer has an e-mail that
        the collaborator did not set himself."""
        companies = self.company_id.filtered("verification_customer_link")
        if not companies:
            return
        candidates = self.filtered(
            lambda v: v.company_id in companies and v.state not in CLOSED_STATES and v.link_email
        )
        withheld = candidates.filtered(lambda v: v._get_link_email_setter())
        (candidates - withheld)._send_customer_link()
        withheld._withhold_customer_link()

    def _get_link_email_setter(self):
        """The collaborator of the verification (or whoever marked the activity done) when
        he set the address the link would go to, last; else an empty recordset."""
        self.ensure_one()
        # sudo: who last set a customer's e-mail is reserved to supervisors; read to decide
        partner, lead = self.partner_id.sudo(), self.lead_id.sudo()
        setter = (
            partner.verification_email_user_id if partner.email else lead.verification_email_user_id
        )
        return setter & (self.user_id | self.done_by_id)

    def _withhold_customer_link(self):
        if not self:
            return
        # sudo: the collaborator whose activity created the verification may not write it;
        # only the withheld flag is recorded
        self.sudo()._write_workflow({"link_withheld": True})
        self._message_log_batch(
            bodies={
                verification.id: verification._in_company_lang().env._(
                    "No confirmation link: the customer's e-mail address was last set by "
                    "%(user)s, whose activity is verified. Customer service calls instead.",
                    user=verification._get_link_email_setter().name,
                )
                for verification in self
            }
        )

    def _send_customer_link(self):
        if not self:
            return
        template = self.env.ref("crm_activity_verification.mail_template_customer_link")
        # sudo: the collaborator marking his activity done, or the verifier, may not read
        # mail templates; the template only renders this verification's activity. The link
        # itself is made when the e-mail leaves (mail.mail._prepare_outgoing_body).
        template.sudo().send_mail_batch(self.ids, email_values={"verification_link": True})
        # sudo: the collaborator whose activity created the verification may not write it;
        # only the date the link was sent is recorded
        self.sudo()._write_workflow({"link_sent_on": fields.Datetime.now(), "link_withheld": False})
        self._message_log_batch(
            bodies={
                verification.id: verification._in_company_lang().env._(
                    "Confirmation link e-mailed to the customer (%(email)s).",
                    email=verification.link_email,
                )
                for verification in self
            }
        )

    def _write_workflow(self, values):
        """Write values of the verification's own workflow (the internal path)."""
        return self._workflow().write(values)

    def _get_link_url(self):
        """The link as the stored e-mail holds it: its token is put in when it is sent."""
        self.ensure_one()
        return f"{self.get_base_url()}/verification/{self.id}/{LINK_TOKEN_PLACEHOLDER}"

    def _make_link_token(self, email):
        """A new token for the e-mail being sent to ``email``: only its digest is kept,
        and the earlier links stop working. False when ``email`` is not (any longer)
        where the link goes."""
        self.ensure_one()
        if not email or email_normalize(email) != email_normalize(self.link_email or ""):
            return False
        token = secrets.token_urlsafe(32)
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET link_token_digest = %s WHERE id = %s",
                SQL.identifier(self._table),
                link_token_digest(token),
                self.id,
            )
        )
        return token

    def _get_link_expiry(self):
        self.ensure_one()
        if not self.link_sent_on:
            return False
        return self.link_sent_on + timedelta(days=self.company_id.verification_link_days)

    def _is_link_valid(self, token):
        """Whether ``token`` opens this verification's page now (digests compared in
        constant time)."""
        self.ensure_one()
        if not (isinstance(token, str) and token and len(token) <= 128):
            return False
        self.env.cr.execute(
            SQL(
                "SELECT link_token_digest FROM %s WHERE id = %s",
                SQL.identifier(self._table),
                self.id,
            )
        )
        row = self.env.cr.fetchone()
        return bool(
            row
            and row[0]
            and consteq(row[0], link_token_digest(token))
            and self.company_id.verification_customer_link
            and self.link_sent_on
            and fields.Datetime.now() <= self._get_link_expiry()
        )

    def _get_link_page_values(self):
        """What the public page shows: the activity only, nothing else of the customer."""
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        first_name = (self.user_id.name or "").split()[:1]
        description = (self.description or "").strip().splitlines()[:1]
        return {
            "verification": self,
            "date": fields.Datetime.context_timestamp(
                self.with_context(tz=self._get_customer_tz().zone), self.activity_date
            ).strftime("%d/%m/%Y")
            if self.activity_date
            else "",
            "advisor": first_name[0] if first_name else "",
            "activity_type": self.reported_activity_type_id.with_env(env).name or "",
            "description": description[0] if description else "",
            "answers": dict(self._fields["customer_answer"]._description_selection(env)),
        }

    def _record_customer_answer(self, answer):
        """The customer answered from the link (B-3): see the module docstring."""
        self.ensure_one()
        if answer not in dict(CUSTOMER_ANSWERS):
            raise UserError(self.env._("Unknown answer."))
        if self.state in CLOSED_STATES:
            raise UserError(
                self.env._("This activity was already verified: the answer cannot change.")
            )
        labels = self._get_selection_labels("customer_answer")
        values = {"customer_answer": answer, "customer_answered_on": fields.Datetime.now()}
        if answer == "confirmed":
            values.update(
                state="confirmed",
                confirmation_channel="customer_link",
                result=self.env._("Confirmed by the customer from the confirmation link."),
                verified_on=fields.Datetime.now(),
                next_call_at=False,
            )
        elif answer == "denied":
            values["state"] = "in_progress"
        self._write_workflow(values)
        self.message_post(
            body=Markup("%s")
            % self.env._(
                "The customer answered from the confirmation link: %(answer)s",
                answer=labels[answer],
            ),
            author_id=self.partner_id.id or None,
            subtype_xmlid="mail.mt_note",
        )
        if answer == "denied":
            verifier = self.verifier_id or self._get_company_verifiers()[:1]
            if verifier:
                self.activity_schedule(
                    "mail.mail_activity_data_call",
                    user_id=verifier.id,
                    summary=self._reader_env(verifier)._("Customer denies the activity: call them"),
                )
        if answer == "confirmed":
            self._post_validation()
        return True

    def _get_csat_labels(self):
        """``{rating: label}`` of Odoo's rating scale, in the reader's language (the labels
        of ``csat_level``: one scale everywhere)."""
        return {
            int(value): label
            for value, label in self._fields["csat_level"]._description_selection(self.env)
        }

    def _get_company_verifiers(self):
        self.ensure_one()
        group = self.env.ref("crm_activity_verification.group_verifier")
        # sudo: reading a group's members is reserved to administrators
        return (
            group.sudo()
            .all_user_ids.filtered(
                lambda user: not user.share and self.company_id in user.company_ids
            )
            .sorted("id")
        )

    def _check_csat(self, csat):
        """A phone rating is 1, 3 or 5 (checked before the call changes anything)."""
        if csat is False or csat is None:
            return
        if isinstance(csat, bool) or csat not in CSAT_VALUES:
            raise UserError(self.env._("A rating is 1 (dissatisfied), 3 (okay) or 5 (satisfied)."))
        if not self._rating_get_partner():
            raise UserError(
                self.env._("A rating needs the customer: complete the customer's data first.")
            )

    def _after_call(self, state, csat, notes):
        """The rating given during the call."""
        if csat:
            self._apply_csat(csat, notes)

    def _apply_csat(self, rate, feedback=False):
        """Record the customer's rating (Odoo's rating: 1, 3 or 5)."""
        self.ensure_one()
        if rate not in CSAT_VALUES:
            raise UserError(self.env._("A rating is 1 (dissatisfied), 3 (okay) or 5 (satisfied)."))
        partner = self._rating_get_partner()
        if not partner:
            raise UserError(self.env._("A rating needs the verification's customer."))
        token = self._rating_get_access_token(partner)
        rating = self.rating_apply(
            rate, token=token, feedback=feedback or False, subtype_xmlid="mail.mt_note"
        )
        self._write_workflow({"csat": rate, "is_rated": 1})
        return rating
