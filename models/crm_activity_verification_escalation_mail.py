"""The escalation e-mails of the follow-up cron (R-3.2): one per escalation, or one list
per manager and run, in the manager's language, queued exactly once."""

from collections import defaultdict

from markupsafe import Markup

from odoo import api, models
from odoo.fields import Command
from odoo.tools import split_every

from .crm_activity_verification_followup import ESCALATED_ACTION


class CrmActivityVerification(models.Model):
    _inherit = "crm.activity.verification"

    # ---- Escalation e-mails: one per escalation, or one list per manager ----
    # A manager with more escalations than this in a run gets one e-mail listing them.
    _ESCALATION_MAIL_LIST_ABOVE = 3
    # Rows of that list: the first ones, then how many more with a link to them all (the
    # e-mail, and the memory of the cron, do not grow with the backlog).
    _ESCALATION_MAIL_LIST_MAX = 50

    @api.model
    def _send_escalation_mails(self):
        """Queue the e-mails of the pending escalations: per recipient, one e-mail per
        escalation, or one listing them all above _ESCALATION_MAIL_LIST_ABOVE. All in one
        transaction with the clearing of the marks: a killed run sends them next time."""
        pending = self.search([("escalation_mail_level", ">", 0)], order="id")
        items = defaultdict(list)  # recipient id: [(verification id, level)]
        for ids in split_every(self._ESCALATION_BATCH_SIZE * 2, pending.ids):
            for verification in self.browse(ids):
                if verification.followup_state not in ("requested", "overdue"):
                    continue  # done since: nothing to escalate any more
                for level in range(
                    verification.escalation_mail_level, verification.escalation_level + 1
                ):
                    recipient = verification._get_escalation_recipient(level)
                    if recipient:
                        items[recipient.id].append((verification.id, level))
            self.env.invalidate_all()
        if not pending:
            return
        # in batches, with an empty cache after each: memory bounded whatever the backlog
        # (the same transaction as the e-mails below: still exactly once); a technical
        # mark, not tracked
        for ids in split_every(self._ESCALATION_BATCH_SIZE, pending.ids):
            self.browse(ids)._workflow().with_context(mail_notrack=True).write(
                {"escalation_mail_level": 0}
            )
            self.env.invalidate_all()
        for recipient_id, recipient_items in items.items():
            self._queue_escalation_mails(
                self.env["res.users"].browse(recipient_id), recipient_items
            )
            self.env.invalidate_all()  # one recipient's e-mails in memory at a time

    def _queue_escalation_mails(self, recipient, items):
        """Queue the escalation e-mails of ``items`` ([(verification id, level)]) to
        ``recipient``, in the recipient's language."""
        if len(items) > self._ESCALATION_MAIL_LIST_ABOVE:
            groups = [items]
        else:
            groups = [[item] for item in items]
        env = self._reader_env(recipient)
        mail_values = [
            self.with_env(env)._prepare_escalation_mail_values(recipient, group) for group in groups
        ]
        # sudo: the cron queues e-mails to managers; only the values built above are written
        self.env["mail.mail"].sudo().create(mail_values)

    def _prepare_escalation_mail_values(self, recipient, items):
        """Values of the e-mail to ``recipient`` about ``items`` ([(verification id,
        level)]): the first _ESCALATION_MAIL_LIST_MAX listed, then how many more."""
        env = self.env
        template = env.ref("crm_activity_verification.mail_template_followup_escalation_list")
        # the collaborators in copy (and the department managers from the second level),
        # read in batches with an empty cache after each: memory bounded whatever the list
        copies = set()
        for batch in split_every(self._ESCALATION_BATCH_SIZE, items):
            verifications = self.browse(vid for vid, _level in batch)
            for verification, (_vid, level) in zip(verifications, batch, strict=True):
                copies.update(verification.user_id.ids)
                if level >= 2:
                    copies.update(verification.department_manager_id.ids)
            env.invalidate_all()
        listed = items[: self._ESCALATION_MAIL_LIST_MAX]
        # one recordset (one prefetch) for the listed rows
        verifications = self.browse(vid for vid, _level in listed)
        rows = [
            (verification, level)
            for verification, (_vid, level) in zip(verifications, listed, strict=True)
        ]
        body = template._render_field(
            "body_html",
            [recipient.id],
            set_lang=env.lang or "en_US",
            add_context={"escalation_items": rows},
        )[recipient.id]
        if len(items) > len(listed):
            body += self._get_escalation_more_html(len(items) - len(listed))
        single = verifications if len(items) == 1 else self.browse()
        company = verifications[:1].company_id
        if single:
            subject = env._("Overdue follow-up: %(verification)s", verification=single.display_name)
        else:
            subject = env._("Overdue follow-ups: %(count)s to see to", count=len(items))
        return {
            "subject": subject,
            "body_html": body,
            "email_from": company.email_formatted or env.user.email_formatted,
            "recipient_ids": [Command.link(recipient.partner_id.id)],
            "email_cc": self._format_emails(env["res.users"].browse(copies) - recipient),
            "model": single._name if single else False,
            "res_id": single.id if single else False,
            "auto_delete": True,
        }

    def _get_escalation_more_html(self, count):
        """The paragraph after a capped list: how many more, and a link to them all."""
        url = f"{self.get_base_url()}/odoo/action-{ESCALATED_ACTION}"
        return Markup(
            '<p style="margin: 8px 0px 0px 0px; font-size: 13px;">%s <a href="%s">%s</a></p>'
        ) % (
            self.env._("And %(count)s more overdue follow-ups.", count=count),
            url,
            self.env._("See them all"),
        )
