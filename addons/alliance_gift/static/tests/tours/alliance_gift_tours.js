import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
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
        { content: "my coupons", trigger: "a.o_alliance_coupons_link", run: "click", expectUnloadPage: true },
        { content: "this month's coupon", trigger: ".o_alliance_coupon[data-coupon='测试月度券 满50减5']" },
        { content: "show it at the counter", trigger: ".o_alliance_coupon_show", run: "click" },
        { content: "its code under the QR", trigger: ".o_alliance_coupon_code:visible" },
        {
            content: "a coupon for points",
            trigger: ".o_alliance_coupon_offer[data-coupon='测试代金券 满100减20'] .o_alliance_coupon_buy",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "confirm with the PIN", trigger: ".o_alliance_coupon_pin", run: "edit 135790" },
        { content: "get it", trigger: ".o_alliance_coupon_submit", run: "click", expectUnloadPage: true },
        { content: "now among my coupons", trigger: ".o_alliance_coupon[data-coupon='测试代金券 满100减20']" },
    ],
});

registry.category("web_tour.tours").add("alliance_gift_pos_pickup_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            { content: "gift pick-up", trigger: ".o_alliance_gift_pickup_button", run: "click" },
            { content: "a code not collected here", trigger: ".o_alliance_gift_code", run: "edit 000000000000" },
            { content: "hand over", trigger: ".o_alliance_gift_hand_over", run: "click" },
            { content: "refused", trigger: ".o_alliance_gift_error:contains(No gift order with this code)" },
            { content: "the member's code", trigger: ".o_alliance_gift_code", run: "edit 246813579024" },
            { content: "hand over", trigger: ".o_alliance_gift_hand_over", run: "click" },
            { content: "handed over", trigger: ".o_alliance_gift_handed:contains(测试保温杯 × 2)" },
            { content: "the co-pay on the order", trigger: ".o_alliance_gift_copay" },
            { content: "done", trigger: ".o_alliance_gift_close", run: "click" },
            ProductScreen.selectedOrderlineHas("Gift Co-pay", "1", "19.80"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});

registry.category("web_tour.tours").add("alliance_coupon_pos_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("测试套餐"),
            { content: "e-coupon", trigger: ".o_alliance_coupon_button", run: "click" },
            { content: "a code that is no coupon", trigger: ".o_alliance_coupon_code", run: "edit 0000000000000000" },
            { content: "apply", trigger: ".o_alliance_coupon_apply", run: "click" },
            { content: "refused", trigger: ".o_alliance_coupon_error:contains(No such coupon)" },
            { content: "the member's coupon", trigger: ".o_alliance_coupon_code", run: "edit abcdef0123456789" },
            { content: "apply", trigger: ".o_alliance_coupon_apply", run: "click" },
            { content: "applied", trigger: ".o_alliance_coupon_applied:contains(测试代金券 满100减20)" },
            { content: "done", trigger: ".o_alliance_coupon_close", run: "click" },
            ProductScreen.selectedOrderlineHas("E-coupon Discount", "1", "-20.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});
