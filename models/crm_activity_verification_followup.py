"""Follow-ups of the customer's needs and their escalation (R-2.6, R-2.7, R-3.1, R-3.2).

The verifier asks the collaborator for a follow-up (a ``mail.activity`` with a deadline in
working days of the company); marking it done closes it. The daily cron
``ir_cron_followup_escalation`` marks overdue follow-ups and escalates them to the
department manager, then to the HR & process manager.
"""

import logging
import re
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import html2plaintext
from odoo.tools.misc import format_date

from .crm_activity_verification import SUPERVISOR_GROUPS
from .crm_activity_workflow_mixin import public_method

_logger = logging.getLogger(__name__)

# Follow-ups may be requested once the customer was reached.
FOLLOWUP_STATES = ("in_progress", "confirmed", "not_confirmed")
# A follow-up deadline: an ISO date, at most this far ahead.
DEADLINE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEADLINE_MAX_AHEAD = relativedelta(years=1)
# The list of the overdue follow-ups escalated to the user (linked from the e-mails)
ESCALATED_ACTION = "crm_activity_verification.crm_activity_verification_action_escalated"


class CrmActivityVerification(models.Model):
    _inherit = "crm.activity.verification"

    _ESCALATION_BATCH_SIZE = 100

    # Follow-up and escalation (R-2.6, R-2.7, R-3.x)
    followup_state = fields.Selection(
        selection=[
            ("none", "None"),
            ("requested", "Requested"),
            ("done", "Done"),
            ("overdue", "Overdue"),
        ],
        string="Follow-up",
        default="none",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    followup_note = fields.Text(
        string="Follow-up Request",
        readonly=True,
        help="What the customer needs from the collaborator (R-2.6).",
    )
    followup_deadline = fields.Date(readonly=True, tracking=True, index="btree_not_null")
    followup_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Follow-up Requested By",
        readonly=True,
    )
    followup_activity_id = fields.Many2one(
        comodel_name="mail.activity",
        string="Follow-up Activity",
        readonly=True,
        ondelete="set null",
    )
    followup_done_on = fields.Datetime(string="Follow-up Done On", readonly=True, tracking=True)
    followup_feedback = fields.Text(
        string="Follow-up Result",
        readonly=True,
        help="The collaborator's note when marking the follow-up done (R-3.1).",
    )
    escalation_level = fields.Integer(
        readonly=True,
        tracking=True,
        help="0: none, 1: department manager, 2: HR & process manager.",
    )
    escalation_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Escalated To",
        readonly=True,
        tracking=True,
    )
    escalation_mail_level = fields.Integer(
        string="Escalation E-mail Pending From",
        readonly=True,
        copy=False,
        help="First escalation level whose e-mail is still to be sent (0: none): the "
        "escalation cron sends them at the end of its run, grouped per manager.",
    )
    # Recipients of the follow-up e-mails, computed for the mail templates
    department_manager_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_recipients",
        compute_sudo=True,
        help="Leader of the collaborator's sales team (spec: department manager).",
    )
    process_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="HR & Process Manager",
        compute="_compute_recipients",
        compute_sudo=True,
    )
    followup_cc = fields.Char(
        string="Follow-up Copies",
        compute="_compute_recipients",
        compute_sudo=True,
        # the managers' e-mail addresses, for the mail templates: not for collaborators
        groups=SUPERVISOR_GROUPS,
        help="Copies of the follow-up e-mails: department manager and HR & process manager.",
    )
    escalation_cc = fields.Char(
        string="Escalation Copies",
        compute="_compute_recipients",
        compute_sudo=True,
        # the managers' e-mail addresses, for the mail templates: not for collaborators
        groups=SUPERVISOR_GROUPS,
    )

    # the escalation cron's batch search: the open follow-ups not escalated to the last
    # level yet, by deadline (a small partial index, whatever the history)
    # (the ORM writes "escalation_level < 2" with "OR escalation_level IS NULL")
    _followup_escalation_idx = models.Index(
        "(followup_deadline, id) WHERE followup_state IN ('requested', 'overdue') "
        "AND (escalation_level < 2 OR escalation_level IS NULL)"
    )
    # the escalation e-mails still to send (a killed run leaves them to the next one)
    _escalation_mail_idx = models.Index("(id) WHERE escalation_mail_level > 0")

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("team_id.user_id", "user_id", "company_id", "escalation_user_id")
    def _compute_recipients(self):
        process_managers = {
            company: self._get_process_manager(company) for company in self.company_id
        }
        for verification in self:
            manager = verification._get_department_manager()
            process_manager = process_managers.get(verification.company_id, self.env["res.users"])
            verification.department_manager_id = manager
            verification.process_manager_id = process_manager
            verification.followup_cc = self._format_emails(manager | process_manager)
            copies = verification.user_id
            if verification.escalation_level >= 2:
                copies |= manager
            verification.escalation_cc = self._format_emails(
                copies - verification.escalation_user_id
            )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    @public_method(single=True)
    def action_request_followup(self, notes, deadline=False):
        """Ask the collaborator for an immediate follow-up of the customer (R-2.6)."""
        self.ensure_one()
        self.check_access("write")
        notes = self._check_text_input(
            notes,
            self.env._("What the customer needs"),
            missing=self.env._("Write what the customer needs from the collaborator."),
        )
        today = fields.Date.context_today(self)
        deadline = deadline and self._check_followup_deadline(deadline, today)
        self._lock_for_followup()
        self._check_followup_request()
        if not deadline:
            deadline = self.company_id._get_verification_followup_deadline(today)
        activity = self.with_context(mail_activity_quick_update=True).activity_schedule(
            "crm_activity_verification.mail_activity_type_followup",
            date_deadline=deadline,
            user_id=self.user_id.id,
            summary=self._reader_env(self.user_id)._(
                "Follow up %(customer)s", customer=self.partner_id.name or self.contact_name or ""
            ),
            note=Markup("<p>%s</p>") % notes,
        )
        self._workflow().write(
            {
                "followup_state": "requested",
                "followup_note": notes,
                "followup_deadline": deadline,
                "followup_user_id": self.env.uid,
                "followup_activity_id": activity.id,
                "followup_done_on": False,
                "followup_feedback": False,
                "escalation_level": 0,
                "escalation_user_id": False,
            }
        )
        staff_env = self._in_company_lang().env
        self.message_post(
            body=staff_env._(
                "Follow-up requested from %(collaborator)s by %(deadline)s: %(notes)s",
                collaborator=self.user_id.name,
                deadline=format_date(staff_env, deadline),
                notes=notes,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._send_template("crm_activity_verification.mail_template_followup_request")
        if not self.department_manager_id:
            self._report_missing_manager()
        return True

    @public_method(single=True)
    @api.readonly
    def action_open_followup_dialog(self):
        return self._open_dialog(
            "crm.activity.verification.followup", self.env._("Request a follow-up")
        )

    # ------------------------------------------------------------------
    # FOLLOW-UPS
    # ------------------------------------------------------------------
    def _check_followup_request(self):
        self.ensure_one()
        if self.state not in FOLLOWUP_STATES:
            states = self._get_selection_labels("state")
            raise UserError(
                self.env._(
                    "A follow-up can be requested only once the customer was reached "
                    "(%(allowed)s); %(verification)s is %(state)s.",
                    allowed=", ".join(states[state] for state in FOLLOWUP_STATES),
                    verification=self.display_name,
                    state=states[self.state],
                )
            )
        self._check_collaborator()
        if self.followup_state in ("requested", "overdue"):
            raise UserError(
                self.env._(
                    "A follow-up of %(verification)s is already open until %(deadline)s.",
                    verification=self.display_name,
                    deadline=format_date(self.env, self.followup_deadline),
                )
            )

    def _check_followup_deadline(self, deadline, today):
        """The requested deadline as a date, from ``today`` to one year ahead."""
        deadline = self._parse_deadline(deadline)
        if deadline < today:
            raise UserError(
                self.env._(
                    "The follow-up deadline %(deadline)s is in the past.",
                    deadline=format_date(self.env, deadline),
                )
            )
        if deadline > today + DEADLINE_MAX_AHEAD:
            raise UserError(
                self.env._(
                    "The follow-up deadline %(deadline)s is more than one year ahead.",
                    deadline=format_date(self.env, deadline),
                )
            )
        return deadline

    def _parse_deadline(self, deadline):
        """A date, or an ISO date string (YYYY-MM-DD, as over RPC): nothing else."""
        if isinstance(deadline, date) and not isinstance(deadline, datetime):
            return deadline
        if isinstance(deadline, str) and DEADLINE_PATTERN.match(deadline):
            try:
                return fields.Date.to_date(deadline)
            except ValueError:
                _logger.debug("Follow-up deadline %r is not a calendar date", deadline)
        raise UserError(
            self.env._("“%(deadline)s” is not a date (expected YYYY-MM-DD).", deadline=deadline)
        )

    def _lock_for_followup(self):
        """Lock the verification's row, so that of two follow-up requests at the same
        moment the second is told it was already requested."""
        self._lock_rows(
            self.env._(
                "A follow-up of %(verification)s was already requested by someone else "
                "just now. Reload it and check.",
                verification=self.display_name,
            )
        )
        self.invalidate_recordset(["followup_state", "followup_deadline"])

    def _followup_done(self, feedback=False):
        """The collaborator marked the follow-up activity done (R-3.1)."""
        # sudo: collaborators cannot write verifications; marking their own follow-up
        # activity done is what closes it, and only the follow-up fields are written.
        verifications = self.sudo().filtered(lambda v: v.followup_state in ("requested", "overdue"))
        if not verifications:
            return
        feedback = feedback and html2plaintext(feedback) or False
        self._check_text_length(feedback, self.env._("The follow-up feedback"))
        verifications._workflow().write(
            {
                "followup_state": "done",
                "followup_done_on": fields.Datetime.now(),
                "followup_feedback": feedback,
            }
        )
        for company, records in verifications.grouped("company_id").items():
            # the company's staff reads the escalation's closing in its language
            staff_env = records._reader_env(company)
            records.with_env(staff_env).activity_feedback(
                ["crm_activity_verification.mail_activity_type_followup_escalated"],
                feedback=staff_env._("The collaborator did the follow-up."),
            )
        for verification in verifications:
            verification.message_post(
                body=verification._in_company_lang().env._(
                    "Follow-up done by %(user)s: %(feedback)s",
                    user=self.env.user.name,
                    feedback=verification.followup_feedback or "",
                ),
                subtype_xmlid="mail.mt_note",
                author_id=self.env.user.partner_id.id,
            )
        verifications.filtered("followup_user_id")._send_template(
            "crm_activity_verification.mail_template_followup_done"
        )

    def _report_missing_manager(self):
        """Tell the HR & process manager that the collaborator has no department manager."""
        for verification in self:
            verification.message_post(
                body=verification._in_company_lang().env._(
                    "%(collaborator)s has no department manager (no sales team, or a team "
                    "without a leader): reported to the HR & process manager.",
                    collaborator=verification.user_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.filtered("process_manager_id")._send_template(
            "crm_activity_verification.mail_template_missing_manager"
        )

    def _get_department_manager(self):
        """The leader of the collaborator's sales team (spec: department manager)."""
        self.ensure_one()
        team = self.team_id or self.user_id.sale_team_id
        return team.user_id

    @api.model
    def _get_process_manager(self, company):
        """The company's HR & process manager; empty setting: the first member of the
        HR & process manager group in that company."""
        if company.verification_process_manager_id:
            return company.verification_process_manager_id
        group = self.env.ref("crm_activity_verification.group_process_manager")
        # sudo: reading a group's members is reserved to admins; only a user is returned
        users = group.sudo().all_user_ids.filtered(
            lambda user: not user._is_superuser() and user.active and company in user.company_ids
        )
        return users.sorted("id")[:1]

    @api.model
    def _format_emails(self, users):
        return ", ".join(users.filtered("email").mapped("email_formatted"))

    # ------------------------------------------------------------------
    # ESCALATION
    # ------------------------------------------------------------------
    @api.model
    def _get_escalation_limits(self, company):
        """(today, limit 1, limit 2): a follow-up whose deadline is before a limit
        is escalated to that level."""
        today = company._get_company_now().date()
        # 0 is honoured: escalated as soon as the deadline has passed
        manager_days = company.verification_escalation_manager_days
        process_days = company.verification_escalation_process_days
        return (
            today,
            company._subtract_working_days(today, manager_days),
            company._subtract_working_days(today, max(process_days, manager_days)),
        )

    @api.model
    def _get_followup_escalation_domain(self, limits):
        """Open follow-ups that must become overdue or be escalated one step more."""
        domains = []
        for company, (today, limit_manager, limit_process) in limits.items():
            domains.append(
                Domain("company_id", "=", company.id)
                # the partial index _followup_escalation_idx, walked by deadline
                & Domain("followup_state", "in", ("requested", "overdue"))
                & Domain("escalation_level", "<", 2)
                & Domain("followup_deadline", "<", today)
                & (
                    Domain("followup_state", "=", "requested")
                    | (
                        Domain("escalation_level", "<", 1)
                        & Domain("followup_deadline", "<", limit_manager)
                    )
                    | Domain("followup_deadline", "<", limit_process)
                )
            )
        return Domain.OR(domains)

    @api.model
    def _cron_followup_escalation(self):
        """Mark overdue follow-ups and escalate them, in committed batches, then send the
        e-mails of the escalations, grouped per manager. Exactly once: each escalation is
        committed with its pending e-mail mark, and each e-mail with the clearing of the
        marks it covers; a run killed in between leaves the rest to the next run."""
        limits = {
            company: self._get_escalation_limits(company)
            for company in self.env["res.company"].search([])
        }
        domain = self._get_followup_escalation_domain(limits)
        in_cron = bool(self.env.context.get("cron_id"))
        if in_cron:  # one count for the run's progress, none per batch
            self.env["ir.cron"]._commit_progress(remaining=self.search_count(domain))
        size = self._ESCALATION_BATCH_SIZE
        while batch := self.search(domain, limit=size, order="followup_deadline, id"):
            batch._escalate_followups(limits)
            if in_cron:
                time_left = self.env["ir.cron"]._commit_progress(len(batch))
                if time_left <= 0:
                    return True
            # the next batch starts from an empty cache: memory does not grow with the backlog
            self.env.invalidate_all()
            if len(batch) < size:
                break
        self._send_escalation_mails()
        return True

    def _escalate_followups(self, limits):
        overdue = self.filtered(lambda v: v.followup_deadline < limits[v.company_id][0])
        overdue.filtered(lambda v: v.followup_state == "requested")._workflow().write(
            {"followup_state": "overdue"}
        )
        for level in (1, 2):
            to_escalate = overdue.filtered(
                lambda v, level=level: (
                    v.escalation_level < level and v.followup_deadline < limits[v.company_id][level]
                )
            )
            to_escalate._escalate_followup(level)

    def _get_escalation_recipient(self, level):
        """Who receives the escalation of ``self`` to ``level``."""
        self.ensure_one()
        if level == 1 and self.department_manager_id:
            return self.department_manager_id
        return self.process_manager_id

    def _escalate_followup(self, level):
        """Escalate each follow-up of ``self`` to ``level``: chatter and activity now, the
        e-mail marked pending (sent by _send_escalation_mails, grouped per manager)."""
        if not self:
            return
        recipients = {
            verification: verification._get_escalation_recipient(level) for verification in self
        }

        def mail_level(verification):
            # a pending lower level stays pending: its e-mail is sent too
            if not recipients[verification]:
                return verification.escalation_mail_level
            return verification.escalation_mail_level or level

        for (recipient, pending), verifications in self.grouped(
            lambda v: (recipients[v], mail_level(v))
        ).items():
            verifications._workflow().write(
                {
                    "escalation_level": level,
                    "escalation_user_id": recipient.id,
                    "escalation_mail_level": pending,
                }
            )
        # the cron writes for the company's staff (the note) and for each recipient (the
        # activity), in their languages
        staff_envs = {company: self._reader_env(company) for company in self.company_id}
        self._message_log_batch(
            bodies={
                verification.id: staff_envs[verification.company_id]._(
                    "Follow-up overdue since %(deadline)s: escalated to %(user)s.",
                    deadline=format_date(
                        staff_envs[verification.company_id], verification.followup_deadline
                    ),
                    user=recipients[verification].name
                    or staff_envs[verification.company_id]._("nobody (no manager configured)"),
                )
                for verification in self
            }
        )
        activity_type = self.env.ref(
            "crm_activity_verification.mail_activity_type_followup_escalated"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        # each activity's res_name reads its verification's name on its own: compute the
        # names of the batch at once (one read of the customers, not one per activity)
        self.mapped("display_name")
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": verification.id,
                    "user_id": recipient.id,
                    "summary": self._reader_env(recipient)._(
                        "Overdue follow-up of %(collaborator)s",
                        collaborator=verification.user_id.name,
                    ),
                    "date_deadline": fields.Date.context_today(verification),
                    "automated": True,
                }
                for verification, recipient in recipients.items()
                if recipient
            ]
        )
        if level == 1:
            self.filtered(lambda v: not v.department_manager_id)._report_missing_manager()
