import { onMounted } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formView } from "@web/views/form/form_view";
import { FormController } from "@web/views/form/form_controller";

/**
 * The verification's form. Opened by the call queue ("Next call", B-2, context key
 * ``verification_queue``), it opens the call dialog at once: the assistant reads the
 * activity and dials; saving the call moves on to the next one, which replaces this
 * form in the breadcrumbs.
 */
export class VerificationQueueFormController extends FormController {
    setup() {
        super.setup();
        this.notification = useService("notification");
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
            onClose: (infos) => {
                if (infos?.next_call) {
                    // the next call takes the place of this one (not a new breadcrumb);
                    // not awaited: the dialog is removed once onClose returns
                    this.actionService.doAction(infos.next_call, {
                        stackPosition: "replaceCurrentAction",
                    });
                    return;
                }
                // the queue is empty: the call dialog closed, say so (wizard action_log)
                const notice = infos?.notification;
                if (notice) {
                    this.notification.add(notice.message, {
                        title: notice.title,
                        type: notice.type || "info",
                    });
                }
                // show the call just saved; not awaited: the action service removes the
                // dialog only once onClose resolves, and a load superseded by another
                // one of this record never resolves (the dialog stayed, its button
                // disabled)
                this.model.root.load();
            },
        });
    }
}

registry.category("views").add("verification_queue_form", {
    ...formView,
    Controller: VerificationQueueFormController,
});
