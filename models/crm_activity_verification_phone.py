"""R-2.2 The phone request loop: the collaborator gives the contact's phone.

The verifier asks the collaborator for a missing phone (``action_request_phone``: an
activity and an e-mail). The collaborator answers in a small dialog opened from the
verification (``action_open_phone_dialog``), which calls ``action_provide_phone``: the
number, checked with Odoo's phone helpers (``phone_validation``), goes on the
verification and, where empty, on the customer or its contact; the request is marked
done; the card says *Phone received* and the call queue proposes the verification first
(B-2). A request still open when its verification concludes is closed with a note.
"""

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from .crm_activity_verification import CLOSED_STATES, PHONE_REQUEST_TYPE
from .crm_activity_workflow_mixin import public_method


class CrmActivityVerification(models.Model):
    _inherit = "crm.activity.verification"

    phone_received = fields.Boolean(
        readonly=True,
        help="The collaborator gave the phone number that customer service asked for: the "
        "verification is first in the call queue until it is called.",
    )
    is_my_phone_request = fields.Boolean(
        compute="_compute_is_my_phone_request",
        help="A phone number is asked of the current user for this verification.",
    )

    def _compute_is_my_phone_request(self):
        for verification in self:
            verification.is_my_phone_request = bool(
                verification.phone_requested
                and verification.user_id == self.env.user
                and verification.state not in CLOSED_STATES
            )

    # ------------------------------------------------------------------
    # ACTIONS (public API, see spec/contract.md)
    # ------------------------------------------------------------------
    @public_method(single=True)
    def action_provide_phone(self, phone, contact_name=False):
        """The collaborator answers the phone request of this verification (R-2.2)."""
        self.ensure_one()
        self.check_access("read")
        if self.user_id != self.env.user:
            raise UserError(
                self.env._(
                    "Only %(collaborator)s, who reported the activity of %(verification)s, "
                    "can give its contact's phone number.",
                    collaborator=self.user_id.name or self.env._("the collaborator"),
                    verification=self.display_name,
                )
            )
        self._check_open()
        requests = self._get_phone_requests()
        if not requests:
            raise UserError(
                self.env._(
                    "No phone number is asked of you for %(verification)s: customer service "
                    "already has it, or has not asked for it.",
                    verification=self.display_name,
                )
            )
        contact_name = self._check_text_input(contact_name, self.env._("The contact's name"))
        phone = self._format_provided_phone(phone)
        staff = self._in_company_lang()
        values = {
            "phone": phone,
            "phone_received": True,
            # first in the queue now (B-2), whoever it was reserved for
            "next_call_at": False,
            "callback_at": False,
            "queue_user_id": False,
            "queue_reserved_until": False,
        }
        if contact_name:
            values["contact_name"] = contact_name
        # sudo: a collaborator may not write verifications; he has been checked above to be
        # this one's collaborator with an open request, and only the phone he gives (checked),
        # the contact's name and the queue's place are written, on the workflow path
        self.sudo()._workflow().write(values)
        self._fill_partner_phone(phone, contact_name or self.contact_name)
        # his own activity: marked done as him, with what he gave
        requests._action_done(
            feedback=staff.env._(
                "Phone number given: %(phone)s %(contact)s",
                phone=phone,
                contact=contact_name and f"({contact_name})" or "",
            ).strip()
        )
        # sudo: as the activity's own done message, the note is his (author), on his
        # verification, which he may read but not write
        self.sudo().message_post(
            body=staff.env._(
                "%(collaborator)s gave the phone number %(phone)s%(contact)s: the verification "
                "is first in the call queue.",
                collaborator=self.env.user.name,
                phone=phone,
                contact=contact_name and f" ({contact_name})" or "",
            ),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )
        return True

    @public_method(single=True)
    def action_open_phone_dialog(self):
        """The collaborator's dialog to answer the phone request."""
        self.ensure_one()
        return self._open_dialog(
            "crm.activity.verification.phone", self.env._("Give the phone number")
        )

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------
    def _get_phone_requests(self):
        """The open phone requests of the verification (activities)."""
        request_type = self.env.ref(PHONE_REQUEST_TYPE, raise_if_not_found=False)
        return self.activity_ids.filtered(lambda a: a.active and a.activity_type_id == request_type)

    def _get_phone_country(self):
        """The country the number is read in when it has no international prefix."""
        self.ensure_one()
        return (
            self.partner_id.country_id
            or self.partner_id.commercial_partner_id.country_id
            or self.company_id.country_id
        )

    def _format_provided_phone(self, phone):
        """``phone`` checked and written in the international format, or a UserError."""
        self.ensure_one()
        phone = self._check_text_input(
            phone,
            self.env._("The phone number"),
            missing=self.env._("Give the contact's phone number."),
        )
        country = self._get_phone_country()
        formatted = self._phone_format(
            number=phone, country=country, force_format="INTERNATIONAL", raise_exception=False
        )
        if not formatted:
            raise UserError(
                self.env._(
                    "“%(phone)s” is not a valid phone number%(country)s. Type it with its area "
                    "code, for example +52 686 555 0101.",
                    phone=phone,
                    country=country and self.env._(" in %(country)s", country=country.name) or "",
                )
            )
        return formatted

    def _fill_partner_phone(self, phone, contact_name):
        """Write ``phone`` where it is empty: on the contact person of the customer named
        ``contact_name`` when there is one, else on the customer; a note says so."""
        self.ensure_one()
        customer = self.partner_id
        if not customer:
            return
        # sudo: the collaborator may not write contacts; only an empty phone of this
        # verification's own customer (or of its contact) is filled, with the number he
        # gave (checked), and the customer's chatter says so
        customer = customer.sudo()
        target = customer
        if contact_name and customer.is_company:
            target = (
                customer.child_ids.filtered(
                    lambda child: (child.name or "").strip().lower() == contact_name.strip().lower()
                )[:1]
                or customer
            )
        if target.phone:
            return
        target.phone = phone
        target.message_post(
            body=Markup("%s")
            % self._in_company_lang().env._(
                "Phone number %(phone)s given by %(collaborator)s for verification "
                "%(verification)s.",
                phone=phone,
                collaborator=self.env.user.name,
                verification=self.display_name,
            ),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )

    def _close_phone_requests(self):
        """Close the phone requests left open on concluded verifications, with a note."""
        for verification in self:
            requests = verification._get_phone_requests()
            if not requests:
                continue
            staff = verification._in_company_lang()
            requests._action_done(
                feedback=staff.env._(
                    "No longer needed: the verification was concluded (%(state)s) before the "
                    "phone number was given.",
                    state=staff._get_selection_labels("state")[verification.state],
                )
            )
