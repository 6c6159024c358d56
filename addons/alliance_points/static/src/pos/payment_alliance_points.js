import { _t } from "@web/core/l10n/translation";
import { PaymentInterface } from "@point_of_sale/app/utils/payment/payment_interface";
import { register_payment_method } from "@point_of_sale/app/services/pos_store";
import { ConnectionLostError } from "@web/core/network/rpc";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { AllianceProofDialog } from "./alliance_proof_dialog";
import { allianceRefundablePoints } from "./order_payment_validation";

/**
 * Paying with alliance points (积分抵现) is a "terminal" whose request asks the
 * server to hold the points: the server checks the card, the balance and the
 * limits, and the payment line counts only when it has said yes. The member
 * first proves they are at the counter (payment code, PIN or SMS code), which
 * the server checks. No server, no payment with points: the cashier is told so.
 */
export class PaymentAlliancePoints extends PaymentInterface {
    get fastPayments() {
        // The cashier types how much to pay with points first, then sends.
        return false;
    }

    async sendPaymentRequest(uuid) {
        await super.sendPaymentRequest(...arguments);
        const order = this.pos.getOrder();
        const line = order.getPaymentlineByUuid(uuid);
        if (order.isRefund) {
            return this._giveBackPoints(order, line);
        }
        const card = order.alliance_card_id;
        if (!card) {
            this._refuse(
                order.alliance_card_code
                    ? _t("Paying with points needs the server, and the POS is offline. Take another payment.")
                    : _t("Scan the member's alliance card before paying with points.")
            );
            return false;
        }
        if (this.pos.data.network.offline) {
            this._refuse(_t("Paying with points needs the server, and the POS is offline. Take another payment."));
            return false;
        }
        const perUnit = order.uiState.alliance?.points_per_unit || 100;
        const proof = await makeAwaitable(this.env.services.dialog, AllianceProofDialog, {
            card,
            points: Math.floor(line.amount * perUnit + 1e-9),
        });
        if (!proof) {
            this._refuse(_t("The member did not confirm: no points were taken."));
            return false;
        }
        try {
            const hold = await this.pos.data.call(
                "alliance.card",
                "alliance_pos_hold",
                [card.id, line.amount, order.uuid, line.uuid, order.priceIncl],
                { proof }
            );
            line.setAmount(hold.value);
            line.transaction_id = `alliance-points/${hold.hold_id}`;
            if (order.uiState.alliance) {
                order.uiState.alliance.balance = hold.balance;
            }
            return true;
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                this._refuse(
                    _t("Paying with points needs the server, and the POS is offline. Take another payment.")
                );
            } else {
                this._refuse(error?.data?.message || error?.message || _t("The server refused the points."));
            }
            return false;
        }
    }

    async sendPaymentCancel(order, uuid) {
        await super.sendPaymentCancel(...arguments);
        try {
            await this.pos.data.call("alliance.card", "alliance_pos_release", [uuid]);
            return true;
        } catch {
            this._refuse(_t("The points could not be released now; the server will release them later."));
            return true;
        }
    }

    /**
     * A refund's "Refund" on the points line: nothing is asked of the member (the points go back to
     * their card). At most what the refunded order paid with points; the server gives them back
     * when the refund syncs, and checks the amount again.
     */
    _giveBackPoints(order, line) {
        const paid = allianceRefundablePoints(order);
        if (line.amount >= 0 || this.pos.currency.isZero(paid)) {
            this._refuse(_t("Only points paid for the refunded order can be given back in points."));
            return false;
        }
        if (-line.amount > paid) {
            line.setAmount(-paid);
        }
        line.transaction_id = "alliance-points/refund";
        return true;
    }

    _refuse(message) {
        this.pos.notification.add(message, { type: "danger" });
    }
}

register_payment_method("alliance_points", PaymentAlliancePoints);
