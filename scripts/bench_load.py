#!/usr/bin/env python3
"""Load held on a production-like server (issue 24, item 3): everyone at once, over HTTP.

Not a test: it prints figures (``scripts/bench --load`` runs it). Against a real Odoo
with workers behind its reverse proxy, on 127.0.0.1 only, for ``--duration`` seconds at
most and within the counts below, all at once:

- verifiers take the next call (``action_next_call`` through
  ``/web/dataset/call_button``, as the board's button does), then log it
  (``action_log_call`` through ``/web/dataset/call_kw``);
- sales advisors mark their activities of a verified type done
  (``mail.activity.action_feedback``);
- promoters submit their signed weekly reports (``action_submit``: PDF and e-mail);
- customers answer their confirmation links: GET the page, then POST the answer with
  its CSRF token, as a browser does, each from his own address (127.1.x.y);
- the anchor: Odoo's own rating page (``GET /rate/<token>/5``) of a rating of an
  opportunity, under the same load.

Each person waits ``--think`` seconds (0.5 to 1.5 times, at random) between two steps.
Then it prints the throughput and p50/p95 of each action, the errors, the
serialization failures that the server logged (``--log``) with the request each one
delayed, the double picks (two verifiers given the same verification at once) and the
lost answers (an answer acknowledged to the customer and not recorded), and the
customer's page against Odoo's rating page. Exit 1 when there was an error, a double
pick, a lost answer, a serialization failure on the call queue or an ERROR logged.

    python3 scripts/bench_load.py -c CONF --db DB --url http://127.0.0.1:8069
        --log SERVER_LOG [--server-pid PID] [--duration 300] [--think 30]
        [--verifiers 10] [--advisors 30] [--promoters 5] [--customers 200]
        [--queue 1000] [--activities 1500] [--reports 10] [--answers 1200]
        [--anchor-clients 2]

The database must have the addon installed (no demo data needed); the script adds its
people and their work (committed: use a throw-away database).
"""

import argparse
import base64
import collections
import io
import itertools
import os
import random
import re
import statistics
import sys
import threading
import time
from datetime import date, datetime, timedelta
from urllib.parse import urlparse

import requests

CSRF = re.compile(r'csrf_token: "([^"]+)"')
PASSWORD_SUFFIX = "-load"
VERIFIED_TYPE = "crm_activity_verification.mail_activity_type_promotion_visit"
# Odoo's log lines: "<date> <time> <pid> <LEVEL> <db> <logger>: <message>"
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (\d+) (\w+) \S+ ([\w.]+): (.*)$")
REQUEST = re.compile(r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d+)')
# the request of the access log line, by its path
ACTIONS = (
    (
        "next call",
        re.compile(r"^/web/dataset/call_button/crm\.activity\.verification\.action_next_call"),
    ),
    ("log call", re.compile(r"^/web/dataset/call_kw/crm\.activity\.verification\.action_log_call")),
    ("mark done", re.compile(r"^/web/dataset/call_kw/mail\.activity\.action_feedback")),
    ("submit report", re.compile(r"^/web/dataset/call_button/crm\.activity\.weekly\.report")),
    ("link answer (POST)", re.compile(r"^/verification/\d+/[^/]+/answer")),
    ("link page (GET)", re.compile(r"^/verification/\d+/[^/]+$")),
    ("rating page (GET)", re.compile(r"^/rate/")),
)


# ----------------------------------------------------------------------------
# Setting up (in-process Odoo, committed)
# ----------------------------------------------------------------------------
def _signature():
    from PIL import Image, ImageDraw  # noqa: PLC0415

    image = Image.new("RGB", (240, 80), "white")
    ImageDraw.Draw(image).line([(10, 60), (80, 15), (140, 65), (230, 20)], fill="black", width=4)
    stream = io.BytesIO()
    image.save(stream, format="PNG")
    return base64.b64encode(stream.getvalue())


def _users(env, prefix, count, name, groups, **values):
    from odoo.fields import Command  # noqa: PLC0415

    group_ids = [env.ref(group).id for group in groups]
    return (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"{name} {index:03d}",
                    "login": f"{prefix}_{index:03d}",
                    "password": f"{prefix}_{index:03d}{PASSWORD_SUFFIX}",
                    "email": f"{prefix}_{index:03d}@load.example.com",
                    "tz": "America/Tijuana",
                    # internal people read their notifications in Odoo (no SMTP here)
                    "notification_type": "inbox",
                    "group_ids": [Command.set(group_ids)],
                    **values,
                }
                for index in range(count)
            ]
        )
    )


def setup(env, args):
    """People and work: ``{role: [(login, password, [items])]}``, link targets, the
    anchor's rating token."""
    from odoo.addons.crm_activity_verification import date_utils  # noqa: PLC0415

    company = env.company
    # wkhtmltopdf fetches the report's CSS from the long-polling worker (README
    # "Deployment": the HTTP workers may all be rendering PDFs)
    env["ir.config_parameter"].set_param("report.url", args.report_url or args.url)
    company.write(
        {
            "verification_customer_link": True,
            "verification_link_days": 7,
            # every activity is verified: the most work for the queue
            "verification_sampling": False,
        }
    )
    module = "crm_activity_verification"
    verifiers = _users(
        env,
        "load_verifier",
        args.verifiers,
        "Verificadora",
        ["base.group_user", f"{module}.group_verifier"],
    )
    advisors = _users(
        env,
        "load_advisor",
        args.advisors,
        "Asesor",
        ["base.group_user", "sales_team.group_sale_salesman", f"{module}.group_collaborator"],
        verification_role="sales_advisor",
    )
    promoters = _users(
        env,
        "load_promoter",
        args.promoters,
        "Promotor",
        ["base.group_user", f"{module}.group_collaborator"],
        verification_role="parts_promoter",
    )
    team = env.ref("sales_team.team_sales_department")
    team.member_ids |= advisors | promoters
    now = datetime.now().replace(microsecond=0)
    quiet = {"mail_create_nolog": True, "tracking_disable": True, "mail_notrack": True}
    Partner = env["res.partner"].with_context(**quiet)
    callable_partners = Partner.create(
        [
            {
                "name": f"Transportes carga {n:03d}",
                "phone": f"+52 664 555 {n:04d}",
                "tz": "America/Tijuana",
            }
            for n in range(50)
        ]
    )
    Verification = env["crm.activity.verification"]._workflow().with_context(**quiet)
    # the call queue: open verifications with a phone
    Verification.create(
        [
            {
                "partner_id": callable_partners[n % 50].id,
                "activity_date": now - timedelta(days=1 + n % 5, hours=n % 7),
                "user_id": advisors[n % len(advisors)].id,
                "team_id": team.id,
            }
            for n in range(args.queue)
        ]
    )
    # the advisors' activities of a verified type, on their own opportunities
    per_advisor = -(-args.activities // max(len(advisors), 1))
    leads = (
        env["crm.lead"]
        .with_context(**quiet)
        .create(
            [
                {
                    "name": f"Tractocamión carga {advisor.id}-{n}",
                    "type": "opportunity",
                    "user_id": advisor.id,
                    "team_id": team.id,
                    "partner_id": callable_partners[n % 50].id,
                }
                for advisor in advisors
                for n in range(per_advisor)
            ]
        )
    )
    activity_type = env.ref(VERIFIED_TYPE)
    lead_model = env["ir.model"]._get_id("crm.lead")
    activities = (
        env["mail.activity"]
        .with_context(mail_activity_quick_update=True, **quiet)
        .create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": lead_model,
                    "res_id": lead.id,
                    "user_id": lead.user_id.id,
                    "summary": "Visita de promoción",
                    "date_deadline": date.today(),
                }
                for lead in leads
            ]
        )
    )
    by_advisor = collections.defaultdict(list)
    for activity in activities:
        by_advisor[activity.user_id.id].append(activity.id)
    # the promoters' signed weekly reports of past weeks, two lines each
    signature = _signature()
    this_week, _friday = date_utils.last_complete_week(
        date_utils.local_date(now, "America/Tijuana")
    )
    by_promoter = collections.defaultdict(list)
    for promoter in promoters:
        for week in range(args.reports):
            saturday = this_week - timedelta(weeks=week)
            start, _end = date_utils.week_utc_range(saturday, "America/Tijuana")
            report = (
                env["crm.activity.weekly.report"]
                .with_user(promoter)
                .with_context(**quiet)
                .create(
                    {
                        "date_start": saturday,
                        "signed_by": promoter.name,
                        "signature": signature,
                        "signed_on": saturday + timedelta(days=6),
                        "line_ids": [
                            (
                                0,
                                0,
                                {
                                    "date": start + timedelta(days=2 + line, hours=17),
                                    "activity_type_id": activity_type.id,
                                    "partner_id": callable_partners[(week + line) % 50].id,
                                    "contact_name": f"Contacto {line}",
                                    "description": "Visita de promoción de refacciones",
                                },
                            )
                            for line in range(2)
                        ],
                    }
                )
            )
            by_promoter[promoter.id].append(report.id)
    # the customers' links: verifications without a phone (out of the call queue: an
    # answer and a call on the same verification at once are not what is measured)
    customers = Partner.create(
        [
            {
                "name": f"Cliente carga {n:04d}",
                "email": f"cliente{n:04d}@load.example.com",
                "tz": "America/Tijuana",
            }
            for n in range(args.answers)
        ]
    )
    linked = Verification.create(
        [
            {"partner_id": customer.id, "activity_date": now - timedelta(days=1), "phone": False}
            for customer in customers
        ]
    )
    # the tokens as the e-mails would carry them (only their digests are kept)
    links = [(v.id, v._make_link_token(v.partner_id.email)) for v in linked]
    linked.write({"link_sent_on": now - timedelta(hours=1)})
    # the anchor: a rating of an opportunity (no model of the installed modules inherits
    # rating.mixin; the page asks only that the rated record exist)
    rating = env["rating.rating"].create(
        {"res_model_id": lead_model, "res_id": leads[:1].id, "partner_id": customers[:1].id}
    )
    # the report's assets, generated once before the clock (else the first PDFs of the run
    # generate them at once: a serialization failure on their attachment, logged)
    for bundle in ("web.report_assets_common", "web.report_assets_pdf"):
        env["ir.qweb"]._get_asset_bundle(bundle, js=False).css()
    env.cr.commit()
    return (
        {
            "verifier": [(u.login, u.login + PASSWORD_SUFFIX, []) for u in verifiers],
            "advisor": [(u.login, u.login + PASSWORD_SUFFIX, by_advisor[u.id]) for u in advisors],
            "promoter": [
                (u.login, u.login + PASSWORD_SUFFIX, by_promoter[u.id]) for u in promoters
            ],
        },
        links,
        rating.access_token,
    )


# ----------------------------------------------------------------------------
# The people (threads of HTTP clients)
# ----------------------------------------------------------------------------
class RpcError(Exception):
    pass


class Run:
    """Shared state of a run: the clock, the results, the double-pick watch."""

    def __init__(self, args):
        self.args = args
        self.url = args.url
        self.lock = threading.Lock()
        self.results = []  # (action, seconds, error or None)
        self.deadline = None
        self.held = {}  # verification id -> verifier being given it
        self.double_picks = []
        self.queue_empty = 0
        self.answered = []  # verification ids of answers acknowledged to the customer
        self.links = None
        self.rpc_ids = itertools.count(1)

    def running(self):
        return time.monotonic() < self.deadline

    def think(self):
        pause = self.args.think * random.uniform(0.5, 1.5)
        time.sleep(max(0.0, min(pause, self.deadline - time.monotonic())))

    def record(self, action, seconds, error=None):
        with self.lock:
            self.results.append((action, seconds, error))

    def timed(self, action, func, *args, **kwargs):
        start = time.perf_counter()
        try:
            result = func(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - counted as an error of the run
            self.record(
                action, time.perf_counter() - start, f"{type(error).__name__}: {error}"[:200]
            )
            return None, False
        self.record(action, time.perf_counter() - start)
        return result, True

    def rpc(self, session, path, params):
        response = session.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "id": next(self.rpc_ids), "params": params},
            timeout=180,
        )
        response.raise_for_status()
        data = response.json()
        if "error" in data:
            error = data["error"].get("data") or {}
            raise RpcError(f"{error.get('name')}: {error.get('message') or data['error']}")
        return data["result"]

    def login(self, login, password):
        session = session_from("127.0.0.1")
        result = self.rpc(
            session,
            "/web/session/authenticate",
            {"db": self.args.db, "login": login, "password": password},
        )
        context = dict(result.get("user_context") or {})
        return session, context

    def call(self, session, context, model, method, args, button=False, **kwargs):
        route = "call_button" if button else "call_kw"
        return self.rpc(
            session,
            f"/web/dataset/{route}/{model}.{method}",
            {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": {**kwargs, "context": context},
            },
        )


class SourceAddressAdapter(requests.adapters.HTTPAdapter):
    """Connections from a given local address: each customer from his own address of
    the loopback range, which the reverse proxy hands to Odoo (X-Forwarded-For)."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


def session_from(address):
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter(address))
    return session


def verifier(run, login, session, context, _items):
    model = "crm.activity.verification"
    outcomes = ["confirmed"] * 6 + ["no_answer"] * 3 + ["not_confirmed"]
    while run.running():
        action, ok = run.timed(
            "next call", run.call, session, context, model, "action_next_call", [[]], True
        )
        if not ok:
            run.think()
            continue
        if action.get("type") != "ir.actions.act_window":
            with run.lock:
                run.queue_empty += 1
            run.think()
            continue
        verification_id = action["res_id"]
        with run.lock:
            other = run.held.get(verification_id)
            if other and other != login:
                run.double_picks.append((verification_id, other, login))
            run.held[verification_id] = login
        run.think()  # the call
        run.timed(
            "log call",
            run.call,
            session,
            context,
            model,
            "action_log_call",
            [[verification_id], random.choice(outcomes)],
            notes="Llamada de la prueba de carga",
        )
        with run.lock:
            if run.held.get(verification_id) == login:
                del run.held[verification_id]
        run.think()


def advisor(run, login, session, context, items):
    for activity_id in items:
        if not run.running():
            break
        run.timed(
            "mark done",
            run.call,
            session,
            context,
            "mail.activity",
            "action_feedback",
            [[activity_id]],
            feedback="Visita realizada",
        )
        run.think()


def promoter(run, login, session, context, items):
    for report_id in items:
        if not run.running():
            break
        run.timed(
            "submit report",
            run.call,
            session,
            context,
            "crm.activity.weekly.report",
            "action_submit",
            [[report_id]],
            True,
        )
        run.think()


def customer(run, index):
    # each customer from his own address
    session = session_from(f"127.1.{index // 250}.{index % 250 + 1}")
    answers = ("confirmed", "denied", "call_me")
    while run.running():
        with run.lock:
            if not run.links:
                return
            verification_id, token = run.links.pop()
        url = f"{run.url}/verification/{verification_id}/{token}"

        def page(url=url):
            response = session.get(url, timeout=180)
            response.raise_for_status()
            return CSRF.search(response.text).group(1)

        csrf, ok = run.timed("link page (GET)", page)
        if not ok:
            run.think()
            continue
        run.think()  # reading the page

        def answer(url=url, csrf=csrf, verification_id=verification_id):
            response = session.post(
                f"{url}/answer",
                data={"answer": random.choice(answers), "csrf_token": csrf},
                timeout=180,
            )
            response.raise_for_status()
            if "o_link_error" in response.text:
                raise RpcError("the page refused the answer")
            with run.lock:
                run.answered.append(verification_id)

        run.timed("link answer (POST)", answer)
        run.think()


def anchor(run, token, index):
    session = session_from(f"127.2.0.{index + 1}")

    def page():
        response = session.get(f"{run.url}/rate/{token}/5", timeout=180)
        response.raise_for_status()

    while run.running():
        run.timed("rating page (GET)", page)
        run.think()


def sample_memory(run, pid, peaks):
    """Peak virtual size and resident memory of the server's processes (kB)."""

    def descendants(root):
        children = []
        try:
            for task in os.listdir(f"/proc/{root}/task"):
                with open(f"/proc/{root}/task/{task}/children") as handle:
                    children += [int(child) for child in handle.read().split()]
        except OSError:
            return []
        return children + [grandchild for child in children for grandchild in descendants(child)]

    while run.running():
        for process in [pid, *descendants(pid)]:
            try:
                with open(f"/proc/{process}/comm") as handle:
                    if not handle.read().startswith("python"):
                        continue  # wkhtmltopdf: its own process, its own limits
                with open(f"/proc/{process}/status") as handle:
                    status = dict(line.split(":", 1) for line in handle if ":" in line)
            except OSError:
                continue
            for key in ("VmSize", "VmRSS"):
                value = int(status.get(key, "0 kB").split()[0])
                peaks[key] = max(peaks.get(key, 0), value)
        time.sleep(1)


# ----------------------------------------------------------------------------
# The server's log
# ----------------------------------------------------------------------------
def read_log(path, offset):
    """Records of the server's log from ``offset``: ``[(pid, level, logger, text)]``."""
    records = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        handle.seek(offset)
        for line in handle:
            match = LOG_LINE.match(line)
            if match:
                records.append(list(match.groups()))
            elif records:
                records[-1][3] += "\n" + line.rstrip("\n")
    return records


def action_of(path):
    for name, pattern in ACTIONS:
        if pattern.match(path):
            return name
    return "other"


def analyse_log(records):
    """Serialization failures (each one is a retry of its request, or the request's
    error), by the request that had them: a prefork worker serves one request at a
    time, so a worker's failures belong to its next access-log line."""
    pending = collections.defaultdict(list)
    failures = collections.Counter()
    causes = collections.Counter()  # the statements that failed and logged it
    queue_bad_queries = 0
    errors = []
    warnings = []
    for pid, level, logger, text in records:
        serialization = "could not serialize access" in text or "SERIALIZATION_FAILURE" in text
        if level == "ERROR" and logger == "odoo.sql_db" and "SKIP LOCKED" in text:
            queue_bad_queries += 1
        if level == "ERROR" and logger == "odoo.sql_db" and serialization:
            if "SKIP LOCKED" in text:
                causes["the call queue's FOR UPDATE SKIP LOCKED"] += 1
            elif '"res_company" x WHERE' in text:
                causes["an insert's foreign-key check of its company (KEY SHARE)"] += 1
            else:
                causes["other: " + text.split("\n", 1)[0][:80]] += 1
        if logger == "odoo.service.model" and serialization:
            pending[pid].append(text)
        if level in ("ERROR", "CRITICAL"):
            errors.append(text.splitlines()[0][:160])
        elif level == "WARNING":
            warnings.append(text.splitlines()[0][:160])
        if logger == "werkzeug":
            match = REQUEST.search(text)
            if match and pending[pid]:
                failures[action_of(match.group(2))] += len(pending.pop(pid))
    return failures, causes, queue_bad_queries, errors, warnings


# ----------------------------------------------------------------------------
def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def check_answers(registry, answered):
    """(lost, recorded twice) among the answers acknowledged to the customers."""
    if not answered:
        return [], []
    with registry.cursor() as cr:
        cr.execute(
            "SELECT id FROM crm_activity_verification WHERE id IN %s AND customer_answer IS NULL",
            [tuple(answered)],
        )
        lost = [row[0] for row in cr.fetchall()]
        cr.execute(
            "SELECT res_id FROM mail_message WHERE model = 'crm.activity.verification' "
            "AND res_id IN %s AND body LIKE %s GROUP BY res_id HAVING count(*) > 1",
            [tuple(answered), "%confirmation link:%"],
        )
        twice = [row[0] for row in cr.fetchall()]
    return lost, twice


def main():  # noqa: C901 (a script: one step after the other)
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--log", required=True, help="the server's log file")
    parser.add_argument("--server-pid", type=int, help="the server's pid, for its memory")
    parser.add_argument("--report-url", help="report.url: where wkhtmltopdf gets the CSS")
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--think", type=float, default=30.0)
    parser.add_argument("--verifiers", type=int, default=10)
    parser.add_argument("--advisors", type=int, default=30)
    parser.add_argument("--promoters", type=int, default=5)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--queue", type=int, default=1000, help="open verifications to call")
    parser.add_argument("--activities", type=int, default=1500, help="to mark done, in all")
    parser.add_argument("--reports", type=int, default=10, help="weekly reports per promoter")
    parser.add_argument("--answers", type=int, default=1200, help="links, in all")
    parser.add_argument("--anchor-clients", type=int, default=2)
    args = parser.parse_args()
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost"):
        sys.exit("bench_load: only 127.0.0.1 is a target")

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)
    begin = time.perf_counter()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "America/Tijuana"})
        people, links, rating_token = setup(env, args)
    print(
        f"set up in {time.perf_counter() - begin:.0f} s: {args.verifiers} verifiers, "
        f"{args.advisors} advisors, {args.promoters} promoters, {args.customers} customers; "
        f"{args.queue} calls queued, {args.activities} activities, "
        f"{args.promoters * args.reports} reports, {len(links)} links",
        flush=True,
    )

    run = Run(args)
    run.links = links
    log_offset = os.path.getsize(args.log)
    run.deadline = time.monotonic() + args.duration + 3600  # logins first, then the clock
    threads = []
    roles = {"verifier": verifier, "advisor": advisor, "promoter": promoter}
    barrier = threading.Barrier(
        sum(len(people[role]) for role in roles) + args.customers + args.anchor_clients + 1
    )

    def start(func, *func_args, login=None):
        def body():
            try:
                if login:  # staff log in before the clock starts (a password hash each)
                    session, context = run.login(*login)
            except Exception as error:  # noqa: BLE001 - counted as an error of the run
                run.record("login", 0.0, f"{type(error).__name__}: {error}"[:200])
                barrier.wait()
                return
            barrier.wait()
            if login:
                func(run, login[0], session, context, *func_args)
            else:
                func(run, *func_args)

        thread = threading.Thread(target=body, daemon=True)
        thread.start()
        threads.append(thread)

    for role, func in roles.items():
        for login, password, items in people[role]:
            start(func, items, login=(login, password))
    for index in range(args.customers):
        start(customer, index)
    for index in range(args.anchor_clients):
        start(anchor, rating_token, index)
    barrier.wait()
    run.deadline = time.monotonic() + args.duration
    clock = time.perf_counter()
    peaks = {}
    if args.server_pid:
        threading.Thread(
            target=sample_memory, args=(run, args.server_pid, peaks), daemon=True
        ).start()
    for thread in threads:
        thread.join(timeout=max(0.0, run.deadline - time.monotonic()) + 200)
    elapsed = time.perf_counter() - clock
    time.sleep(2)  # the last access-log lines
    failures, causes, queue_bad_queries, log_errors, log_warnings = analyse_log(
        read_log(args.log, log_offset)
    )
    lost, twice = check_answers(registry, run.answered)

    by_action = collections.defaultdict(list)
    errors = collections.defaultdict(list)
    for action, seconds, error in run.results:
        if error:
            errors[action].append(error)
        else:
            by_action[action].append(seconds)
    print(f"\nrun: {elapsed:.0f} s, think time {args.think:g} s (0.5 to 1.5 times), {args.url}")
    columns = ("done", "per s", "p50 ms", "p95 ms", "errors", "serialization")
    print(f"{'action':<22} " + " ".join(f"{name:>{len(name) + 2}}" for name in columns))
    order = [name for name, _pattern in ACTIONS] + ["login"]
    for action in order:
        times = by_action.get(action, [])
        if not times and not errors.get(action):
            continue
        p50 = statistics.median(times) * 1000 if times else 0
        p95 = percentile(times, 0.95) * 1000 if times else 0
        print(
            f"{action:<22} {len(times):>6} {len(times) / elapsed:>7.2f} {p50:>8.0f} {p95:>8.0f} "
            f"{len(errors.get(action, [])):>8} {failures.get(action, 0):>15}"
        )
    total = sum(len(times) for times in by_action.values())
    error_count = sum(len(found) for found in errors.values())
    print(f"{'all':<22} {total:>6} {total / elapsed:>7.2f}")
    for action, found in errors.items():
        print(f"  errors of {action}: " + "; ".join(sorted(set(found))[:3]))
    if failures.get("other"):
        print(f"  serialization failures of other requests: {failures['other']}")
    print(f"errors: {error_count}")
    print(
        f"serialization failures logged: {sum(failures.values())} (retried by Odoo); on the call "
        f"queue: {failures.get('next call', 0)}; the queue's 'bad query' logged: "
        f"{queue_bad_queries}"
    )
    for cause, count in causes.most_common():
        print(f"  {count} logged as 'bad query' (ERROR) by {cause}")
    print(f"ERROR lines logged: {len(log_errors)}; WARNING lines: {len(log_warnings)}")
    for line in sorted(set(log_errors))[:5] + sorted(set(log_warnings))[:5]:
        print(f"  {line}")
    print(f"double picks: {len(run.double_picks)}; queue found empty: {run.queue_empty} times")
    print(
        f"answers acknowledged: {len(run.answered)}; lost: {len(lost)}; recorded twice: "
        f"{len(twice)}"
    )
    page, rate = by_action.get("link page (GET)"), by_action.get("rating page (GET)")
    if page and rate:
        p50 = (statistics.median(page), statistics.median(rate))
        p95 = (percentile(page, 0.95), percentile(rate, 0.95))
        print(
            f"anchor: customer's page / Odoo's rating page: p50 {p50[0] * 1000:.0f} / "
            f"{p50[1] * 1000:.0f} ms = {p50[0] / p50[1]:.2f}x; p95 {p95[0] * 1000:.0f} / "
            f"{p95[1] * 1000:.0f} ms = {p95[0] / p95[1]:.2f}x"
        )
    if peaks:
        print(
            f"Odoo processes' peaks: virtual {peaks['VmSize'] / 1024:.0f} MiB (what "
            f"limit_memory_soft/hard measure), resident {peaks['VmRSS'] / 1024:.0f} MiB (the "
            "largest process)"
        )
    bad = (
        error_count
        or run.double_picks
        or lost
        or twice
        or failures.get("next call")
        or queue_bad_queries
        or log_errors
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
