import { patch } from "@web/core/utils/patch";
import { PosOrder } from "@point_of_sale/app/models/pos_order";

patch(PosOrder.prototype, {
    /** What the member's card took off this order (the receipt's 会员折扣). */
    get allianceDiscountSaved() {
        const lines = this.lines.filter((line) => line.alliance_discount);
        const byUuid = this.prices?.baseLineByLineUuids || {};
        return this.currency.round(
            lines.reduce((sum, line) => sum + (byUuid[line.uuid]?.tax_details?.discount_amount || 0), 0)
        );
    },
});
