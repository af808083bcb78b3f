import {registry} from "@web/core/registry";

// The confirmed order is created by the Python test, which opens its form.
function pushTour(status, button, created, link) {
    return {
        steps: () => [
            {
                content: `The order is "${status}" in QuickBooks`,
                trigger: `.o_form_view .o_field_widget[name='qbo_status']:contains('${status}')`,
            },
            {
                content: `Click ${button}`,
                trigger: `.o_form_view button[name='action_qbo_push']:contains('${button}')`,
                run: "click",
            },
            {
                content: `The status badge turns to ${created}`,
                trigger: `.o_form_view .o_field_widget[name='qbo_status'] .badge:contains('${created}')`,
            },
            {
                content: "The QuickBooks number is shown",
                trigger:
                    ".o_form_view .o_field_widget[name='qbo_doc_number']:not(:empty)",
            },
            {
                content: "A link opens the document in QuickBooks",
                trigger: `.o_form_view .o_field_widget[name='qbo_url'] a[href*='${link}']:contains('in QuickBooks')`,
            },
            {
                content: "The button is gone",
                trigger: ".o_form_view:not(:has(button[name='action_qbo_push']))",
            },
        ],
    };
}

registry
    .category("web_tour.tours")
    .add(
        "qbo_push_invoice",
        pushTour(
            "Not invoiced",
            "Create invoice in QuickBooks",
            "Invoice created",
            "/app/invoice?txnId="
        )
    );
registry
    .category("web_tour.tours")
    .add(
        "qbo_push_bill",
        pushTour(
            "Not billed",
            "Create bill in QuickBooks",
            "Bill created",
            "/app/bill?txnId="
        )
    );
