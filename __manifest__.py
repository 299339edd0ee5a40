# Copyright 2026 Verificación CRM developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Activity Verification (ISO 9001 PAD-7.2-05)",
    "summary": "Confirm by phone the promotion and sales activities recorded in the CRM",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-activity-verification/crm_activity_verification",
    "author": "Verificación CRM developers",
    "maintainers": ["crm-activity-verification"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "uninstall_hook": "uninstall_hook",
    "depends": [
        "crm",
        "mail",
        "digest",
        "contacts",
        "base_setup",
        "resource",
        "spreadsheet_dashboard",
    ],
    "data": [
        # security
        "security/crm_activity_verification_groups.xml",
        "security/ir.model.access.csv",
        "security/crm_activity_verification_security.xml",
        # data
        "data/mail_activity_type_data.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_report_data.xml",
        "data/ir_cron_data.xml",
        "data/crm_activity_complaint_data.xml",
        "data/mail_template_data.xml",
        "data/mail_template_digest_data.xml",
        "data/digest_data.xml",
        "data/spreadsheet_dashboard_data.xml",
        # wizard views
        "wizard/crm_activity_verification_call_log_views.xml",
        "wizard/crm_activity_verification_customer_views.xml",
        "wizard/crm_activity_verification_followup_views.xml",
        "wizard/crm_activity_verification_anomaly_views.xml",
        "wizard/crm_activity_verification_anomaly_resolve_views.xml",
        "wizard/crm_activity_verification_complaint_views.xml",
        # views
        "views/crm_activity_verification_views.xml",
        "views/crm_activity_verification_call_views.xml",
        "views/crm_activity_verification_sampling_log_views.xml",
        "views/crm_activity_complaint_views.xml",
        "views/mail_activity_views.xml",
        "views/mail_activity_type_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_activity_weekly_report_views.xml",
        "views/crm_activity_verification_analysis_views.xml",
        "views/digest_digest_views.xml",
        # reports
        "report/crm_activity_weekly_report_reports.xml",
        "report/crm_activity_weekly_report_templates.xml",
        # menus
        "views/crm_activity_verification_menus.xml",
    ],
    "demo": [
        "demo/res_lang_demo.xml",
        "demo/res_users_demo.xml",
        "demo/crm_team_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/crm_lead_demo.xml",
        "demo/crm_activity_verification_demo.xml",
        "demo/res_company_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_activity_verification/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_activity_verification/static/tests/tours/**/*",
        ],
    },
}
