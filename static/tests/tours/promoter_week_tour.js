import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * The parts promoter starts from the app menu, opens "My weekly reports" and clicks
 * "This week's report" in the list header (issue 14: the button crashed). He lands on
 * the form of the report that is due: tests/test_verification_ui.py runs this tour on
 * a Saturday (the week that just ended) and on a Wednesday (the week in progress) and
 * checks the week of the report it opened.
 */
registry.category("web_tour.tours").add("crm_activity_verification_promoter_week_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "crm_activity_verification.crm_activity_verification_menu_root",
            "Open the Verification app"
        ),
        {
            content: "Open my weekly reports",
            trigger:
                ".o_main_navbar [data-menu-xmlid='crm_activity_verification.crm_activity_weekly_report_menu_my']",
            run: "click",
        },
        {
            content: "Open the report of this week from the list header",
            trigger: ".o_list_view button[name=action_open_current_week]",
            run: "click",
        },
        {
            content: "The report's form opens, a draft of the collaborator's week",
            trigger: ".o_form_view .o_field_widget[name=date_start]",
        },
        {
            content: "... that the promoter can fill",
            trigger: ".o_form_view .o_statusbar_status button[data-value=draft].o_arrow_button_current",
        },
    ],
});
