#!/usr/bin/env bash
# Portlink benchmark of the customer tracking page GET /t/{token} (JVM mode, packaged prod build, local PostgreSQL).
#
# 1. A fresh database with SHIPMENTS shipments (default 100,000), each with CUSTOMER_NOTES customer notes and one
#    internal note, and an active tracking link on every shipment. The first shipment and the TOKENS measured
#    shipments are made through the API (POST /api/v1/shipments, .../tracking-link, .../tracking-link/options), so
#    their links are real issued links whose URLs the benchmark holds; the rest are copied in SQL (their tokens are
#    random and thrown away: they only make the tables as large as a real organisation's).
# 2. GET /t/{token} at a fixed rate (default 500 req/s; WARMUP s, then DURATION s measured) over the TOKENS links
#    round-robin with a browser User-Agent (bench/page.lua): throughput, p50/p90/p99, errors, the service's RSS
#    and CPU.
# Same service settings as bench/run.sh (heap cap HEAP, QUARKUS_MAILER_MOCK=true, access log off).
#
# Needs: java 17, psql, curl, python3, jstat/jcmd (JDK), wrk. Drops and recreates DB_NAME. Port PORT must be free.
# Run from the repository root (builds only if target/quarkus-app/quarkus-run.jar is missing):
#   bench/tracking.sh
#   SHIPMENTS=20000 RATE=300 bench/tracking.sh
# Output: a summary table on stdout and in bench/results/tracking-<date>.md; raw files in bench/results/tracking-<date>/.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

DB_NAME=${DB_NAME:-portlink_bench_tracking}
RUN_NAME=tracking
SHIPMENTS=${SHIPMENTS:-100000}          # shipments stored, each with an active tracking link
CUSTOMER_NOTES=${CUSTOMER_NOTES:-3}     # customer notes per shipment (the page shows them)
TOKENS=${TOKENS:-1000}                  # tracking links the page test goes round (made through the API)
WARMUP=${WARMUP:-30}                    # seconds at RATE before measuring
UA="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
require_tools java jstat jcmd psql curl python3 wrk
SUMMARY="$RESULTS/tracking-$STAMP.md"
((TOKENS <= SHIPMENTS)) || die "TOKENS ($TOKENS) must not exceed SHIPMENTS ($SHIPMENTS)"

start_service

api() { # METHOD PATH [JSON]: the answer's body on stdout; fails on a status >= 300
    local out code
    out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
        ${3:+--data-binary "$3"} "$BASE$2") || die "curl $1 $2"
    code=${out##*$'\n'}
    ((code < 300)) || die "$1 $2 answered $code: ${out%$'\n'*}"
    printf '%s\n' "${out%$'\n'*}"
}

# ---------------------------------------------------------------------------------------------------------------
# 1. Shipments and links
# ---------------------------------------------------------------------------------------------------------------
shipment_json() { # REFERENCE N
    printf '{"reference":"%s","title":"Load %s: 18 pallets of tiles","customer":{"name":"Customer %s","email":"c%s@bench.example","language":"en"},"shipFrom":"Hafenstrasse 1, 20457 Hamburg","shipTo":"Rue de la Gare 5, 69002 Lyon","internal":{"stockNumber":"S-%s","currency":"EUR","cost":"1200.00","notes":"internal only"}}' \
        "$1" "$2" "$2" "$2" "$2"
}

seed_started=$(date +%s)
log "creating the first shipment through the API (the organisation's pipeline comes with it)"
api POST /api/v1/shipments "$(shipment_json T0000000 0)" >/dev/null

log "copying $((SHIPMENTS - TOKENS - 1)) more shipments in SQL, $CUSTOMER_NOTES customer notes and one internal note each"
pg -d "$DB_NAME" -v n="$((SHIPMENTS - TOKENS - 1))" -v notes="$CUSTOMER_NOTES" <<'SQL'
create temporary table seed as
    select g as n, nextval('shipment_seq') as id from generate_series(1, :n) g;
insert into shipment (id, organization_id, reference, live_reference, reference_key, customer_key, title,
        customer_name, customer_email, customer_language, ship_from, ship_to, stock_number, currency, cost,
        internal_notes, pipeline_id, stage_id, stage_changed_at, estimated_arrival, created_at, updated_at, version)
    select s.id, t.organization_id, 'B' || lpad(s.n::text, 7, '0'), 'B' || lpad(s.n::text, 7, '0'),
        'b' || lpad(s.n::text, 7, '0'), 'customer ' || s.n, 'Load ' || s.n || ': 18 pallets of tiles',
        'Customer ' || s.n, 'c' || s.n || '@bench.example', 'en', t.ship_from, t.ship_to, 'S-' || s.n, 'EUR', 1200,
        'internal only', t.pipeline_id, t.stage_id, now(), current_date + 5, now(), now(), 0
    from seed s cross join (select * from shipment where reference = 'T0000000') t;
insert into shipment_note (id, shipment_id, scope, body, at, actor_type, actor_label)
    select nextval('shipment_note_seq'), s.id, 'CUSTOMER', 'Update ' || k || ': the load left the depot on time.',
        now() - (k || ' hours')::interval, 'SYSTEM', 'bench'
    from seed s cross join generate_series(1, :notes) k;
insert into shipment_note (id, shipment_id, scope, body, at, actor_type, actor_label)
    select nextval('shipment_note_seq'), s.id, 'INTERNAL', 'margin is thin on this one', now(), 'SYSTEM', 'bench'
    from seed s;
-- an active tracking link per shipment, as an organisation that creates one for every shipment has
insert into access_link (id, organization_id, scope, shipment_id, token_hash, token_hint, created_at, created_by,
        open_count, bot_open_count)
    select nextval('access_link_seq'), t.organization_id, 'CUSTOMER_SHIPMENT', s.id,
        encode(sha256(convert_to('pt_seed_' || s.id || '_' || md5(random()::text), 'UTF8')), 'hex'), 'pt_see…',
        now(), 'bench', 0, 0
    from seed s cross join (select organization_id from shipment where reference = 'T0000000') t;
insert into tracking_link_options (access_link_id, show_hero_photo, show_estimated_arrival, show_progress,
        show_customer_notes, updated_at)
    select id, true, true, true, true, now() from access_link where created_by = 'bench';
SQL

log "creating $TOKENS shipments with their tracking links through the API (the measured links)"
: >"$WORK/tokens.txt"
for i in $(seq 1 "$TOKENS"); do
    ref=$(printf 'M%07d' "$i")
    api POST /api/v1/shipments "$(shipment_json "$ref" "$i")" >/dev/null
    for k in $(seq 1 "$CUSTOMER_NOTES"); do
        api POST "/api/v1/shipments/$ref/notes" \
            "{\"scope\":\"CUSTOMER\",\"text\":\"Update $k: the load left the depot on time.\"}" >/dev/null
    done
    api POST "/api/v1/shipments/$ref/notes" '{"scope":"INTERNAL","text":"margin is thin on this one"}' >/dev/null
    api PATCH "/api/v1/shipments/$ref" '{"stage":"In transit","estimatedArrival":"2030-01-15"}' >/dev/null
    api POST "/api/v1/shipments/$ref/tracking-link" '{}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])' >>"$WORK/tokens.txt"
done
pg -d "$DB_NAME" -c "analyze"
SEED_S=$(($(date +%s) - seed_started))
read -r DB_SHIPMENTS DB_LINKS DB_NOTES < <(pg -d "$DB_NAME" -At -F ' ' -c \
    "select (select count(*) from shipment), (select count(*) from access_link where scope = 'CUSTOMER_SHIPMENT'),
            (select count(*) from shipment_note)")
DB_SIZE=$(pg -d "$DB_NAME" -At -c "select pg_size_pretty(pg_database_size(current_database()))")
TOKEN_COUNT=$(wc -l <"$WORK/tokens.txt")
log "database: $DB_SHIPMENTS shipments, $DB_LINKS tracking links, $DB_NOTES notes, $DB_SIZE (seeded in ${SEED_S}s)"

# ---------------------------------------------------------------------------------------------------------------
# 2. The tracking page at a fixed rate
# ---------------------------------------------------------------------------------------------------------------
first_url=$(head -n 1 "$WORK/tokens.txt")
PAGE_CHECK=$(curl -sS -o "$WORK/page-sample.html" -w '%{http_code} %{size_download}B' -A "$UA" "$first_url")
log "one page first: $PAGE_CHECK"
[[ "$PAGE_CHECK" == 200* ]] || die "the tracking page did not answer 200: $PAGE_CHECK"
grep -q 'Load 1: 18 pallets' "$WORK/page-sample.html" || die "the tracking page does not show the shipment's title"
if grep -q 'margin is thin\|S-1\b\|1200' "$WORK/page-sample.html"; then die "the tracking page shows internal data"; fi

log "page warm-up: ${WARMUP}s at $RATE req/s"
run_wrk warmup "$WARMUP" || log "wrk warm-up exited non-zero (see $WORK/wrk-warmup.txt)"
log "page measured: ${DURATION}s at $RATE req/s over $TOKEN_COUNT links"
: >"$WORK/rss-page.txt"
sample_rss "$SVC_PID" "$WORK/rss-page.txt" &
rss_pid=$!
SAMPLER_PIDS+=("$rss_pid")
cpu0=$(proc_cpu "$SVC_PID"); pg0=$(pg_cpu)
run_wrk measured "$DURATION" || log "wrk exited non-zero (see $WORK/wrk-measured.txt)"
cpu1=$(proc_cpu "$SVC_PID"); pg1=$(pg_cpu)
kill "$rss_pid" 2>/dev/null || true
wait "$rss_pid" 2>/dev/null || true
PAGE_CPU=$(calc "($cpu1 - $cpu0) / $DURATION * 100")
PAGE_PG_CPU=$(calc "($pg1 - $pg0) / $DURATION * 100")
RSS_PAGE_MAX=$(sort -n "$WORK/rss-page.txt" | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')
PAGE_RESULT=$(tail -n 1 "$WORK/wrk-measured.result" 2>/dev/null || true)
WARM_RESULT=$(tail -n 1 "$WORK/wrk-warmup.result" 2>/dev/null || true)
cat "$WORK/wrk-measured.txt" >&2
[[ -n "$PAGE_RESULT" ]] || die "wrk gave no result (see $WORK/wrk-measured.txt)"
val() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"${2:-$PAGE_RESULT}"; }

# ---------------------------------------------------------------------------------------------------------------
# 3. Summary
# ---------------------------------------------------------------------------------------------------------------
JAVA_V=$(java -version 2>&1 | sed -n 2p)
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
{
    echo "## Portlink tracking page benchmark $STAMP"
    echo
    echo "Commit $GIT_REV, JVM mode \`java -Xmx$HEAP -jar quarkus-run.jar\` ($JAVA_V, GC ${GC_NAME:-?}), PostgreSQL" \
        "$(pg -d postgres -At -c 'show server_version') on the same machine, $(nproc) cores. Started in ${START_S}s."
    echo
    echo "| Measure | Result | Target | Met |"
    echo "| --- | --- | --- | --- |"
    echo "| Database | $DB_SHIPMENTS shipments, $DB_LINKS tracking links, $DB_NOTES notes, $DB_SIZE | ≥ 100,000 shipments | $(meets "$DB_SHIPMENTS >= 100000") |"
    echo "| GET /t/{token} warm-up ($WARMUP s, not counted) | $(val rps "$WARM_RESULT") req/s, p50 $(val p50_ms "$WARM_RESULT") ms, p99 $(val p99_ms "$WARM_RESULT") ms | | |"
    echo "| GET /t/{token}: rate achieved ($DURATION s, $TOKEN_COUNT links) | $(val rps) req/s ($(val requests) requests; schedule late $(val late_sends)×, max lag $(val max_lag_ms) ms) | $RATE req/s | $(meets "$(val rps) >= $RATE * 0.98") |"
    echo "| GET /t/{token}: latency p50 / p90 / p99 / max | $(val p50_ms) / $(val p90_ms) / **$(val p99_ms)** / $(val max_ms) ms | p99 ≤ 20 ms | $(meets "$(val p99_ms) <= 20") |"
    echo "| GET /t/{token}: errors | $(val non200) non-200, socket: connect $(val connect_err) read $(val read_err) write $(val write_err) timeout $(val timeout_err) | 0 | $(meets "$(val non200) + $(val connect_err) + $(val read_err) + $(val write_err) + $(val timeout_err) == 0") |"
    echo "| Service during the measured run | RSS max $RSS_PAGE_MAX MB, CPU $(printf '%.0f' "$PAGE_CPU")% of one core (PostgreSQL $(printf '%.0f' "$PAGE_PG_CPU")%) | | |"
    echo
    echo "Raw files: ${WORK#"$ROOT"/}/"
} | tee "$SUMMARY"
log "summary written to $SUMMARY"
