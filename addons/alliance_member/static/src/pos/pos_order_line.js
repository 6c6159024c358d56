import { patch } from "@web/core/utils/patch";
import { PosOrderline } from "@point_of_sale/app/models/pos_order_line";

// The existing line being compared with a new one of the same member discount.
let allianceMerging = null;

patch(PosOrderline.prototype, {
    /** Odoo never merges a discounted line; two at the same member price are one line. */
    canBeMergedWith(orderline) {
        if (this.alliance_discount && this.discount === this.alliance_discount) {
            if (orderline.alliance_discount !== this.alliance_discount) {
                return false;
            }
            allianceMerging = this;
            try {
                return super.canBeMergedWith(orderline);
            } finally {
                allianceMerging = null;
            }
        }
        return super.canBeMergedWith(orderline);
    },

    getDiscount() {
        return allianceMerging === this ? 0 : super.getDiscount();
    },
});
