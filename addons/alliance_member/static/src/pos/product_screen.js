import { ProductScreen } from "@point_of_sale/app/screens/product_screen/product_screen";
import { useBarcodeReader } from "@point_of_sale/app/hooks/barcode_reader_hook";
import { useService } from "@web/core/utils/hooks";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(ProductScreen.prototype, {
    setup() {
        super.setup(...arguments);
        this.allianceNotification = useService("notification");
        useBarcodeReader({ alliance_card: this._barcodeAllianceCardAction });
    },

    /**
     * A card number or a member's payment code, scanned as the handheld scanner
     * types it, attaches the card. A product that happens to carry the same
     * barcode is still the product.
     */
    async _barcodeAllianceCardAction(code) {
        if (this.pos.models["product.product"].getBy("barcode", code.code)) {
            return this._barcodeProductAction({ ...code, type: "product", base_code: code.code });
        }
        try {
            const info = await this.pos.allianceLookup(code.code);
            this.allianceNotification.add(_t("Member %s", info.member), { type: "success" });
        } catch (error) {
            this.sound.play("error");
            this.allianceNotification.add(
                error?.data?.message || error?.message || _t("The server refused."),
                { type: "danger" }
            );
        }
    },
});
