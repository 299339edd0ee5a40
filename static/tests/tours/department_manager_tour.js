import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * The department manager, in Spanish, opens the verification analysis: his department
 * only, a few readable measures; he drills down from the department to its
 * collaborators. He reads his last weekly digest, then a preview of this week, in Odoo.
 * Then he opens the verification dashboard of the Dashboards app (it links to his
 * digest).
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
        {
            content: "His weekly digest, in Odoo",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='crm_activity_verification.crm_activity_verification_menu_analysis']",
            run: "click",
        },
        {
            trigger:
                ".o-dropdown-item[data-menu-xmlid='crm_activity_verification.crm_activity_verification_menu_digest_preview']",
            run: "click",
        },
        {
            content: "The last one: his department, four columns, the week named by its days",
            trigger: ".o_verification_digest_body:contains('Ventas Tour'):contains('Octavio Lizárraga'):contains('sábado')",
        },
        {
            content: "It fits the 680 px of the e-mail layout (readable on a phone)",
            trigger: ".o_verification_digest_body table[width='680']",
            run() {
                const table = document.querySelector(".o_verification_digest_body table[width='680']");
                if (table.offsetWidth > 680 || table.scrollWidth > 680) {
                    throw new Error(`The digest is ${table.scrollWidth} px wide`);
                }
                const headers = table.querySelectorAll("th");
                if (headers.length !== 5) {
                    throw new Error(`${headers.length} columns in the digest's table`);
                }
            },
        },
        {
            content: "A preview of this week, now",
            trigger: ".o_field_widget[name=week] input[data-value=current]",
            run: "click",
        },
        {
            content: "The week so far, named as such",
            trigger: ".o_verification_digest_body:contains('Esta semana hasta ahora')",
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
