from . import crm_activity_weekly_report_blank
