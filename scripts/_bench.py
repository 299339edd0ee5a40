#!/usr/bin/env python3
"""The measurements of ``scripts/bench`` (run that, not this).

    python3 scripts/_bench.py -c .local/odoo.conf --db BIG --small-db SMALL --size N
        [--runs 3] [--escalations K] [--hand-max H] [--report-url URL] [--skip-pdf]

Loads BIG at size N and SMALL at 10,000 when not loaded yet (scripts/_bench_data.py),
commits that, then measures; every measurement runs in a savepoint rolled back.
Each time is the median of ``--runs`` runs after one warm-up run (the ORM and view
caches are warm, the record cache is emptied before each run); "queries" counts the
SQL statements of one run. Timed runs end with the flush and the pre-commit hooks
(tracking), so that deferred writes count; post-commit hooks (bus, e-mail sending)
do not run.
"""

import argparse
import ast
import collections
import io
import os
import re
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

from lxml import etree

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, SCRIPTS)

import _bench_data  # noqa: E402
import bench_fre_pdf  # noqa: E402

SMALL_SIZE = 10_000
BOARD_VIEW = "crm_activity_verification.crm_activity_verification_view_kanban"
BOARD_ACTION = "crm_activity_verification.crm_activity_verification_action_board"
PIPELINE_VIEW = "crm.crm_case_kanban_view_leads"
PIPELINE_ACTION = "crm.crm_lead_action_pipeline"
VERIFIED_TYPE = "crm_activity_verification.mail_activity_type_promotion_visit"
TODO_TYPE = "mail.mail_activity_data_todo"
# fields the web client reads for a widget, beyond the field itself
WIDGET_FIELDS = {
    "kanban_activity": [
        "activity_exception_decoration",
        "activity_exception_icon",
        "activity_state",
        "activity_summary",
        "activity_type_icon",
        "activity_type_id",
    ],
}

RESULTS = []  # (measure, addon, odoo/reference, ratio, target, met)


class _Rollback(Exception):
    pass


def say(text=""):
    print(text, flush=True)


def header(text):
    say(f"\n==== {text} ====")


def med(values):
    return statistics.median(values)


@contextmanager
def rolled_back(env):
    """Run the block in a savepoint, then roll it back whatever happens."""
    try:
        with env.cr.savepoint():
            yield
            raise _Rollback
    except _Rollback:
        pass
    env.cr.postcommit.clear()
    env.invalidate_all(flush=False)


def finish(env):
    env.flush_all()
    env.cr.precommit.run()


def timed(env, func, runs, prepare=None, warmup=True, after=None):
    """(median seconds, median queries, last result) of ``func(prepared)``, each run
    (and a warm-up run) in its own rolled-back savepoint; ``after(result)``, untimed,
    before the rollback, gives the result instead."""
    times, counts, result = [], [], None
    for run in range(runs + (1 if warmup else 0)):
        with rolled_back(env):
            prepared = prepare() if prepare else None
            finish(env)
            env.invalidate_all()
            count = env.cr.sql_log_count
            begin = time.perf_counter()
            result = func(prepared)
            finish(env)
            elapsed = time.perf_counter() - begin
            if run or not warmup:
                times.append(elapsed)
                counts.append(env.cr.sql_log_count - count)
            if after:
                result = after(result)
    return med(times), med(counts), result


def interleaved(cases, runs):
    """``timed`` for several ``(env, func, prepare)`` cases compared with each other: a
    warm-up run of each, then ``runs`` rounds running each case once in turn (so that
    the load of the shared machine weighs on all alike): [(median s, median queries,
    last result)]."""
    for env, func, prepare in cases:
        timed(env, func, 1, prepare=prepare, warmup=False)
    samples = [([], [], None) for _case in cases]
    for _round in range(runs):
        for index, (env, func, prepare) in enumerate(cases):
            seconds, queries, result = timed(env, func, 1, prepare=prepare, warmup=False)
            times, counts, _result = samples[index]
            times.append(seconds)
            counts.append(queries)
            samples[index] = (times, counts, result)
    return [(med(times), med(counts), result) for times, counts, result in samples]


@contextmanager
def captured_queries():
    """The SQL (parameters inlined) run by this thread inside the block."""
    queries = []
    thread = threading.current_thread()
    hooks = getattr(thread, "query_hooks", ())

    def hook(cr, query, params, _start, _depth):
        queries.append(cr._obj.mogrify(query, params).decode())

    thread.query_hooks = (*hooks, hook)
    try:
        yield queries
    finally:
        thread.query_hooks = hooks


def record(measure, addon, reference, target=None, unit="s"):
    ratio = addon / reference if reference else float("inf")
    met = None if target is None else ratio <= target
    RESULTS.append((measure, addon, reference, ratio, target, met, unit))
    verdict = "" if met is None else (" target met" if met else " TARGET MISSED")
    target_text = "" if target is None else f" (target <= {target:g}x)"
    fmt = (lambda v: f"{v * 1000:.1f} ms") if unit == "s" else (lambda v: f"{v:g}")
    say(f"  -> {measure}: {fmt(addon)} vs {fmt(reference)} = {ratio:.2f}x{target_text}{verdict}")


# ----------------------------------------------------------------------------
# 1. Kanban first load, as the web client does it
# ----------------------------------------------------------------------------
def kanban_load_args(env, model, view_xmlid, action_xmlid):
    """(domain, group_by, aggregates, order, specification, progress bar) of a kanban's
    first load, from its action and its arch as the user gets it (get_views)."""
    from dateutil.relativedelta import relativedelta  # noqa: PLC0415

    from odoo import fields  # noqa: PLC0415
    from odoo.tools.safe_eval import datetime, safe_eval  # noqa: PLC0415

    Model = env[model]
    action = env.ref(action_xmlid).sudo()
    # the web client's evaluation context of an action's domain (context_today, ...)
    domain = safe_eval(
        action.domain or "[]",
        {
            "context_today": lambda: fields.Date.context_today(Model),
            "relativedelta": relativedelta,
            "datetime": datetime,
            "uid": env.uid,
        },
    )
    arch = Model.get_views([(env.ref(view_xmlid).id, "kanban")])["views"]["kanban"]["arch"]
    root = etree.fromstring(arch)
    spec = {}
    for node in root.iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        name = node.get("name")
        field = Model._fields.get(name)
        if field is None:
            continue
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            sub = {}
            if node.get("widget") == "many2many_tags":
                sub = {"display_name": {}}
                if "color" in env[field.comodel_name]._fields:
                    sub["color"] = {}
            spec[name] = {"fields": sub} if sub else {}
        else:
            spec.setdefault(name, {})
        for extra in WIDGET_FIELDS.get(node.get("widget"), ()):
            if extra in Model._fields:
                spec.setdefault(
                    extra,
                    {"fields": {"display_name": {}}}
                    if Model._fields[extra].type == "many2one"
                    else {},
                )
    bar = root.find(".//progressbar")
    progress_bar = {"field": bar.get("field"), "colors": ast.literal_eval(bar.get("colors"))}
    aggregates = [
        f"{bar.get(attr)}:sum"
        for attr in ("sum_field", "recurring_revenue_sum_field")
        if bar.get(attr)
    ]
    group_by = root.get("default_group_by")
    return domain, group_by, aggregates, root.get("default_order"), spec, progress_bar


def kanban_first_load(Model, args):
    domain, group_by, aggregates, order, spec, progress_bar = args
    # the web client's grouped load (relational_model.js): empty and folded columns
    # come from the field's group_expand, and folded columns are not read
    groups = Model.with_context(read_group_expand=True).web_read_group(
        domain,
        [group_by],
        aggregates,
        order=order,
        auto_unfold=True,
        unfold_read_specification=spec,
        unfold_read_default_limit=80,
    )
    bars = Model.read_progress_bar(domain, group_by, progress_bar)
    return groups, bars


def open_column(Model, args, value):
    """What the web client reads when the user unfolds the folded column ``value``: its
    first 80 cards (web_search_read with the column's domain and the kanban's order)."""
    domain, group_by, _aggregates, order, spec, _progress_bar = args
    return Model.web_search_read(
        [*domain, (group_by, "=", value)], spec, limit=80, order=order, count_limit=10001
    )


def open_column_case(env, user, args, value):
    Model = env["crm.activity.verification"].with_user(user)
    return (env, lambda _p: open_column(Model, args, value), None)


def kanban_case(env, user, model, view, action):
    Model = env[model].with_user(user)
    args = kanban_load_args(Model.env, model, view, action)
    return (env, lambda _p: kanban_first_load(Model, args), None), args


def say_kanban(label, measured):
    seconds, queries, (groups, _bars) = measured
    cards = sum(len(group.get("__records", ())) for group in groups["groups"])
    total = sum(group["__count"] for group in groups["groups"])
    say(
        f"  {label:<52} {seconds * 1000:8.1f} ms  {queries:3d} queries  "
        f"{len(groups['groups'])} columns, {cards} cards read, {total:,} records counted"
    )


# ----------------------------------------------------------------------------
# 2. Next call
# ----------------------------------------------------------------------------
def next_call_case(env, user):
    Verification = env["crm.activity.verification"].with_user(user)
    return (env, lambda _p: Verification.action_next_call(), None)


def say_next_call(label, measured):
    seconds, queries, action = measured
    say(
        f"  {label:<52} {seconds * 1000:8.1f} ms  {queries:3d} queries  "
        f"(got {action.get('res_model')} {action.get('res_id')})"
    )


# ----------------------------------------------------------------------------
# 3. Marking done
# ----------------------------------------------------------------------------
def bench_mark_done(env, salesman, count, runs):
    leads = env["crm.lead"].search([], limit=2 * count, order="id")
    cases = []
    for label, xmlid, targets in (
        ("verification type", VERIFIED_TYPE, leads[:count]),
        ("plain to-do", TODO_TYPE, leads[count : 2 * count]),
    ):
        activity_type = env.ref(xmlid)

        def prepare(activity_type=activity_type, targets=targets):
            # the advisor's own opportunities (inside the rolled-back savepoint)
            env.cr.execute(
                "UPDATE crm_lead SET user_id = %s WHERE id IN %s", (salesman.id, tuple(targets.ids))
            )
            targets.invalidate_recordset(["user_id"])
            return (
                env["mail.activity"]
                .with_context(mail_activity_quick_update=True)
                .create(
                    [
                        {
                            "activity_type_id": activity_type.id,
                            "res_model_id": env["ir.model"]._get_id("crm.lead"),
                            "res_id": lead.id,
                            "user_id": salesman.id,
                            "summary": "Visita de prueba",
                            "date_deadline": lead.create_date.date(),
                        }
                        for lead in targets
                    ]
                )
                .ids
            )

        def mark_done(ids):
            return env["mail.activity"].with_user(salesman).browse(ids).action_done()

        cases.append((label, (env, mark_done, prepare)))
    measured = interleaved([case for _label, case in cases], runs)
    result = {}
    for (label, _case), (seconds, queries, _result) in zip(cases, measured, strict=True):
        result[label] = (seconds, queries)
        say(f"  {count:4d} x {label:<20} {seconds * 1000:8.1f} ms  {queries:5d} queries")
    if count == 1:
        say_extra_queries(env, cases)
    return result


def query_shape(query):
    """A query without its literals, to compare two runs' queries."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", query)[:160]


def say_extra_queries(env, cases):
    """The queries of the first case that the second case does not run (by shape)."""
    shapes = []
    for _label, (case_env, func, prepare) in cases:
        with rolled_back(case_env):
            prepared = prepare()
            finish(case_env)
            case_env.invalidate_all()
            with captured_queries() as queries:
                func(prepared)
                finish(case_env)
        shapes.append(collections.Counter(query_shape(query) for query in queries))
    extra = shapes[0] - shapes[1]
    say(f"  extra queries of one verification-type activity ({sum(extra.values())}, by shape):")
    for shape, number in extra.items():
        say(f"    {number} x {shape}")


# ----------------------------------------------------------------------------
# 4. Escalation cron
# ----------------------------------------------------------------------------
def prepare_followups(env, count):
    """``count`` confirmed verifications with a follow-up overdue by exactly one step
    (manager, not yet HR & process manager): ids."""
    Verification = env["crm.activity.verification"]
    company = env.company
    _today, limit_manager, limit_process = Verification._get_escalation_limits(company)
    deadline = max(limit_manager - timedelta(days=1), limit_process)
    env.cr.execute(
        """
        UPDATE crm_activity_verification
           SET followup_state = 'requested', followup_deadline = %s, escalation_level = 0,
               followup_note = 'Enviar cotización', followup_user_id = verifier_id
         WHERE id IN (SELECT id FROM crm_activity_verification
                       WHERE state = 'confirmed' AND followup_state = 'none'
                       ORDER BY id DESC LIMIT %s)
        RETURNING id
        """,
        (deadline, count),
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.invalidate_all()
    return ids


def bench_escalation(env, count, runs, leader, hand_count=None):
    """The cron on ``count`` overdue follow-ups against ``activity_schedule`` +
    ``message_post`` by hand on ``hand_count`` of them (all by default; the hand's
    24 queries a follow-up make 100,000 of them a 40-minute run): (cron s, cron
    queries, hand s, hand queries), the hand's scaled to ``count``."""
    hand_count = min(hand_count or count, count)
    Verification = env["crm.activity.verification"]
    escalated_type = env.ref("crm_activity_verification.mail_activity_type_followup_escalated")

    def count_mails(_result=None):
        env.cr.execute("SELECT count(*) FROM mail_mail")
        return env.cr.fetchone()[0]

    def cron(_ids):
        return Verification._cron_followup_escalation()

    def by_hand(ids):
        for verification in Verification.browse(ids):
            verification.activity_schedule(
                activity_type_id=escalated_type.id,
                user_id=leader.id,
                summary="Overdue follow-up",
                date_deadline=verification.followup_deadline,
            )
            verification.message_post(
                body="Follow-up overdue: escalated.", subtype_xmlid="mail.mt_note"
            )

    mails_before = count_mails()
    cron_s, cron_q, mails = timed(
        env,
        cron,
        runs,
        prepare=lambda: prepare_followups(env, count),
        warmup=False,
        after=count_mails,
    )
    mails -= mails_before
    hand_s, hand_q, _ = timed(
        env, by_hand, runs, prepare=lambda: prepare_followups(env, hand_count), warmup=False
    )
    say(
        f"  cron on {count:,} overdue follow-ups         {cron_s:8.2f} s  {cron_q:7d} queries "
        f"({cron_q / count:.1f}/follow-up), {mails} e-mails queued, "
        f"{count / cron_s:.0f} follow-ups/s"
    )
    say(
        f"  {hand_count:,} x activity_schedule + message_post {hand_s:8.2f} s  {hand_q:7d} queries "
        f"({hand_q / hand_count:.1f}/follow-up), {hand_count / hand_s:.0f}/s"
    )
    scale = count / hand_count
    return cron_s, cron_q, hand_s * scale, hand_q * scale


def escalation_peak_memory(env, count):
    """Peak Python memory (MiB, tracemalloc) of the escalation cron on ``count`` overdue
    follow-ups, run as the scheduler runs it (``cron_id`` in the context), rolled back.
    A real run commits each batch (``_commit_progress``), which flushes it and runs its
    pre-commit hooks (tracking); here each batch runs them the same way, without the
    commit, so that what a real run frees per batch is not counted for the whole run."""
    import tracemalloc  # noqa: PLC0415
    from unittest.mock import patch  # noqa: PLC0415

    def commit_progress(_cron, processed=0, **_kwargs):
        finish(env)
        return float("inf")

    cron = env.ref("crm_activity_verification.ir_cron_followup_escalation")
    Cron = type(env["ir.cron"])
    with rolled_back(env), patch.object(Cron, "_commit_progress", commit_progress):
        prepare_followups(env, count)
        finish(env)
        env.invalidate_all()
        tracemalloc.start()
        try:
            env["crm.activity.verification"].with_context(
                cron_id=cron.id
            )._cron_followup_escalation()
            finish(env)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return peak / 1024 / 1024


# ----------------------------------------------------------------------------
# 5. PDF
# ----------------------------------------------------------------------------
def pdf_pages(content):
    from odoo.tools.pdf import PdfFileReader  # noqa: PLC0415

    return len(PdfFileReader(io.BytesIO(content)).pages)


def bench_pdf(env, runs, report_url):
    users_model = env["ir.model"]._get("res.users")
    if report_url:
        env["ir.config_parameter"].set_param("report.url", report_url)
    # warm-up, committed: the report assets are generated (and stored) once, so that the
    # server serves them to wkhtmltopdf during the timed renders
    env["ir.actions.report"]._render_qweb_pdf("base.report_ir_model_overview", users_model.ids)
    env.cr.commit()
    with rolled_back(env):
        report = bench_fre_pdf.make_report(env, 200)
        fre_times, fre_pdf = bench_fre_pdf.timed_render(
            env, "crm_activity_verification.action_report_fre_7_5_01", report.ids, runs
        )
        rows = len(users_model.field_id) + len(users_model.access_ids)
        odoo_times, odoo_pdf = bench_fre_pdf.timed_render(
            env, "base.report_ir_model_overview", users_model.ids, runs
        )
        expected = len(report._get_pdf_pages())
    say(
        f"  {'FRE-7.5-01, 200 lines':<46} {med(fre_times):6.2f} s  "
        f"{pdf_pages(fre_pdf)} pages ({expected} computed by the report)"
    )
    odoo_label = f"base model overview of res.users, {rows} rows"
    say(f"  {odoo_label:<46} {med(odoo_times):6.2f} s  {pdf_pages(odoo_pdf)} pages")
    return med(fre_times), med(odoo_times), rows


# ----------------------------------------------------------------------------
# 6. EXPLAIN
# ----------------------------------------------------------------------------
def explain(env, title, sql_text):
    say(f"\n-- {title}\n{sql_text}")
    with rolled_back(env):
        env.cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql_text}")
        plan = [row[0] for row in env.cr.fetchall()]
    say("\n".join(plan))
    scans = [line.strip() for line in plan if "Scan" in line]
    seq = [line for line in scans if "Seq Scan" in line]
    verdict = "sequential scan(s): " + "; ".join(seq) if seq else "index scans only"
    say(f"-- scans: {verdict}")
    return plan


def bench_explain(env, verifier, board_args, escalations):
    from odoo.tools import SQL  # noqa: PLC0415

    from odoo.addons.crm_activity_verification.models.crm_activity_verification_queue import (  # noqa: PLC0415
        QUEUE_ORDER,
    )

    Verification = env["crm.activity.verification"].with_user(verifier)
    with rolled_back(env), captured_queries() as queries:
        kanban_first_load(Verification, board_args)
    table = Verification._table
    grouped = [q for q in queries if f'FROM "{table}"' in q and "GROUP BY" in q]
    cards = [q for q in queries if f'FROM "{table}"' in q and "LIMIT 80" in q]
    if grouped:
        explain(env, "board: columns (count per state, the board's domain)", grouped[0])
    if len(grouped) > 1:
        explain(env, "board: progress bar (count per state and last outcome)", grouped[-1])
    if cards:
        explain(env, "board: the 80 cards of the largest column", cards[0])
    from odoo import fields  # noqa: PLC0415

    query = Verification._search(
        Verification._get_queue_domain(fields.Datetime.now()), order=QUEUE_ORDER, limit=1
    )
    sql = query.select(SQL.identifier(table, "id"))
    text = env.cr._obj.mogrify(sql.code, sql.params).decode()
    explain(env, "queue: the next call (_reserve_next_call, without FOR UPDATE)", text)

    # the escalation cron's batch search, with overdue follow-ups (rolled back)
    Admin = env["crm.activity.verification"]
    with rolled_back(env):
        prepare_followups(env, escalations)
        env.cr.execute(f'ANALYZE "{table}"')
        limits = {
            company: Admin._get_escalation_limits(company)
            for company in env["res.company"].search([])
        }
        query = Admin._search(
            Admin._get_followup_escalation_domain(limits),
            order="followup_deadline, id",
            limit=Admin._ESCALATION_BATCH_SIZE,
        )
        sql = query.select(SQL.identifier(table, "id"))
        text = env.cr._obj.mogrify(sql.code, sql.params).decode()
        explain(env, f"escalation cron: a batch ({escalations:,} follow-ups overdue)", text)


# ----------------------------------------------------------------------------
def open_env(database):
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(database)
    cr = registry.cursor()
    return api.Environment(cr, SUPERUSER_ID, {"tz": "America/Tijuana"})


def ensure_loaded(env, size):
    loaded = _bench_data.loaded_size(env)
    if loaded == size:
        say(f"{env.cr.dbname}: already loaded at {size:,}")
        return
    if loaded:
        raise SystemExit(f"{env.cr.dbname} is loaded at {loaded:,}: drop it or use another --db")
    begin = time.perf_counter()
    counts = _bench_data.load(env, size)
    env.cr.commit()
    say(
        f"{env.cr.dbname}: loaded {size:,} opportunities and verifications in "
        f"{time.perf_counter() - begin:.0f} s: " + ", ".join(f"{s} {c:,}" for s, c in counts)
    )


def users(env):
    login = {u.login: u for u in env["res.users"].search([("login", "like", "bench_%")])}
    salesmen = [u for name, u in sorted(login.items()) if name.startswith("bench_sales_")]
    return login["bench_verifier"], login["bench_leader"], salesmen[0]


def main():  # noqa: C901 (a script: one step after the other)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--small-db", required=True)
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--escalations", type=int)
    parser.add_argument("--hand-max", type=int, default=1000)
    parser.add_argument("--report-url")
    parser.add_argument("--skip-pdf", action="store_true")
    args = parser.parse_args()

    from odoo.service import server  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", args.config, "-d", args.db])
    server.load_server_wide_modules()
    runs = args.runs
    escalations = args.escalations or min(max(args.size // 10, 10), 1000)

    header("Loading")
    small = open_env(args.small_db)
    big = open_env(args.db)
    ensure_loaded(small, SMALL_SIZE)
    ensure_loaded(big, args.size)
    n = args.size

    header(f"1. Board's first load (as the verifier) vs CRM pipeline ({runs} runs, median)")
    verifier, leader, salesman = users(big)
    small_verifier, _small_leader, _small_salesman = users(small)
    board_case, board_args = kanban_case(
        big, verifier, "crm.activity.verification", BOARD_VIEW, BOARD_ACTION
    )
    pipeline_case, _args = kanban_case(big, leader, "crm.lead", PIPELINE_VIEW, PIPELINE_ACTION)
    small_case, _args = kanban_case(
        small, small_verifier, "crm.activity.verification", BOARD_VIEW, BOARD_ACTION
    )
    board, pipeline, board_small = interleaved([board_case, pipeline_case, small_case], runs)
    say_kanban(f"board, {n:,} verifications", board)
    say_kanban(f"CRM pipeline, {n:,} opportunities (sales manager)", pipeline)
    say_kanban(f"board, {SMALL_SIZE:,} verifications", board_small)
    record(f"board vs pipeline at {n:,}", board[0], pipeline[0], 1.0)
    record(f"board at {n:,} vs at {SMALL_SIZE:,}", board[0], board_small[0], 1.5)
    record("board vs pipeline: queries", board[1], pipeline[1], unit="q")
    concluded, open_ = interleaved(
        [
            open_column_case(big, verifier, board_args, "confirmed"),
            open_column_case(big, verifier, board_args, "pending"),
        ],
        runs,
    )
    for label, (seconds, queries, result) in (
        ("folded column 'confirmed' opened", concluded),
        ("open column 'pending' (its cards)", open_),
    ):
        say(
            f"  {label:<52} {seconds * 1000:8.1f} ms  {queries:3d} queries  "
            f"{len(result['records'])} cards of {result['length']:,}"
        )
    record(
        f"folded column opened vs open column, 80 cards each, at {n:,}",
        concluded[0],
        open_[0],
        1.5,
    )

    header(f"2. Next call (action_next_call, rolled back; {runs} runs, median)")
    next_small, next_n = interleaved(
        [next_call_case(small, small_verifier), next_call_case(big, verifier)], runs
    )
    say_next_call(f"{SMALL_SIZE:,} verifications", next_small)
    say_next_call(f"{n:,} verifications", next_n)
    record(f"next call at {n:,} vs at {SMALL_SIZE:,}", next_n[0], next_small[0], 1.5)

    header(f"3. Marking done: verification type vs plain to-do on leads ({runs} runs, median)")
    for count in (1, 50, 500):
        done = bench_mark_done(big, salesman, count, runs)
        (ver_s, ver_q), (todo_s, todo_q) = done["verification type"], done["plain to-do"]
        record(f"mark done x{count}: time", ver_s, todo_s, 1.15)
        record(f"mark done x{count}: queries (extra {ver_q - todo_q})", ver_q, todo_q, unit="q")

    header(f"4. Escalation cron on {escalations} overdue follow-ups (1 run each)")
    cron_s, cron_q, hand_s, hand_q = bench_escalation(
        big, escalations, 1, leader, hand_count=args.hand_max
    )
    by_hand = (
        "by hand" if args.hand_max >= escalations else f"by hand on {args.hand_max:,} (scaled)"
    )
    record(f"escalation cron vs {by_hand}, {escalations:,} follow-ups", cron_s, hand_s)
    record(
        "escalation: queries per follow-up", cron_q / escalations, hand_q / escalations, unit="q"
    )
    small_backlog = max(escalations // 10, 10)
    peaks = [escalation_peak_memory(big, size) for size in (small_backlog, escalations)]
    for size, peak in zip((small_backlog, escalations), peaks, strict=True):
        say(f"  peak Python memory of the cron (tracemalloc), {size:,} follow-ups: {peak:.1f} MiB")
    record(
        f"escalation peak memory, {escalations:,} vs {small_backlog:,} follow-ups",
        peaks[1],
        peaks[0],
        unit="MiB",
    )

    if args.skip_pdf:
        say("\n(PDF skipped)")
    else:
        header(f"5. PDF: FRE-7.5-01 of 200 lines vs Odoo's model overview ({runs} runs)")
        if not args.report_url:
            say("  (no --report-url: wkhtmltopdf renders both without the report CSS)")
        fre_s, odoo_s, rows = bench_pdf(big, runs, args.report_url)
        record(f"FRE PDF 200 lines vs base report {rows} rows", fre_s, odoo_s)

    header(f"6. EXPLAIN (ANALYZE, BUFFERS) at {n:,}")
    bench_explain(big, verifier, board_args, escalations)

    header("Summary")
    say("| Measure | Addon | Odoo / reference | Ratio | Target | Met |")
    say("|---|---:|---:|---:|---:|---|")
    for measure, addon, reference, ratio, target, met, unit in RESULTS:
        fmt = (
            (lambda v: f"{v * 1000:,.1f} ms")
            if unit == "s"
            else (lambda v, unit=unit: f"{v:,.1f}{' MiB' if unit == 'MiB' else ''}")
        )
        target_text = f"≤ {target:g}×" if target else ""
        met_text = "" if met is None else ("yes" if met else "**no**")
        say(
            f"| {measure} | {fmt(addon)} | {fmt(reference)} | {ratio:.2f}× | {target_text} "
            f"| {met_text} |"
        )
    for env in (small, big):
        env.cr.rollback()
        env.cr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
