import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * The HR & process manager resolves the anomaly customer service reported, then gives
 * collaborators one more working day for follow-ups and switches the customer
 * confirmation link on, in the procedure's settings (he is no administrator).
 * Data and checks: tests/test_role_tours.py.
 */
const CUSTOMER = "Autotransportes Cucapah";

registry.category("web_tour.tours").add("crm_activity_verification_process_manager_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "crm_activity_verification.crm_activity_verification_menu_root",
            "Open the Verification app"
        ),
        {
            content: "Open the verifications",
            trigger:
                ".o_main_navbar [data-menu-xmlid='crm_activity_verification.crm_activity_verification_menu_all']",
            run: "click",
        },
        {
            content: "Open the verification with the anomaly",
            trigger: `.o_list_view .o_data_row:contains('${CUSTOMER}') td[name=activity_date]`,
            run: "click",
        },
        {
            content: "Resolve the anomaly",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_anomaly_resolve_dialog]",
            run: "click",
        },
        {
            content: "Say how it was resolved",
            trigger: ".modal .o_field_widget[name=resolution] textarea",
            run: "edit Se habló con el asesor; la visita la hizo su compañero y se corrigió el registro.",
        },
        {
            trigger: ".modal button[name=action_resolve]",
            run: "click",
        },
        {
            content: "Resolved: nothing left to resolve",
            trigger: ".o_form_view:not(:has(button[name=action_open_anomaly_resolve_dialog])) .o_field_widget[name=display_name]",
        },
        {
            content: "Open the procedure's settings",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='crm_activity_verification.crm_activity_verification_menu_config']",
            run: "click",
        },
        {
            trigger:
                ".o-dropdown-item[data-menu-xmlid='crm_activity_verification.crm_activity_verification_menu_procedure_settings']",
            run: "click",
        },
        {
            content: "The dialog is titled by its name",
            trigger: ".o_breadcrumb:contains('Procedure settings'):not(:contains('NewId'))",
        },
        {
            content: "One more working day for follow-ups",
            trigger: ".o_form_view .o_field_widget[name=verification_followup_days] input",
            run: "edit 3",
        },
        {
            content: "Customers may confirm by e-mail too: switch the link on",
            trigger: ".o_form_view .o_field_widget[name=verification_customer_link] input",
            run: "click",
        },
        {
            content: "The link's validity shows once it is on",
            trigger: ".o_form_view .o_field_widget[name=verification_link_days] input",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_save]",
            run: "click",
        },
        {
            content: "The settings show the saved value",
            trigger: ".o_form_view:not(.o_form_dirty) .o_field_widget[name=verification_followup_days] input:value(3)",
        },
    ],
});
