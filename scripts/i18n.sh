#!/usr/bin/env bash
# Refresh each addon's i18n/zh_CN.po from the code: new terms are added with
# an empty translation, existing translations are kept. Fill the blanks, then
# commit. `make test` fails while a user-facing term has no Chinese.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cluster
odoo_conf
TMPL="$(template_db)"
clone_db "$TMPL" alliance_i18n
odoo -d alliance_i18n -i "$ADDONS" --without-demo=True --stop-after-init --log-level=warn
mkdir -p "$LOCAL/i18n_prev"
for addon in ${ADDONS//,/ }; do
    po="$ROOT/addons/$addon/i18n/zh_CN.po"
    [ -f "$po" ] && cp "$po" "$LOCAL/i18n_prev/$addon.po"
    "$PY" "$(odoo_src)/odoo-bin" i18n export -c "$LOCAL/odoo.conf" -d alliance_i18n -l zh_CN -- "$addon"
    [ -f "$LOCAL/i18n_prev/$addon.po" ] && "$PY" "$ROOT/scripts/i18n_merge.py" "$LOCAL/i18n_prev/$addon.po" "$po"
done
"$PY" "$ROOT/scripts/i18n_check.py" "$ROOT"/addons/*/i18n/zh_CN.po || true
"$(pg_bindir)/dropdb" --force alliance_i18n
