import { registry } from "@web/core/registry";

/**
 * The parts promoter, in the field, on his phone (390×844, touch): his reports as cards,
 * this week's report the first button (no "New", no collaborator to pick); he opens this
 * week's FRE-7.5-01, adds three activities as cards, each in a dialog (the last with a
 * customer not yet in the CRM),
 * signs with his finger, submits and sees the report locked.
 * Data and checks: tests/test_role_tours.py (TestPromoterPhoneTour).
 */
const LINES = [
    { customer: "Autotransportes Cucapah", type: "Promotion Visit" },
    { customer: "Fletes Cucapah", type: "Prospecting Call" },
];
const NEW_CUSTOMER = "Refaccionaria La Rumorosa";

/** The phone's many2one search screen, over the line's dialog: tap the record. */
function pickInDialog(field, name) {
    return [
        {
            content: `Tap ${name}`,
            trigger: `.modal .o_kanban_record:contains("${name}"), .modal .o_data_row:contains("${name}")`,
            run: "click",
        },
        {
            content: "Back on the activity's dialog, the choice made",
            trigger: `.modal .o_field_widget[name=${field}]:contains("${name}"), .modal .o_field_widget[name=${field}] input:value("${name}")`,
        },
    ];
}

function addLineSteps({ customer, type }, index) {
    const dialog = ".modal .o_form_view";
    return [
        {
            content: "Add an activity to the week: on a phone, a dialog opens",
            trigger: ".o_field_widget[name=line_ids] .o-kanban-button-new",
            run: "click",
        },
        ...(customer
            ? [
                  {
                      content: "Choose the customer: on a phone, a search screen opens",
                      trigger: `${dialog} .o_field_widget[name=partner_id] input`,
                      run: "click",
                  },
                  ...pickInDialog("partner_id", customer),
              ]
            : [
                  {
                      content: "A customer not yet in the CRM: type its name",
                      trigger: `${dialog} .o_field_widget[name=customer_name] input`,
                      run: `edit ${NEW_CUSTOMER}`,
                  },
                  {
                      content: "... and its phone",
                      trigger: `${dialog} .o_field_widget[name=phone] input`,
                      run: "edit +52 686 555 0142",
                  },
              ]),
        {
            content: `What was done: ${type}`,
            trigger: `${dialog} .o_field_widget[name=activity_type_id] input`,
            run: "click",
        },
        ...pickInDialog("activity_type_id", type),
        {
            content: "Describe it",
            trigger: `${dialog} .o_field_widget[name=description] textarea`,
            run: "edit Presentación de filtros y balatas",
        },
        {
            content: "Save the activity",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "Its card is on the report",
            trigger: `body:not(:has(.modal)) .o_field_widget[name=line_ids] .o_kanban_record:not(.o_kanban_ghost):not(.o-kanban-button-new):eq(${index})`,
        },
    ];
}

/** Draw a stroke with the pointer, as a finger on the phone would. */
function drawStroke(canvas) {
    const rect = canvas.getBoundingClientRect();
    const at = (fx, fy) => ({
        clientX: rect.left + rect.width * fx,
        clientY: rect.top + rect.height * fy,
        bubbles: true,
        cancelable: true,
        pointerId: 1,
        pointerType: "touch",
        isPrimary: true,
        buttons: 1,
        pressure: 0.5,
    });
    canvas.dispatchEvent(new PointerEvent("pointerdown", at(0.1, 0.7)));
    for (const [fx, fy] of [
        [0.25, 0.2],
        [0.4, 0.75],
        [0.55, 0.25],
        [0.7, 0.7],
        [0.9, 0.3],
    ]) {
        canvas.dispatchEvent(new PointerEvent("pointermove", at(fx, fy)));
    }
    canvas.dispatchEvent(new PointerEvent("pointerup", { ...at(0.9, 0.3), buttons: 0 }));
}

registry.category("web_tour.tours").add("crm_activity_verification_promoter_phone_tour", {
    url: "/odoo/action-crm_activity_verification.crm_activity_weekly_report_action_my",
    steps: () => [
        {
            content: "His reports are cards at phone width; no \"New\": a report a week",
            trigger: ".o_kanban_view:not(:has(.o-kanban-button-new)):not(:has(.o_list_button_add))",
        },
        {
            content: "This week's report is the first button he sees: tap it",
            trigger: ".o_control_panel_main_buttons button[name=action_open_current_week]:visible",
            run: "click",
        },
        {
            content: "The week's draft opens (on a phone the status bar is a menu)",
            trigger: ".o_form_view .o_statusbar_status button[data-value=draft].o_arrow_button_current:not(:visible)",
        },
        {
            content: "The report is his: no collaborator to choose",
            trigger: ".o_form_view .o_field_widget[name=user_id]:contains('Héctor Ríos'):not(:has(input))",
        },
        ...LINES.flatMap(addLineSteps),
        ...addLineSteps({ type: "Product Demonstration" }, 2),
        {
            content: "Three activities in the week",
            trigger: ".o_field_widget[name=line_ids] .o_kanban_record:not(.o_kanban_ghost):not(.o-kanban-button-new):eq(2)",
        },
        {
            content: "Go to the signature",
            trigger: ".o_notebook .nav-link[name=signature]",
            run: "click",
        },
        {
            content: "His name, as he signs",
            trigger: ".o_field_widget[name=signed_by] input",
            run: "edit Héctor Ríos",
        },
        {
            content: "The date of the signature",
            trigger: ".o_field_widget[name=signed_on] input",
            run: "edit 11/25/2026",
        },
        {
            content: "Open the signature pad",
            trigger: ".o_field_widget[name=signature] .o_signature",
            run: "click",
        },
        {
            content: "Sign by hand",
            trigger: ".modal .o_web_sign_draw_button",
            run: "click",
        },
        {
            content: "Draw the signature with the finger",
            trigger: ".modal .o_web_sign_draw_button.active",
            run() {
                drawStroke(document.querySelector(".modal canvas.o_web_sign_signature"));
            },
        },
        {
            content: "Adopt the signature",
            trigger: ".modal .modal-footer .btn-primary:enabled",
            run: "click",
        },
        {
            content: "The signature is on the report",
            trigger: ".o_field_widget[name=signature] img.o_signature",
        },
        {
            content: "Submit the report",
            trigger: ".o_statusbar_buttons button[name=action_submit]",
            run: "click",
        },
        {
            content: "Confirm: once submitted, it is locked",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The report is submitted",
            trigger: ".o_statusbar_status button[data-value=submitted].o_arrow_button_current:not(:visible)",
        },
        {
            content: "... and locked: no line can be added any more",
            trigger: ".o_form_view:not(:has(.o_field_widget[name=line_ids] .o-kanban-button-new)):not(:has(button[name=action_submit]))",
        },
        {
            content: "Back to his reports",
            trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "His week's card says it is submitted",
            trigger: ".o_kanban_view .o_kanban_record:contains('Submitted')",
        },
    ],
});
