#!/usr/bin/env python3
"""Load test of the customer confirmation link (B-3): many customers answer at once.

Not a test: it prints figures. Against a real ``odoo-bin`` with workers on
127.0.0.1 only, it sends N answers (GET the page, then POST the answer with its CSRF
token, as a browser does), C at a time, each to its own verification, then checks in
the database that every answer was recorded exactly once (one answer, one chatter
line) and that none was lost.

    python3 scripts/bench_link.py -c .local/odoo.conf --db DB --url http://127.0.0.1:8070
        [--answers 1000] [--concurrency 20]

The database must have the addon installed and an Odoo server with workers serving
it at --url, for example:

    CAV_HTTP_PORT=8070 scripts/odoo -d DB --db-filter='^DB$' --workers=2 --max-cron-threads=0

The script creates its verifications and deletes them at the end (exit 1 when an
answer failed, was lost or was recorded twice).
"""

import argparse
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import requests

CSRF = re.compile(r'csrf_token: "([^"]+)"')


def setup(env, count):
    """``count`` verifications whose link was sent; ``[(id, token)]``."""
    company = env.company
    company.write({"verification_customer_link": True, "verification_link_days": 7})
    partner = env["res.partner"].create(
        {"name": "Cliente de carga", "email": "carga@example.com", "phone": "+52 686 0"}
    )
    verifications = (
        env["crm.activity.verification"]
        ._workflow()
        .with_context(mail_create_nolog=True, tracking_disable=True)
        .create(
            [
                {"partner_id": partner.id, "activity_date": "2026-11-20 18:00:00"}
                for _n in range(count)
            ]
        )
    )
    # the tokens as the e-mails would carry them (only their digests are kept)
    tokens = [(v.id, v._make_link_token(partner.email)) for v in verifications]
    verifications._workflow().write({"link_sent_on": "2026-11-21 18:00:00"})
    env.cr.commit()
    return tokens, partner


def answer(base_url, verification_id, token, answer_value):
    """One customer: open the page, post the answer. ``(ok, seconds, error)``."""
    session = requests.Session()
    url = f"{base_url}/verification/{verification_id}/{token}"
    start = time.perf_counter()
    try:
        page = session.get(url, timeout=60)
        page.raise_for_status()
        csrf = CSRF.search(page.text).group(1)
        response = session.post(
            f"{url}/answer", data={"answer": answer_value, "csrf_token": csrf}, timeout=60
        )
        response.raise_for_status()
        ok = "o_link_error" not in response.text
        return ok, time.perf_counter() - start, None if ok else "refused"
    except Exception as error:  # noqa: BLE001 - counted as an error of the run
        return False, time.perf_counter() - start, type(error).__name__


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    host = urlparse(args.url).hostname
    if host not in ("127.0.0.1", "localhost"):
        sys.exit("bench_link: only 127.0.0.1 is a target")

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company_id = env.company.id
        cr.execute(
            "SELECT number, inalterable_hash, inalterable_hmac "
            "FROM crm_activity_verification_seal_head WHERE company_id = %s "
            "ORDER BY number DESC LIMIT 1",
            [company_id],
        )
        head = cr.fetchone() or (0, None, None)
        targets, partner = setup(env, args.answers)
    answers = ["confirmed", "denied", "call_me"]
    lock = threading.Lock()
    results = []

    def one(index):
        verification_id, token = targets[index]
        result = answer(args.url, verification_id, token, answers[index % 3])
        with lock:
            results.append(result)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        list(pool.map(one, range(len(targets))))
    elapsed = time.perf_counter() - start

    ids = tuple(verification_id for verification_id, _token in targets)
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FILTER (WHERE customer_answer IS NOT NULL), count(*) "
            "FROM crm_activity_verification WHERE id IN %s",
            [ids],
        )
        answered, total = cr.fetchone()
        cr.execute(
            "SELECT res_id, count(*) FROM mail_message WHERE model = "
            "'crm.activity.verification' AND res_id IN %s AND body LIKE %s GROUP BY res_id",
            [ids, "%confirmation link:%"],
        )
        logged = dict(cr.fetchall())
        twice = sum(1 for count in logged.values() if count > 1)
        # clean up: the load test's own rows (sealed ones included)
        cr.execute(
            "DELETE FROM crm_activity_verification_seal WHERE company_id = %s "
            "AND secure_sequence_number > %s",
            [company_id, head[0] or 0],
        )
        cr.execute(
            "DELETE FROM crm_activity_verification_seal_head WHERE company_id = %s AND number > %s",
            [company_id, head[0] or 0],
        )
        cr.execute(
            "DELETE FROM mail_message WHERE model = 'crm.activity.verification' AND res_id IN %s",
            [ids],
        )
        cr.execute(
            "DELETE FROM mail_activity WHERE res_model = 'crm.activity.verification' "
            "AND res_id IN %s",
            [ids],
        )
        cr.execute("DELETE FROM crm_activity_verification WHERE id IN %s", [ids])
        cr.execute("DELETE FROM res_partner WHERE id = %s", [partner.id])
        cr.commit()

    errors = [error for ok, _seconds, error in results if not ok]
    times = sorted(seconds for _ok, seconds, _error in results)
    print(f"answers sent:        {len(results)} ({args.concurrency} at a time) to {args.url}")
    print(f"elapsed:             {elapsed:.1f} s")
    print(f"throughput:          {len(results) / elapsed:.1f} answers/s (GET + POST each)")
    print(
        f"latency median/p95:  {statistics.median(times):.3f} s / "
        f"{times[int(len(times) * 0.95) - 1]:.3f} s"
    )
    print(
        f"errors:              {len(errors)} ({100 * len(errors) / len(results):.1f} %)"
        + (f" {sorted(set(errors))}" if errors else "")
    )
    print(f"recorded:            {answered} of {total} verifications answered")
    print(f"lost:                {total - answered}")
    print(f"recorded twice:      {twice}")
    return 0 if not errors and answered == total and not twice else 1


if __name__ == "__main__":
    sys.exit(main())
