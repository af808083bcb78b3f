import {registry} from "@web/core/registry";

// The Python test connects the company through the sandbox's consent page and the
// Odoo callback, then opens the wizard it was redirected to; these tours walk it.

function pickAccount(field, search, name) {
    return [
        {
            content: `Choose the ${field}`,
            trigger: `.o_field_widget[name='${field}'] input`,
            run: `edit ${search}`,
        },
        {
            content: `Pick ${name}`,
            trigger: `.o-autocomplete--dropdown-item a:contains('${name}')`,
            run: "click",
        },
    ];
}

function overviewAndLedger() {
    return [
        {
            content: "The setup opens in a dialog, which cannot create an empty one",
            trigger: ".modal-dialog .o_qbo_setup_wizard",
        },
        {
            content: "The overview lists the steps it announces",
            trigger: "div[name='overview']:not(:contains('four'))",
        },
        {
            content: "The overview says what is sent",
            trigger: "div[name='overview']:contains('What is sent to QuickBooks')",
        },
        {
            content: "Continue to the ledger mapping",
            trigger: "button[name='action_overview_continue']",
            run: "click",
        },
        {
            content: "Continue stays disabled until the accounts are chosen",
            trigger: ".o_form_statusbar button:disabled:contains('Continue')",
        },
        ...pickAccount("income_account_id", "Sales of", "Sales of Product Income"),
        ...pickAccount("purchase_account_id", "Cost of", "Cost of Goods Sold"),
        ...pickAccount("payable_account_id", "Payable", "Accounts Payable (A/P)"),
        {
            content: "Continue",
            trigger: "button[name='action_ledger_continue']",
            run: "click",
        },
    ];
}

function importAndDone() {
    return [
        {
            content: "Import customers and vendors",
            trigger: "div[name='import']:visible",
        },
        {
            content: "Start the import",
            trigger: "button[name='action_import']",
            run: "click",
        },
        {
            content: "The import is done",
            trigger: "div[name='import'] .alert-success:contains('imported')",
        },
        {
            content: "Finish",
            trigger: "button[name='action_done']",
            run: "click",
        },
        {
            content: "The integration is active",
            trigger: "div[name='done']:contains('The integration is active')",
        },
        {
            content: "Open the connection",
            trigger: "button[name='action_open_connection']",
            run: "click",
        },
        {
            content: "The connection is connected and active",
            trigger:
                ".o_form_view .o_statusbar_status button.active:contains('Connected'), .o_form_view .o_statusbar_status button[aria-checked='true']:contains('Connected')",
        },
        {
            content: "Setup is done",
            trigger: ".o_form_view .o_field_widget[name='setup_done'] input:checked",
        },
    ];
}

registry.category("web_tour.tours").add("qbo_setup_wizard_us", {
    steps: () => [
        ...overviewAndLedger(),
        {
            content: "US companies skip the tax step",
            trigger: "div[name='import']:visible",
        },
        {
            content: "...and their progress bar has no tax step",
            trigger: ".o_statusbar_status:visible:not(:contains('Tax mapping'))",
        },
        ...importAndDone(),
    ],
});

registry.category("web_tour.tours").add("qbo_setup_wizard_gb", {
    steps: () => [
        ...overviewAndLedger(),
        {
            content: "The tax step lists the Odoo taxes",
            trigger: "div[name='taxes'] .o_data_row:contains('UK Exempt Sales')",
        },
        {
            content: "Done stays disabled while a tax is not mapped",
            trigger: ".o_form_statusbar button:disabled:contains('Continue')",
        },
        {
            content: "...and the screen names the tax to map",
            trigger: "div[name='taxes'] .alert-warning:contains('UK Exempt Sales')",
        },
        {
            content: "Open the unmapped tax's QuickBooks code",
            trigger:
                "div[name='taxes'] .o_data_row:contains('UK Exempt Sales') td[name='qbo_tax_code_id']",
            run: "click",
        },
        ...pickAccount("qbo_tax_code_id", "Exempt", "Exempt"),
        {
            content: "Every tax is mapped: continue",
            trigger: "button[name='action_taxes_continue']",
            run: "click",
        },
        ...importAndDone(),
    ],
});

// One side only: untick the other one, map the accounts this side needs, skip the import.
function oneSideTour(keep, drop, gone, accounts, button, otherButton) {
    return {
        steps: () => [
            {
                content: "Continue to the ledger mapping",
                trigger: ".modal-dialog button[name='action_overview_continue']",
                run: "click",
            },
            {
                content: `Untick ${drop}`,
                trigger: `.o_field_widget[name='${drop}'] input:checked`,
                run: "click",
            },
            {
                content: `${keep} stays ticked`,
                trigger: `.o_field_widget[name='${keep}'] input:checked`,
            },
            {
                content: `The screen no longer asks for the ${gone}`,
                trigger: `div[name='ledger']:not(:has(.o_field_widget[name='${gone}']))`,
            },
            ...accounts.flatMap(([field, search, name]) =>
                pickAccount(field, search, name)
            ),
            {
                content: "Continue",
                trigger: "button[name='action_ledger_continue']",
                run: "click",
            },
            {
                content: "Finish without importing",
                trigger: "div[name='import']:visible",
            },
            {
                content: "Done",
                trigger: "button[name='action_done']",
                run: "click",
            },
            {
                content: `The done step names the ${button} button, not the other one`,
                trigger: `div[name='done']:contains('${button}'):not(:contains('${otherButton}'))`,
            },
        ],
    };
}

registry
    .category("web_tour.tours")
    .add(
        "qbo_setup_sales_only",
        oneSideTour(
            "sync_sales",
            "sync_purchases",
            "payable_account_id",
            [["income_account_id", "Sales of", "Sales of Product Income"]],
            "Create invoice in QuickBooks",
            "Create bill in QuickBooks"
        )
    );
registry.category("web_tour.tours").add(
    "qbo_setup_purchases_only",
    oneSideTour(
        "sync_purchases",
        "sync_sales",
        "income_account_id",
        [
            ["purchase_account_id", "Cost of", "Cost of Goods Sold"],
            ["payable_account_id", "Payable", "Accounts Payable (A/P)"],
        ],
        "Create bill in QuickBooks",
        "Create invoice in QuickBooks"
    )
);

// The configuration matrix: one tour per {us, gb} x {sales, purchases, both} x
// {simple, inventory}, named qbo_setup_matrix_<realm>_<sides>_<mode>. The screen
// must ask for exactly the accounts the choices need, and the done step must name
// the buttons of the enabled sides only.
const MATRIX_ACCOUNTS = {
    sales: [["income_account_id", "Sales of", "Sales of Product Income"]],
    purchases: [
        ["purchase_account_id", "Cost of", "Cost of Goods Sold"],
        ["payable_account_id", "Payable", "Accounts Payable (A/P)"],
    ],
    inventory: [
        ["cogs_account_id", "Cost of", "Cost of Goods Sold"],
        ["inventory_account_id", "Inventory", "Inventory Asset"],
    ],
};
const MATRIX_SIDES = {
    sales: ["sync_sales", "Create invoice in QuickBooks"],
    purchases: ["sync_purchases", "Create bill in QuickBooks"],
};

function matrixTour(realm, sides, mode) {
    const chosen = new Set([...sides, ...(mode === "inventory" ? ["inventory"] : [])]);
    const asked = [...chosen].flatMap((choice) => MATRIX_ACCOUNTS[choice]);
    const notAsked = Object.entries(MATRIX_ACCOUNTS)
        .filter(([choice]) => !chosen.has(choice))
        .flatMap(([, accounts]) => accounts.map(([field]) => field))
        .filter((field) => !asked.some(([name]) => name === field));
    const sideSteps = Object.entries(MATRIX_SIDES).map(([side, [field]]) =>
        sides.includes(side)
            ? {
                  content: `${field} stays ticked`,
                  trigger: `.o_field_widget[name='${field}'] input:checked`,
              }
            : {
                  content: `Untick ${field}`,
                  trigger: `.o_field_widget[name='${field}'] input:checked`,
                  run: "click",
              }
    );
    const buttons = Object.entries(MATRIX_SIDES).map(([side, [, button]]) =>
        sides.includes(side)
            ? {
                  content: `The done step names the ${button} button`,
                  trigger: `div[name='done']:contains('${button}')`,
              }
            : {
                  content: `The done step does not name the ${button} button`,
                  trigger: `div[name='done']:visible:not(:contains('${button}'))`,
              }
    );
    const taxSteps =
        realm === "gb"
            ? [
                  {
                      content:
                          "The tax step maps the sales tax (one code of that rate)",
                      trigger:
                          "div[name='taxes'] .o_data_row:contains('Matrix VAT 20%'):contains('20.0% S')",
                  },
                  {
                      content: "Every tax is mapped: continue",
                      trigger: "button[name='action_taxes_continue']:enabled",
                      run: "click",
                  },
              ]
            : [];
    return {
        steps: () => [
            {
                content: "Continue to the ledger mapping",
                trigger: ".modal-dialog button[name='action_overview_continue']",
                run: "click",
            },
            ...sideSteps,
            {
                content: `Choose ${mode} accounting`,
                trigger: `.o_field_widget[name='accounting_mode'] input[data-value='${mode}']`,
                run: "click",
            },
            ...notAsked.map((field) => ({
                content: `The screen does not ask for the ${field}`,
                trigger: `div[name='ledger']:not(:has(.o_field_widget[name='${field}']))`,
            })),
            {
                content: "Continue stays disabled until the accounts are chosen",
                trigger: ".o_form_statusbar button:disabled:contains('Continue')",
            },
            ...asked.flatMap(([field, search, name]) =>
                pickAccount(field, search, name)
            ),
            {
                content: "Continue",
                trigger: "button[name='action_ledger_continue']:enabled",
                run: "click",
            },
            ...taxSteps,
            {
                content: "Finish without importing",
                trigger: "div[name='import']:visible",
            },
            {
                content: "Done",
                trigger: "button[name='action_done']",
                run: "click",
            },
            ...buttons,
        ],
    };
}

for (const realm of ["us", "gb"]) {
    for (const sides of [["sales"], ["purchases"], ["sales", "purchases"]]) {
        for (const mode of ["simple", "inventory"]) {
            const name = sides.length === 2 ? "both" : sides[0];
            registry
                .category("web_tour.tours")
                .add(
                    `qbo_setup_matrix_${realm}_${name}_${mode}`,
                    matrixTour(realm, sides, mode)
                );
        }
    }
}
