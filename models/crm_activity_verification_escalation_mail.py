"""The escalation e-mails of the follow-up cron (R-3.2): one per escalation, or one list
per manager and run, in the manager's language, queued exactly once."""

from markupsafe import Markup

from odoo import api, models
from odoo.fields import Command

from .crm_activity_verification_followup import ESCALATED_ACTION


class EscalationDigest:
    """What a recipient's escalation e-mails of a run show: the first escalations
    (verification id, level), how many there are, and who is in copy (the collaborators,
    and the department managers from the second level), per escalation while the
    e-mails are one per escalation."""

    __slots__ = ("copies", "count", "item_copies", "items", "list_above", "list_max")

    def __init__(self, list_above, list_max):
        self.list_above = list_above  # more escalations than this: one list e-mail
        self.list_max = list_max  # rows of that list
        self.items = []
        self.count = 0
        self.copies = set()
        self.item_copies = {}

    def add(self, verification, level):
        copies = set(verification.user_id.ids)
        if level >= 2:
            copies.update(verification.department_manager_id.ids)
        item = (verification.id, level)
        self.count += 1
        self.copies |= copies
        if len(self.items) < max(self.list_max, self.list_above):
            self.items.append(item)
        if self.count <= self.list_above:
            self.item_copies[item] = copies
        else:
            self.item_copies = {}  # one list e-mail: its copies are self.copies


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
        transaction with the clearing of the marks: a killed run sends them next time.

        Memory does not grow with the backlog: the pending escalations are read in
        batches (keyset on the partial index of the marks, an empty cache after each),
        and each recipient keeps what his e-mail shows (its first rows, how many, who is
        in copy), not the whole list."""
        domain = [("escalation_mail_level", ">", 0)]
        digests = {}  # recipient id: EscalationDigest
        last_id = 0
        while batch := self.search(
            [*domain, ("id", ">", last_id)], order="id", limit=self._ESCALATION_BATCH_SIZE * 2
        ):
            last_id = batch._ids[-1]
            for verification in batch:
                if verification.followup_state not in ("requested", "overdue"):
                    continue  # done since: nothing to escalate any more
                for level in range(
                    verification.escalation_mail_level, verification.escalation_level + 1
                ):
                    recipient = verification._get_escalation_recipient(level)
                    if recipient:
                        if recipient.id not in digests:
                            digests[recipient.id] = EscalationDigest(
                                self._ESCALATION_MAIL_LIST_ABOVE, self._ESCALATION_MAIL_LIST_MAX
                            )
                        digests[recipient.id].add(verification, level)
            self.env.invalidate_all()
        if not last_id:
            return
        # a technical mark, not tracked; cleared in the transaction of the e-mails below
        # (still exactly once), in batches with an empty cache after each
        while batch := self.search(domain, order="id", limit=self._ESCALATION_BATCH_SIZE):
            batch._workflow().with_context(mail_notrack=True).write({"escalation_mail_level": 0})
            self.env.invalidate_all()
        for recipient_id, digest in digests.items():
            self._queue_escalation_mails(self.env["res.users"].browse(recipient_id), digest)
            self.env.invalidate_all()  # one recipient's e-mails in memory at a time

    def _queue_escalation_mails(self, recipient, digest):
        """Queue the escalation e-mails of ``digest`` (EscalationDigest) to ``recipient``,
        in the recipient's language: one per escalation, or one list."""
        env = self._reader_env(recipient)
        Verification = self.with_env(env)
        if digest.count > digest.list_above:
            mail_values = [
                Verification._prepare_escalation_mail_values(
                    recipient, digest.items[: digest.list_max], digest.count, digest.copies
                )
            ]
        else:
            mail_values = [
                Verification._prepare_escalation_mail_values(
                    recipient, [item], 1, digest.item_copies[item]
                )
                for item in digest.items
            ]
        # sudo: the cron queues e-mails to managers; only the values built above are written
        self.env["mail.mail"].sudo().create(mail_values)

    def _prepare_escalation_mail_values(self, recipient, items, count, copy_ids):
        """Values of the e-mail to ``recipient`` about ``count`` escalations, listing
        ``items`` ([(verification id, level)], the first _ESCALATION_MAIL_LIST_MAX) then
        how many more; ``copy_ids``: the users in copy."""
        env = self.env
        template = env.ref("crm_activity_verification.mail_template_followup_escalation_list")
        # one recordset (one prefetch) for the listed rows
        verifications = self.browse(vid for vid, _level in items)
        rows = [
            (verification, level)
            for verification, (_vid, level) in zip(verifications, items, strict=True)
        ]
        body = template._render_field(
            "body_html",
            [recipient.id],
            set_lang=env.lang or "en_US",
            add_context={"escalation_items": rows},
        )[recipient.id]
        if count > len(items):
            body += self._get_escalation_more_html(count - len(items))
        single = verifications if count == 1 else self.browse()
        company = verifications[:1].company_id
        if single:
            subject = env._("Overdue follow-up: %(verification)s", verification=single.display_name)
        else:
            subject = env._("Overdue follow-ups: %(count)s to see to", count=count)
        return {
            "subject": subject,
            "body_html": body,
            "email_from": company.email_formatted or env.user.email_formatted,
            "recipient_ids": [Command.link(recipient.partner_id.id)],
            "email_cc": self._format_emails(env["res.users"].browse(copy_ids) - recipient),
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
