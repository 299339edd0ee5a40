"""B-3: the customer confirms the reported activity from a secure link, and rates."""

import re
from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, tagged

from ..models import crm_activity_verification_link_throttle as throttle
from .common import MODULE, VerificationCommon

# Thursday 2026-11-26 10:00 in Tijuana
NOW = datetime(2026, 11, 26, 18, 0)


class LinkCommon(HttpCase, VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the customer reads Spanish (Mexico); the addon's terms for it
        cls.env["res.lang"]._activate_lang("es_MX")
        cls.env["ir.module.module"]._load_module_terms([MODULE], ["es_MX"])
        cls.customer.lang = "es_MX"
        cls.company_admin.write({"verification_customer_link": True, "verification_link_days": 7})

    def setUp(self):
        super().setUp()
        # the customers' tokens, as they read them in the e-mails they received
        self.tokens = {}

    def _done(self, **kwargs):
        with self.mock_mail_gateway():
            verification = self._verification_done(**kwargs).with_env(self.env)
            self._receive_links()
        return verification

    def _receive_links(self):
        """Send the queued e-mails as the mail queue does, and read each link's token in
        what reached the customer: the only place the token exists."""
        self._new_mails.filtered(lambda mail: mail.state == "outgoing").send()
        for mail in self._mails:
            for verification_id, token in re.findall(r"/verification/(\d+)/([\w-]+)", mail["body"]):
                self.tokens[int(verification_id)] = token

    def _url(self, verification, token=None, suffix=""):
        return f"/verification/{verification.id}/{token or self.tokens[verification.id]}{suffix}"

    @staticmethod
    def _without_csrf(text):
        """The page without its CSRF token (Odoo's layout makes one per request)."""
        return re.sub(r'csrf_token: "[^"]+"', "", text)

    def _csrf(self, response):
        # the page's own token (web.layout writes it for the page's scripts)
        return re.search(r'csrf_token: "([^"]+)"', response.text).group(1)

    def _post(self, verification, suffix, data, token=None):
        page = self.url_open(self._url(verification, token))
        data = dict(data, csrf_token=self._csrf(page))
        return self.url_open(self._url(verification, token, suffix), data=data)


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestCustomerLink(LinkCommon):
    def test_email_goes_to_the_customer_in_their_language(self):
        with self.mock_mail_gateway():
            verification = self._verification_done().with_env(self.env)
            mail = self._new_mails.filtered(lambda m: "verification/" in (m.body_html or ""))
            self._receive_links()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, self.customer.email)
        self.assertFalse(mail.recipient_ids, "nobody else")
        sent = [m for m in self._mails if f"/verification/{verification.id}/" in m["body"]]
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["email_to"], [self.customer.email])
        self.assertIn(
            f"/verification/{verification.id}/{self.tokens[verification.id]}", sent[0]["body"]
        )
        self.assertIn("nuestro asesor", mail.body_html, "in the customer's language")
        self.assertIn("Arturo", mail.body_html, "the advisor's first name")
        self.assertIn("26/11/2026", mail.body_html)
        self.assertEqual(verification.link_sent_on, NOW)
        self.assertIn(
            "Confirmation link e-mailed", " ".join(verification.message_ids.mapped("body"))
        )
        # the verifier sends it again
        with self.mock_mail_gateway():
            self.assertIs(verification.with_user(self.verifier).action_send_customer_link(), True)
        self.assertEqual(len(self._new_mails), 1)

    def test_answer_and_rating_change_only_through_the_link_or_the_call(self):
        verification = self._done()
        for values in (
            {"customer_answer": "confirmed"},
            {"confirmation_channel": "customer_link"},
            {"csat": 5, "is_rated": 1},
            {"link_sent_on": "2020-01-01 00:00:00"},
        ):
            for user in (self.verifier, self.process_manager):
                with self.subTest(user=user.login, values=values), self.assertRaises(UserError):
                    verification.with_user(user).write(values)
        self.assertRecordValues(
            verification, [{"customer_answer": False, "confirmation_channel": False, "csat": 0}]
        )

    def test_no_link_without_setting_or_email(self):
        self.company_admin.verification_customer_link = False
        with self.mock_mail_gateway():
            verification = self._verification_done()
        self.assertFalse(verification.link_sent_on)
        self.assertFalse(self._new_mails)
        with self.assertRaisesRegex(UserError, "link is off"):
            verification.with_user(self.verifier).action_send_customer_link()
        self.company_admin.verification_customer_link = True
        no_email = self._done(record=self.customer_no_phone)
        self.assertFalse(no_email.link_sent_on)
        with self.assertRaisesRegex(UserError, "no e-mail"):
            no_email.with_user(self.verifier).action_send_customer_link()

    def test_get_changes_nothing_and_post_confirms(self):
        verification = self._done()
        page = self.url_open(self._url(verification))
        self.assertEqual(page.status_code, 200)
        self.assertIn("Arturo", page.text)
        self.assertNotIn("Asesor", page.text, "the advisor's first name only")
        self.assertIn("Visita de promoción", page.text)
        for private in (self.customer.name, self.customer.phone, self.customer.email):
            self.assertNotIn(private, page.text, "nothing else of the customer")
        self.assertIn(self.company_admin.name, page.text, "the dealership's name")
        # opening the page (a mail scanner does) records nothing
        self.url_open(self._url(verification))
        self.assertEqual((verification.state, verification.customer_answer), ("pending", False))
        response = self._post(verification, "/answer", {"answer": "confirmed"})
        self.assertEqual(response.status_code, 200)
        self.assertRecordValues(
            verification,
            [
                {
                    "state": "confirmed",
                    "customer_answer": "confirmed",
                    "confirmation_channel": "customer_link",
                    "is_link_answer": 1,
                }
            ],
        )
        self.assertIn("confirmation link", " ".join(verification.message_ids.mapped("body")))
        # the opportunity shows the validation
        self.assertIn("the customer, from the confirmation link", self.lead.message_ids[0].body)
        # a second visit shows the answer, which cannot change any more
        self.assertIn("o_answer_recorded", self.url_open(self._url(verification)).text)
        response = self._post(verification, "/answer", {"answer": "denied"})
        self.assertIn("o_link_error", response.text, "the answer cannot change any more")
        self.assertEqual(verification.customer_answer, "confirmed")

    def test_denial_goes_first_in_the_phone_queue(self):
        older = self._done()
        older._workflow().write({"activity_date": NOW - timedelta(days=3)})
        denied = self._done()
        self._post(denied, "/answer", {"answer": "denied"})
        self.assertRecordValues(
            denied,
            [{"state": "in_progress", "customer_denied": True, "confirmation_channel": False}],
        )
        self.assertEqual(
            denied.activity_ids.mapped("summary"), ["Customer denies the activity: call them"]
        )
        self.assertTrue(denied.activity_ids.user_id.has_group(f"{MODULE}.group_verifier"))
        self.env["crm.activity.verification"].search(
            [("id", "not in", (older | denied).ids), ("state", "in", ("pending", "in_progress"))]
        )._workflow().write({"next_call_at": datetime(2100, 1, 1)})
        self.assertEqual(
            self.env["crm.activity.verification"].with_user(self.verifier)._reserve_next_call(),
            denied,
            "before the older activity",
        )
        # "call me" leaves it in the queue, as today
        call_me = self._done()
        self._post(call_me, "/answer", {"answer": "call_me"})
        self.assertRecordValues(
            call_me, [{"state": "pending", "customer_answer": "call_me", "customer_denied": False}]
        )

    def test_bad_links_get_the_same_404_and_change_nothing(self):
        verification = self._done()
        other = self._done()
        good = self.url_open(self._url(verification))
        self.assertEqual(good.status_code, 200)
        bodies = []
        for url in (
            self._url(verification, token="0" * 36),
            self._url(verification, token=self.tokens[other.id]),  # another one's token
            f"/verification/999999/{self.tokens[verification.id]}",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            bodies.append(self._without_csrf(response.text))
        # expired
        with freeze_time(NOW + timedelta(days=8)):
            response = self.url_open(self._url(verification))
            self.assertEqual(response.status_code, 404)
            bodies.append(self._without_csrf(response.text))
        # the setting turned off
        self.company_admin.verification_customer_link = False
        response = self.url_open(self._url(verification))
        self.assertEqual(response.status_code, 404)
        bodies.append(self._without_csrf(response.text))
        self.assertEqual(len(set(bodies)), 1, "the same page, which reveals nothing")
        self.assertIn("no longer valid", bodies[0])
        self.assertIn(self.company_admin.name, bodies[0], "the dealership's name")
        self.assertEqual(verification.state, "pending")

    def test_post_needs_the_csrf_token(self):
        verification = self._done()
        self.url_open(self._url(verification))
        response = self.url_open(
            self._url(verification, suffix="/answer"), data={"answer": "confirmed"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(verification.state, "pending")

    def test_repeated_bad_tokens_are_slowed_down(self):
        verification = self._done()
        for n in range(throttle.BAD_LINK_LIMIT):
            self.assertEqual(
                self.url_open(self._url(verification, token=f"bad{n}")).status_code, 404
            )
        self.assertEqual(self.url_open(self._url(verification, token="bad")).status_code, 429)
        self.assertEqual(
            self.url_open(self._url(verification)).status_code, 200, "a valid link, never refused"
        )
        with freeze_time(NOW + throttle.BAD_LINK_WINDOW + timedelta(seconds=1)):
            self.assertEqual(
                self.url_open(self._url(verification, token="bad")).status_code,
                404,
                "bounded in time",
            )

    def test_rating_after_the_answer(self):
        verification = self._done()
        self._post(verification, "/answer", {"answer": "confirmed"})
        page = self.url_open(self._url(verification))
        self.assertIn("rating_5.png", page.text, "Odoo's rating faces")
        # out of the scale: said on the page, nothing recorded
        response = self._post(verification, "/rate", {"rating": "7", "comment": "x"})
        self.assertIn("o_link_error", response.text, "choose one of the three faces")
        self.assertFalse(verification.rating_ids.filtered("consumed"))
        # a comment with markup, 1 MB long: escaped, cut, and the cut is said
        comment = "<script>alert('x')</script>" + "a" * 1_000_000
        response = self._post(verification, "/rate", {"rating": "5", "comment": comment})
        self.assertIn("o_rated_now", response.text)
        self.assertIn("o_comment_cut", response.text, "the page says the comment was cut")
        self.assertNotIn("<script>alert", response.text)
        self.assertEqual(verification.csat, 5)
        rating = verification.rating_ids.filtered("consumed")
        self.assertEqual(len(rating.feedback), 2000)
        message = verification.message_ids.filtered("rating_id")
        self.assertNotIn("<script>", message.body)
        self.assertIn("&lt;script&gt;", message.body)
        # once rated, a second rating is refused
        response = self._post(verification, "/rate", {"rating": "1", "comment": ""})
        self.assertIn("o_link_error", response.text, "already rated")
        self.assertEqual(verification.csat, 5)


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestCsatByPhone(LinkCommon):
    def test_rating_during_the_call(self):
        verification = self._done()
        for csat in (7, "5", True, [5]):
            with self.subTest(csat=csat), self.assertRaisesRegex(UserError, "rating is 1"):
                verification.with_user(self.verifier).action_log_call("confirmed", csat=csat)
        self.assertFalse(verification.call_ids, "nothing recorded")
        verification.with_user(self.verifier).action_log_call(
            "confirmed", notes="Muy atento el asesor", csat=5
        )
        self.assertRecordValues(
            verification, [{"csat": 5, "confirmation_channel": "phone", "state": "confirmed"}]
        )

    def test_dissatisfied_customer_proposes_a_complaint(self):
        verification = self._done()
        wizard = (
            self.env["crm.activity.verification.call.log"]
            .with_user(self.verifier)
            .create(
                {
                    "verification_id": verification.id,
                    "outcome": "confirmed",
                    "notes": "La unidad llegó tarde",
                    "csat": "1",
                }
            )
        )
        action = wizard.action_log()
        self.assertEqual(action["res_model"], "crm.activity.verification.complaint")
        self.assertIn("La unidad llegó tarde", action["context"]["default_description"])
        self.assertEqual(verification.csat, 1)

    def test_csat_in_the_kpis_and_the_weekly_digest(self):
        by_link = self._done()
        self._post(by_link, "/answer", {"answer": "confirmed"})
        self._post(by_link, "/rate", {"rating": "5"})
        by_phone = self._done()
        by_phone.with_user(self.verifier).action_log_call("confirmed", csat=3)
        digest = self.env.ref("digest.digest_digest_default").with_context(
            start_datetime=NOW - timedelta(days=1), end_datetime=NOW + timedelta(days=1)
        )
        self.assertEqual(digest.with_user(self.manager_sales).kpi_verification_csat_value, 4.0)
        self.assertEqual(
            digest.with_user(self.manager_sales).kpi_verification_link_share_value, 50.0
        )
        Digest = self.env["crm.activity.verification.digest"]
        with freeze_time(NOW + timedelta(days=2)):  # Saturday: the digest of this week
            periods = Digest._get_digest_periods(self.company_admin)
        stats = Digest._get_digest_stats(periods)
        rates = Digest._get_digest_rates(stats[self.company_admin, self.team_sales, self.advisor])
        self.assertEqual((rates["link_rate"], rates["csat"]), (50, 4.0))


@tagged("post_install", "-at_install", MODULE)
class TestCustomerLinkPage(LinkCommon):
    """The public page in headless Chromium, on a phone and on a desktop."""

    def _answer_and_rate_in_the_browser(self):
        verification = self._done()
        self.start_tour(self._url(verification), "crm_activity_verification_customer_link_tour")
        self.assertRecordValues(
            verification,
            [{"state": "confirmed", "confirmation_channel": "customer_link", "csat": 5}],
        )

    def test_on_a_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self._answer_and_rate_in_the_browser()

    def test_on_a_desktop(self):
        self._answer_and_rate_in_the_browser()
