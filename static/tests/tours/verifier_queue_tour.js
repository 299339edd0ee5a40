import { registry } from "@web/core/registry";

/**
 * The customer-service assistant works the call queue (B-2): "Next call" on the board
 * opens the next verification with its call dialog; saving the call moves on to the
 * next one, in the place of the previous one (breadcrumbs and URL do not grow). Three
 * calls in a row, in the queue's order (the oldest activity first), then the queue says
 * it is empty. Data: tests/test_verification_ui.py.
 */
const CUSTOMERS = ["Fletes Cucapah", "Lácteos del Valle", "Materiales Rumorosa"];

function callSteps(customer) {
    return [
        {
            content: `${customer}'s call took the place of the previous one: the board, then it`,
            trigger: `.o_breadcrumb:has(.o_last_breadcrumb_item:contains('${customer}')):not(:has(.breadcrumb-item ~ .breadcrumb-item))`,
        },
        {
            content: "The address names the board and this verification, no list of them",
            trigger: "body",
            run() {
                // as long for every call as for the first one
                const parts = window.location.pathname.split("/").filter(Boolean);
                window.cavQueueUrlParts ??= parts.length;
                if (parts.length > window.cavQueueUrlParts) {
                    throw new Error(`The URL grew with the calls: ${window.location.pathname}`);
                }
            },
        },
        {
            content: `The call dialog of ${customer} opens by itself`,
            trigger: `.modal:contains('${customer}') .o_field_widget[name=outcome] input[data-value=confirmed]`,
            run: "click",
        },
        {
            content: "Write what the customer said",
            trigger: `.modal:contains('${customer}') .o_field_widget[name=notes] textarea`,
            run: "edit Confirma la visita.",
        },
        {
            content: "Save the call: the next one comes",
            trigger: `.modal:contains('${customer}') button[name=action_log]`,
            run: "click",
        },
        {
            content: `${customer} is no longer on screen`,
            trigger: `body:not(:has(.modal:contains('${customer}')))`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_activity_verification_queue_tour", {
    url: "/odoo/action-crm_activity_verification.crm_activity_verification_action_board",
    steps: () => [
        {
            content: "Start the call queue from the board",
            trigger: ".o_kanban_view button[name=action_next_call]",
            run: "click",
        },
        ...CUSTOMERS.flatMap(callSteps),
        {
            content: "The queue is empty",
            trigger: ".o_notification:contains('No call to make now')",
        },
    ],
});
