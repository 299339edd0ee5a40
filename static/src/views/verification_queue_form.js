import { onMounted } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { formView } from "@web/views/form/form_view";
import { FormController } from "@web/views/form/form_controller";

/**
 * The verification's form. Opened by the call queue ("Next call", B-2, context key
 * ``verification_queue``), it opens the call dialog at once: the assistant reads the
 * activity and dials; saving the call moves on to the next one.
 */
export class VerificationQueueFormController extends FormController {
    setup() {
        super.setup();
        onMounted(() => {
            if (this.props.context.verification_queue && this.model.root.resId) {
                this.openCallDialog();
            }
        });
    }

    async openCallDialog() {
        const action = await this.orm.call(
            this.props.resModel,
            "action_open_call_dialog",
            [[this.model.root.resId]],
            { context: this.props.context }
        );
        await this.actionService.doAction(action, {
            additionalContext: { verification_queue: true },
            onClose: () => this.model.root.load(),
        });
    }
}

registry.category("views").add("verification_queue_form", {
    ...formView,
    Controller: VerificationQueueFormController,
});
