#!/usr/bin/env python3
"""The replica run of ``scripts/bench --replica`` (run that, not this).

    python3 scripts/_bench_replica.py setup -c CONF --db DB [--size N] [--sealed M]
    python3 scripts/_bench_replica.py measure -c CONF --db DB --url URL --primary-url URL2
        --primary-port P --replica-port R [--runs 5]

``setup`` loads N verifications and opportunities (scripts/_bench_data.py) and M sealed
calls (scripts/bench_integrity.py), gives the bench's verifier, sales manager and
process manager a password, and creates pg_stat_statements; committed.

``measure`` calls, over HTTP as the web client does, the board's first load
(``web_read_group`` + ``read_progress_bar``, as the verifier), the integrity check
(``res.company.get_verification_integrity``, as the process manager), the analysis
(``formatted_read_group`` of the pivot's measures by team and month, as the sales
manager) and, as a control that writes, the next call (``action_next_call``): each
``--runs`` times on the server configured with the replica (``--url``), counting the
statements each PostgreSQL ran (``pg_stat_statements``, reset before each action), then
as many times on a server of the primary only (``--primary-url``), and prints where each
ran and its median time on each.
"""

import argparse
import json
import os
import statistics
import sys
import time
from urllib.parse import urlparse

import psycopg2
import requests

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, SCRIPTS)

BOARD_VIEW = "crm_activity_verification.crm_activity_verification_view_kanban"
BOARD_ACTION = "crm_activity_verification.crm_activity_verification_action_board"
# the users of scripts/_bench_data.py: login -> role here
LOGINS = {"verifier": "bench_verifier", "manager": "bench_leader", "process": "bench_process"}


def odoo_env(args):
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)
    return odoo.api.Environment(registry.cursor(), odoo.SUPERUSER_ID, {"tz": "America/Tijuana"})


def setup(args):
    import _bench_data  # noqa: PLC0415
    import bench_integrity  # noqa: PLC0415

    env = odoo_env(args)
    begin = time.perf_counter()
    _bench_data.load(env, args.size)
    bench_integrity.load(env, args.sealed)
    for login in LOGINS.values():
        env["res.users"].search([("login", "=", login)]).password = login
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    env.cr.commit()
    env.cr.close()
    print(
        f"{args.db}: {args.size:,} verifications and opportunities, {args.sealed:,} sealed "
        f"calls, loaded in {time.perf_counter() - begin:.0f} s"
    )


def board_call(args):
    """The board's first load as the web client sends it: (params, progress bar params)."""
    import _bench  # noqa: PLC0415

    env = odoo_env(args)
    verifier = env["res.users"].search([("login", "=", LOGINS["verifier"])])
    Model = env["crm.activity.verification"].with_user(verifier)
    domain, group_by, aggregates, order, spec, bar = _bench.kanban_load_args(
        Model.env, Model._name, BOARD_VIEW, BOARD_ACTION
    )
    company_id = env.company.id
    env.cr.close()
    # dates and the like as the web client sends them: JSON
    domain = json.loads(json.dumps(domain, default=str))
    board = (
        "crm.activity.verification",
        "web_read_group",
        [domain, [group_by], aggregates],
        {
            "order": order,
            "auto_unfold": True,
            "unfold_read_specification": spec,
            "unfold_read_default_limit": 80,
        },
    )
    progress = ("crm.activity.verification", "read_progress_bar", [domain, group_by, bar], {})
    return board, progress, company_id


class Client:
    def __init__(self, url, db, login):
        self.url = url
        self.session = requests.Session()
        self.session.headers.update(
            {"X-Forwarded-Host": urlparse(url).netloc, "X-Forwarded-Proto": "http"}
        )
        self.context = self.rpc(
            "/web/session/authenticate", {"db": db, "login": login, "password": login}
        )["user_context"]

    def rpc(self, path, params):
        response = self.session.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=300,
        )
        response.raise_for_status()
        data = response.json()
        if "error" in data:
            raise RuntimeError(json.dumps(data["error"])[:500])
        return data["result"]

    def call(self, model, method, call_args, kwargs, context=None, button=False):
        route = "call_button" if button else "call_kw"
        return self.rpc(
            f"/web/dataset/{route}/{model}.{method}",
            {
                "model": model,
                "method": method,
                "args": call_args,
                "kwargs": {**kwargs, "context": {**self.context, **(context or {})}},
            },
        )


def statements(port, db):
    """Calls of the statements on the addon's tables run in ``db`` since the reset, on
    the PostgreSQL at ``port`` (those of this script excluded)."""
    with (
        psycopg2.connect(
            host="127.0.0.1", port=port, dbname=db, user="odoo", password="odoo"
        ) as cnx,
        cnx.cursor() as cr,
    ):
        cr.execute(
            "SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements s "
            "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = %s "
            "AND (query LIKE '%%crm_activity_verification%%' OR query LIKE '%%crm_lead%%') "
            "AND query NOT LIKE '%%pg_stat_statements%%'",
            [db],
        )
        return int(cr.fetchone()[0])


def reset(port, db):
    with (
        psycopg2.connect(
            host="127.0.0.1", port=port, dbname=db, user="odoo", password="odoo"
        ) as cnx,
        cnx.cursor() as cr,
    ):
        cr.execute("SELECT pg_stat_statements_reset()")


def timed(func, runs):
    func()  # warm-up (caches of the worker that serves it)
    times = []
    for _run in range(runs):
        begin = time.perf_counter()
        func()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def measure(args):
    board, progress, company_id = board_call(args)
    actions = {
        "board's first load (web_read_group + read_progress_bar)": (
            "verifier",
            lambda client: (
                client.call(*board[:3], board[3], context={"read_group_expand": True}),
                client.call(*progress),
            ),
        ),
        "integrity check (get_verification_integrity)": (
            "process",
            lambda client: client.call(
                "res.company", "get_verification_integrity", [[company_id]], {}
            ),
        ),
        "analysis (formatted_read_group by team and month)": (
            "manager",
            lambda client: client.call(
                "crm.activity.verification",
                "formatted_read_group",
                [[("is_concluded", "=", 1)], ["team_id", "verified_on:month"]],
                {
                    "aggregates": [
                        "is_concluded:sum",
                        "is_confirmed:sum",
                        "confirmation_rate:avg",
                        "followup_late:sum",
                        "__count",
                    ]
                },
            ),
        ),
        "control, a write: next call (action_next_call)": (
            "verifier",
            lambda client: client.call(
                "crm.activity.verification", "action_next_call", [[]], {}, button=True
            ),
        ),
    }
    clients = {
        url: {role: Client(url, args.db, login) for role, login in LOGINS.items()}
        for url in (args.url, args.primary_url)
    }
    print(
        f"{'':<56} {'with the replica':>20} {'statements run on':>26} {'primary only':>14}\n"
        f"{'action (as the web client calls it)':<56} {'median ms':>20} "
        f"{'replica / primary':>26} {'median ms':>14}"
    )
    for label, (role, func) in actions.items():
        client = clients[args.url][role]
        func(client)  # warm-up, before the counts
        for port in (args.replica_port, args.primary_port):
            reset(port, args.db)
        with_replica = timed(lambda client=client, func=func: func(client), args.runs)
        time.sleep(1)  # pg_stat_statements is updated at each statement's end
        on_replica = statements(args.replica_port, args.db)
        on_primary = statements(args.primary_port, args.db)
        primary_client = clients[args.primary_url][role]
        primary_only = timed(lambda c=primary_client, func=func: func(c), args.runs)
        where = "replica" if on_replica and not on_primary else "primary"
        print(
            f"{label:<56} {with_replica * 1000:>20.1f} "
            f"{f'{on_replica} / {on_primary} ({where})':>26} {primary_only * 1000:>14.1f}"
        )
    print(
        f"({args.runs} runs each after a warm-up, median; statements on the addon's tables and "
        "the opportunities during the runs on the server with the replica)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=("setup", "measure"))
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--sealed", type=int, default=10_000)
    parser.add_argument("--url")
    parser.add_argument("--primary-url")
    parser.add_argument("--primary-port", type=int)
    parser.add_argument("--replica-port", type=int)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.step == "setup":
        setup(args)
    else:
        for url in (args.url, args.primary_url):
            if urlparse(url).hostname not in ("127.0.0.1", "localhost"):
                sys.exit("_bench_replica: only 127.0.0.1 is a target")
        measure(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
