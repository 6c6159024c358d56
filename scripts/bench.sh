#!/usr/bin/env bash
# Generate an alliance at city scale and measure it; writes BENCHMARKS.md.
# Takes about twenty minutes on 2 cores; the generated database is kept (.local)
# and reused by the next run. `scripts/bench.sh 10` (make bench-10x): ten times
# the members and the ledger, in a database of its own, compared with the last
# 1x run.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

prepare
export ALLIANCE_BENCH_SCALE="${1:-1}"
case "$ALLIANCE_BENCH_SCALE" in
    1) BENCH_DB="${ALLIANCE_BENCH_DB:-alliance_bench}" ;;
    10) BENCH_DB="${ALLIANCE_BENCH_DB:-alliance_bench_10x}" ;;
    *) die "scale 1 or 10" ;;
esac
PORT="$(free_port "${ALLIANCE_BENCH_HTTP_PORT:-$((20000 + _path_hash % 900))}")"
if ! db_exists "$BENCH_DB" || [ ! -f "$LOCAL/$BENCH_DB.ok" ]; then
    TMPL="$(template_db)"
    clone_db "$TMPL" "$BENCH_DB"
    log "installing the suite in $BENCH_DB"
    # Odoo's own pos_loyalty beside the suite: the POS benchmark syncs the same order with its loyalty card.
    odoo -d "$BENCH_DB" -i "$ADDONS,pos_loyalty" --with-demo --stop-after-init --log-level=warn >"$LOCAL/$BENCH_DB.log" 2>&1 \
        || { tail -30 "$LOCAL/$BENCH_DB.log" >&2; die "could not install the suite"; }
    touch "$LOCAL/$BENCH_DB.ok"
else
    # Measure the code of this checkout: bring the kept database up to date first.
    odoo -d "$BENCH_DB" -i pos_loyalty -u "$ADDONS" --stop-after-init --log-level=warn >"$LOCAL/$BENCH_DB.log" 2>&1 \
        || { tail -30 "$LOCAL/$BENCH_DB.log" >&2; die "could not update the suite in $BENCH_DB"; }
fi
# The alliance's members and ledger, generated once and kept.
PYTHONPATH="$(odoo_src)" "$PY" "$ROOT/scripts/bench.py" "$LOCAL/odoo.conf" "$BENCH_DB" - generate \
    || die "could not generate the benchmark's data"
URL=-
if [ "$ALLIANCE_BENCH_SCALE" = 1 ]; then
    # The replica, the server and the fault run: at 1× only (what they measure does not grow with the data).
    # A second PostgreSQL on this machine, a streaming replica of the development cluster, made afresh by
    # pg_basebackup each run (a replica left stopped since the last run may lack the WAL to catch up).
    REPLICA_DIR="$(cluster_dir)-replica"
    REPLICA_PORT="$(free_port $((PGPORT + 1)))"
    stop_replica() {
        [ -f "$REPLICA_DIR/postmaster.pid" ] && as_pg "$(pg_bindir)/pg_ctl" -D "$REPLICA_DIR/" stop -m fast >/dev/null 2>&1
        return 0
    }
    stop_replica
    rm -rf "$REPLICA_DIR"
    mkdir -p "$REPLICA_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$REPLICA_DIR" && chmod 700 "$REPLICA_DIR"
    log "a streaming replica of the cluster (pg_basebackup) on 127.0.0.1:$REPLICA_PORT"
    T0=$SECONDS
    as_pg "$(pg_bindir)/pg_basebackup" -h 127.0.0.1 -p "$PGPORT" -U postgres -D "$REPLICA_DIR" -X stream -R -c fast \
        || die "pg_basebackup failed"
    as_pg "$(pg_bindir)/pg_ctl" -D "$REPLICA_DIR/" -w -t 300 -o "-p $REPLICA_PORT" -l "$REPLICA_DIR/server.log" start \
        >/dev/null || die "the replica did not start; see $REPLICA_DIR/server.log"
    export ALLIANCE_REPLICA_PORT="$REPLICA_PORT" ALLIANCE_REPLICA_SECONDS=$((SECONDS - T0))
    # The API figures need a real multi-process server: 2 workers. Its read-only requests (lookups,
    # reports) go to the replica, as in production with db_replica_host.
    serve_background "$BENCH_DB" "$PORT" "$LOCAL/bench_server.log" --workers=2 --max-cron-threads=0 \
        --db_replica_host=127.0.0.1 --db_replica_port="$REPLICA_PORT" \
        || { tail -20 "$LOCAL/bench_server.log" >&2; die "the benchmark server did not start"; }
    trap 'kill $SERVER_PID 2>/dev/null || true; stop_replica' EXIT
    # Faults under load, the long form: 60 s, the server killed three times (make test runs 20 s and two).
    KEY="$(cashier_api_key "$BENCH_DB" faults)"
    log "faults under load: 60 s, the server killed three times"
    "$PY" "$ROOT/scripts/faults.py" "$(odoo_src)/odoo-bin" "$LOCAL/odoo.conf" "$BENCH_DB" "$(free_port $((PORT + 1)))" \
        "$KEY" 60 3 8 >"$LOCAL/faults_bench.json" || true
    URL="http://127.0.0.1:$PORT"
fi
PYTHONPATH="$(odoo_src)" "$PY" "$ROOT/scripts/bench.py" "$LOCAL/odoo.conf" "$BENCH_DB" "$URL"
