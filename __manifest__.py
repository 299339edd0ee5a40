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
    "depends": ["crm", "mail", "digest", "contacts", "base_setup", "resource"],
    "data": [
        # security
        "security/crm_activity_verification_groups.xml",
        "security/ir.model.access.csv",
        "security/crm_activity_verification_security.xml",
        # data
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        # wizard views
        "wizard/crm_activity_verification_call_log_views.xml",
        "wizard/crm_activity_verification_customer_views.xml",
        # views
        "views/crm_activity_verification_views.xml",
        "views/crm_activity_verification_call_views.xml",
        "views/mail_activity_views.xml",
        "views/mail_activity_type_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
        # menus
        "views/crm_activity_verification_menus.xml",
    ],
    "demo": [],
    "assets": {
        "web.assets_tests": [
            "crm_activity_verification/static/tests/tours/**/*",
        ],
    },
}
