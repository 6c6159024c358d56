import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/**
 * The member proves they are at the counter before points pay (the server
 * checks the proof): their dynamic payment code scanned from their phone,
 * their PIN typed on the keypad, or a one-time code sent to their phone.
 * The payload is the proof as the server takes it ({code}, {pin} or {sms}).
 */
export class AllianceProofDialog extends Component {
    static template = "alliance_points.AllianceProofDialog";
    static components = { Dialog };
    static props = { card: Object, points: Number, getPayload: Function, close: Function };

    setup() {
        this.pos = usePos();
        this.state = useState({ kind: "code", value: "", info: "", error: "", busy: false });
    }

    get kinds() {
        return [
            { id: "code", label: _t("Payment Code") },
            { id: "pin", label: _t("PIN") },
            { id: "sms", label: _t("SMS Code") },
        ];
    }

    select(kind) {
        Object.assign(this.state, { kind, value: "", error: "" });
    }

    async sendCode() {
        this.state.error = "";
        this.state.busy = true;
        try {
            const sent = await this.pos.data.call("alliance.card", "alliance_send_code", [this.props.card.id], {
                points: this.props.points,
            });
            this.state.info = _t("Code sent to %s.", sent.phone);
        } catch (error) {
            this.state.error = error?.data?.message || error?.message || _t("The server refused.");
        } finally {
            this.state.busy = false;
        }
    }

    confirm() {
        const value = (this.state.value || "").trim();
        if (!value) {
            this.state.error = _t("Scan or type the member's proof first.");
            return;
        }
        this.props.getPayload({ [this.state.kind]: value });
        this.props.close();
    }

    onKeydown(ev) {
        if (ev.key === "Enter") {
            this.confirm();
        }
    }
}
