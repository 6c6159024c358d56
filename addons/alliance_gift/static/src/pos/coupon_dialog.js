import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/**
 * 电子券核销: the member shows a coupon's QR; the counter scans (or types) its code. The server checks
 * it (valid, accepted here, the bill's minimum, never used) and holds it for this order; the discount
 * is a negative line, and the coupon is used when the order reaches the server. No server, no coupon.
 */
export class CouponDialog extends Component {
    static template = "alliance_gift.CouponDialog";
    static components = { Dialog };
    static props = { close: Function };

    setup() {
        this.pos = usePos();
        this.state = useState({ code: "", error: "", busy: false, done: null });
    }

    async apply() {
        this.state.error = "";
        const order = this.pos.getOrder();
        if (this.pos.data.network.offline) {
            this.state.error = _t("A coupon needs the server: try again when the register is back online.");
            return;
        }
        if (!order || order.priceIncl <= 0) {
            this.state.error = _t("Add the member's purchases first: a coupon comes off the bill.");
            return;
        }
        this.state.busy = true;
        try {
            const done = await this.pos.data.call("alliance.coupon", "alliance_coupon_apply", [
                this.state.code.trim().toUpperCase(),
                order.uuid,
                order.priceIncl,
            ]);
            await this.addDiscount(done);
            this.state.done = done;
        } catch (error) {
            this.state.error =
                error?.data?.message ||
                (error?.message && !error.data ? _t("A coupon needs the server: try again when the register is back online.") : error?.message) ||
                _t("The server refused.");
        } finally {
            this.state.busy = false;
        }
    }

    async addDiscount(done) {
        let product = this.pos.models["product.product"].get(done.product_id);
        if (!product) {
            const loaded = await this.pos.loadNewProducts([["product_variant_ids", "in", [done.product_id]]]);
            product = loaded?.["product.product"]?.find((p) => p.id === done.product_id);
        }
        // The server holds a coupon once per order: scanned again, it is not taken off twice.
        const order = this.pos.getOrder();
        order.allianceCoupons = order.allianceCoupons || new Set();
        if (product && !order.allianceCoupons.has(done.code)) {
            order.allianceCoupons.add(done.code);
            await this.pos.addLineToCurrentOrder(
                { product_id: product, product_tmpl_id: product.product_tmpl_id, price_unit: -done.discount },
                {},
                false
            );
        }
    }

    onKeydown(ev) {
        if (ev.key === "Enter" && !this.state.done) {
            this.apply();
        }
    }
}
