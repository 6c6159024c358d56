#!/usr/bin/env bash
# Idempotent set-up of everything `make run` and `make test` need:
# system packages, the Odoo 19.0 source, a virtualenv and an embedded
# PostgreSQL cluster. Safe to run again; each step is skipped when done.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Debian packages: PostgreSQL server, headers to build psycopg2 and
# python-ldap, Chromium for the browser tours, wkhtmltopdf for PDF reports
# and a CJK font so that Chinese renders in those PDFs.
SYSTEM_PACKAGES=(postgresql libpq-dev libldap2-dev libsasl2-dev chromium
    wkhtmltopdf fonts-noto-cjk python3-venv)

system_packages() {
    local missing=() p
    for p in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
            apt-get update >/dev/null
            apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
        }
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        log "installing system packages with sudo: ${missing[*]}"
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
    else
        die "missing system packages: ${missing[*]} (install them: apt-get install ${missing[*]})"
    fi
}

odoo_source() {
    [ -n "$(odoo_src)" ] && return
    log "no Odoo 19.0 source in \$ODOO_SRC or /opt/odoo/19.0: downloading the upstream archive"
    mkdir -p "$LOCAL/odoo"
    curl -fsSL https://github.com/odoo/odoo/archive/refs/heads/19.0.tar.gz \
        | tar -xz --strip-components=1 -C "$LOCAL/odoo" \
        || die "could not download Odoo 19.0; set ODOO_SRC to an Odoo 19.0 source tree"
}

virtualenv() {
    local src stamp want
    src="$(odoo_src)"
    stamp="$VENV/.alliance-stamp"
    want="$(cat "$src/requirements.txt" "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | cksum) v2"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    log "building the virtualenv in .venv (Odoo's requirements plus the suite's)"
    [ -x "$PY" ] || python3 -m venv "$VENV"
    # Odoo 19 pins cbor2/psycopg2 releases whose builds import pkg_resources,
    # which setuptools 70+ no longer ships: constrain the build environments.
    local constraints="$LOCAL/build-constraints.txt"
    mkdir -p "$LOCAL"
    printf 'setuptools<70\n' >"$constraints"
    # pip 25.3+ no longer applies PIP_CONSTRAINT to build environments and
    # reads PIP_BUILD_CONSTRAINT instead; older pips read the former: set both.
    export PIP_CONSTRAINT="$constraints" PIP_BUILD_CONSTRAINT="$constraints"
    "$PY" -m pip install -q --upgrade pip wheel "setuptools<70"
    "$PY" -m pip install -q -r "$src/requirements.txt" \
        -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt"
    # At run time, the pkg_resources of setuptools<70 cannot find distributions
    # installed under normalised names (zope_interface): Odoo's gevent worker
    # (workers > 0) dies at start. A later setuptools still ships pkg_resources.
    env -u PIP_CONSTRAINT -u PIP_BUILD_CONSTRAINT "$PY" -m pip install -q "setuptools>=70,<81"
    printf '%s' "$want" >"$stamp"
}

# The cluster lives in .local/pg unless the PostgreSQL user cannot reach that
# folder (a checkout under /root), in which case it lives in /var/tmp and
# .local/pg links to it.
cluster_dir() {
    local dir="$LOCAL/pg"
    mkdir -p "$LOCAL"
    if [ "$(id -u)" = 0 ] && [ ! -e "$dir" ]; then
        if ! runuser -u postgres -- test -x "$LOCAL"; then
            local alt="/var/tmp/alliance-pg-$_path_hash"
            mkdir -p "$alt"
            chown postgres: "$alt"
            ln -s "$alt" "$dir"
        fi
    fi
    # The real path: PostgreSQL must not have to go through a folder it cannot enter.
    readlink -f "$dir"
}

cluster() {
    local bindir dir
    bindir="$(pg_bindir)"
    [ -n "$bindir" ] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
    dir="$(cluster_dir)"
    if [ ! -f "$dir/PG_VERSION" ]; then
        log "creating the embedded PostgreSQL cluster in .local/pg"
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres: "$dir" && chmod 700 "$dir"
        as_pg "$bindir/initdb" -D "$dir/" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        # A development cluster: durability traded for speed, loopback only. Shared buffers as a server
        # would size them for the 10x benchmark's ledger (10 million entries): its indexes' working set.
        cat >>"$dir/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 4GB
EOF
    fi
    if ! as_pg "$bindir/pg_ctl" -D "$dir/" status >/dev/null 2>&1; then
        while port_in_use "$PGPORT"; do
            PGPORT=$((PGPORT + 1))
        done
        echo "$PGPORT" >"$LOCAL/pgport"
        export PGPORT
        log "starting PostgreSQL on 127.0.0.1:$PGPORT"
        as_pg "$bindir/pg_ctl" -D "$dir/" -w -t 60 -o "-p $PGPORT" -l "$dir/server.log" start >/dev/null \
            || die "PostgreSQL did not start; see .local/pg/server.log"
    fi
    if [ "$("$bindir/psql" -X -U postgres -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='odoo'")" != 1 ]; then
        "$bindir/psql" -X -q -U postgres -d postgres -c "CREATE ROLE odoo LOGIN CREATEDB"
    fi
}

odoo_conf() {
    local src
    src="$(odoo_src)"
    mkdir -p "$LOCAL/data"
    cat >"$LOCAL/odoo.conf" <<EOF
; generated by scripts/setup.sh for this checkout: edit config/odoo.conf.example instead
[options]
addons_path = $ROOT/addons,$src/addons,$src/odoo/addons
data_dir = $LOCAL/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
http_interface = 127.0.0.1
http_port = $HTTP_PORT
admin_passwd = admin
EOF
}

# A database holding Odoo's own modules the suite depends on, with demo data
# and Chinese loaded: copied to create each test, install-check or demo
# database in seconds instead of minutes.
template_db() {
    local src tmpl
    src="$(odoo_src)"
    tmpl="alliance_tmpl_$(printf '%s %s' "$BASE_MODULES" "$(cat "$src/odoo/release.py" | cksum)" | cksum | cut -d' ' -f1)"
    if ! db_exists "$tmpl" || [ "$(psql_q "SELECT 1 FROM pg_database WHERE datname='$tmpl' AND datallowconn")" != 1 ] \
        || [ ! -f "$LOCAL/$tmpl.ok" ]; then
        log "building template database $tmpl (Odoo's modules, demo data, zh_CN; a few minutes, once)"
        "$(pg_bindir)/dropdb" --if-exists "$tmpl"
        rm -rf "$LOCAL/data/filestore/$tmpl"
        odoo -d "$tmpl" -i "$BASE_MODULES" --with-demo --load-language=zh_CN \
            --stop-after-init --log-level=warn >"$LOCAL/$tmpl.log" 2>&1 \
            || { tail -40 "$LOCAL/$tmpl.log" >&2; die "template database failed; see .local/$tmpl.log"; }
        touch "$LOCAL/$tmpl.ok"
    fi
    printf '%s' "$tmpl"
}

# Copy the template (database and filestore) to a new database.
clone_db() {
    local tmpl="$1" name="$2"
    "$(pg_bindir)/dropdb" --if-exists --force "$name"
    "$(pg_bindir)/createdb" -T "$tmpl" "$name"
    rm -rf "$LOCAL/data/filestore/$name"
    if [ -d "$LOCAL/data/filestore/$tmpl" ]; then
        mkdir -p "$LOCAL/data/filestore"
        cp -a "$LOCAL/data/filestore/$tmpl" "$LOCAL/data/filestore/$name"
    fi
}

# Start a server on database $1, port $2, log $3 (further arguments go to
# odoo-bin) in the background and wait for its login page. Started directly,
# not through the `odoo` function, so that SERVER_PID is the server itself;
# it is stopped when the calling script exits.
# A new API key of the demo's cashier of merchant C on database $1, named $2: what an integrator creates in
# its preferences, and what JSON-2 calls carry. Prints the key.
cashier_api_key() {
    printf '%s\n' \
        'u = env.ref("alliance_member.user_merchant_c_cashier_demo")' \
        "print('KEY', env['res.users.apikeys'].with_user(u).sudo()._generate(None, '$2', False))" \
        'env.cr.commit()' \
        | "$PY" "$(odoo_src)/odoo-bin" shell -c "$LOCAL/odoo.conf" -d "$1" --log-level=error 2>/dev/null \
        | sed -n 's/^KEY //p'
}

serve_background() {
    local db="$1" port="$2" logfile="$3"
    shift 3
    "$PY" "$(odoo_src)/odoo-bin" -c "$LOCAL/odoo.conf" -d "$db" --db-filter="^$db\$" \
        --http-port="$port" --log-level=warn "$@" >"$logfile" 2>&1 &
    SERVER_PID=$!
    trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
    for _ in $(seq 120); do
        curl -fs "http://127.0.0.1:$port/web/login" >/dev/null 2>&1 && break
        sleep 0.5
    done
    kill -0 "$SERVER_PID" 2>/dev/null
}

# Everything but the template database, in order.
prepare() {
    system_packages
    odoo_source
    virtualenv
    cluster
    odoo_conf
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    prepare
    template_db >/dev/null
    log "set-up complete"
fi
