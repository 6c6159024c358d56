import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/services/pos_store";

patch(PosStore.prototype, {
    /** Ask the server for the card, then attach it to the current order. */
    async allianceLookup(query) {
        const info = await this.data.call("alliance.card", "alliance_lookup", [query]);
        await this.allianceSetCard(info);
        return info;
    },

    async allianceEnrol(name, phone, consentSms) {
        const info = await this.data.call("alliance.card", "alliance_enrol", [name, phone], {
            consent_sms: consentSms,
        });
        await this.allianceSetCard(info);
        return info;
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

    allianceClearCard() {
        const order = this.getOrder();
        order.alliance_card_id = false;
        delete order.uiState.alliance;
    },
});
