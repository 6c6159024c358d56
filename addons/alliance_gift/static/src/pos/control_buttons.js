import { patch } from "@web/core/utils/patch";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { GiftPickupDialog } from "./gift_pickup_dialog";
import { CouponDialog } from "./coupon_dialog";

patch(ControlButtons.prototype, {
    clickAllianceGiftPickup() {
        this.dialog.add(GiftPickupDialog, {});
    },
    clickAllianceCoupon() {
        this.dialog.add(CouponDialog, {});
    },
});
