#!/usr/bin/env python3
"""The evidence pack at a year's size on a production-like server (issue 24, item 5).

Not a test: it prints figures. ``scripts/bench --evidence-pack`` runs it against the
server it starts (``--workers 2``, ``--limit-time-real 120`` and the other limits of
``cav_production_args`` in scripts/_lib.sh, README "Deployment"):

    python3 scripts/bench_evidence_pack.py load -c CONF --db DB --size N --report-url URL
    python3 scripts/bench_evidence_pack.py run -c CONF --db DB --url URL --log SERVER_LOG
        --server-pid PID [--at-once] [--steps]

``load`` (in this process, committed: use a throw-away database) brings the department
"Bench evidence" to N verifications, one every 10 minutes back from now (50,000: a
year), each with a call, and makes its department manager; the other scheduled actions
are switched off (the figures are the pack's own) and ``report.url`` is set to URL (the
long-polling worker, which serves the report's CSS to wkhtmltopdf, as in production).

``run`` works over HTTP as that department manager, as the web client does: the
*Evidence pack* dialog of the last year and *Print* (``create``, then
``action_print`` through ``/web/dataset/call_button``); the pack is made in the
background by the server's cron worker; the script follows it as the request's form
does (``web_read`` every second), follows the memory of every process of the server
(the peak resident memory from the kernel's high-water mark, reset at each step of the
pack; the virtual size, which ``limit_memory_soft``/``hard`` watch, five times a second),
downloads the PDF from the request (``/web/content``) and checks that every page is
there once ("Page x of y", pdftotext); it reads the job runs (what ``limit_time_real``
watches) and any worker killed from the server's log. Then Odoo's own list export of
the same verifications (``/web/export/xlsx`` with the list's columns and the calls',
as the export dialog sends them), timed and sampled the same way. With ``--at-once``,
the same pack printed inside one request (``/report/pdf/``), as before issue 24.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta

REQUEST = "crm.activity.verification.evidence.request"
WIZARD = "crm.activity.verification.evidence.wizard"
VERIFICATION = "crm.activity.verification"
TEAM = "Bench evidence"
LOGIN = "bench_evidence_manager"
PASSWORD = "bench-evidence-manager"
BATCH = 5000
# one verification every 10 minutes: 50,000 take 347 days, a year's pack holds them
MINUTES_APART = 10
# Odoo's log lines: "<date> <time> <pid> <LEVEL> <db> <logger>: <message>"
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (\d+) (\w+) \S+ ([\w.]+): (.*)$")
JOB_DONE = re.compile(
    r"Job 'Verification: make the evidence packs asked for' \(\d+\) (\S+) .*duration ([\d.]+)s"
)
KILLED = re.compile(
    r"^\w+ \(\d+\) (timeout after|CPU time limit|virtual memory limit|max age)"
    r"|^(Server|Gevent virtual) memory limit"
)
# Odoo's list export: the list view's columns, and the calls (a row each, as the pack)
EXPORT_FIELDS = [
    ("activity_date", "Date"),
    ("partner_id", "Customer"),
    ("phone", "Phone"),
    ("reported_activity_type_id", "Activity"),
    ("description", "Description"),
    ("user_id", "Collaborator"),
    ("team_id", "Department"),
    ("verifier_id", "Verifier"),
    ("state", "Status"),
    ("call_count", "Calls"),
    ("call_ids/date", "Calls/Date"),
    ("call_ids/outcome", "Calls/Outcome"),
    ("call_ids/verifier_id", "Calls/Verifier"),
    ("call_ids/notes", "Calls/Notes"),
    ("result", "Result"),
]


# ----------------------------------------------------------------------------------
# load: the data, in this process
# ----------------------------------------------------------------------------------
def odoo_env(config, database):
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config as odoo_config  # noqa: PLC0415

    odoo_config.parse_config(["-c", config, "-d", database])
    registry = Registry(database)
    return api.Environment(registry.cursor(), SUPERUSER_ID, {})


def load(args):
    env = odoo_env(args.config, args.db)
    from odoo.addons.crm_activity_verification.models.crm_activity_verification import (  # noqa: PLC0415
        CALL_OUTCOMES,
    )

    started = time.perf_counter()
    manager = env["res.users"].search([("login", "=", LOGIN)])
    if not manager:
        manager = env["res.users"].create(
            {
                "name": "Gerente de la evidencia",
                "login": LOGIN,
                "password": PASSWORD,
                "tz": "America/Tijuana",
                "group_ids": [
                    # the export of Odoo's lists too (base.group_allow_export)
                    (6, 0, [env.ref("base.group_user").id,
                            env.ref("base.group_allow_export").id,
                            env.ref("crm_activity_verification.group_manager").id])
                ],
            }
        )  # fmt: skip
    team = env["crm.team"].search([("name", "=", TEAM)]) or env["crm.team"].create(
        {"name": TEAM, "user_id": manager.id}
    )
    # the pack's job alone: the figures are its own
    cron = env.ref("crm_activity_verification.ir_cron_evidence_pack")
    env["ir.cron"].search([("id", "!=", cron.id)]).active = False
    env["ir.config_parameter"].set_param("report.url", args.report_url)
    env.cr.commit()
    # the procedure's internal write path (models/crm_activity_workflow_mixin.py), not
    # concluded: concluding would seal each one, which is not what is measured
    wenv = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    wenv = wenv["crm.activity.verification"]._workflow().env
    collaborator = env.ref("base.user_admin")
    Verification = wenv[VERIFICATION].with_context(active_test=False)
    have = Verification.search_count([("team_id", "=", team.id)])
    now = datetime.now().replace(second=0, microsecond=0)
    for begin in range(have, args.size, BATCH):
        indexes = range(begin, min(begin + BATCH, args.size))
        partners = wenv["res.partner"].create(
            [{"name": f"Transportes bench {i:05d}", "phone": "+52 686 555 0000"} for i in indexes]
        )
        verifications = Verification.create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": collaborator.id,
                    "team_id": team.id,
                    "activity_date": now - timedelta(minutes=MINUTES_APART * i),
                    "description": f"Visita de promoción {i:05d}: seguimiento de la cotización",
                }
                for i, partner in zip(indexes, partners, strict=True)
            ]
        )
        wenv["crm.activity.verification.call"].create(
            [
                {
                    "verification_id": verification.id,
                    "date": now,
                    "outcome": CALL_OUTCOMES[i % 2][0],
                    "notes": f"Nota de la llamada {i:05d}",
                }
                for i, verification in zip(indexes, verifications, strict=True)
            ]
        )
        env.cr.commit()
        env.invalidate_all()
    total = Verification.search_count([("team_id", "=", team.id)])
    print(
        f"  department {TEAM!r}: {total:,} verifications (+{total:,} calls), "
        f"{total - have:,} loaded in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    env.cr.close()


# ----------------------------------------------------------------------------------
# run: over HTTP, against the production-like server
# ----------------------------------------------------------------------------------
class Client:
    def __init__(self, url, db):
        import requests  # noqa: PLC0415

        self.url, self.session, self.ids = url, requests.Session(), 0
        result = self.rpc(
            "/web/session/authenticate", {"db": db, "login": LOGIN, "password": PASSWORD}
        )
        self.context = dict(result.get("user_context") or {})

    def rpc(self, path, params, timeout=600):
        self.ids += 1
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": self.ids, "params": params},
            timeout=timeout,
        )
        response.raise_for_status()
        data = response.json()
        if "error" in data:
            raise RuntimeError(json.dumps(data["error"])[:600])
        return data["result"]

    def call(self, model, method, args, button=False, **kwargs):
        route = "call_button" if button else "call_kw"
        return self.rpc(
            f"/web/dataset/{route}/{model}.{method}",
            {"model": model, "method": method, "args": args,
             "kwargs": {**kwargs, "context": self.context}},
        )  # fmt: skip

    def csrf_token(self):
        page = self.session.get(self.url + "/odoo", timeout=60).text
        return re.search(r'csrf_token: "([^"]+)"', page).group(1)


class Sampler(threading.Thread):
    """Peak resident (RSS) and virtual (VMS) memory of each process of the server, by
    pid, and by the phase the caller names (``set_phase``). The resident peak is the
    kernel's own high-water mark (``VmHWM``), reset at each phase (``clear_refs``):
    exact, however short the peak; the virtual size is sampled five times a second."""

    def __init__(self, server_pid):
        import psutil  # noqa: PLC0415

        super().__init__(daemon=True)
        self.server = psutil.Process(server_pid)
        self.lock = threading.Lock()
        self.peaks = {}  # pid -> {"name", "rss", "vms"}
        self.by_phase = {}  # (pid, phase) -> peak rss
        self.phase = "idle"
        self.running = True
        self.psutil = psutil

    def processes(self):
        try:
            return [self.server, *self.server.children(recursive=True)]
        except self.psutil.Error:
            return [self.server]

    def sample(self):
        with self.lock:
            for process in self.processes():
                try:
                    name = process.name()
                    with open(f"/proc/{process.pid}/status") as handle:
                        status = dict(line.split(":", 1) for line in handle if ":" in line)
                except (self.psutil.Error, OSError):
                    continue  # a process that just ended
                if "VmHWM" not in status:
                    continue  # a zombie, not yet reaped
                rss, vms = (int(status[key].split()[0]) * 1024 for key in ("VmHWM", "VmSize"))
                peak = self.peaks.setdefault(process.pid, {"name": name, "rss": 0, "vms": 0})
                peak["rss"], peak["vms"] = max(peak["rss"], rss), max(peak["vms"], vms)
                key = (process.pid, self.phase)
                self.by_phase[key] = max(self.by_phase.get(key, 0), rss)

    def set_phase(self, phase):
        """Close the phase under way (its peaks sampled) and start ``phase`` (the
        high-water marks reset)."""
        if phase == self.phase:
            return
        self.sample()
        with self.lock:
            for process in self.processes():
                try:
                    with open(f"/proc/{process.pid}/clear_refs", "w") as handle:
                        handle.write("5")
                except OSError:
                    continue
            self.phase = phase

    def run(self):
        while self.running:
            self.sample()
            time.sleep(0.2)

    def reset(self, phase):
        self.set_phase(phase)
        with self.lock:
            self.peaks, self.by_phase = {}, {}


def mib(value):
    return f"{value / 2**20:,.0f} MiB"


def read_log(path, offset):
    """``[(pid, level, logger, text)]`` of the server's log from ``offset``."""
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


def log_problems(records):
    """Workers killed or recycled (a limit reached), and the WARNING/ERROR records."""
    killed = [text for _pid, _level, _logger, text in records if KILLED.search(text)]
    # wkhtmltopdf killed by the worker's address-space limit (limit_memory_hard)
    killed += [
        text.splitlines()[0]
        for _pid, _level, _logger, text in records
        if "Wkhtmltopdf failed (error code: -" in text
    ]
    problems = [
        f"{level} {logger}: {text.splitlines()[0][:160]}"
        for _pid, level, logger, text in records
        if level in ("WARNING", "ERROR", "CRITICAL")
    ]
    return killed, problems


def page_numbers(path):
    """The "Page x of y" of the PDF at ``path``, in order."""
    text = subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
    ).stdout
    return [(int(x), int(y)) for x, y in re.findall(r"Page (\d+) of (\d+)", text)]


def pdf_pages(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def ask(client, date_from, date_to):
    wizard_id = client.call(WIZARD, "create", [{"date_from": date_from, "date_to": date_to}])
    return wizard_id, client.call(WIZARD, "action_print", [[wizard_id]], button=True)


def run(args):  # noqa: C901, PLR0915 (a script: one step after the other)
    client = Client(args.url, args.db)
    sampler = Sampler(args.server_pid)
    sampler.sample()
    sampler.start()
    today = datetime.now().date()
    date_from, date_to = str(today - timedelta(days=365)), str(today)
    log_offset = os.path.getsize(args.log)

    # 1. the pack in the background
    started = time.perf_counter()
    wizard_id, action = ask(client, date_from, date_to)
    clicked = time.perf_counter() - started
    if action.get("tag") != "display_notification":
        raise SystemExit(f"the pack was not asked for in the background: {action}")
    request_id = action["params"]["next"]["res_id"]
    print(f"  Print answered in {clicked:.1f} s: {action['params']['message']}", flush=True)
    fields = ["state", "progress", "row_count", "page_count", "part_count", "parts_printed",
              "attachment_id", "error"]  # fmt: skip
    phases = {}
    while True:
        [request] = client.call(
            REQUEST, "web_read", [[request_id]],
            specification={name: {} for name in fields},
        )  # fmt: skip
        # the step under way: laying out part n, printing part n, merging, or over
        state, printed = request["state"], request["parts_printed"]
        if state in ("queued", "layout"):
            phase = f"layout {request['part_count'] + 1}"
        elif state == "printing" and printed < request["part_count"]:
            phase = f"printing {printed + 1}"
        elif state == "printing":
            phase = "merging"
        else:
            phase = "after"
        sampler.set_phase(phase)
        phases.setdefault(phase.split()[0], time.perf_counter() - started)
        if state in ("done", "failed"):
            break
        time.sleep(1)
    total = time.perf_counter() - started
    for _wait in range(60):  # the job run that finished the pack logs its end after it
        records = read_log(args.log, log_offset)
        texts = [text for _pid, _level, _logger, text in records]
        starts = sum("make the evidence packs asked for' " in t and "starting" in t for t in texts)
        if starts == sum(bool(JOB_DONE.search(text)) for text in texts):
            break
        time.sleep(0.5)
    runs = [
        (match.group(1), float(match.group(2)))
        for _pid, _level, _logger, text in records
        if (match := JOB_DONE.search(text))
    ]
    cron_pids = {pid for pid, _l, _g, text in records if "make the evidence packs" in text}
    killed, problems = log_problems(records)
    print(
        f"  background pack: {request['state']} in {total:,.1f} s from the click ("
        + ", ".join(f"{phase} seen at {phases[phase]:.0f} s"
                    for phase in ("layout", "printing", "merging") if phase in phases)
        + ")",
        flush=True,
    )  # fmt: skip
    if request["state"] != "done":
        raise SystemExit(f"  the pack failed: {request['error']}")
    print(
        f"    {request['row_count']:,} records, {request['page_count']:,} pages in "
        f"{request['part_count']} parts; {len(runs)} job runs of the cron worker, the "
        f"longest {max(duration for _s, duration in runs):.1f} s (limit_time_real: 120 s),"
        f" {sum(duration for _s, duration in runs):,.0f} s in all",
        flush=True,
    )
    for pid in sorted(cron_pids, key=int):
        steps = {"layout": [], "printing": [], "merging": []}
        for (p, phase), rss in sampler.by_phase.items():
            if p == int(pid) and phase.split()[0] in steps:
                steps[phase.split()[0]].append(rss)
        peak = sampler.peaks.get(int(pid), {"rss": 0, "vms": 0})
        print(
            f"    cron worker {pid}: peak RSS {mib(peak['rss'])}, peak VMS {mib(peak['vms'])}"
            "; the peak RSS of each step: "
            + "; ".join(
                f"{name} {mib(min(values))}"
                + (f" to {mib(max(values))} ({len(values)} steps)" if len(values) > 1 else "")
                for name, values in steps.items()
                if values
            ),
            flush=True,
        )
        if args.steps:
            print("      each step (peak RSS): " + ", ".join(
                f"{phase} {rss / 2**20:.0f}"
                for (p, phase), rss in sampler.by_phase.items()
                if p == int(pid) and phase.split()[0] in steps
            ), flush=True)  # fmt: skip
    wkhtml = [peak for peak in sampler.peaks.values() if peak["name"].startswith("wkhtmltopdf")]
    if wkhtml:
        print(f"    wkhtmltopdf ({len(wkhtml)} calls): peak RSS "
              f"{mib(max(p['rss'] for p in wkhtml))}, peak VMS "
              f"{mib(max(p['vms'] for p in wkhtml))}", flush=True)  # fmt: skip
    print(f"    a worker or its wkhtmltopdf killed at a limit: {len(killed)}"
          + "".join(f"\n      {text[:160]}" for text in killed), flush=True)  # fmt: skip
    print(f"    WARNING/ERROR records: {len(problems)}"
          + "".join(f"\n      {text}" for text in problems[:10]), flush=True)  # fmt: skip
    attachment_id = request["attachment_id"]
    attachment_id = attachment_id["id"] if isinstance(attachment_id, dict) else attachment_id
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        begin = time.perf_counter()
        response = client.session.get(
            f"{args.url}/web/content/{attachment_id}?download=true",
            timeout=600,
        )
        response.raise_for_status()
        downloaded = time.perf_counter() - begin
        pdf.write(response.content)
        pdf.flush()
        numbers = page_numbers(pdf.name)
        pages = pdf_pages(pdf.name)
        expected = [(n, pages) for n in range(1, pages + 1)]
        print(
            f"    PDF downloaded in {downloaded:.1f} s: "
            f"{len(response.content) / 2**20:,.1f} MiB, {pages:,} pages; 'Page x of y' "
            + ("once on each page, in order" if numbers == expected else
               f"NOT once on each page ({len(numbers)} found, {len(set(numbers))} distinct)"),
            flush=True,
        )  # fmt: skip
    del response

    # 2. Odoo's own list export of the same verifications
    sampler.reset("export")
    log_offset = os.path.getsize(args.log)
    # the department's verifications: all of them are in the pack's year (load)
    domain = [("team_id.name", "=", TEAM)]
    data = {
        "model": VERIFICATION,
        "fields": [{"name": name, "label": label} for name, label in EXPORT_FIELDS],
        "ids": False,
        "domain": domain,
        "groupby": [],
        "context": client.context,
        "import_compat": False,
    }
    begin = time.perf_counter()
    response = client.session.post(
        f"{args.url}/web/export/xlsx",
        data={"data": json.dumps(data), "csrf_token": client.csrf_token()},
        timeout=600,
    )
    seconds = time.perf_counter() - begin
    records = read_log(args.log, log_offset)
    killed, problems = log_problems(records)
    exporters = {
        int(pid) for pid, _l, logger, text in records if "exported" in text and "records" in text
    }
    exported = next((text for _p, _l, _g, text in records if " exported " in text), "")
    count = re.search(r"exported (\d+)", exported)
    peak = max(
        (sampler.peaks[pid] for pid in exporters if pid in sampler.peaks),
        key=lambda p: p["rss"],
        default={"rss": 0, "vms": 0},
    )
    print(
        f"  Odoo's list export (xlsx, {len(EXPORT_FIELDS)} columns with the calls): "
        f"HTTP {response.status_code} in {seconds:,.1f} s, "
        f"{len(response.content) / 2**20:,.1f} MiB, "
        f"{int(count.group(1)) if count else '?'} records; its HTTP worker: peak RSS "
        f"{mib(peak['rss'])}, peak VMS {mib(peak['vms'])}; killed at a limit: {len(killed)}; "
        f"WARNING/ERROR records: {len(problems)}",
        flush=True,
    )
    del response

    # 3. the pack printed inside one request, as before issue 24
    if args.at_once:
        sampler.reset("at once")
        log_offset = os.path.getsize(args.log)
        begin = time.perf_counter()
        try:
            response = client.session.get(
                f"{args.url}/report/pdf/crm_activity_verification.report_verification_evidence"
                f"/{wizard_id}",
                timeout=900,
            )
            outcome = (
                f"HTTP {response.status_code}, {len(response.content) / 2**20:,.1f} MiB"
                if response.content.startswith(b"%PDF")
                else f"HTTP {response.status_code}, no PDF"
            )
        except Exception as error:  # noqa: BLE001 (printed: what the user would get)
            outcome = f"{type(error).__name__}: {str(error)[:120]}"
        seconds = time.perf_counter() - begin
        killed, problems = log_problems(read_log(args.log, log_offset))
        python = [p for p in sampler.peaks.values() if not p["name"].startswith("wkhtmltopdf")]
        wkhtml = [p for p in sampler.peaks.values() if p["name"].startswith("wkhtmltopdf")]
        print(
            f"  the pack at once (/report/pdf/): {outcome} after {seconds:,.1f} s; "
            f"peak RSS of a worker {mib(max(p['rss'] for p in python))}, of wkhtmltopdf "
            f"{mib(max((p['rss'] for p in wkhtml), default=0))}; a worker or its "
            f"wkhtmltopdf killed at a limit: {len(killed)}"
            + "".join(f"\n      {text[:160]}" for text in killed),
            flush=True,
        )
        # a killed worker's wkhtmltopdf goes on alone: end it (it was started here)
        for pid, peak in sampler.peaks.items():
            if peak["name"].startswith("wkhtmltopdf"):
                try:
                    sampler.psutil.Process(pid).kill()
                except sampler.psutil.Error:
                    pass
    sampler.running = False


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("load", "run"))
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=50000)
    parser.add_argument("--report-url", help="load: report.url (the server's)")
    parser.add_argument("--url", help="run: the server")
    parser.add_argument("--log", help="run: the server's log file")
    parser.add_argument("--server-pid", type=int, help="run: the server's pid")
    parser.add_argument("--at-once", action="store_true", help="run: also /report/pdf/")
    parser.add_argument(
        "--steps", action="store_true", help="run: the peak RSS of each step of the pack"
    )
    args = parser.parse_args()
    if args.command == "load":
        load(args)
    else:
        run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
