import { registry } from "@web/core/registry";

/**
 * The verifier opens the Verification board and logs a confirming call on a card of the
 * "To Verify" column, completing the customer's e-mail from the call dialog. She sees
 * the card move to the "Confirmed" column, which is folded (like CRM's won stage) and
 * opens with a click. She then opens the verification, asks the collaborator for a
 * follow-up, records the customer's complaint and reports an anomaly.
 * The record comes from tests/common.py::create_board_fixture.
 */
const CUSTOMER = "Autotransportes Cucapah";
const column = (title) =>
    `.o_kanban_group:has(.o_column_title:contains('${title}'))`;
const card = `.o_kanban_record:contains('${CUSTOMER}')`;

/** Open a dialog from the form's header, fill it, confirm it and wait for it to close. */
function dialogSteps(content, opener, fields, confirm) {
    return [
        {
            content,
            trigger: `.o_form_view .o_statusbar_buttons button[name=${opener}]`,
            run: "click",
        },
        ...fields.map(([name, tag, run]) => ({
            trigger: `.modal .o_field_widget[name=${name}] ${tag}`,
            run,
        })),
        {
            trigger: `.modal button[name=${confirm}]`,
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ];
}

registry.category("web_tour.tours").add("crm_activity_verification_tour", {
    url: "/odoo/action-crm_activity_verification.crm_activity_verification_action_board",
    steps: () => [
        {
            content: "The board shows the reported visit in the 'To Verify' column",
            trigger: `${column("To Verify")} ${card}`,
        },
        {
            content: "... with its collaborator named and the last call's outcome not yet set",
            trigger: `${card} .o_verification_collaborator:contains('Octavio Lizárraga')`,
        },
        {
            content: "Log a call from the card",
            trigger: `${column("To Verify")} ${card} button.o_verification_log_call`,
            run: "click",
        },
        {
            content: "The customer gives his purchasing e-mail: complete him from the call",
            trigger: ".modal button[name=action_open_customer_dialog]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=email] input",
            run: "edit compras@cucapah.example.com",
        },
        {
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "Back in the call dialog, which still shows the activity",
            trigger: ".modal .o_field_widget[name=outcome]:has(input[data-value=confirmed])",
        },
        {
            content: "The customer answered and confirms the visit",
            trigger: ".modal .o_field_widget[name=outcome] input[data-value=confirmed]",
            run: "click",
        },
        {
            content: "Write what the customer said",
            trigger: ".modal .o_field_widget[name=notes] textarea",
            run: "edit El Lic. Ochoa confirma la visita y la presentación de la línea LT.",
        },
        {
            content: "Save the call",
            trigger: ".modal button[name=action_log]",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The card no longer waits in 'To Verify'",
            trigger: `${column("To Verify")}:not(:has(${card}))`,
        },
        {
            content: "The concluded columns are folded; 'Confirmed' counts one card",
            trigger: `${column("Confirmed")}.o_column_folded:contains('(1)')`,
            run: "click",
        },
        {
            content: "A click opens it: the card is there",
            trigger: `${column("Confirmed")}:not(.o_column_folded) ${card}`,
            run: "click",
        },
        ...dialogSteps(
            "Ask the collaborator for a follow-up",
            "action_open_followup_dialog",
            [["notes", "textarea", "edit Enviar la ficha técnica de la línea LT."]],
            "action_request"
        ),
        {
            content: "The follow-up request shows on the verification",
            trigger: ".o_form_view [name=followup_alert]:visible",
        },
        ...dialogSteps(
            "Record the customer's complaint",
            "action_open_complaint_dialog",
            [["description", "textarea", "edit La entrega de la cotización tardó dos semanas."]],
            "action_report"
        ),
        {
            content: "The complaint opens, to be handled under PAD-8.5-02",
            trigger: `.o_form_view .o_field_widget[name=verification_id]:contains('${CUSTOMER}')`,
        },
        {
            content: "Recorded from the verification: no New button on the complaint",
            trigger: ".o_control_panel:not(:has(.o_form_button_create)) .o_breadcrumb",
        },
        {
            content: "Back to the verification",
            trigger: `.o_breadcrumb .breadcrumb-item a:contains('${CUSTOMER}')`,
            run: "click",
        },
        {
            content: "The complaint is counted on the verification",
            trigger: ".o_form_view .oe_stat_button[name=action_view_complaints]",
        },
        ...dialogSteps(
            "Report an anomaly",
            "action_open_anomaly_dialog",
            [["description", "textarea", "edit El cliente dice que la visita fue de otro asesor."]],
            "action_report"
        ),
        {
            content: "Once reported, the anomaly cannot be reported twice",
            trigger: ".o_form_view:not(:has(button[name=action_open_anomaly_dialog]))",
        },
    ],
});
