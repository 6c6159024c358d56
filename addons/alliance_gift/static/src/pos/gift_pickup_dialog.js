import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/**
 * 礼品领取: the member shows their gift order's pick-up code; the counter types or
 * scans it and hands the gifts over. The server checks the code is collected here
 * and validates the delivery; a co-pay is added to the order, paid like any line.
 */
export class GiftPickupDialog extends Component {
    static template = "alliance_gift.GiftPickupDialog";
    static components = { Dialog };
    static props = { close: Function };

    setup() {
        this.pos = usePos();
        this.state = useState({ code: "", error: "", busy: false, done: null });
    }

    async handOver() {
        this.state.error = "";
        this.state.busy = true;
        try {
            const done = await this.pos.data.call("alliance.gift.order", "alliance_hand_over", [
                this.state.code.trim(),
            ]);
            this.state.done = done;
            if (done.copay && done.copay_product_id) {
                await this.addCopay(done);
            }
        } catch (error) {
            this.state.error = error?.data?.message || error?.message || _t("The server refused.");
        } finally {
            this.state.busy = false;
        }
    }

    async addCopay(done) {
        let product = this.pos.models["product.product"].get(done.copay_product_id);
        if (!product) {
            const loaded = await this.pos.loadNewProducts([["product_variant_ids", "in", [done.copay_product_id]]]);
            product = loaded?.["product.product"]?.find((p) => p.id === done.copay_product_id);
        }
        if (product) {
            await this.pos.addLineToCurrentOrder(
                { product_id: product, product_tmpl_id: product.product_tmpl_id, price_unit: done.copay },
                {},
                false
            );
        }
    }

    onKeydown(ev) {
        if (ev.key === "Enter" && !this.state.done) {
            this.handOver();
        }
    }
}
