# Shared pieces of the benchmark scripts (run.sh, tracking.sh): settings every run has, logging, sampling, the
# service's start and stop. Sourced, not run, after the script set HERE, ROOT, DB_NAME and RUN_NAME (the prefix of
# its results folder) and its own parameters. Every setting below can be given in the environment.

PORT=${PORT:-8080}
# The management interface (health, metrics, jobs) of an instance on PORT: PORT + 1000 unless given.
MGMT_PORT=${MGMT_PORT:-$((PORT + 1000))}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
HEAP=${HEAP:-512m}                      # -Xmx of the service
JAVA_EXTRA_OPTS=${JAVA_EXTRA_OPTS:-}    # more JVM options, e.g. -XX:+UseParallelGC
DB_SETTINGS=${DB_SETTINGS:-}          # settings of the bench database, e.g. "log_min_duration_statement=0 work_mem=8MB"
MVN_ARGS=${MVN_ARGS:-}                  # extra arguments for the build when it is needed, e.g. -o
RATE=${RATE:-500}                       # requests per second for the page test
DURATION=${DURATION:-30}                # seconds measured
WRK_THREADS=${WRK_THREADS:-1}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-50}  # upper bound on requests in flight (enough for RATE x latency)
READY_TIMEOUT=${READY_TIMEOUT:-120}
KEEP_CSV=${KEEP_CSV:-0}                 # 1: keep generated CSV files in the results folder
RESULTS=${RESULTS:-$HERE/results}

# Fixed benchmark credentials: a throwaway database on this machine only.
API_KEY=${API_KEY:-pk_bench_0123456789abcdefghijklmnopqrstuvwxyz}
SESSION_KEY=bench-session-encryption-key-0123456789abcdef
BASE="http://127.0.0.1:$PORT"
MGMT="http://127.0.0.1:$MGMT_PORT"

export LC_ALL=C
STAMP=$(date +%Y%m%d-%H%M%S)
WORK="$RESULTS/$RUN_NAME-$STAMP"
mkdir -p "$WORK"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# require_tools TOOL...: stops with a message naming the first missing tool.
require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || die "$tool is not installed (wrk: apt-get install -y wrk)"
    done
}

SVC_PID=""
SAMPLER_PIDS=()

cleanup() {
    local pid
    for pid in "${SAMPLER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [[ -n "$SVC_PID" ]] && kill -0 "$SVC_PID" 2>/dev/null; then
        log "stopping the service (pid $SVC_PID)"
        kill "$SVC_PID" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$SVC_PID" 2>/dev/null || break; sleep 1; done
        kill -9 "$SVC_PID" 2>/dev/null || true
    fi
    if [[ "$KEEP_CSV" != 1 ]]; then rm -f "$WORK"/orders-*.csv; fi
}
trap cleanup EXIT

pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$@"; }

# CPU seconds (user + system) used so far by a process, and by the whole machine.
proc_cpu() { awk -v t="$(getconf CLK_TCK)" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }
total_cpu() { awk -v t="$(getconf CLK_TCK)" '/^cpu / { print ($2 + $3 + $4 + $7 + $8) / t }' /proc/stat; }
# CPU seconds of all PostgreSQL processes (the pooled backends live as long as the service).
pg_cpu() { { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v t="$(getconf CLK_TCK)" '$2 == "(postgres)" { s += $14 + $15 } END { print s / t }'; }

# CPU seconds of the PostgreSQL backends connected to database $1 now (on a shared machine, pg_cpu also counts other
# databases' work; the service's pooled connections live as long as it does, so before/after differences are its own).
pg_db_cpu() {
    local pid sum=0 t
    t=$(getconf CLK_TCK)
    for pid in $(pg -d postgres -Atc "select pid from pg_stat_activity where datname = '$1' and pid <> pg_backend_pid()"); do
        [[ -r /proc/$pid/stat ]] || continue
        sum=$(awk -v s="$sum" -v t="$t" '{ print s + ($14 + $15) / t }' "/proc/$pid/stat")
    done
    echo "$sum"
}

rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
hwm_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# Samples VmRSS (kB) of a process every 500 ms into a file until killed.
sample_rss() {
    while kill -0 "$1" 2>/dev/null; do
        awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null >>"$2" || true
        sleep 0.5
    done
}

# From a `jstat -gc <pid> 200` file: peak used heap MB (S0U+S1U+EU+OU), peak old gen MB, young GCs, full GCs,
# GC seconds, samples.
jstat_summary() {
    awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         $1 ~ /^[0-9.]+$/ {
             u = $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]
             if (u > mu) mu = u
             if ($c["OU"] > mo) mo = $c["OU"]
             if (n == 0) { y0 = $c["YGC"]; f0 = $c["FGC"]; g0 = $c["GCT"] }
             y = $c["YGC"]; f = $c["FGC"]; g = $c["GCT"]; n++
         }
         END { printf "%.0f %.0f %d %d %.2f %d\n", mu / 1024, mo / 1024, y - y0, f - f0, g - g0, n }' "$1"
}

# From GC log lines (-Xlog:gc): the largest heap left after a collection (MB) and the longest pause (ms).
gc_log_summary() {
    awk '/Pause/ && /->/ {
             for (i = 1; i <= NF; i++) if ($i ~ /->/) { split($i, a, "->"); after = a[2]; sub(/M.*/, "", after) }
             ms = $NF; sub(/ms/, "", ms)
             if (after + 0 > ma) ma = after + 0
             if (ms + 0 > mp) mp = ms + 0
             n++
         }
         END { printf "%d %.1f %d\n", ma, mp, n }'
}

calc() { awk "BEGIN { print ($*) }"; }
meets() { if awk "BEGIN { exit !($1) }"; then echo "yes"; else echo "**no**"; fi; }

# start_service: builds the jar if missing, recreates DB_NAME (unless RECREATE_DB=0: a seeded database kept), starts
# the packaged service (prod profile) and waits until it is ready. Sets SVC_PID, START_S (seconds to ready) and GC_NAME.
start_service() {
    JAR=${JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
    if [[ ! -f "$JAR" ]]; then
        log "no $JAR: building"
        # shellcheck disable=SC2086
        (cd "$ROOT" && ./mvnw -B -q $MVN_ARGS package -DskipTests)
    fi

    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        die "port $PORT is already in use; stop what listens there or set PORT"
    fi

    if [[ "${RECREATE_DB:-1}" == 1 ]]; then
        log "recreating database $DB_NAME"
        pg -d postgres -c "drop database if exists $DB_NAME with (force)" -c "create database $DB_NAME"
    fi
    local setting
    for setting in $DB_SETTINGS; do
        pg -d postgres -c "alter database $DB_NAME set ${setting%%=*} = '${setting#*=}'"
    done

    JAVA_OPTS=(-Xmx"$HEAP" "-Xlog:gc:file=$WORK/gc.log:uptime")
    # shellcheck disable=SC2206
    JAVA_OPTS+=($JAVA_EXTRA_OPTS)
    log "starting the service: java ${JAVA_OPTS[*]} -jar target/quarkus-app/quarkus-run.jar (log: $WORK/service.log)"
    env QUARKUS_HTTP_PORT="$PORT" QUARKUS_MANAGEMENT_PORT="$MGMT_PORT" \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB_NAME" \
        QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
        QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY="$SESSION_KEY" \
        PORTLINK_PUBLIC_BASE_URL="$BASE" \
        PORTLINK_BOOTSTRAP_ORGANIZATION="Bench Buyer Ltd" \
        PORTLINK_BOOTSTRAP_ADMIN_EMAIL="admin@bench.example" \
        PORTLINK_BOOTSTRAP_ADMIN_PASSWORD="plum-orbit-lantern-42" \
        PORTLINK_BOOTSTRAP_API_KEY="$API_KEY" \
        QUARKUS_MAILER_MOCK=true \
        PORTLINK_ACCESS_LOG_ENABLED=false \
        java "${JAVA_OPTS[@]}" -jar "$JAR" >"$WORK/service.log" 2>&1 &
    SVC_PID=$!

    started=$(date +%s)
    until curl -fsS -o /dev/null "$MGMT/q/health/ready" 2>/dev/null; do
        kill -0 "$SVC_PID" 2>/dev/null || { tail -n 40 "$WORK/service.log" >&2; die "the service exited while starting"; }
        (($(date +%s) - started < READY_TIMEOUT)) || { tail -n 40 "$WORK/service.log" >&2; die "not ready after ${READY_TIMEOUT}s"; }
        sleep 0.5
    done
    START_S=$(($(date +%s) - started))
    GC_NAME=$(jcmd "$SVC_PID" VM.flags 2>/dev/null | tr ' ' '\n' | sed -n 's/^-XX:+Use\(.*GC\)$/\1/p' | head -n 1)
    log "ready after ${START_S}s (pid $SVC_PID, GC ${GC_NAME:-?}, RSS $(rss_mb "$SVC_PID") MB)"
}

# run_wrk LABEL SECONDS: the page test (bench/page.lua) at RATE req/s over the URLs in $WORK/tokens.txt with the
# User-Agent UA; wrk's output in $WORK/wrk-LABEL.txt, its one-line result in $WORK/wrk-LABEL.result.
run_wrk() {
    PL_TOKENS="$WORK/tokens.txt" PL_RATE="$RATE" PL_THREADS="$WRK_THREADS" PL_UA="$UA" \
        PL_OUT="$WORK/wrk-$1.result" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$2"s --timeout 5s --latency \
        -s "$HERE/page.lua" "$BASE" >"$WORK/wrk-$1.txt" 2>&1
}
