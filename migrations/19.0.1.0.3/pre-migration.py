"""The weekly digest e-mail carries the head of the chain of sealed records for the HR &
process manager (issue 21). Its template is noupdate: let this update load the new body
(and its translations) once."""


def migrate(cr, version):
    cr.execute(
        "UPDATE ir_model_data SET noupdate = false"
        " WHERE module = 'crm_activity_verification'"
        " AND name = 'mail_template_weekly_digest'"
    )
