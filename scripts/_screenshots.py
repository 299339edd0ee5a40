#!/usr/bin/env python3
"""The pictures of ``scripts/screenshots`` (run that, not this).

    python3 scripts/_screenshots.py --db DB --url http://127.0.0.1:PORT
        [--cdp-port 9282] [--out static/description] [--only NAME ...]

Against an Odoo server already serving DB (the Spanish demo), it:

1. prepares what the demo lacks, through ``scripts/odoo shell`` and the addon's own
   methods run as the user who would do it: last week's FRE-7.5-01 of the parts
   promoter, three lines, signed and submitted (its lines reach the board); a phone
   request to the collaborator of the oldest open verification without a phone; then it
   renders the weekly digest e-mail of the sales department manager to HTML;
2. drives Debian's headless ``chromium`` over the DevTools protocol
   (``websocket-client``): logs in as each demo user through the login form, opens his
   screen by URL, waits on the DOM (and, for the dashboard, on the network), and
   captures it: 1366×768, or 390×844 with phone emulation for the promoter (the
   collaborator asked for a phone opens his answer's dialog);
3. downloads the FRE-7.5-01 PDF as the promoter (``/report/pdf/...``) and turns its
   first page into a PNG with ``pdftoppm``;
4. shrinks every PNG with Pillow (``optimize``; a palette when it is over 250 KB).

The English pictures switch the verifier's own language (Preferences, as he would)
and switch it back to Spanish at the end.
"""

import argparse
import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import requests
import websocket
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
MODULE = "crm_activity_verification"
DESKTOP = (1366, 768)
PHONE = (390, 844)
MAX_BYTES = 250_000
TIMEOUT = 90  # seconds to wait for a page, a selector or the server
TIMEZONE = "America/Tijuana"
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36"
)
USERS = {
    "verifier": "demo.atencion",
    "promoter": "demo.promotor",
    "manager": "demo.ventas",
}

# Run by `scripts/odoo shell`: the demo's missing pieces, then the digest's HTML.
SETUP = r"""
import base64, io, json, os
from datetime import datetime, time, timedelta
import pytz
from PIL import Image, ImageDraw
from odoo import Command, fields
from odoo.addons.crm_activity_verification import date_utils

M = "crm_activity_verification"
promoter = env.ref(M + ".user_demo_parts_promoter")
verifier = env.ref(M + ".user_demo_verifier")
manager = env.ref(M + ".user_demo_manager_sales")
# The users of the pictures in the demo's time zone (Odoo sets a user's zone to the
# browser's at his first login), and English available for the English pictures.
(promoter | verifier | manager).write({"tz": os.environ["CAV_SHOTS_TZ"]})
env["res.lang"]._activate_lang("en_US")
# wkhtmltopdf fetches the report's CSS from this server
env["ir.config_parameter"].set_param("web.base.url", os.environ["CAV_SHOTS_URL"])
env["ir.config_parameter"].set_param("report.url", os.environ["CAV_SHOTS_URL"])

# Last week's FRE-7.5-01 of the parts promoter, filled, signed and submitted by him.
Report = env["crm.activity.weekly.report"].with_user(promoter).with_context(lang=promoter.lang)
tz = pytz.timezone(promoter.tz or "UTC")
today = date_utils.local_date(fields.Datetime.now(), promoter.tz)
week_start = date_utils.week_bounds(today)[0] - timedelta(days=7)
report = Report._get_or_create_week_report(promoter, week_start)


def at(day, hour, minute=0):
    local = tz.localize(datetime.combine(week_start + timedelta(days=day), time(hour, minute)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def ref(xmlid):
    return env.ref(M + "." + xmlid)


def signature():
    image = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(14, 84), (40, 30), (58, 92), (84, 40), (104, 86), (130, 52), (150, 80),
              (176, 36), (198, 90), (226, 58), (262, 70), (300, 44), (344, 60)]
    draw.line(points, fill=(20, 40, 120, 255), width=4, joint="curve")
    draw.line([(60, 104), (320, 98)], fill=(20, 40, 120, 255), width=3)
    stream = io.BytesIO()
    image.save(stream, format="PNG")
    return base64.b64encode(stream.getvalue())


if report.state == "draft" and not report.line_ids:
    report.write({"line_ids": [
        Command.create({
            "date": at(2, 10, 30),
            "partner_id": ref("res_partner_demo_otay").id,
            "contact_name": "Sr. Ramiro Ochoa",
            "activity_type_id": ref("mail_activity_type_promotion_visit").id,
            "description": "Visita al taller: kits de frenos y filtros para 14 autobuses.",
        }),
        Command.create({
            "date": at(3, 12, 0),
            "partner_id": ref("res_partner_demo_san_quintin").id,
            "activity_type_id": ref("mail_activity_type_quotation_delivered").id,
            "description": "Cotización de balatas, rotores y amortiguadores para 6 volteos.",
        }),
        Command.create({
            "date": at(5, 9, 15),
            "customer_name": "Refaccionaria La Rumorosa",
            "contact_name": "Sra. Irma Beltrán",
            "phone": "+52 686 555 0142",
            "activity_type_id": ref("mail_activity_type_prospecting_call").id,
            "description": "Primer contacto: compra refacciones para una flotilla de 9 tractos.",
        }),
    ]})
if report.state == "draft":
    report.write({
        "signed_by": promoter.name,
        "signature": signature(),
        "signed_on": week_start + timedelta(days=6),
    })
    report.action_submit()

# B-6 and the digest show the week of the demo's last concluded verification (the demo's
# dates follow today, so that week depends on the weekday the pictures are taken): the
# sales advisors' 12 weeks before it, verified at the department's usual rate (1 in 15
# not confirmed), and in it one advisor out of control (6 of 12); the control charts and
# the digest as of the week after (that week complete).
advisors = ref("user_demo_sales_advisor_1") | ref("user_demo_sales_advisor_2")
Verification = env["crm.activity.verification"]
HISTORY = "Historial de la gráfica p"
shots_week = Verification.search(
    [("state", "in", ("confirmed", "not_confirmed", "unreachable")),
     ("description", "!=", HISTORY)],
    order="activity_week desc",
    limit=1,
).activity_week
if not shots_week:
    raise SystemExit("the demo has no concluded verification")
if not Verification.search_count([("description", "=", HISTORY)]):
    history = []
    for weeks_ago in range(13):
        saturday = shots_week - timedelta(weeks=weeks_ago)
        when = tz.localize(datetime.combine(saturday + timedelta(days=4), time(11, 0)))
        when = when.astimezone(pytz.utc).replace(tzinfo=None)
        when = min(when, fields.Datetime.now() - timedelta(hours=2))
        for advisor in advisors:
            bad = 6 if (weeks_ago == 0 and advisor == advisors[1]) else 1
            for n in range(12 if bad == 6 else 15):
                history.append({
                    "partner_id": ref("res_partner_demo_otay").id,
                    "user_id": advisor.id,
                    "team_id": advisor.sale_team_id.id,
                    "company_id": advisor.company_id.id,
                    "activity_date": when,
                    "description": HISTORY,
                    "reported_activity_type_id": ref("mail_activity_type_promotion_visit").id,
                    "state": "not_confirmed" if n < bad else "confirmed",
                    "verified_on": min(when + timedelta(days=1), fields.Datetime.now()),
                })
    Verification._workflow().with_context(tracking_disable=True, mail_create_nolog=True).create(
        history
    )
env["crm.activity.verification.analysis"]._refresh(
    env["res.company"].search([]), today=shots_week + timedelta(days=7)
)

# The weekly digest of the sales department manager: what the cron sends him the week
# after, so that the demo's calls count.
Digest = env["crm.activity.verification.digest"]
periods = Digest._get_digest_periods(
    env["res.company"].search([]),
    now=datetime.combine(shots_week + timedelta(days=7), time(18, 0)),
)
digests = Digest._prepare_digests(periods)
if manager not in digests:
    raise SystemExit("the sales department manager gets no digest from the demo")
template = env.ref(M + ".mail_template_weekly_digest").with_context(
    verification_digest={manager.id: digests[manager]}
)
body = template._render_field("body_html", manager.ids, compute_lang=True)[manager.id]
with open(os.environ["CAV_SHOTS_DIGEST"], "w", encoding="utf-8") as digest_file:
    digest_file.write(
        '<!DOCTYPE html><html><head><meta charset="utf-8"/></head>'
        '<body style="margin: 0;">%s</body></html>' % body
    )

# What the pictures open, as their users see it.
board = env["crm.activity.verification"].with_user(verifier).search(
    [("state", "=", "pending"), ("partner_id", "!=", False), ("phone", "!=", False)],
    order="activity_date, id",
    limit=1,
)
# A phone request (R-2.2): customer service asks a collaborator for a missing phone; his
# dialog is the picture. The oldest open verification without a phone, asked once.
asked = env["crm.activity.verification"].with_user(verifier).with_context(lang="es_MX").search(
    [("state", "in", ("pending", "in_progress")), ("phone", "=", False), ("user_id", "!=", False)],
    order="activity_date, id",
    limit=1,
)
if not asked:
    raise SystemExit("the demo has no open verification without a phone to ask for")
if not asked.phone_requested:
    asked.action_request_phone("No encuentro el teléfono del contacto, ¿me lo compartes?")
env.cr.commit()
env.registry.signal_changes()  # the running server's caches: the languages, the users
print("CAV_SHOTS_JSON=" + json.dumps({
    "report_id": report.id,
    "verification_id": board.id,
    "dashboard_id": ref("spreadsheet_dashboard_verification").id,
    "phone_request_id": asked.id,
    "phone_request_login": asked.user_id.login,
}))
"""


def fail(message):
    print(f"screenshots: {message}", file=sys.stderr)
    sys.exit(1)


class Cdp:
    """A page of chromium, driven over the DevTools protocol."""

    def __init__(self, port, profile):
        self.proc = subprocess.Popen(
            [
                shutil.which("chromium") or fail("chromium is not installed"),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--font-render-hinting=none",
                "--lang=es-MX",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={profile}",
                f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        target = self._page_target(port)
        self.ws = websocket.create_connection(target, timeout=TIMEOUT, suppress_origin=True)
        self.next_id = 0
        self.inflight = {}
        self.last_network = time.monotonic()
        self.events = []
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable")
        self.desktop_ua = self.evaluate("navigator.userAgent")
        # the demo company's time (the web client shows times in the browser's zone)
        self.send("Emulation.setTimezoneOverride", timezoneId=TIMEZONE)

    def _page_target(self, port):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                fail(f"chromium exited with code {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
                    targets = json.load(response)
                for target in targets:
                    if target.get("type") == "page":
                        return target["webSocketDebuggerUrl"]
            except OSError:
                pass
            time.sleep(0.2)
        fail(f"chromium did not open its DevTools port {port}")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def _event(self, message):
        method = message.get("method", "")
        params = message.get("params", {})
        if method == "Network.requestWillBeSent" and "/bus/websocket_worker" not in str(
            params.get("request", {}).get("url")
        ):
            # (the bus's shared worker loads its bundle out of the page's sight)
            self.inflight[params["requestId"]] = params["request"]["url"]
            self.last_network = time.monotonic()
        elif method in ("Network.loadingFinished", "Network.loadingFailed"):
            self.inflight.pop(params["requestId"], None)
            self.last_network = time.monotonic()
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.events.append(details.get("exception", {}).get("description") or str(details))

    def send(self, method, **params):
        self.next_id += 1
        message_id = self.next_id
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    fail(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            self._event(message)

    def pump(self, seconds):
        """Read the events that arrive within ``seconds``."""
        self.ws.settimeout(seconds)
        try:
            while True:
                self._event(json.loads(self.ws.recv()))
        except websocket.WebSocketTimeoutException:
            pass
        finally:
            self.ws.settimeout(TIMEOUT)

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            fail(f"javascript failed: {expression[:80]}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait_for(self, selector, what=None, gone=False):
        """Wait until ``selector`` matches a visible element (or none, with ``gone``)."""
        check = (
            "(() => { const e = [...document.querySelectorAll(%s)]"
            ".filter(el => el.offsetParent !== null || el.getClientRects().length);"
            " return e.length > 0; })()" % json.dumps(selector)
        )
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if bool(self.evaluate(check)) != gone:
                return
            self.pump(0.1)
        debug = Path(tempfile.gettempdir()) / "cav-shots-failed.png"
        self.capture(debug)
        fail(
            f"timed out waiting for {what or selector}{' to go' if gone else ''}"
            f" (the screen: {debug})"
        )

    def wait_network_idle(self, quiet=1.0):
        """Wait until no request has been in flight for ``quiet`` seconds."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            self.pump(0.1)
            if not self.inflight and time.monotonic() - self.last_network >= quiet:
                return
        fail(
            "timed out waiting for the page's requests to end: " + ", ".join(self.inflight.values())
        )

    def navigate(self, url):
        self.send("Page.navigate", url=url)

    def viewport(self, size, phone=False):
        width, height = size
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=2 if phone else 1,
            mobile=phone,
        )
        self.send("Emulation.setTouchEmulationEnabled", enabled=phone, maxTouchPoints=5)
        self.send(
            "Network.setUserAgentOverride",
            userAgent=PHONE_UA if phone else self.desktop_ua,
        )

    def settle(self):
        """Fonts loaded, no spinner nor blocked UI, then one short settle for the paint."""
        self.evaluate("document.fonts.ready.then(() => true)")
        self.wait_for(".o_loading_indicator, .o_blockUI, .o-mail-Thread-loading", gone=True)
        self.pump(0.6)

    def capture(self, path, clip=None):
        params = {"format": "png", "captureBeyondViewport": bool(clip)}
        if clip:
            params["clip"] = dict(clip, scale=1)
        data = self.send("Page.captureScreenshot", **params)["data"]
        Path(path).write_bytes(base64.b64decode(data))


class Rpc:
    """A JSON-RPC session of one demo user (what the web client does)."""

    def __init__(self, url, db, login):
        self.url = url
        self.session = requests.Session()
        result = self._post(
            "/web/session/authenticate", {"db": db, "login": login, "password": login}
        )
        self.uid = result["uid"]
        self.user_context = result.get("user_context", {})

    def _post(self, path, params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            fail(f"{path}: {body['error'].get('data', {}).get('message') or body['error']}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class Shooter:
    def __init__(self, args, ids, tmp):
        self.args = args
        self.ids = ids
        self.tmp = tmp
        self.out = Path(args.out)
        self.cdp = Cdp(args.cdp_port, tmp / "chromium")
        self.taken = []

    def login(self, login, size=DESKTOP, phone=False):
        cdp = self.cdp
        # a new user: no cookie, and no remembered login (Odoo's "choose a user" list)
        cdp.send("Network.clearBrowserCookies")
        cdp.send(
            "Storage.clearDataForOrigin",
            origin=self.args.url,
            storageTypes="local_storage,session_storage,indexeddb,cache_storage",
        )
        cdp.viewport(size, phone)
        cdp.navigate(f"{self.args.url}/web/login?db={self.args.db}")
        cdp.wait_for("form.oe_login_form input[name=password]", "the login form")
        cdp.evaluate(
            "(() => { const f = document.querySelector('form.oe_login_form');"
            f" f.login.value = {json.dumps(login)}; f.password.value = {json.dumps(login)};"
            " f.submit(); return true; })()"
        )
        cdp.wait_for(".o_web_client .o_action_manager > *", f"the web client of {login}")
        cdp.wait_network_idle()

    def open(self, path, selector, what):
        self.cdp.navigate(self.args.url + path)
        self.cdp.wait_for(selector, what)
        self.cdp.wait_network_idle()
        self.cdp.settle()

    def save(self, name, clip=None):
        path = self.out / name
        self.cdp.capture(path, clip)
        self.taken.append(path)
        print(f"screenshots: {name}")

    def check_lang(self, lang, *words):
        """The screen speaks ``lang``: the given words of it are on the page."""
        text = self.cdp.evaluate("document.body.innerText")
        missing = [word for word in words if word not in text]
        if missing:
            debug = Path(tempfile.gettempdir()) / "cav-shots-failed.png"
            self.cdp.capture(debug)
            fail(f"the page is not as expected in {lang}: no {missing} (see {debug})")

    # -- the pictures ------------------------------------------------------
    def board(self, name, lang, words):
        self.open(
            "/odoo/verification-board",
            ".o_kanban_renderer .o_kanban_record:not(.o_kanban_ghost)",
            "the board's cards",
        )
        self.check_lang(lang, *words)
        self.save(name)

    def call_dialog(self, name, lang, words):
        self.open(
            f"/odoo/verification-board/{self.ids['verification_id']}",
            ".o_form_view .o_form_statusbar button[name=action_open_call_dialog]",
            "the verification's Log call button",
        )
        self.cdp.evaluate(
            "document.querySelector('.o_form_statusbar button[name=action_open_call_dialog]')"
            ".click() || true"
        )
        self.cdp.wait_for(".modal .o_form_view .o_field_widget[name=outcome]", "the call dialog")
        self.cdp.wait_network_idle()
        self.cdp.settle()
        self.check_lang(lang, *words)
        self.save(name)

    def weekly_report_phone(self):
        self.login(USERS["promoter"], PHONE, phone=True)
        self.open(
            f"/odoo/action-{MODULE}.crm_activity_weekly_report_action_my/{self.ids['report_id']}",
            ".o_form_view .o_field_widget[name=line_ids] .o_kanban_record, "
            ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
            "the report's lines",
        )
        self.check_lang("es_MX", "Refaccionaria La Rumorosa")
        self.save("weekly_report_phone.png")

    def dashboard(self):
        self.login(USERS["manager"])
        self.open(
            f"/odoo/dashboards?dashboard_id={self.ids['dashboard_id']}",
            ".o_spreadsheet_dashboard_action .o-grid canvas, "
            ".o_spreadsheet_dashboard_action canvas",
            "the dashboard's spreadsheet",
        )
        self.cdp.wait_for(".o_spreadsheet_dashboard_action .o-spreadsheet", "the spreadsheet")
        self.cdp.wait_network_idle(quiet=2.0)
        self.cdp.settle()
        self.check_lang("es_MX", "Tableros")
        self.save("dashboard.png")

    def digest(self, html_path):
        cdp = self.cdp
        cdp.send("Network.clearBrowserCookies")
        cdp.viewport((1100, DESKTOP[1]))
        cdp.navigate(Path(html_path).as_uri())
        cdp.wait_for("table table", "the digest's tables")
        cdp.settle()
        # the e-mail's card (its inner table) with a margin of its grey background
        box = cdp.evaluate(
            "(() => { const r = document.querySelector('table table').getBoundingClientRect();"
            " return {x: Math.max(r.left - 16, 0), y: 0, width: r.width + 32,"
            " height: r.bottom + 16}; })()"
        )
        self.save("digest.png", box)

    def pdf_first_page(self):
        rpc = Rpc(self.args.url, self.args.db, USERS["promoter"])
        response = rpc.session.get(
            f"{self.args.url}/report/pdf/{MODULE}.report_fre_7_5_01/{self.ids['report_id']}",
            timeout=300,
        )
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            fail(f"the FRE-7.5-01 PDF did not render (HTTP {response.status_code})")
        pdf = self.tmp / "fre_7_5_01.pdf"
        pdf.write_bytes(response.content)
        prefix = self.tmp / "fre_page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, prefix],
            check=True,
        )
        target = self.out / "weekly_report_pdf.png"
        shutil.move(f"{prefix}.png", target)
        self.taken.append(target)
        print("screenshots: weekly_report_pdf.png")

    def control_charts(self):
        """B-6: the department manager's control charts, a card per collaborator."""
        self.login(USERS["manager"])
        self.open(
            f"/odoo/action-{MODULE}.crm_activity_verification_analysis_action",
            ".o_verification_control_charts .o_kanban_record .o_verification_p_chart img",
            "the control charts",
        )
        self.cdp.wait_network_idle()
        self.cdp.settle()
        self.check_lang("es_MX", "Gráficas de control", "no confirmadas")
        self.save("control_charts.png")

    def phone_request_dialog(self):
        """The collaborator's answer to a phone request (R-2.2): the dialog opened from
        the verification the request is about, a number typed in."""
        self.login(self.ids["phone_request_login"])
        self.open(
            f"/odoo/action-{MODULE}.crm_activity_verification_action_all/"
            f"{self.ids['phone_request_id']}",
            ".o_form_view .o_form_statusbar button[name=action_open_phone_dialog]",
            "the verification's Give the phone number button",
        )
        self.cdp.evaluate(
            "document.querySelector('.o_form_statusbar button[name=action_open_phone_dialog]')"
            ".click() || true"
        )
        self.cdp.wait_for(".modal .o_form_view .o_field_widget[name=phone] input", "the dialog")
        self.cdp.wait_network_idle()
        self.cdp.settle()
        self.check_lang("es_MX", "Dar el teléfono", "Enviar el número")
        self.save("phone_request_dialog.png")

    def verifier(self):
        self.login(USERS["verifier"])
        self.board("board.png", "es_MX", ["Por verificar", "En proceso", "Registrar llamada"])
        self.call_dialog("call_dialog.png", "es_MX", ["Registrar llamada", "Resultado"])

    def verifier_english(self):
        rpc = Rpc(self.args.url, self.args.db, USERS["verifier"])
        rpc.call("res.users", "write", [rpc.uid], {"lang": "en_US"})
        try:
            context = Rpc(self.args.url, self.args.db, USERS["verifier"]).user_context
            if context.get("lang") != "en_US":
                fail(f"the verifier's session is in {context.get('lang')}, not en_US")
            self.login(USERS["verifier"])
            self.board("board_en.png", "en_US", ["To Verify", "In Progress", "Log call"])
            self.call_dialog("call_dialog_en.png", "en_US", ["Log call", "Outcome"])
        finally:
            rpc.call("res.users", "write", [rpc.uid], {"lang": "es_MX"})


def optimize(path):
    """Re-save with Pillow's optimizer; a 256-colour palette when still too big."""
    image = Image.open(path)
    image.load()
    image.save(path, format="PNG", optimize=True)
    if path.stat().st_size > MAX_BYTES:
        quantized = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        buffer = io.BytesIO()
        quantized.save(buffer, format="PNG", optimize=True)
        path.write_bytes(buffer.getvalue())
    if path.stat().st_size > MAX_BYTES:
        fail(f"{path.name} is {path.stat().st_size} bytes, over {MAX_BYTES}")


def wait_server(url):
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/web/health") as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    fail(f"no Odoo server answered at {url}")


def setup(args, tmp):
    digest = tmp / "digest.html"
    env = dict(
        os.environ, CAV_SHOTS_URL=args.url, CAV_SHOTS_TZ=TIMEZONE, CAV_SHOTS_DIGEST=str(digest)
    )
    result = subprocess.run(
        [ROOT / "scripts" / "odoo", "shell", "-d", args.db, "--no-http", "--log-level=warn"],
        input=SETUP,
        text=True,
        capture_output=True,
        env=env,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("CAV_SHOTS_JSON=")]
    if result.returncode or not lines or not digest.exists():
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        fail("preparing the demo's weekly report and digest failed (output above)")
    return json.loads(lines[-1].split("=", 1)[1]), digest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--cdp-port", type=int, default=9282)
    parser.add_argument("--out", default=str(ROOT / "static" / "description"))
    args = parser.parse_args()
    args.url = args.url.rstrip("/")

    wait_server(args.url)
    with tempfile.TemporaryDirectory(prefix="cav-shots-") as tmp_name:
        tmp = Path(tmp_name)
        ids, digest_html = setup(args, tmp)
        shooter = Shooter(args, ids, tmp)
        try:
            shooter.verifier()
            shooter.weekly_report_phone()
            shooter.phone_request_dialog()
            shooter.dashboard()
            shooter.control_charts()
            shooter.digest(digest_html)
            shooter.verifier_english()
            shooter.pdf_first_page()
            if shooter.cdp.events:
                fail("javascript errors in the pages: " + "; ".join(shooter.cdp.events[:3]))
        finally:
            shooter.cdp.close()
        for path in shooter.taken:
            optimize(path)
            print(f"screenshots: {path.name}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
