import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * The department manager, in Spanish, opens the verification analysis: his department
 * only, a few readable measures; he drills down from the department to its
 * collaborators. Then he opens the verification dashboard of the Dashboards app.
 * Data and checks: tests/test_role_tours.py (TestDepartmentManagerTour).
 */
registry.category("web_tour.tours").add("crm_activity_verification_manager_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "crm_activity_verification.crm_activity_verification_menu_root",
            "Open the Verification app"
        ),
        {
            content: "Open the analysis",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='crm_activity_verification.crm_activity_verification_menu_analysis']",
            run: "click",
        },
        {
            trigger:
                ".o-dropdown-item[data-menu-xmlid='crm_activity_verification.crm_activity_verification_menu_analysis_verification']",
            run: "click",
        },
        {
            content: "His department is there, the other one is not",
            trigger:
                ".o_pivot:not(:contains('Ventas Otra Plaza')) .o_pivot_header_cell_closed:contains('Ventas Tour')",
            run: "click",
        },
        {
            content: "Drill down to the collaborators",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Colaborador')",
            run: "click",
        },
        {
            content: "The collaborator's row",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('Octavio Lizárraga')",
        },
        ...stepUtils.goToAppSteps(
            "spreadsheet_dashboard.spreadsheet_dashboard_menu_root",
            "Open the Dashboards app"
        ),
        {
            content: "The verification dashboard, by its Spanish name",
            trigger: ".o_search_panel_category_value:contains('Verificaciones')",
            run: "click",
        },
        {
            content: "It is the open one",
            trigger: ".o_search_panel_category_value.active:contains('Verificaciones')",
        },
        {
            content: "Its cards are drawn",
            trigger: ".o_spreadsheet_dashboard_action .o_renderer .o-figure",
        },
    ],
});
