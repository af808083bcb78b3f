import {registry} from "@web/core/registry";

// The invoiced order's delivery is validated by the Python test, which opens its form.
registry.category("web_tour.tours").add("qbo_return_goods", {
    steps: () => [
        {
            content: "Return the delivered goods",
            trigger: ".o_form_view .o_form_statusbar button:contains('Return')",
            run: "click",
        },
        {
            content: "Return all of them",
            trigger: ".modal button[name='action_create_returns_all']",
            run: "click",
        },
        {
            content: "Validate the return",
            trigger: ".o_form_view button[name='button_validate']",
            run: "click",
        },
        {
            content: "The return is done",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});

// Then the test opens the order's form.
registry.category("web_tour.tours").add("qbo_return_credit_memo", {
    steps: () => [
        {
            content: "Open the order's credit memos",
            trigger: ".o_notebook a.nav-link:contains('QuickBooks credit memos')",
            run: "click",
        },
        {
            content: "The return waits for the push",
            trigger:
                ".o_field_widget[name='qbo_return_ids'] .o_data_row td[name='qbo_status']:contains('Queued')",
        },
        {
            content: "Push it now",
            trigger:
                ".o_field_widget[name='qbo_return_ids'] .o_data_row button[name='action_qbo_push']",
            run: "click",
        },
        {
            content: "The credit memo is created",
            trigger:
                ".o_field_widget[name='qbo_return_ids'] .o_data_row td[name='qbo_status']:contains('Created')",
        },
        {
            content: "A link opens it in QuickBooks",
            trigger:
                ".o_field_widget[name='qbo_return_ids'] .o_data_row td[name='qbo_url'] a[href*='/app/creditmemo?txnId=']",
        },
    ],
});
