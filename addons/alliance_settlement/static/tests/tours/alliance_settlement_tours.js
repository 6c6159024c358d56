import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("alliance_merchant_dashboard_portal_tour", {
    steps: () => [
        { content: "the dashboard from the merchant's page", trigger: ".o_alliance_dashboard_link", run: "click", expectUnloadPage: true },
        { content: "sales with members this month", trigger: ".o_alliance_kpi_sales .o_alliance_kpi_this:contains('160.00')" },
        { content: "members served", trigger: ".o_alliance_kpi_member .o_alliance_kpi_this:contains('2')" },
        { content: "new members", trigger: ".o_alliance_kpi_new_members .o_alliance_kpi_this:contains('2')" },
        { content: "last month: nothing", trigger: ".o_alliance_kpi_sales .o_alliance_kpi_last:contains('0.00')" },
        { content: "B's members came", trigger: ".o_alliance_source[data-source='Test Merchant B']:contains('60.00')" },
        {
            content: "fits the phone: nothing wider than the screen",
            trigger: ".o_alliance_portal_dashboard",
            run() {
                const overflow = document.documentElement.scrollWidth - window.innerWidth;
                if (overflow > 1) {
                    throw new Error(`The dashboard is ${overflow}px wider than the phone`);
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("alliance_operator_dashboard_tour", {
    steps: () => [
        { content: "the liability", trigger: ".o_alliance_kpi_liability:contains('¥')" },
        { content: "top merchants", trigger: ".o_alliance_dashboard_top td:contains('Test Merchant C')" },
        { content: "the liability's trend", trigger: "button.o_alliance_liability_trend", run: "click" },
        { content: "as a graph", trigger: ".o_graph_renderer canvas" },
    ],
});
