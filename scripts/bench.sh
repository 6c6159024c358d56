#!/usr/bin/env bash
# Generate an alliance at city scale and measure it; writes BENCHMARKS.md.
# Takes about fifteen minutes on 2 cores; the generated database is kept (.local)
# and reused by the next run.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

prepare
BENCH_DB="${ALLIANCE_BENCH_DB:-alliance_bench}"
PORT="$(free_port "${ALLIANCE_BENCH_HTTP_PORT:-$((20000 + _path_hash % 900))}")"
if ! db_exists "$BENCH_DB" || [ ! -f "$LOCAL/$BENCH_DB.ok" ]; then
    TMPL="$(template_db)"
    clone_db "$TMPL" "$BENCH_DB"
    log "installing the suite in $BENCH_DB"
    odoo -d "$BENCH_DB" -i "$ADDONS" --with-demo --stop-after-init --log-level=warn >"$LOCAL/$BENCH_DB.log" 2>&1 \
        || { tail -30 "$LOCAL/$BENCH_DB.log" >&2; die "could not install the suite"; }
    touch "$LOCAL/$BENCH_DB.ok"
else
    # Measure the code of this checkout: bring the kept database up to date first.
    odoo -d "$BENCH_DB" -u "$ADDONS" --stop-after-init --log-level=warn >"$LOCAL/$BENCH_DB.log" 2>&1 \
        || { tail -30 "$LOCAL/$BENCH_DB.log" >&2; die "could not update the suite in $BENCH_DB"; }
fi
# The API figures need a real multi-process server: 2 workers.
serve_background "$BENCH_DB" "$PORT" "$LOCAL/bench_server.log" --workers=2 --max-cron-threads=0 \
    || { tail -20 "$LOCAL/bench_server.log" >&2; die "the benchmark server did not start"; }
# Faults under load, the long form: 60 s, the server killed three times (make test runs 20 s and two).
KEY="$(cashier_api_key "$BENCH_DB" faults)"
log "faults under load: 60 s, the server killed three times"
"$PY" "$ROOT/scripts/faults.py" "$(odoo_src)/odoo-bin" "$LOCAL/odoo.conf" "$BENCH_DB" "$(free_port $((PORT + 1)))" \
    "$KEY" 60 3 8 >"$LOCAL/faults_bench.json" || true
PYTHONPATH="$(odoo_src)" "$PY" "$ROOT/scripts/bench.py" "$LOCAL/odoo.conf" "$BENCH_DB" "http://127.0.0.1:$PORT"
