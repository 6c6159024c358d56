import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/**
 * The counter's alliance dialog: find a member by card or phone, or enrol a
 * new one. Every decision is the server's; this only collects input.
 */
export class AllianceCardDialog extends Component {
    static template = "alliance_member.AllianceCardDialog";
    static components = { Dialog };
    static props = { close: Function };

    setup() {
        this.pos = usePos();
        this.state = useState({
            mode: "lookup",
            query: "",
            name: "",
            phone: "",
            birthday: "",
            referrer: "",
            consentSms: true,
            error: "",
            busy: false,
        });
    }

    async run(fn) {
        this.state.error = "";
        this.state.busy = true;
        try {
            await fn();
            this.props.close();
        } catch (error) {
            this.state.error = error?.data?.message || error?.message || _t("The server refused.");
        } finally {
            this.state.busy = false;
        }
    }

    lookup() {
        return this.run(() => this.pos.allianceLookup(this.state.query));
    }

    enrol() {
        return this.run(() =>
            this.pos.allianceEnrol(this.state.name, this.state.phone, this.state.consentSms, {
                birthday: this.state.birthday,
                referrer: this.state.referrer,
            })
        );
    }

    onKeydown(ev) {
        if (ev.key === "Enter") {
            this.state.mode === "lookup" ? this.lookup() : this.enrol();
        }
    }
}
