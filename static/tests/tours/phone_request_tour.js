import { registry } from "@web/core/registry";

/**
 * customer service asked the sales advisor for a contact's phone. He finds the
 * request in his Activities menu, opens the verification, gives the number in the
 * dialog (a wrong one first: he is told why) and sees it received.
 * Data and checks: tests/test_phone_request.py (TestPhoneRequestTour).
 */
const CUSTOMER = "Fletes Rosarito";

registry.category("web_tour.tours").add("crm_activity_verification_phone_request_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "His activities: one is waiting",
            trigger: ".o_menu_systray .o-mail-ActivityMenu-counter",
            run: "click",
        },
        {
            content: "The verifications that wait on him",
            trigger: ".o-mail-ActivityGroup:contains('Verification')",
            run: "click",
        },
        {
            content: "Open the verification of the customer",
            trigger: `.o_data_row:contains('${CUSTOMER}') td.o_data_cell:first`,
            run: "click",
        },
        {
            content: "Give the phone number",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_phone_dialog]",
            run: "click",
        },
        {
            content: "The dialog says what customer service asked",
            trigger: `.modal .o_field_widget[name=customer]:contains('${CUSTOMER}')`,
        },
        {
            content: "The contact's name",
            trigger: ".modal .o_field_widget[name=contact_name] input",
            run: "edit Sr. Ramón Félix",
        },
        {
            content: "A number that cannot be one",
            trigger: ".modal .o_field_widget[name=phone] input",
            run: "edit 12",
        },
        {
            trigger: ".modal button[name=action_provide]",
            run: "click",
        },
        {
            content: "He is told why",
            trigger: ".modal .o_error_dialog:contains('is not a valid phone number')",
        },
        {
            trigger: ".modal .o_error_dialog .o-default-button",
            run: "click",
        },
        {
            content: "The right number",
            trigger: ".modal .o_field_widget[name=phone] input",
            run: "edit 661 555 0177",
        },
        {
            trigger: ".modal button[name=action_provide]",
            run: "click",
        },
        {
            content: "Customer service is told",
            trigger: ".o_notification:contains('661')",
        },
        {
            content: "The verification shows the number received, and asks nothing more",
            trigger: ".o_form_view:not(:has(button[name=action_open_phone_dialog])) .o_field_widget[name=phone_received] input:checked",
        },
    ],
});
