"""Bulk data of ``scripts/bench``: people with the ORM, rows with ``INSERT ... SELECT
generate_series`` (no ORM row by row), then ``ANALYZE``.

At size N: N opportunities (``crm.lead``, spread over the four stages), N
verifications (one per opportunity, over three years, the newest ``OPEN`` still open,
about 3 % not drawn by the sampling, the rest concluded), and an open to-do on one
opportunity in ten. The open verifications are as many at 10,000 as at 1,000,000: the
history grows, the day's work does not.
"""

from odoo.fields import Command

# Open verifications (pending or in progress): the day's work, whatever the history.
OPEN = 3000
SALESMEN = 20
PARTNERS = 500
MARKER = "crm_activity_verification.bench_size"


def loaded_size(env):
    return int(env["ir.config_parameter"].sudo().get_param(MARKER, "0"))


def _user(env, login, name, groups, **values):
    return (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True, tracking_disable=True)
        .create(
            {
                "name": name,
                "login": login,
                "email": f"{login}@bench.example.com",
                "tz": "America/Tijuana",
                "group_ids": [Command.set([env.ref(group).id for group in groups])],
                **values,
            }
        )
    )


def setup_people(env):
    """Users of each role, the Sales team and its leader, customers (ORM: a few dozen)."""
    company = env.company
    verifier = _user(
        env,
        "bench_verifier",
        "Verificadora",
        ["base.group_user", "crm_activity_verification.group_verifier"],
    )
    leader = _user(
        env,
        "bench_leader",
        "Gerente de ventas",
        [
            "base.group_user",
            "sales_team.group_sale_manager",
            "crm_activity_verification.group_manager",
        ],
    )
    process = _user(
        env,
        "bench_process",
        "Gerente de procesos",
        ["base.group_user", "crm_activity_verification.group_process_manager"],
    )
    salesmen = env["res.users"]
    for index in range(SALESMEN):
        salesmen |= _user(
            env,
            f"bench_sales_{index:02d}",
            f"Asesor {index:02d}",
            [
                "base.group_user",
                "sales_team.group_sale_salesman",
                "crm_activity_verification.group_collaborator",
            ],
            verification_role="sales_advisor",
        )
    team = env.ref("sales_team.team_sales_department")
    team.user_id = leader
    company.verification_process_manager_id = process
    partners = (
        env["res.partner"]
        .with_context(mail_create_nolog=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"Transportes {index:03d}",
                    "phone": f"+52 664 555 {index:04d}",
                    "email": f"cliente{index:03d}@bench.example.com",
                    "tz": "America/Tijuana",
                }
                for index in range(PARTNERS)
            ]
        )
    )
    env.flush_all()
    return verifier, leader, salesmen, team, partners


def load(env, size):
    """Fill the database at ``size`` and mark it; returns a line per table."""
    cr = env.cr
    _verifier, leader, salesmen, team, partners = setup_people(env)
    stages = env["crm.stage"].search([], order="sequence, id").ids
    won = env["crm.stage"].search([("is_won", "=", True)], limit=1).id
    verification_types = (
        env["mail.activity.type"].search([("verification_required", "=", True)], order="id").ids
    )
    todo = env.ref("mail.mail_activity_data_todo")
    params = {
        "n": size,
        "open": min(OPEN, size * 3 // 10),
        "company": env.company.id,
        "team": team.id,
        "stages": stages[:4],
        "won": won,
        "users": salesmen.ids,
        "partners": partners.ids,
        "types": verification_types,
        "leader": leader.id,
        "todo": todo.id,
        "lead_model": env["ir.model"]._get_id("crm.lead"),
        "uid": env.uid,
    }
    cr.execute("SELECT COALESCE(max(id), 0) FROM crm_lead")
    params["lead0"] = cr.fetchone()[0]
    # stage by a hash of g: 30 % New, 25 % Qualified, 20 % Proposition, 25 % Won
    cr.execute(
        """
        INSERT INTO crm_lead (
            id, name, type, active, stage_id, won_status, probability, user_id, team_id,
            company_id, partner_id, contact_name, partner_name, phone, email_from, priority,
            expected_revenue, prorated_revenue, recurring_revenue_monthly, color,
            create_uid, write_uid, create_date, write_date, date_open,
            date_last_stage_update, date_closed)
        SELECT %(lead0)s + g, 'Tractocamión ' || g, 'opportunity', true, s.stage,
               CASE WHEN s.stage = %(won)s THEN 'won' ELSE 'pending' END,
               CASE WHEN s.stage = %(won)s THEN 100 ELSE 10 + (g %% 5) * 15 END,
               (%(users)s::int[])[1 + g %% cardinality(%(users)s::int[])], %(team)s,
               %(company)s, (%(partners)s::int[])[1 + g %% cardinality(%(partners)s::int[])],
               'Contacto ' || g, 'Transportes ' || (g %% 500), '+52 664 ' || lpad(g::text, 7, '0'),
               'contacto' || g || '@bench.example.com', (g %% 4)::text,
               1000 * (g %% 900 + 100), 500 * (g %% 900 + 100), 0, 0,
               %(uid)s, %(uid)s, d.at, d.at, d.at, d.at,
               CASE WHEN s.stage = %(won)s THEN d.at END
          FROM generate_series(1, %(n)s) g,
               LATERAL (SELECT now() at time zone 'UTC'
                               - ((%(n)s - g)::float / %(n)s) * interval '1095 days' AS at) d,
               LATERAL (SELECT (%(stages)s::int[])[CASE
                   WHEN (g::bigint * 2654435761) %% 100 < 30 THEN 1
                   WHEN (g::bigint * 2654435761) %% 100 < 55 THEN 2
                   WHEN (g::bigint * 2654435761) %% 100 < 75 THEN 3
                   ELSE 4 END] AS stage) s
        """,
        params,
    )
    cr.execute("SELECT setval('crm_lead_id_seq', (SELECT max(id) FROM crm_lead))")
    # an open to-do on one opportunity in ten (the pipeline's activity progress bar)
    cr.execute(
        """
        INSERT INTO mail_activity (
            res_model_id, res_model, res_id, res_name, activity_type_id, user_id, summary,
            date_deadline, automated, active, create_uid, write_uid, create_date, write_date)
        SELECT %(lead_model)s, 'crm.lead', %(lead0)s + g, 'Tractocamión ' || g, %(todo)s,
               (%(users)s::int[])[1 + g %% cardinality(%(users)s::int[])], 'Llamar',
               current_date + (g %% 21 - 10), false, true, %(uid)s, %(uid)s, now(), now()
          FROM generate_series(10, %(n)s, 10) g
        """,
        params,
    )
    # verifications: one per opportunity; the newest `open` still to verify
    cr.execute("SELECT COALESCE(max(id), 0) FROM crm_activity_verification")
    params["verification0"] = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO crm_activity_verification (
            id, company_id, source, partner_id, lead_id, user_id, team_id,
            reported_activity_type_id, activity_date, description, contact_name, phone,
            state, call_count, last_outcome, verifier_id, verified_on, callback_at,
            next_call_at, result, followup_state, anomaly, escalation_level, lead_outcome,
            is_concluded, is_confirmed, is_not_confirmed, is_unreachable, is_anomaly,
            confirmation_rate, verify_hours, followup_on_time, followup_late, sla_deadline,
            verified_on_time, is_drawn, sampling_rate, active, create_uid, write_uid,
            create_date, write_date)
        SELECT %(verification0)s + g, %(company)s, 'crm', l.partner_id, l.id, l.user_id, l.team_id,
               (%(types)s::int[])[1 + g %% cardinality(%(types)s::int[])], l.create_date,
               'Visita de promoción de refacciones', l.contact_name,
               CASE WHEN g %% 50 = 0 THEN NULL ELSE l.phone END,
               v.state,
               CASE WHEN v.state = 'pending' OR v.state = 'not_sampled' THEN 0
                    WHEN v.state = 'unreachable' THEN 3 ELSE 1 + g %% 2 END,
               CASE v.state WHEN 'confirmed' THEN 'confirmed'
                            WHEN 'not_confirmed' THEN 'not_confirmed'
                            WHEN 'unreachable' THEN 'no_answer'
                            WHEN 'in_progress' THEN
                                CASE WHEN g %% 3 = 0 THEN 'call_back' ELSE 'no_answer' END
               END,
               CASE WHEN v.concluded THEN %(leader)s END,
               CASE WHEN v.concluded THEN l.create_date + interval '26 hours' END,
               CASE WHEN v.state = 'in_progress' AND g %% 3 = 0
                    THEN date_trunc('hour', now() at time zone 'UTC') + interval '20 hours' END,
               CASE WHEN v.state = 'in_progress' AND g %% 3 = 0
                    THEN date_trunc('hour', now() at time zone 'UTC') + interval '20 hours'
                    WHEN v.state = 'in_progress'
                    THEN date_trunc('hour', now() at time zone 'UTC')
                         + (g %% 3 * 2 - 3) * interval '2 hours' END,
               CASE WHEN v.concluded THEN 'Confirmado por teléfono' END,
               CASE WHEN v.state = 'confirmed' AND g %% 50 = 1 THEN 'done' ELSE 'none' END,
               false, 0,
               CASE WHEN l.won_status = 'won' THEN 'won' ELSE 'open' END,
               v.concluded::int, (v.state = 'confirmed')::int, (v.state = 'not_confirmed')::int,
               (v.state = 'unreachable')::int, 0,
               CASE WHEN v.state = 'confirmed' THEN 100 ELSE 0 END,
               CASE WHEN v.concluded THEN 26 ELSE 0 END, 0, 0,
               (l.create_date + interval '3 days')::date, v.concluded::int,
               (v.state != 'not_sampled')::int, 100, true,
               %(uid)s, %(uid)s, l.create_date, l.create_date
          FROM generate_series(1, %(n)s) g
          JOIN crm_lead l ON l.id = %(lead0)s + g,
               LATERAL (SELECT s.state, s.state IN ('confirmed', 'not_confirmed', 'unreachable')
                               AS concluded
                          FROM (SELECT CASE
                   WHEN g > %(n)s - %(open)s THEN
                       CASE WHEN g %% 5 = 0 THEN 'in_progress' ELSE 'pending' END
                   WHEN (g::bigint * 2654435761) %% 1000 < 30 THEN 'not_sampled'
                   WHEN (g::bigint * 2654435761) %% 1000 < 830 THEN 'confirmed'
                   WHEN (g::bigint * 2654435761) %% 1000 < 920 THEN 'not_confirmed'
                   ELSE 'unreachable' END AS state) s) v
        """,
        params,
    )
    cr.execute(
        "SELECT setval('crm_activity_verification_id_seq',"
        " (SELECT max(id) FROM crm_activity_verification))"
    )
    env["ir.config_parameter"].sudo().set_param(MARKER, str(size))
    env.flush_all()
    for table in ("crm_lead", "mail_activity", "crm_activity_verification"):
        cr.execute(f"ANALYZE {table}")  # noqa: S608 (constant names)
    cr.execute(
        "SELECT state, count(*) FROM crm_activity_verification GROUP BY state ORDER BY 2 DESC"
    )
    return cr.fetchall()
