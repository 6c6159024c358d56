#!/usr/bin/env bash
# Set everything up once, create the demo database once, then serve it.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

prepare
if ! db_exists "$DEMO_DB" || [ ! -f "$LOCAL/$DEMO_DB.ok" ]; then
    TMPL="$(template_db)"
    log "creating the demo database $DEMO_DB with the four addons, demo data and zh_CN"
    clone_db "$TMPL" "$DEMO_DB"
    odoo -d "$DEMO_DB" -i "$ADDONS" --with-demo --load-language=zh_CN --stop-after-init \
        --log-level=warn >"$LOCAL/$DEMO_DB.log" 2>&1 \
        || { tail -40 "$LOCAL/$DEMO_DB.log" >&2; die "demo database failed; see .local/$DEMO_DB.log"; }
    touch "$LOCAL/$DEMO_DB.ok"
fi
cat >&2 <<EOF

  Merchant Alliance demo: http://127.0.0.1:$HTTP_PORT   (database $DEMO_DB)
  logins (password = login):
    admin                      operator manager (HQ, everything)
    alliance_accountant        operator accountant
    merchant_a_manager         merchant manager, 星城川味小馆 (restaurant)
    merchant_a_cashier         cashier, 星城川味小馆 (POS)
    merchant_b_cashier         cashier, 悦容美业 (beauty salon, POS)
    merchant_c_cashier         cashier, 惠家生活超市 (supermarket, POS)
    member_portal              a member on the portal (/my)
    merchant_a_portal          星城川味小馆's manager on the portal (/my)
  Ctrl-C stops the server; the next \`make run\` starts in seconds.

EOF
exec "$PY" "$(odoo_src)/odoo-bin" -c "$LOCAL/odoo.conf" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" "$@"
