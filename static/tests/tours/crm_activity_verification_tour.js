import { registry } from "@web/core/registry";

/**
 * The verifier opens the Verification board, logs a confirming call on a card
 * of the "To Verify" column and sees the card move to the "Confirmed" column, which
 * is folded (like CRM's won stage) and opens with a click.
 * The record comes from tests/common.py::create_board_fixture.
 */
const CUSTOMER = "Autotransportes Cucapah";
const column = (title) =>
    `.o_kanban_group:has(.o_column_title:contains('${title}'))`;
const card = `.o_kanban_record:contains('${CUSTOMER}')`;

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
        },
    ],
});
