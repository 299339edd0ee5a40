import { registry } from "@web/core/registry";

/**
 * B-3: the customer opens the confirmation link (no login), says "Yes", then rates the
 * service with Odoo's rating faces. tests/test_customer_link.py runs it at a phone's
 * width and at a desktop's. Selectors only: the page speaks the customer's language.
 */
registry.category("web_tour.tours").add("crm_activity_verification_customer_link_tour", {
    steps: () => [
        {
            content: "The page shows the activity and the three answers",
            trigger: ".o_verification_link_page:has(.o_answer_denied):has(.o_answer_call_me)",
        },
        {
            content: "Yes, it happened",
            trigger: ".o_verification_link_page button.o_answer_confirmed",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The answer is recorded",
            trigger: ".o_verification_link_page .o_answer_recorded",
        },
        {
            content: "Satisfied",
            trigger: ".o_verification_link_page input[name=rating][value='5']",
            run: "click",
        },
        {
            content: "Send the rating",
            trigger: ".o_verification_link_page .o_rate_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanks",
            trigger: ".o_verification_link_page .o_rated_now",
        },
    ],
});
