import { patch } from "@web/core/utils/patch";
import { ConnectionLostError } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { PosStore } from "@point_of_sale/app/services/pos_store";

/** A card number as printed: 10 digits, the last a Luhn check digit. */
export function isAllianceCardNumber(code) {
    if (!/^\d{10}$/.test(code)) {
        return false;
    }
    let sum = 0;
    for (let i = 0; i < 10; i++) {
        let digit = Number(code[9 - i]);
        if (i % 2) {
            digit *= 2;
            digit = digit > 9 ? digit - 9 : digit;
        }
        sum += digit;
    }
    return sum % 10 === 0;
}

patch(PosStore.prototype, {
    /** Ask the server for the card, then attach it to the current order. */
    async allianceLookup(query) {
        let info;
        try {
            info = await this.data.call("alliance.card", "alliance_lookup", [query]);
        } catch (error) {
            const code = (query || "").replace(/[\s-]/g, "");
            if (error instanceof ConnectionLostError && isAllianceCardNumber(code)) {
                return this.allianceAttachOffline(code);
            }
            throw error;
        }
        await this.allianceSetCard(info);
        return info;
    },

    /**
     * Offline, a card number (never a phone or a payment code) rides on the order as typed; the
     * server finds the card when the order syncs, and the order earns then. Nothing else is known:
     * no member price, no balance, no spending.
     */
    allianceAttachOffline(code) {
        const order = this.getOrder();
        this.allianceRemoveDiscount(order);
        order.alliance_card_id = false;
        order.alliance_card_code = code;
        order.uiState.alliance = {
            card: code,
            member: _t("Card %s (offline: checked when the order syncs)", code),
            offline: true,
            tier: "",
            state: "active",
            balance: false,
            visits_left: false,
            member_discount: 0,
        };
        return order.uiState.alliance;
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
            // The loader reads templates: the fee's variant names its template.
            const loaded = await this.loadNewProducts([["product_variant_ids", "in", [info.fee_product_id]]]);
            product = loaded?.["product.product"]?.find((p) => p.id === info.fee_product_id);
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
        this.allianceRemoveDiscount(order);
        order.alliance_card_id = card;
        order.alliance_card_code = false;
        order.uiState.alliance = info;
        this.allianceApplyDiscount(order);
    },

    /** A line the card's member discount applies to (not a refund, not an excluded product). */
    allianceDiscountable(order, productTmpl, vals = {}) {
        const pct = order?.uiState?.alliance?.member_discount || 0;
        return (
            pct > 0 &&
            !vals.refunded_orderline_id &&
            !order.preset_id?.is_return &&
            !productTmpl?.alliance_no_discount
        );
    },

    /** 持卡享受XX折: every line the card may discount gets the member's price (a bigger discount stays). */
    allianceApplyDiscount(order) {
        const pct = order.uiState.alliance?.member_discount || 0;
        for (const line of order.lines) {
            if (
                this.allianceDiscountable(order, line.product_id.product_tmpl_id, line) &&
                (line.discount || 0) < pct
            ) {
                line.setDiscount(pct);
                line.alliance_discount = pct;
            }
        }
    },

    allianceRemoveDiscount(order) {
        for (const line of order.lines) {
            if (line.alliance_discount) {
                line.setDiscount(0);
                line.alliance_discount = 0;
            }
        }
    },

    /** A line added to an order with a card is born at the member's price, and merges like one. */
    async addLineToOrder(vals, order, opts = {}, configure = true) {
        const pct = order?.uiState?.alliance?.member_discount || 0;
        let tmpl = vals.product_tmpl_id;
        if (typeof tmpl === "number") {
            tmpl = this.data.models["product.template"].get(tmpl);
        }
        if (this.allianceDiscountable(order, tmpl, vals) && !(vals.discount >= pct)) {
            vals = { ...vals, discount: pct, alliance_discount: pct };
        }
        return await super.addLineToOrder(vals, order, opts, configure);
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
        this.allianceRemoveDiscount(order);
        order.alliance_card_id = false;
        order.alliance_card_code = false;
        delete order.uiState.alliance;
    },
});
