"""R-1.2: the verifications of the activities a sales advisor marks done.

Marking activities done is the advisors' most frequent action (issue 13): the
verifications of a batch, their creation notes and their links to the activities are
created with a constant number of extra queries, whatever the number of activities.
"""

import itertools

from odoo import api, fields, models, tools
from odoo.tools import html2plaintext

from .crm_activity_verification_analysis import LEAD_OUTCOMES

# The fields of the customers and of the companies' partners that creating verifications
# reads (contact data, confirmation link, company check, language of the creation note)
PARTNER_FIELDS = ["name", "phone", "is_company", "email", "company_id", "lang"]
# Stored measures whose value on a new verification (to verify or not drawn, with no
# call, answer, rating, verification date, follow-up or anomaly yet) follows from its
# state alone; with what their computes read from the creation values.
NEW_VERIFICATION_MEASURES = (
    "call_count",
    "last_outcome",
    "is_drawn",
    "is_concluded",
    "is_confirmed",
    "is_not_confirmed",
    "is_unreachable",
    "is_anomaly",
    "confirmation_rate",
    "verify_hours",
    "followup_on_time",
    "followup_late",
    "verified_on_time",
    "rating_last_value",
    "customer_denied",
    "is_link_answer",
)
NEW_VERIFICATION_STATES = ("pending", "not_sampled")
NEW_VERIFICATION_EMPTY = (
    "call_ids",
    "rating_ids",
    "customer_answer",
    "verified_on",
    "anomaly",
    "followup_deadline",
    "followup_done_on",
)


class CrmActivityVerification(models.Model):
    _inherit = "crm.activity.verification"

    @api.model
    def _prepare_from_activities(self, activities, feedback=False):
        """Values of the verifications of done activities (R-1.2); one read per model."""
        now = fields.Datetime.now()
        vals_list = []
        records = {
            model: self.env[model].browse(data["record_ids"])
            for model, data in activities._classify_by_model().items()
        }
        for activity in activities:
            record = records[activity.res_model].browse(activity.res_id)
            lead = record if activity.res_model == "crm.lead" else self.env["crm.lead"]
            partner = lead.partner_id if lead else record
            user = activity.user_id or self.env.user
            description = "\n".join(
                part
                for part in (
                    activity.summary,
                    activity.note and html2plaintext(activity.note),
                    feedback,
                )
                if part
            )
            vals_list.append(
                {
                    "source": "crm",
                    "activity_id": activity.id,
                    "company_id": (lead.company_id or user.company_id).id,
                    "partner_id": partner.id,
                    "lead_id": lead.id,
                    "user_id": user.id,
                    # who did it is recorded, not assumed (issue 21)
                    "done_by_id": self.env.uid,
                    "team_id": (lead.team_id or user.sale_team_id).id,
                    "reported_activity_type_id": activity.activity_type_id.id,
                    "activity_date": now,
                    "description": description,
                }
            )
        # one read for the customers (contact data, e-mail of the confirmation link,
        # company check) and the companies' partners (the language of the creation note),
        # whatever the number of activities; only the fields used here and at creation
        companies = self.env["res.company"].browse({vals["company_id"] for vals in vals_list})
        # sudo: fills the cache for the creation below, which runs as superuser
        self.env["res.partner"].sudo().browse(
            {vals["partner_id"] for vals in vals_list if vals["partner_id"]}
            | set(companies.partner_id.ids)
        ).fetch(PARTNER_FIELDS)
        return vals_list

    @api.model
    def _create_from_activities(self, activities, feedback=False):
        """Create the verifications of done activities (R-1.2) in one batch, each with its
        creation note; the extra queries do not grow with the number of activities."""
        vals_list = self._prepare_from_activities(activities, feedback=feedback)
        if not vals_list:
            return self.browse()
        # The activities have no verification yet (see mail.activity._action_done): say so
        # to the cache, so that linking them (mail.activity.verification_id, computed from
        # this one2many) does not read it back from the database.
        unlinked = activities.filtered(lambda activity: not activity.verification_id)
        unlinked._fields["verification_ids"]._insert_cache(
            unlinked, itertools.repeat((), len(unlinked))
        )
        # sudo: collaborators may not create verifications themselves; marking their own
        # activity done creates it on their behalf, with values taken from that activity.
        verifications = (
            self.sudo()
            ._workflow()
            .with_context(tracking_disable=True)
            .create(vals_list)
            .with_env(self.sudo().env)
        )
        verifications._message_log_batch(bodies=self._creation_notes(verifications))
        verifications._notify_done_by_other()
        return verifications

    def _notify_done_by_other(self):
        """Tell each collaborator whose activity someone else marked done: it is verified
        with the customer in any case (issue 21)."""
        for verification in self.filtered(lambda v: v.done_by_id and v.done_by_id != v.user_id):
            assignee = verification.user_id
            env = self._reader_env(assignee)
            verification.message_post(
                body=env._(
                    "%(user)s marked done your activity “%(type)s” (%(customer)s). It will be "
                    "verified with the customer; tell customer service if you did not do it.",
                    user=verification.done_by_id.name,
                    type=verification.reported_activity_type_id.with_env(env).name,
                    customer=verification.partner_id.name or verification.contact_name or "",
                ),
                partner_ids=assignee.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )

    def _add_precomputed_values(self, vals_list):
        """Precompute the fields of new verifications from their creation values, with
        the helpers of their computes, without Odoo's new records; the measures come from
        one computation per state (ormcached). Most of the Python work of creating
        verifications when activities are marked done (issue 13)."""
        for vals in vals_list:
            state = vals.get("state", "pending")
            if (
                state in NEW_VERIFICATION_STATES
                and vals.get("followup_state", "none") == "none"
                and not any(vals.get(fname) for fname in NEW_VERIFICATION_EMPTY)
            ):
                for fname, value in self._get_new_verification_measures(state).items():
                    vals.setdefault(fname, value)
            lead = self.env["crm.lead"].browse(vals.get("lead_id"))
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            for fname, value in self._get_contact_values(lead, partner).items():
                vals.setdefault(fname, value)  # as Odoo: a value given is kept, even empty
            vals.setdefault("lead_outcome", LEAD_OUTCOMES.get(lead.won_status, False))
            if "company_id" in vals:
                vals.setdefault(
                    "sla_deadline",
                    self._get_verification_sla_deadline(
                        self.env["res.company"].browse(vals["company_id"]),
                        fields.Datetime.to_datetime(vals.get("activity_date")),
                    ),
                )
        return super()._add_precomputed_values(vals_list)

    @tools.ormcache("state")
    def _get_new_verification_measures(self, state):
        """{field: value} of NEW_VERIFICATION_MEASURES on a new verification in
        ``state``, as their computes give them (they read nothing from the database)."""
        record = self.new({"state": state, "followup_state": "none"})
        return {
            fname: self._fields[fname].convert_to_write(record[fname], record)
            for fname in NEW_VERIFICATION_MEASURES
        }

    def _check_company(self, fnames=None):
        """Odoo's company check, once per company and field for a batch (the
        verifications of marked-done activities) instead of once per record and field;
        Odoo's own check then reports any inconsistency, on the records concerned."""
        if len(self) < 2:
            return super()._check_company(fnames)
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = self._fields
        fields_ = [
            field
            for field in (self._fields[name] for name in fnames)
            if field.relational and field.check_company
        ]
        if any(field.company_dependent for field in fields_):
            return super()._check_company(fnames)
        names = [field.name for field in fields_]
        suspects = self.browse()
        for company, records in self.grouped("company_id").items():
            for name in names:
                # sudo: as Odoo's check, which compares companies whatever the user reads
                corecords = records.sudo().mapped(name)
                domain = corecords and corecords._check_company_domain(company)
                if domain and corecords != corecords.with_context(
                    active_test=False
                ).filtered_domain(domain):
                    suspects |= records
        return super(CrmActivityVerification, suspects)._check_company(fnames)

    def _creation_notes(self, verifications):
        """{id: note} of new verifications, in their company's language (its readers are
        the company's verifiers, whoever marked the activity done)."""
        notes = {}
        for company, records in verifications.grouped("company_id").items():
            env = self._reader_env(company)
            for verification in records:
                notes[verification.id] = env._(
                    "Created from the activity “%(type)s” marked done by %(user)s.",
                    type=verification.reported_activity_type_id.with_env(env).name,
                    user=self.env.user.name,
                )
        return notes
