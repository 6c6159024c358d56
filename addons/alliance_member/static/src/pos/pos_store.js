import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/services/pos_store";

patch(PosStore.prototype, {
    /** Ask the server for the card, then attach it to the current order. */
    async allianceLookup(query) {
        const info = await this.data.call("alliance.card", "alliance_lookup", [query]);
        await this.allianceSetCard(info);
        return info;
    },

    async allianceEnrol(name, phone, consentSms, { birthday = false, referrer = false } = {}) {
        const info = await this.data.call("alliance.card", "alliance_enrol", [name, phone], {
            consent_sms: consentSms,
            birthday: birthday || false,
            referrer: referrer || false,
        });
        await this.allianceSetCard(info);
        await this.allianceAddFee(info);
        return info;
    },

    /** The card type's issue fee (办卡费), charged on the order like any line. */
    async allianceAddFee(info) {
        if (!info.issue_fee || !info.fee_product_id) {
            return;
        }
        let product = this.models["product.product"].get(info.fee_product_id);
        if (!product) {
            const loaded = await this.loadNewProducts([["id", "=", info.fee_product_id]]);
            product = loaded?.["product.product"]?.[0];
        }
        if (product) {
            await this.addLineToCurrentOrder(
                {
                    product_id: product,
                    product_tmpl_id: product.product_tmpl_id,
                    price_unit: info.issue_fee,
                },
                {},
                false
            );
        }
    },

    async allianceSetCard(info) {
        const order = this.getOrder();
        // The card is built from the lookup's answer, not read: a counter reads
        // directly only the cards it issued or served.
        const {
            "alliance.card": [card],
        } = this.models.connectNewData({
            "alliance.card": [
                { id: info.card_id, code: info.card, state: info.state, balance: info.balance },
            ],
        });
        order.alliance_card_id = card;
        order.uiState.alliance = info;
    },

    /** A count card (计次卡): one visit for this order; the server keys it on the order, once. */
    async allianceUseVisit() {
        const order = this.getOrder();
        const info = order.uiState.alliance;
        const used = await this.data.call("alliance.card", "alliance_use_visit", [
            order.alliance_card_id.code,
            `pos/${order.uuid}`,
        ]);
        info.visits_left = used.visits_left;
        info.visit_used = true;
        return used;
    },

    allianceClearCard() {
        const order = this.getOrder();
        order.alliance_card_id = false;
        delete order.uiState.alliance;
    },
});
