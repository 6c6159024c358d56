import { patch } from "@web/core/utils/patch";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { AllianceCardDialog } from "./alliance_card_dialog";

patch(ControlButtons.prototype, {
    clickAllianceCard() {
        this.dialog.add(AllianceCardDialog, {});
    },
});
