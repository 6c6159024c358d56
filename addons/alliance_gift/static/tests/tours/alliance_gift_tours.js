import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("alliance_gift_portal_tour", {
    steps: () => [
        { content: "my card", trigger: ".o_alliance_my_gifts", run: "click", expectUnloadPage: true },
        { content: "the points to spend", trigger: ".o_alliance_gift_balance:contains('10000')" },
        { content: "a gift only for Gold members is shown, not orderable", trigger: ".o_alliance_gift[data-gift='测试金卡茶具']:not(:has(.o_alliance_gift_choose))" },
        {
            content: "choose the cup",
            trigger: ".o_alliance_gift[data-gift='测试保温杯'] .o_alliance_gift_choose",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "two of them", trigger: ".o_alliance_gift_qty", run: "edit 2" },
        { content: "collected at the restaurant", trigger: ".o_alliance_gift_pickup", run: "selectByLabel Test Merchant A" },
        { content: "confirm with the PIN", trigger: ".o_alliance_gift_pin", run: "edit 135790" },
        { content: "order", trigger: ".o_alliance_gift_submit", run: "click", expectUnloadPage: true },
        { content: "the order and its pick-up code", trigger: ".o_alliance_gift_order_code" },
        { content: "all my orders", trigger: "a[href='/my/alliance/gift-orders']", run: "click", expectUnloadPage: true },
        { content: "the order in the list", trigger: ".o_alliance_gift_order_row:contains('6000')" },
    ],
});
