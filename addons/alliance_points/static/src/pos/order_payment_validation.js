import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

const isPoints = (payment) => payment.payment_method_id?.use_payment_terminal === "alliance_points";

/** What the orders a refund refunds paid with points: the most it gives back in points. */
export function allianceRefundablePoints(order) {
    const originals = new Set(order.lines.map((line) => line.refunded_orderline_id?.order_id).filter((o) => o));
    let paid = 0;
    for (const original of originals) {
        paid += (original.payment_ids || []).filter(isPoints).reduce((sum, p) => sum + p.amount, 0);
    }
    return Math.max(paid, 0);
}

/**
 * A refund paid back in points gives the member back points the refunded
 * order paid with, never more: the server gives them back when the refund
 * syncs (and checks again); here the cashier is stopped before validating.
 */
patch(OrderPaymentValidation.prototype, {
    async isOrderValid(isForceValidate) {
        const valid = await super.isOrderValid(...arguments);
        if (!valid || !this.order.isRefund) {
            return valid;
        }
        const givenBack = -this.order.payment_ids.filter(isPoints).reduce((sum, p) => sum + p.amount, 0);
        if (givenBack <= 0) {
            return valid;
        }
        const paid = allianceRefundablePoints(this.order);
        const currency = this.pos.currency;
        if (currency.isZero(paid) || givenBack - paid > 10 ** -(currency.decimal_places + 1)) {
            this.pos.dialog.add(AlertDialog, {
                title: _t("Points given back"),
                body: _t(
                    "The refunded order paid %s with points: at most that goes back in points, the rest in another way.",
                    Math.max(paid, 0).toFixed(currency.decimal_places)
                ),
            });
            return false;
        }
        return valid;
    },
});
