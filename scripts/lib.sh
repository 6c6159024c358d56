# Shared variables and helpers for the suite's scripts. Sourced, never run.
# shellcheck shell=bash

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
ADDONS="alliance_member,alliance_points,alliance_settlement,alliance_gift"
# Odoo modules the suite's addons stand on; installed once into a template
# database so that every throw-away database starts in seconds.
BASE_MODULES="base,web,mail,portal,phone_validation,sms,point_of_sale,stock,account,l10n_cn"
DEMO_DB="${ALLIANCE_DEMO_DB:-alliance_demo}"
HTTP_PORT="${ALLIANCE_HTTP_PORT:-8069}"

# One cluster per checkout: the port is derived from the checkout's path so
# that two clones on one machine never fight over it.
_path_hash="$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
# A port taken by someone else at first start is replaced by a free one,
# remembered in .local/pgport (see cluster() in setup.sh).
if [ -f "$LOCAL/pgport" ]; then
    PGPORT="$(cat "$LOCAL/pgport")"
else
    PGPORT="${ALLIANCE_PGPORT:-$((54000 + _path_hash % 900))}"
fi
# Ports of the servers that `make test` starts, also per checkout.
TEST_HTTP_PORT="${ALLIANCE_TEST_HTTP_PORT:-$((18000 + _path_hash % 900))}"
BB_HTTP_PORT="${ALLIANCE_BB_HTTP_PORT:-$((19000 + _path_hash % 900))}"
PGHOST=127.0.0.1
PGUSER=odoo
export PGPORT PGHOST PGUSER

port_in_use() {
    (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The first free port from $1 on.
free_port() {
    local port="$1"
    while port_in_use "$port"; do
        port=$((port + 1))
    done
    printf '%s' "$port"
}

log() { printf '\033[1m[alliance]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[alliance] %s\033[0m\n' "$*" >&2; exit 1; }

odoo_src() {
    local src="${ODOO_SRC:-}"
    if [ -n "$src" ] && [ -x "$src/odoo-bin" ]; then
        printf '%s' "$src"
    elif [ -x /opt/odoo/19.0/odoo-bin ]; then
        printf '%s' /opt/odoo/19.0
    elif [ -x "$LOCAL/odoo/odoo-bin" ]; then
        printf '%s' "$LOCAL/odoo"
    fi
}

pg_bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { printf '%s' "$d"; return; }
    done
    command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

# PostgreSQL refuses to run as root: when we are root, run it as `postgres`.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        # From /: the checkout may be in a folder the postgres user cannot enter.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

odoo() {
    "$PY" "$(odoo_src)/odoo-bin" -c "$LOCAL/odoo.conf" "$@"
}

psql_q() {
    "$(pg_bindir)/psql" -X -q -d postgres -tAc "$1"
}

db_exists() {
    [ "$(psql_q "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}
export PGOPTIONS="-c client_min_messages=warning"
