import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import { setOfflineMode, setOnlineMode } from "@point_of_sale/../tests/generic_helpers/offline_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { registry } from "@web/core/registry";
import { memberIs, scanCard } from "@alliance_member/../tests/tours/alliance_util";
import * as TicketScreen from "@point_of_sale/../tests/pos/tours/utils/ticket_screen_util";
import * as Order from "@point_of_sale/../tests/generic_helpers/order_widget_util";
import * as Numpad from "@point_of_sale/../tests/generic_helpers/numpad_util";
import { inLeftSide } from "@point_of_sale/../tests/pos/tours/utils/common";

// The test member 张三's card (first number of merchant A's test range).
const CARD = "9000000019";

registry.category("web_tour.tours").add("alliance_points_earn_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            scanCard(CARD),
            memberIs("张三"),
            ProductScreen.clickDisplayedProduct("Alliance tour dish"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            { content: "points earned on the receipt", trigger: ".o_alliance_points_receipt:contains(+58)" },
            { content: "new balance on the receipt", trigger: ".o_alliance_balance_receipt:contains(58)" },
        ].flat(),
});

// 张三 with 1,000 points at A's counter, the dish on the order, on the payment screen.
function toPaymentWithPoints() {
    return [
        Chrome.startPoS(),
        Dialog.confirm("Open Register"),
        scanCard(CARD),
        { content: "balance shown", trigger: ".o_alliance_balance:contains(1000)" },
        ProductScreen.clickDisplayedProduct("Alliance tour dish"),
        ProductScreen.clickPayButton(),
    ].flat();
}

// The member confirms on the proof dialog: scan their payment code, or type their PIN.
function prove(kind, value) {
    return [
        { content: "the proof dialog opens", trigger: ".o_alliance_proof_dialog" },
        { content: `proof by ${kind}`, trigger: `.o_alliance_proof_${kind}`, run: "click" },
        { content: "the member's proof", trigger: ".o_alliance_proof_input", run: `edit ${value}` },
        { content: "confirm", trigger: ".o_alliance_proof_confirm", run: "click" },
    ];
}

function payTenWithPoints(kind, value) {
    return [
        PaymentScreen.clickPaymentMethod("Alliance Points"),
        PaymentScreen.clickNumpad("1 0"),
        { content: "ask the server to hold the points", trigger: ".send_payment_request", run: "click" },
        prove(kind, value),
    ].flat();
}

// The test passes the member's dynamic payment code in the URL, as their phone would show it.
function paymentCode() {
    return new URLSearchParams(window.location.search).get("alliance_code") || "";
}

registry.category("web_tour.tours").add("alliance_points_pay_tour", {
    steps: () =>
        [
            toPaymentWithPoints(),
            payTenWithPoints("code", paymentCode()),
            PaymentScreen.remainingIs("48.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            { content: "points paid on the receipt", trigger: ".pos-receipt:contains(Alliance Points)" },
            { content: "how many points paid", trigger: ".o_alliance_points_paid_receipt:contains(1000)" },
            ReceiptScreen.clickNextOrder(),
            // Only 48 points (¥0.48) are left: paying ¥10 with points is refused by the server.
            scanCard(CARD),
            { content: "new balance shown", trigger: ".o_alliance_balance:contains(48)" },
            ProductScreen.clickDisplayedProduct("Alliance tour dish"),
            ProductScreen.clickPayButton(),
            payTenWithPoints("pin", "135790"),
            { content: "the server refuses", trigger: ".o_notification:contains(cannot be redeemed)" },
            { content: "the line did not count", trigger: ".electronic_status:contains(Transaction cancelled)" },
            PaymentScreen.remainingIs("58.00"),
        ].flat(),
});

registry.category("web_tour.tours").add("alliance_points_pin_tour", {
    steps: () =>
        [
            toPaymentWithPoints(),
            // A wrong PIN: refused, nothing held.
            payTenWithPoints("pin", "975310"),
            { content: "the server refuses the PIN", trigger: ".o_notification:contains(Wrong PIN)" },
            { content: "the line did not count", trigger: ".electronic_status:contains(Transaction cancelled)" },
            PaymentScreen.remainingIs("58.00"),
            // The member types it again, right this time.
            { content: "send again", trigger: ".send_payment_request", run: "click" },
            prove("pin", "135790"),
            PaymentScreen.remainingIs("48.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});

registry.category("web_tour.tours").add("alliance_points_offline_tour", {
    steps: () =>
        [
            toPaymentWithPoints(),
            // The connection drops at the counter: points cannot be held, so they cannot pay.
            setOfflineMode(),
            PaymentScreen.clickPaymentMethod("Alliance Points"),
            PaymentScreen.clickNumpad("1 0"),
            { content: "ask the server", trigger: ".send_payment_request", run: "click" },
            prove("pin", "135790"),
            { content: "the POS says it is offline", trigger: ".o_notification:contains(the POS is offline)" },
            { content: "the line did not count", trigger: ".electronic_status:contains(Transaction cancelled)" },
            PaymentScreen.remainingIs("58.00"),
            setOnlineMode(),
            PaymentScreen.clickPaymentlineDelButton("Alliance Points", "10.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});

// The cashier refunds, at the ticket screen, an order that earned points and was paid partly with them.
registry.category("web_tour.tours").add("alliance_points_refund_tour", {
    steps: () =>
        [
            toPaymentWithPoints(),
            payTenWithPoints("pin", "135790"),
            PaymentScreen.remainingIs("48.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            ReceiptScreen.clickNextOrder(),
            Chrome.clickOrders(),
            TicketScreen.selectFilter("Paid"),
            TicketScreen.selectOrder("001"),
            inLeftSide([
                ...Order.hasLine({ productName: "Alliance tour dish", withClass: ".selected" }),
                Numpad.click("1"),
            ]),
            TicketScreen.confirmRefund(),
            PaymentScreen.isShown(),
            // ¥48 back in cash, the ¥10 paid with points back as points (the rest due).
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickNumpad("4 8 +/-"),
            PaymentScreen.selectedPaymentlineHas("Cash", "48.00"),
            PaymentScreen.clickPaymentMethod("Alliance Points"),
            PaymentScreen.selectedPaymentlineHas("Alliance Points", "10.00"),
            // The last line done with nothing left due: the POS validates the refund by itself.
            { content: "give the points back", trigger: ".send_refund_request", run: "click" },
            ReceiptScreen.isShown(),
            { content: "points given back", trigger: ".o_alliance_points_returned_receipt:contains(1000)" },
        ].flat(),
});

// A prepaid merchant whose quota runs low: the counter says so when a card is attached.
registry.category("web_tour.tours").add("alliance_points_quota_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            scanCard(CARD),
            memberIs("张三"),
            { content: "the quota warning", trigger: ".o_alliance_quota_low:contains(500)" },
        ].flat(),
});

// 手机验证码登录 on a phone: the member types their phone and the code texted to it, and lands on
// their points with the next expiry. The test sends the code and passes it in the page's address.
registry.category("web_tour.tours").add("alliance_points_phone_login_tour", {
    steps: () => {
        const params = new URLSearchParams(window.location.search);
        return [
            { content: "the member's phone", trigger: ".o_alliance_login_phone", run: `edit ${params.get("phone")}` },
            { content: "the code texted", trigger: ".o_alliance_login_code", run: `edit ${params.get("code")}` },
            { content: "sign in", trigger: ".o_alliance_login_submit", run: "click", expectUnloadPage: true },
            { content: "my points, with the next expiry", trigger: ".o_alliance_next_expiry" },
        ];
    },
});

registry.category("web_tour.tours").add("alliance_points_join_tour", {
    steps: () => {
        const params = new URLSearchParams(window.location.search);
        return [
            { content: "who invites", trigger: ".o_alliance_join_inviter:contains('张*')" },
            { content: "the friend's phone", trigger: ".o_alliance_join_phone", run: `edit ${params.get("phone")}` },
            { content: "the code texted", trigger: ".o_alliance_join_code", run: `edit ${params.get("code")}` },
            { content: "name", trigger: ".o_alliance_join_name", run: "edit 赵敏" },
            { content: "birthday", trigger: ".o_alliance_join_birthday", run: "edit 1995-06-18" },
            { content: "accept the terms", trigger: ".o_alliance_join_terms", run: "click" },
            { content: "join", trigger: ".o_alliance_join_submit", run: "click", expectUnloadPage: true },
            { content: "signed in, the new card's points", trigger: ".o_alliance_points_balance:contains('0')" },
            { content: "and an invite of one's own", trigger: ".o_alliance_invite_qr" },
        ];
    },
});
