#!/usr/bin/env python3
"""Integrity check over many sealed records (B-4): time and memory, at two sizes.

Not a test: it prints figures. In a database with the addon installed, it bulk-loads
N sealed calls (the call rows and their seals, hashed exactly as Odoo seals them) in
a transaction that is rolled back at the end, runs ``get_verification_integrity()``
and prints its time and the peak of Python memory it allocated (``tracemalloc``), for
N/10 and N, to show that the walk is linear with memory bounded by its batches.

    python3 scripts/bench_integrity.py -c .local/odoo.conf --db DB [--size 1000000]
"""

import argparse
import datetime
import json
import sys
import time
import tracemalloc


def load(env, count):
    """``count`` sealed calls of one verification, and their seals; chained."""
    cr = env.cr
    company = env.company
    partner = env["res.partner"].create({"name": "Integridad", "phone": "+52 1"})
    verification = (
        env["crm.activity.verification"]
        ._workflow()
        .create({"partner_id": partner.id, "activity_date": "2026-01-01 12:00:00"})
    )
    env.flush_all()
    cr.execute(
        "INSERT INTO crm_activity_verification_call "
        "(verification_id, company_id, date, verifier_id, outcome, notes, sealed) "
        "SELECT %s, %s, '2026-01-02 10:00:00', %s, 'no_answer', 'Intento ' || n, true "
        "FROM generate_series(1, %s) n RETURNING id",
        [verification.id, company.id, env.uid, count],
    )
    ids = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        "SELECT COALESCE(max(secure_sequence_number), 0), "
        "(array_agg(inalterable_hash ORDER BY secure_sequence_number DESC))[1] "
        "FROM crm_activity_verification_seal WHERE company_id = %s",
        [company.id],
    )
    number, previous = cr.fetchone()
    previous = previous or ""
    compute = env["crm.activity.verification.seal"]._compute_hash
    rows, batch = [], 20000
    for index, call_id in enumerate(ids, 1):
        content = json.dumps(
            {
                "company_id": company.id,
                "date": "2026-01-02 10:00:00",
                "notes": f"Intento {index}",
                "outcome": "no_answer",
                "verification_id": verification.id,
                "verifier_id": env.uid,
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        number += 1
        values = {
            "company_id": company.id,
            "secure_sequence_number": number,
            "res_model": "crm.activity.verification.call",
            "res_id": call_id,
            "event": "call",
            "date": datetime.datetime(2026, 1, 2, 10, 0),
            "user_id": env.uid,
            "content": content,
        }
        digest = compute(values, previous)
        rows.append((*values.values(), previous, digest))
        previous = digest
        if len(rows) >= batch or index == len(ids):
            row_sql = "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
            args = ",".join(cr.mogrify(row_sql, row).decode() for row in rows)
            cr.execute(
                "INSERT INTO crm_activity_verification_seal (company_id, secure_sequence_number, "
                "res_model, res_id, event, date, user_id, content, previous_hash, "
                "inalterable_hash) VALUES " + args
            )
            rows = []
    # each call carries its seal, as the sealing writes it
    cr.execute(
        "UPDATE crm_activity_verification_call c SET secure_sequence_number = "
        "s.secure_sequence_number, inalterable_hash = s.inalterable_hash "
        "FROM crm_activity_verification_seal s WHERE s.company_id = c.company_id "
        "AND s.res_model = 'crm.activity.verification.call' AND s.res_id = c.id "
        "AND c.id >= %s",
        [ids[0]],
    )
    env["crm.activity.verification.seal"]._lock_chain_head(company)  # the head row
    env["crm.activity.verification.seal"]._move_chain_head(company, number, previous, None)
    env.invalidate_all()
    cr.execute("ANALYZE crm_activity_verification_seal")


def measure(env):
    tracemalloc.start()
    start = time.perf_counter()
    result = env.company.get_verification_integrity()
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)
    figures = []
    for size in (args.size // 10, args.size):
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            start = time.perf_counter()
            load(env, size)
            loaded = time.perf_counter() - start
            result, elapsed, peak = measure(env)
            cr.rollback()
        figures.append((size, result, elapsed, peak))
        print(
            f"{size:>9,} sealed calls: loaded in {loaded:.0f} s; integrity check "
            f"{elapsed:.1f} s ({size / elapsed:,.0f} records/s), peak Python memory "
            f"{peak / 2**20:.0f} MiB, ok={result['ok']}, checked={result['checked']:,}"
        )
    (small, _r, t_small, m_small), (big, _r2, t_big, m_big) = figures
    print(
        f"time ×{t_big / t_small:.1f} for ×{big / small:.0f} records (linear: ×{big / small:.0f}); "
        f"memory ×{m_big / max(m_small, 1):.2f} (bounded: ~×1)"
    )
    return 0 if all(result["ok"] for _s, result, _t, _m in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
