#!/usr/bin/env bash
# Portlink benchmark (JVM mode, packaged prod build, local PostgreSQL).
#
# Measures:
#   1. CSV import through POST /api/v1/purchase-orders/import: wall time (curl time_total) and lines/s for a
#      file of 100,000 lines (25,000 orders x 4 lines, 500 vendors), with the service's peak heap during it
#      (jstat -gc every 200 ms: max of S0U+S1U+EU+OU, i.e. used young + old, garbage included) and GC activity.
#   2. Three more imports of the same size, so the database holds 100,000 orders; their times are reported too.
#      After each import the script runs ANALYZE (ANALYZE=1, outside the timed window): this machine's
#      PostgreSQL has autovacuum off (conf.d/90-ci.conf), and without statistics the duplicate check of the
#      import degrades with the table size (see the notes in the summary). ANALYZE=0 measures that case.
#   3. The vendor page GET /v/{token} at a fixed rate (default 500 req/s; 10 s warm-up, then 30 s measured)
#      over 1,000 tokens round-robin with a browser User-Agent: throughput, p50/p90/p99, errors, and the
#      service's max RSS (VmRSS from /proc/<pid>/status sampled every 500 ms). On 2 cores the JIT is still
#      compiling the page's code after a 10 s warm-up at 500 req/s, so p99 varies a lot from run to run;
#      WARMUP=60 shows the steady state.
# The service runs with a heap cap (HEAP, default 512m), QUARKUS_MAILER_MOCK=true and Portlink's access log
# off (PORTLINK_ACCESS_LOG_ENABLED=false: a console line per request at 500 req/s would dominate the numbers).
#
# Needs: java 17, psql, curl, python3, jstat/jcmd (JDK), wrk (Debian package "wrk"), PostgreSQL with trust
# auth at PGHOST:PGPORT. Drops and recreates the database DB_NAME. Port PORT must be free.
#
# Run from the repository root (builds only if target/quarkus-app/quarkus-run.jar is missing):
#   bench/run.sh
#   HEAP=256m RATE=300 DURATION=60 bench/run.sh      # any parameter below can be set this way
# Output: a summary table on stdout and in bench/results/summary-<date>.md; raw files in
# bench/results/run-<date>/ (service log, GC log, jstat samples, wrk output, import answers).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

DB_NAME=${DB_NAME:-portlink_bench}
RUN_NAME=run
ORDERS_PER_FILE=${ORDERS_PER_FILE:-25000}
LINES_PER_ORDER=${LINES_PER_ORDER:-4}
VENDORS=${VENDORS:-500}
FILES=${FILES:-4}                       # import files in all; the first is the measured one
TOKENS=${TOKENS:-1000}                  # vendor links the page test goes round
WARMUP=${WARMUP:-10}                    # seconds at RATE before measuring
IMPORT_TIMEOUT=${IMPORT_TIMEOUT:-1200}
ANALYZE=${ANALYZE:-1}                   # 1: ANALYZE the database after each import, as autovacuum would
JFR=${JFR:-0}                           # 1: JFR profiles of import 1 and the measured page run (run-*/*.jfr)
UA="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
require_tools java jstat jcmd psql curl python3 wrk
SUMMARY="$RESULTS/summary-$STAMP.md"

# ---------------------------------------------------------------------------------------------------------------
# 1. Build if needed, fresh database, start the service
# ---------------------------------------------------------------------------------------------------------------
start_service

# ---------------------------------------------------------------------------------------------------------------
# 2./3. Imports: file 1 measured (time, heap, GC, CPU); files 2..FILES fill the database
# ---------------------------------------------------------------------------------------------------------------
IMPORT_ROWS=()   # "file seconds lines orders lines_per_s peak_heap_mb peak_old_mb ygc fgc gc_s java_cpu_s other_cpu_s rss_mb status"
import_file() {
    local n=$1 csv="$WORK/orders-$1.csv" ans="$WORK/import-$1.json"
    local lines orders
    lines=$(python3 "$HERE/gen_orders.py" "$csv" --orders "$ORDERS_PER_FILE" --lines "$LINES_PER_ORDER" \
        --vendors "$VENDORS" --prefix "B$n" --seed "$n")
    orders=$ORDERS_PER_FILE
    log "import $n: $lines lines, $orders orders, $(($(stat -c %s "$csv") / 1024)) KiB"

    local gc_before jstat_pid rss_pid
    gc_before=$(wc -l <"$WORK/gc.log")
    : >"$WORK/rss-import-$n.txt"
    jstat -gc "$SVC_PID" 200 >"$WORK/jstat-import-$n.txt" 2>&1 &
    jstat_pid=$!
    sample_rss "$SVC_PID" "$WORK/rss-import-$n.txt" &
    rss_pid=$!
    SAMPLER_PIDS+=("$jstat_pid" "$rss_pid")
    if [[ "$JFR" == 1 && "$n" == 1 ]]; then
        jcmd "$SVC_PID" JFR.start name=import settings=profile filename="$WORK/import-1.jfr" >/dev/null
    fi
    sleep 1
    local cpu0 tot0 pg0 out code secs cpu1 tot1 pg1
    cpu0=$(proc_cpu "$SVC_PID"); tot0=$(total_cpu); pg0=$(pg_cpu)
    out=$(curl -sS -o "$ans" -w '%{http_code} %{time_total}' --max-time "$IMPORT_TIMEOUT" \
        -H "Authorization: Bearer $API_KEY" -H 'Content-Type: text/csv; charset=UTF-8' \
        --data-binary @"$csv" "$BASE/api/v1/purchase-orders/import") || out="000 0"
    cpu1=$(proc_cpu "$SVC_PID"); tot1=$(total_cpu); pg1=$(pg_cpu)
    sleep 0.6
    if [[ "$JFR" == 1 && "$n" == 1 ]]; then jcmd "$SVC_PID" JFR.stop name=import >/dev/null || true; fi
    kill "$jstat_pid" "$rss_pid" 2>/dev/null || true
    wait "$jstat_pid" "$rss_pid" 2>/dev/null || true
    read -r code secs <<<"$out"

    local heap old ygc fgc gcs maxafter maxpause pauses rss status="ok" links="-"
    read -r heap old ygc fgc gcs _ < <(jstat_summary "$WORK/jstat-import-$n.txt")
    read -r maxafter maxpause pauses < <(tail -n +"$((gc_before + 1))" "$WORK/gc.log" | gc_log_summary)
    rss=$(sort -n "$WORK/rss-import-$n.txt" | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')
    if [[ "$code" != 200 ]]; then
        status="HTTP $code"
        log "import $n failed: HTTP $code after ${secs}s; answer: $(head -c 1500 "$ans" 2>/dev/null)"
        log "service log tail:"; tail -n 30 "$WORK/service.log" >&2
    elif ! links=$(python3 "$HERE/links.py" check "$ans"); then
        status="bad answer"
    fi
    local rate jcpu pcpu ocpu
    rate=$(calc "$secs > 0 ? $lines / $secs : 0")
    jcpu=$(calc "$cpu1 - $cpu0"); pcpu=$(calc "$pg1 - $pg0"); ocpu=$(calc "($tot1 - $tot0) - ($cpu1 - $cpu0) - ($pg1 - $pg0)")
    log "import $n: HTTP $code in ${secs}s = $(printf '%.0f' "$rate") lines/s; created/unchanged/links: $links;" \
        "peak heap ${heap} MB (old ${old} MB, max after GC ${maxafter} MB), ${ygc} young/${fgc} full GCs ${gcs}s," \
        "CPU: service ${jcpu}s, PostgreSQL ${pcpu}s, other ${ocpu}s"
    IMPORT_ROWS+=("$n $secs $lines $orders $rate $heap $old $ygc $fgc $gcs $jcpu $pcpu $rss $maxafter $maxpause $pauses ${status// /_} $ocpu")
    if [[ "$ANALYZE" == 1 ]]; then pg -d "$DB_NAME" -c "analyze"; fi
    [[ "$status" == ok ]]
}

IMPORT_FAILED=0
for n in $(seq 1 "$FILES"); do
    if ! import_file "$n"; then IMPORT_FAILED=1; [[ "$n" == 1 ]] && break; fi
done

read -r DB_ORDERS DB_LINES DB_LINKS DB_VENDORS < <(pg -d "$DB_NAME" -At -F ' ' -c \
    "select (select count(*) from purchase_order), (select count(*) from order_line),
            (select count(*) from access_link), (select count(*) from vendor)")
DB_SIZE=$(pg -d "$DB_NAME" -At -c "select pg_size_pretty(pg_database_size(current_database()))")
log "database: $DB_ORDERS orders, $DB_LINES lines, $DB_LINKS links, $DB_VENDORS vendors, $DB_SIZE"

python3 "$HERE/links.py" urls "$WORK"/import-*.json >"$WORK/links-all.txt" 2>/dev/null || true
python3 "$HERE/links.py" sample "$WORK/links-all.txt" "$TOKENS" >"$WORK/tokens.txt" 2>/dev/null || : >"$WORK/tokens.txt"
TOKEN_COUNT=$(wc -l <"$WORK/tokens.txt")
log "$TOKEN_COUNT token URLs in $WORK/tokens.txt"

# ---------------------------------------------------------------------------------------------------------------
# 4. Vendor page at a fixed rate
# ---------------------------------------------------------------------------------------------------------------
PAGE_RESULT=""
PAGE_CHECK="not run"
RSS_PAGE_MAX="-"
PAGE_CPU="-"
PAGE_PG_CPU="-"
if ((TOKEN_COUNT > 0)); then
    first_url=$(head -n 1 "$WORK/tokens.txt")
    PAGE_CHECK=$(curl -sS -o "$WORK/page-sample.html" -w '%{http_code} %{size_download}B %{time_total}s' \
        -A "$UA" "$first_url" || echo "curl failed")
    log "one page first: $PAGE_CHECK"
    log "page warm-up: ${WARMUP}s at $RATE req/s"
    run_wrk warmup "$WARMUP" || log "wrk warm-up exited non-zero (see $WORK/wrk-warmup.txt)"
    log "page measured: ${DURATION}s at $RATE req/s over $TOKEN_COUNT tokens, $WRK_CONNECTIONS connections"
    : >"$WORK/rss-page.txt"
    sample_rss "$SVC_PID" "$WORK/rss-page.txt" &
    rss_pid=$!
    SAMPLER_PIDS+=("$rss_pid")
    jstat -gc "$SVC_PID" 1000 >"$WORK/jstat-page.txt" 2>&1 &
    jstat_pid=$!
    SAMPLER_PIDS+=("$jstat_pid")
    if [[ "$JFR" == 1 ]]; then
        jcmd "$SVC_PID" JFR.start name=page settings=profile filename="$WORK/page.jfr" >/dev/null
    fi
    cpu0=$(proc_cpu "$SVC_PID"); pg0=$(pg_cpu)
    run_wrk measured "$DURATION" || log "wrk exited non-zero (see $WORK/wrk-measured.txt)"
    cpu1=$(proc_cpu "$SVC_PID"); pg1=$(pg_cpu)
    if [[ "$JFR" == 1 ]]; then jcmd "$SVC_PID" JFR.stop name=page >/dev/null || true; fi
    kill "$rss_pid" "$jstat_pid" 2>/dev/null || true
    wait "$rss_pid" "$jstat_pid" 2>/dev/null || true
    PAGE_CPU=$(calc "($cpu1 - $cpu0) / $DURATION * 100")
    PAGE_PG_CPU=$(calc "($pg1 - $pg0) / $DURATION * 100")
    RSS_PAGE_MAX=$(sort -n "$WORK/rss-page.txt" | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')
    PAGE_RESULT=$(tail -n 1 "$WORK/wrk-measured.result" 2>/dev/null || true)
    WARM_RESULT=$(tail -n 1 "$WORK/wrk-warmup.result" 2>/dev/null || true)
    cat "$WORK/wrk-measured.txt" >&2
    read -r PAGE_HEAP _ PAGE_YGC PAGE_FGC PAGE_GCS _ < <(jstat_summary "$WORK/jstat-page.txt")
    read -r OPENS BOT_OPENS < <(pg -d "$DB_NAME" -At -F ' ' -c "select sum(open_count), sum(bot_open_count) from access_link")
fi
val() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"${2:-$PAGE_RESULT}"; }

# ---------------------------------------------------------------------------------------------------------------
# 5. Summary
# ---------------------------------------------------------------------------------------------------------------
HWM=$(hwm_mb "$SVC_PID" 2>/dev/null || echo "-")
JAVA_V=$(java -version 2>&1 | sed -n 2p)
WRK_V=$( (wrk -v 2>&1 || true) | head -n 1 | awk '{ print $1, $2 }')
PG_V=$(pg -d postgres -At -c "show server_version")
QUARKUS_V=$(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
CPU_MODEL=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)

{
    echo "## Portlink benchmark $STAMP"
    echo
    echo "Commit $GIT_REV, Quarkus ${QUARKUS_V:-?}, JVM mode: \`java -Xmx$HEAP${JAVA_EXTRA_OPTS:+ $JAVA_EXTRA_OPTS} -jar quarkus-run.jar\`" \
        "(${JAVA_V}, GC ${GC_NAME:-?}), PostgreSQL $PG_V on the same machine, $(nproc) cores ($CPU_MODEL)," \
        "$WRK_V. Service: prod profile, QUARKUS_MAILER_MOCK=true, PORTLINK_ACCESS_LOG_ENABLED=false (a console" \
        "access-log line per request would dominate at 500 req/s). Started in ${START_S}s."
    echo
    echo "| Measure | Result | Target | Met |"
    echo "| --- | --- | --- | --- |"
    if ((${#IMPORT_ROWS[@]} > 0)); then
        read -r n secs lines orders rate heap old ygc fgc gcs jcpu pcpu rss maxafter maxpause pauses status ocpu <<<"${IMPORT_ROWS[0]}"
        if [[ "$status" == ok ]]; then
            echo "| Import #1: $lines lines ($orders orders, $VENDORS vendors), one POST | $(printf '%.1f' "$secs") s = **$(printf '%.0f' "$rate") lines/s** | ≥ 10,000 lines/s | $(meets "$rate >= 10000") |"
        else
            echo "| Import #1: $lines lines ($orders orders) | **failed: ${status//_/ }** after $(printf '%.1f' "$secs") s | ≥ 10,000 lines/s | **no** |"
        fi
        echo "| Peak used heap during import #1 (jstat -gc 200 ms, max S0U+S1U+EU+OU) | **$heap MB** (old gen max $old MB; largest heap after a GC $maxafter MB) | < 256 MB | $(meets "$heap < 256") |"
        echo "| GC during import #1 | $ygc young, $fgc full, $gcs s total, longest pause $maxpause ms | | |"
        echo "| CPU during import #1 (2 cores = $(calc "2 * $secs" | xargs printf '%.0f') CPU-s available) | service $(printf '%.1f' "$jcpu") s, PostgreSQL $(printf '%.1f' "$pcpu") s | | |"
        echo "| Service RSS max during import #1 | $rss MB | | |"
        for row in "${IMPORT_ROWS[@]:1}"; do
            read -r n secs lines orders rate heap old ygc fgc gcs jcpu pcpu rss maxafter maxpause pauses status ocpu <<<"$row"
            echo "| Import #$n ($lines lines, on $(((n - 1) * ORDERS_PER_FILE)) orders, warm JVM) | $(printf '%.1f' "$secs") s = $(printf '%.0f' "$rate") lines/s, peak heap $heap MB, CPU service $(printf '%.1f' "$jcpu") s / PostgreSQL $(printf '%.1f' "$pcpu") s, ${status//_/ } | | |"
        done
    fi
    echo "| Database after imports | $DB_ORDERS orders, $DB_LINES lines, $DB_LINKS links, $DB_VENDORS vendors, $DB_SIZE | ≥ 100,000 orders | $(meets "${DB_ORDERS:-0} >= 100000") |"
    if [[ -n "$PAGE_RESULT" ]]; then
        if [[ -n "${WARM_RESULT:-}" ]]; then
            echo "| GET /v/{token} warm-up ($WARMUP s, not counted) | $(val rps "$WARM_RESULT") req/s, p50 $(val p50_ms "$WARM_RESULT") ms, p99 $(val p99_ms "$WARM_RESULT") ms, schedule late $(val late_sends "$WARM_RESULT")×, max lag $(val max_lag_ms "$WARM_RESULT") ms | | |"
        fi
        echo "| GET /v/{token}: rate achieved ($DURATION s after $WARMUP s warm-up, $TOKEN_COUNT tokens) | $(val rps) req/s ($(val requests) requests; schedule late $(val late_sends)×, max lag $(val max_lag_ms) ms) | $RATE req/s | $(meets "$(val rps) >= $RATE * 0.98") |"
        echo "| GET /v/{token}: latency p50 / p90 / p99 / max | $(val p50_ms) / $(val p90_ms) / **$(val p99_ms)** / $(val max_ms) ms | p99 ≤ 50 ms | $(meets "$(val p99_ms) <= 50") |"
        echo "| GET /v/{token}: errors | $(val non200) non-200, socket: connect $(val connect_err) read $(val read_err) write $(val write_err) timeout $(val timeout_err) | 0 | $(meets "$(val non200) + $(val connect_err) + $(val read_err) + $(val write_err) + $(val timeout_err) == 0") |"
        echo "| Service during page test | RSS max **$RSS_PAGE_MAX MB** (VmRSS every 500 ms; lifetime peak VmHWM $HWM MB), CPU $(printf '%.0f' "$PAGE_CPU")% of one core (PostgreSQL $(printf '%.0f' "$PAGE_PG_CPU")%), peak heap $PAGE_HEAP MB, $PAGE_YGC young / $PAGE_FGC full GCs ($PAGE_GCS s) | | |"
        echo "| Opens recorded | ${OPENS:-?} person opens, ${BOT_OPENS:-?} bot opens | all person opens | $(meets "${BOT_OPENS:-1} == 0") |"
    else
        echo "| GET /v/{token} | not run: no vendor links (${PAGE_CHECK}) | p99 ≤ 50 ms | **no** |"
    fi
    echo
    if [[ "$ANALYZE" == 1 ]]; then
        echo "ANALYZE ran after each import (not timed): this machine's PostgreSQL has autovacuum = off, so without it" \
            "the tables never get statistics. ANALYZE=0 leaves them without."
    else
        echo "ANALYZE=0: no statistics on the tables (this machine's PostgreSQL has autovacuum = off)."
    fi
    echo "Heap: jstat samples every 200 ms; \"used\" includes garbage not yet collected, so with a 512 MB cap G1 lets the young" \
        "generation fill; \"largest heap after a GC\" (from -Xlog:gc) is closer to what the import keeps live."
    echo "Fixed rate: $WRK_V with bench/page.lua pacing requests to a schedule (open loop up to $WRK_CONNECTIONS connections);" \
        "latency is measured from each send. Raw files: ${WORK#"$ROOT"/}/"
} | tee "$SUMMARY"
log "summary written to $SUMMARY"

((IMPORT_FAILED == 0)) && [[ -n "$PAGE_RESULT" ]]
