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


if __name__ == "__main__":
    sys.exit(main())
