import { registry } from "@web/core/registry";

/**
 * The sales advisor's week. tests/test_role_tours.py (TestSalesAdvisorTour) runs the
 * first tour, has customer service confirm the visit and ask for a follow-up, then
 * runs the second.
 */
const OPPORTUNITY = "2 tractocamiones LT";

const openOpportunity = [
    {
        content: "Open the opportunity from the pipeline",
        trigger: `.o_kanban_record:contains('${OPPORTUNITY}')`,
        run: "click",
    },
    {
        trigger: `.o_form_view .o_field_widget[name=name]:contains('${OPPORTUNITY}'), .o_form_view .o_field_widget[name=name] textarea`,
    },
];

/** He logs the promotion visit he made and marks it done at once. */
registry.category("web_tour.tours").add("crm_activity_verification_advisor_visit_tour", {
    url: "/odoo/action-crm.crm_lead_action_pipeline",
    steps: () => [
        ...openOpportunity,
        {
            content: "Log an activity",
            trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-activity",
            run: "click",
        },
        {
            content: "A promotion visit",
            trigger: ".modal .o_field_widget[name=activity_type_id] .o_selection_badge:contains('Promotion Visit')",
            run: "click",
        },
        {
            content: "The dialog says customer service will confirm it by phone",
            trigger: ".modal .o_verification_schedule_notice:visible",
        },
        {
            content: "What it was about",
            trigger: ".modal .o_field_widget[name=summary] input",
            run: "edit Visita de promoción: línea LT",
        },
        {
            content: "Plan it",
            trigger: ".modal button[name=action_schedule_activities]",
            run: "click",
        },
        {
            content: "Before the visit: only his earlier activity to verify",
            trigger: "body:not(:has(.modal)) .o_form_view .oe_stat_button[name=action_view_verifications] .o_stat_value:text(1)",
        },
        {
            content: "Back from the visit: mark it done in the chatter",
            trigger: ".o-mail-Activity:contains('línea LT') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "Say how it went",
            trigger: ".o-mail-ActivityMarkAsDone textarea",
            run: "edit Presenté la línea LT al jefe de flota.",
        },
        {
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label=Done]",
            run: "click",
        },
        {
            content: "The opportunity counts the visit as to be verified at once, without a reload",
            trigger: ".o_form_view .oe_stat_button[name=action_view_verifications]:contains('To Verify') .o_stat_value:text(2)",
        },
    ],
});

/** Later: he sees the result, then does the follow-up customer service asked of him. */
registry.category("web_tour.tours").add("crm_activity_verification_advisor_followup_tour", {
    url: "/odoo/action-crm.crm_lead_action_pipeline",
    steps: () => [
        ...openOpportunity,
        {
            content: "The opportunity shows the visit was confirmed",
            trigger: ".o_form_view .oe_stat_button[name=action_view_verifications]:contains('Confirmed')",
            run: "click",
        },
        {
            content: "Open the confirmed verification",
            trigger: ".o_list_view .o_data_row:contains('Confirmed'):contains('Promotion Visit') td[name=activity_date]",
            run: "click",
        },
        {
            content: "What the customer said",
            trigger: ".o_form_view .o_field_widget[name=result]:contains('recibió la visita')",
        },
        {
            content: "Customer service asks him for a follow-up",
            trigger: ".o_form_view [name=followup_alert]:contains('ficha técnica')",
        },
        {
            content: "He did it: mark the follow-up done",
            trigger: ".o-mail-Activity:contains('Follow up') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "Say what was done",
            trigger: ".o-mail-ActivityMarkAsDone textarea",
            run: "edit Envié la ficha técnica por correo.",
        },
        {
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label=Done]",
            run: "click",
        },
        {
            content: "The follow-up is done",
            trigger: ".o_form_view:not(:has([name=followup_alert]:visible)) .o_field_widget[name=followup_state]:contains('Done')",
        },
    ],
});
