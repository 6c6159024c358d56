import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as OfflineUtil from "@point_of_sale/../tests/generic_helpers/offline_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { scan_barcode } from "@point_of_sale/../tests/generic_helpers/utils";
import { registry } from "@web/core/registry";
import { memberIs, scanCard } from "./alliance_util";

// The card of the test member 张三: first number of merchant A's test range.
const CARD = "9000000019";

registry.category("web_tour.tours").add("alliance_member_pos_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            scanCard(CARD),
            memberIs("张三"),
            { content: "tier on the order", trigger: ".o_alliance_tier:contains(Basic)" },
            { content: "card on the button", trigger: `.o_alliance_card_button:contains(${CARD})` },
            ProductScreen.clickDisplayedProduct("Alliance tour dish"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            { content: "card on the receipt", trigger: `.o_alliance_receipt:contains(${CARD})` },
            ReceiptScreen.clickNextOrder(),
            { content: "new order has no card", trigger: ".o_alliance_card_button:contains(Alliance Card)" },
            { content: "open the dialog", trigger: ".o_alliance_card_button", run: "click" },
            { content: "switch to enrolment", trigger: ".o_alliance_new_member", run: "click" },
            { content: "name", trigger: ".o_alliance_name", run: "edit 柜台新会员" },
            { content: "phone", trigger: ".o_alliance_phone", run: "edit 139 0731 9088" },
            { content: "birthday", trigger: ".o_alliance_birthday", run: "edit 1992-05-17" },
            { content: "referred by 张三", trigger: ".o_alliance_referrer", run: "edit 139 0731 9001" },
            { content: "the consent read out", trigger: ".o_alliance_consent_text" },
            { content: "enrol", trigger: ".o_alliance_enrol", run: "click" },
            memberIs("柜台新会员"),
            { content: "the issue fee on the order", trigger: ".orderline:contains(Card Issue Fee):contains(20.00)" },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});

// A handheld scanner types the number on the product screen: the card is attached.
registry.category("web_tour.tours").add("alliance_member_scan_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("Alliance tour dish"),
            scan_barcode(CARD),
            memberIs("张三"),
            { content: "card on the button", trigger: `.o_alliance_card_button:contains(${CARD})` },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            { content: "card on the receipt", trigger: `.o_alliance_receipt:contains(${CARD})` },
        ].flat(),
});

// A count card (美发三次卡, 3 visits): one visit for the order, shown on the receipt.
registry.category("web_tour.tours").add("alliance_member_count_card_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            scanCard("9000000027"),
            memberIs("计次会员"),
            { content: "visits left", trigger: ".o_alliance_visits_left:contains(3)" },
            { content: "use a visit", trigger: ".o_alliance_use_visit", run: "click" },
            { content: "one visit fewer", trigger: ".o_alliance_visits_left:contains(2)" },
            { content: "used once only", trigger: ".o_alliance_use_visit:disabled:contains(Visit used)" },
            ProductScreen.clickDisplayedProduct("Alliance tour dish"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            { content: "visits left on the receipt", trigger: ".o_alliance_receipt_visits:contains(2)" },
        ].flat(),
});

registry.category("web_tour.tours").add("alliance_member_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "open my alliance card",
            trigger: "a[href='/my/alliance']",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "the card number", trigger: `.o_alliance_card_code:contains(${CARD})` },
        { content: "the tier", trigger: ".o_alliance_card_tier:contains(Basic)" },
        { content: "the balance", trigger: ".o_alliance_card_balance:contains(0)" },
    ],
});

// 持卡享受9折: the card attached after a line discounts it; a line added after is born discounted
// and merges; an excluded product keeps its price; the receipt says what the card saved.
registry.category("web_tour.tours").add("alliance_member_discount_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("Alliance tour dish"),
            ProductScreen.selectedOrderlineHas("Alliance tour dish", "1", "58.00"),
            scanCard(CARD),
            memberIs("张三"),
            { content: "the member's discount on the order", trigger: ".o_alliance_discount:contains(10)" },
            ProductScreen.clickDisplayedProduct("Alliance tour dish"),
            ProductScreen.selectedOrderlineHas("Alliance tour dish", "2", "104.40"),
            ProductScreen.clickDisplayedProduct("Alliance tour cigarettes"),
            ProductScreen.selectedOrderlineHas("Alliance tour cigarettes", "1", "30.00"),
            ProductScreen.totalAmountIs("134.40"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            { content: "the member discount on the receipt", trigger: ".o_alliance_receipt_discount:contains(11.60)" },
        ].flat(),
});

// The network is down: the card number typed rides on the order; the order earns when it syncs.
registry.category("web_tour.tours").add("alliance_member_offline_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            OfflineUtil.setOfflineMode(),
            ProductScreen.clickDisplayedProduct("Alliance tour dish"),
            scanCard(CARD),
            { content: "attached offline", trigger: ".o_alliance_offline" },
            { content: "card on the button", trigger: `.o_alliance_card_button:contains(${CARD})` },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            { content: "card on the receipt", trigger: `.o_alliance_receipt:contains(${CARD})` },
            Dialog.confirm("Continue with limited functionality"),
            OfflineUtil.setOnlineMode(),
            ReceiptScreen.clickNextOrder(),
            // The next order's validation sends the one made offline too.
            ProductScreen.clickDisplayedProduct("Alliance tour dish"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});
