"""The e-mail of a submitted weekly report (R-1.5) is sent from its template with
message_post_with_source; the template now says itself why the PDF is missing. Its
record is noupdate: let this update load the new body (and its translations) once."""


def migrate(cr, version):
    cr.execute(
        "UPDATE ir_model_data SET noupdate = false"
        " WHERE module = 'crm_activity_verification'"
        " AND name = 'mail_template_weekly_report_submitted'"
    )
