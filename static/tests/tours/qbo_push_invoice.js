import {registry} from "@web/core/registry";

// The confirmed sale order is created by the Python test, which opens its form.
registry.category("web_tour.tours").add("qbo_push_invoice", {
    steps: () => [
        {
            content: "The order is not invoiced in QuickBooks yet",
            trigger:
                ".o_form_view .o_field_widget[name='qbo_status']:contains('Not invoiced')",
        },
        {
            content: "Create the invoice in QuickBooks",
            trigger: ".o_form_view button[name='action_qbo_push']",
            run: "click",
        },
        {
            content: "The status turns to Invoice created",
            trigger:
                ".o_form_view .o_field_widget[name='qbo_status']:contains('Invoice created')",
        },
        {
            content: "A link opens the invoice in QuickBooks",
            trigger:
                ".o_form_view .o_field_widget[name='qbo_url'] a[href*='/app/invoice?txnId=']:contains('Open invoice in QuickBooks')",
        },
        {
            content: "The button is gone",
            trigger: ".o_form_view:not(:has(button[name='action_qbo_push']))",
        },
    ],
});
