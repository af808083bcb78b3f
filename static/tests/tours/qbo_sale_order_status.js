import {registry} from "@web/core/registry";

// The sale order is created by the Python test; the tour opens it from the
// list and checks that the QuickBooks status is shown on both views.
registry.category("web_tour.tours").add("qbo_sale_order_status", {
    url: "/odoo/action-sale.action_orders",
    steps: () => [
        {
            content: "The list shows the QuickBooks invoice column",
            trigger: ".o_list_view th[data-name='qbo_status']",
        },
        {
            content: "Open the test order",
            trigger: ".o_data_row td.o_data_cell:contains('QBO Tour Customer')",
            run: "click",
        },
        {
            content: "The form shows the QuickBooks invoice status",
            trigger:
                ".o_form_view .o_field_widget[name='qbo_status']:contains('Not invoiced')",
        },
    ],
});
