#!/usr/bin/env python3
"""Render time of a 200-line FRE-7.5-01 PDF next to a ~200-row report of Odoo's own.

Not a test: it prints figures. Odoo's own report is base's "model overview"
(``base.report_irmodeloverview``) of ``res.users``: one document whose table has a
row per field and per access right (about 200 rows with crm installed), available
without installing anything else.

Everything runs in one transaction that is rolled back. wkhtmltopdf loads the
report CSS over HTTP: pass ``--report-url`` of a running Odoo server on the same
database for realistic figures (without it both renders miss the CSS alike).

    python3 scripts/bench_fre_pdf.py -c /work/dev.conf -d DB [--lines 200] [--runs 3]
        [--report-url http://127.0.0.1:8069] [--dump]

With ``--evidence N`` it measures instead the auditor's evidence pack
(``action_report_verification_evidence``) of N verifications (each with a call), beside
a contact list of the same number of rows rendered in the same run by Odoo's standard
machinery (``web.external_layout``, Bootstrap table, running header/footer left to
wkhtmltopdf): base's ``base.report_irmodeloverview`` cannot print N rows.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta


def pdf_text_pages(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", pdf.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return [page for page in text.split("\f") if page.strip()]


def make_report(env, line_count, description=None):
    from odoo.addons.crm_activity_verification import date_utils  # noqa: PLC0415

    user = env.ref("base.user_admin")
    user.tz = "America/Tijuana"
    saturday, _friday = date_utils.last_complete_week(
        date_utils.local_date(datetime.now(), user.tz)
    )
    start, _end = date_utils.week_utc_range(saturday, user.tz)
    partners = env["res.partner"].create(
        [
            {"name": f"Transportes de prueba {index:02d}", "phone": f"+52 686 555 {index:04d}"}
            for index in range(20)
        ]
    )
    activity_type = env.ref("crm_activity_verification.mail_activity_type_promotion_visit")
    step = timedelta(days=6, hours=20) / line_count
    lines = []
    for index in range(line_count):
        vals = {
            "date": start + step * index,
            "activity_type_id": activity_type.id,
            "contact_name": f"Contacto {index:03d}",
            "description": description
            or "Visita de promoción de refacciones y servicio; seguimiento de la cotización "
            * (1 + index % 3),
        }
        if index % 4:
            vals["partner_id"] = partners[index % len(partners)].id
        else:
            vals.update(
                {"customer_name": f"Cliente nuevo {index:03d}", "phone": f"+52 664 555 {index:04d}"}
            )
        lines.append((0, 0, vals))
    return env["crm.activity.weekly.report"].create(
        {"user_id": user.id, "date_start": saturday, "signed_by": user.name, "line_ids": lines}
    )


def make_verifications(env, count):
    """``count`` verifications, each with one call, in one department (created directly,
    not concluded: concluding would seal each one, which is not what is measured)."""
    from odoo.addons.crm_activity_verification.models.crm_activity_verification import (  # noqa: PLC0415
        CALL_OUTCOMES,
    )

    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    # the procedure's internal write path (models/crm_activity_workflow_mixin.py)
    env = env["crm.activity.verification"]._workflow().env
    user = env.ref("base.user_admin")
    team = env["crm.team"].create({"name": "Bench evidence", "user_id": user.id})
    partners = env["res.partner"].create(
        [
            {"name": f"Transportes bench {index:05d}", "phone": "+52 686 555 0000"}
            for index in range(count)
        ]
    )
    now = datetime.now().replace(microsecond=0)
    verifications = env["crm.activity.verification"].create(
        [
            {
                "partner_id": partner.id,
                "user_id": user.id,
                "team_id": team.id,
                "activity_date": now - timedelta(minutes=index),
                "description": f"Visita de promoción {index:05d}: seguimiento de la cotización",
            }
            for index, partner in enumerate(partners)
        ]
    )
    env["crm.activity.verification.call"].create(
        [
            {
                "verification_id": verification.id,
                "date": now,
                "outcome": CALL_OUTCOMES[index % 2][0],
                "notes": f"Nota de la llamada {index:05d}",
            }
            for index, verification in enumerate(verifications)
        ]
    )
    return team, partners


def bench_evidence(env, count, runs):
    """(evidence times, its PDF, computed pages, Odoo's times, its PDF)."""
    team, partners = make_verifications(env, count)
    wizard = env["crm.activity.verification.evidence.wizard"].create(
        {
            "date_from": datetime.now().date() - timedelta(days=30),
            "date_to": datetime.now().date(),
            "team_ids": [(6, 0, team.ids)],
        }
    )
    computed = len(wizard._get_pages())
    ev_times, ev_pdf = timed_render(
        env, "crm_activity_verification.action_report_verification_evidence", wizard.ids, runs
    )
    view = env["ir.ui.view"].create(
        {
            "name": "bench_contact_list",
            "type": "qweb",
            "key": "crm_activity_verification.bench_contact_list",
            "arch": """<t t-name="crm_activity_verification.bench_contact_list">
                <t t-call="web.html_container"><t t-call="web.external_layout">
                <t t-set="o" t-value="docs[:1]"/>
                <div class="page"><table class="table table-sm"><thead><tr>
                <th>Name</th><th>Phone</th><th>Email</th><th>City</th></tr></thead><tbody>
                <tr t-foreach="docs" t-as="p"><td t-out="p.name"/><td t-out="p.phone"/>
                <td t-out="p.email"/><td t-out="p.city"/></tr></tbody></table></div>
                </t></t></t>""",
        }
    )
    action = env["ir.actions.report"].create(
        {
            "name": "Bench contact list",
            "model": "res.partner",
            "report_type": "qweb-pdf",
            "report_name": view.key,
        }
    )
    # the template lays every partner out in one article: one document, as the pack
    odoo_times, odoo_pdf = timed_render(env, action, partners.ids, runs)
    return ev_times, ev_pdf, computed, odoo_times, odoo_pdf


def timed_render(env, report_ref, res_ids, runs):
    report_model = env["ir.actions.report"]
    times, content = [], b""
    for _run in range(runs):
        begin = time.perf_counter()
        content, _type = report_model._render_qweb_pdf(report_ref, res_ids)
        times.append(time.perf_counter() - begin)
    return times, content


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--report-url", help="base URL of a running Odoo server, for the report CSS"
    )
    parser.add_argument(
        "--description", help="one description for every line (default: 1 to 3 rows long)"
    )
    parser.add_argument(
        "--dump", action="store_true", help="print the text of each page of the FRE PDF"
    )
    parser.add_argument(
        "--evidence", type=int, help="bench the evidence pack of this many verifications"
    )
    args = parser.parse_args()

    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.service import server  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", args.config, "-d", args.database])
    server.load_server_wide_modules()
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            if args.report_url:
                env["ir.config_parameter"].set_param("report.url", args.report_url)
            if args.evidence:
                return print_evidence(env, args)
            report = make_report(env, args.lines, args.description)
            expected_pages = len(report._get_pdf_pages())
            fre_times, fre_pdf = timed_render(
                env, "crm_activity_verification.action_report_fre_7_5_01", report.ids, args.runs
            )
            users_model = env["ir.model"]._get("res.users")
            odoo_rows = len(users_model.field_id) + len(users_model.access_ids)
            odoo_times, odoo_pdf = timed_render(
                env, "base.report_ir_model_overview", users_model.ids, args.runs
            )
            fre_pages = pdf_text_pages(fre_pdf)
            odoo_pages = pdf_text_pages(odoo_pdf)
        finally:
            cr.rollback()

    def line(label, rows, times, pages):
        print(
            f"{label:<44} rows={rows:<4} pages={len(pages):<3} "
            f"min={min(times):.2f}s median={statistics.median(times):.2f}s runs={len(times)}"
        )

    print(f"wkhtmltopdf PDF render times ({args.runs} runs each, same process, same database)")
    line(f"FRE-7.5-01 weekly report ({args.lines} lines)", args.lines, fre_times, fre_pages)
    line("Odoo ir.model overview of res.users", odoo_rows, odoo_times, odoo_pages)
    print(f"FRE layout: {expected_pages} pages computed, {len(fre_pages)} printed")
    headers = sum(
        1
        for number, page in enumerate(fre_pages, 1)
        if f"Página {number} de {expected_pages}" in page
    )
    print(
        f"FRE pages carrying their own header and 'Página x de {expected_pages}': "
        f"{headers}/{len(fre_pages)}"
    )
    printed = "\n".join(fre_pages)
    missing = [index for index in range(args.lines) if f"Contacto {index:03d}" not in printed]
    print(f"FRE lines missing from the printed text (clipped): {len(missing)} {missing[:10]}")
    if args.dump:
        for number, page in enumerate(fre_pages, 1):
            print(f"----- page {number} -----\n{page}")
    return 0 if len(fre_pages) == expected_pages == headers and not missing else 1


def print_evidence(env, args):
    ev_times, ev_pdf, computed, odoo_times, odoo_pdf = bench_evidence(env, args.evidence, args.runs)
    ev_pages, odoo_pages = pdf_text_pages(ev_pdf), pdf_text_pages(odoo_pdf)
    numbered = sum(
        1 for number, page in enumerate(ev_pages, 1) if f"Page {number} of {len(ev_pages)}" in page
    )
    printed = "\n".join(ev_pages)
    missing = sum(
        1 for index in range(args.evidence) if f"Nota de la llamada {index:05d}" not in printed
    )
    print(f"wkhtmltopdf PDF render times ({args.runs} runs each, same process, same database)")
    for label, times, pages in (
        (f"Evidence pack ({args.evidence} verifications)", ev_times, ev_pages),
        (f"Odoo external_layout contact list ({args.evidence} rows)", odoo_times, odoo_pages),
    ):
        print(
            f"{label:<50} pages={len(pages):<5} min={min(times):.2f}s "
            f"median={statistics.median(times):.2f}s runs={len(times)}"
        )
    print(
        f"Evidence pack: {computed} pages computed, {len(ev_pages)} printed, "
        f"'Page x of y' on {numbered}, calls missing from the text: {missing}"
    )
    return 0 if computed == len(ev_pages) == numbered and not missing else 1


if __name__ == "__main__":
    sys.exit(main())
