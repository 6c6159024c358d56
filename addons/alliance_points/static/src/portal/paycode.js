import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

/** The member's payment code: a fresh one every few seconds, as long as the page is open. */
export class AlliancePaycode extends Interaction {
    static selector = ".o_alliance_paycode";

    start() {
        this.registerCleanup(clearInterval.bind(window, setInterval(() => this.refresh(), 10000)));
    }

    async refresh() {
        const result = await this.waitFor(rpc("/my/alliance/paycode/next"));
        if (!result.code) {
            return;
        }
        this.el.dataset.code = result.code;
        this.el.querySelector(".o_alliance_paycode_digits").textContent = result.code;
        this.el.querySelector(".o_alliance_paycode_barcode").src =
            `/report/barcode/Code128/${result.code}?width=600&height=120`;
        this.el.querySelector(".o_alliance_paycode_qr").src = `/report/barcode/QR/${result.code}?width=240&height=240`;
    }
}

registry.category("public.interactions").add("alliance_points.paycode", AlliancePaycode);
