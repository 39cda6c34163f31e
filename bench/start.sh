#!/usr/bin/env bash
# Start-to-ready of the packaged service (JVM mode, prod profile, local PostgreSQL), against the bare Quarkus app.
#
# Measures, for each start:
#   - start to ready: wall time from just before `java` is launched until GET /q/health/ready answers 200 (Portlink's
#     on its management port, MGMT_PORT = PORT + 1000 unless given; the bare app's on its only port), polled every
#     POLL seconds; each poll is one curl, a few ms more on a loaded machine;
#   - CPU-seconds the JVM used until then (user + system of all its threads, /proc/<pid>/stat): much less
#     sensitive to other work on the machine than the wall time;
#   - Quarkus's own "started in" (from the log) and the RSS at ready.
# Runs:
#   1. the first start on an empty database (DB_NAME dropped and recreated: every migration, the bootstrap
#      organisation), once; not part of the ratio;
#   2. RUNS restarts on the migrated database, interleaved with RUNS starts of the bare app (A B A B ...), so both
#      see the same load; the medians and their ratio, with the load average before and after;
#   3. one more start of the service, LOAD_SECONDS of requests (wrk: the sign-in page and the API's order list),
#      then its RSS ("RSS after load").
# JVM options: -Xmx$HEAP plus JAVA_EXTRA_OPTS (the same for both apps), e.g.
#   JAVA_EXTRA_OPTS="-XX:TieredStopAtLevel=1" bench/start.sh
# APPCDS=1: each app also starts with its own AppCDS archive (-XX:SharedArchiveFile=app-cds.jsa, from its own
# quarkus-app folder, as the archive names the class path relative to it), built by packaging it with
# -Dquarkus.package.jar.appcds.enabled=true (README, "Start to ready"); the script stops when either archive is
# missing (it builds none itself).
#
# The bare app (bench/bare, see shared docs PERFORMANCE.md: Quarkus 3.30.6, quarkus-rest-qute, hibernate-orm-panache,
# jdbc-postgresql, one entity, one page; built with its Maven profile "ready", which adds smallrye-health for its
# readiness, into bench/bare/target-ready/ when BARE_JAR is missing; BARE_JAR=none measures the service only). Its
# table is created in the schema "bare" of DB_NAME (BARE_JDBC_URL to point elsewhere).
#
# FEATURES=1: a third app, interleaved with the other two: the bare app with the framework features the issues
# require, configured as Portlink configures them (bench/bare, Maven profile "features": JSON logs, Micrometer with
# Prometheus, OpenTelemetry built in and off, health and metrics on a management port, Flyway migrating at start and
# Hibernate validating, Quartz on a clustered JDBC store with one job, the mailer, Hibernate Validator, REST Jackson,
# OpenAPI, security), still serving the one page; built into bench/bare/target-features/ when FEATURES_JAR is
# missing. It tells what those features cost the start from what Portlink's own code costs. Its tables are in the
# schema "features" of DB_NAME (its own Flyway history), its management port is FEATURES_PORT + 1000.
#
# Needs: java 17, psql, curl, wrk, PostgreSQL with trust auth at PGHOST:PGPORT. Ports PORT, MGMT_PORT and BARE_PORT
# free.
# Run from the repository root (builds only if target/quarkus-app/quarkus-run.jar is missing):
#   PORT=28170 bench/start.sh
# Output: a summary on stdout and in bench/results/start-summary-<date>.md; logs in bench/results/start-<date>/.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

DB_NAME=${DB_NAME:-portlink_start}
RUN_NAME=start
RUNS=${RUNS:-5}
READY_TIMEOUT=${READY_TIMEOUT:-600}   # seconds; a loaded machine needs minutes
POLL=${POLL:-0.01}                      # seconds between readiness polls
LOAD_SECONDS=${LOAD_SECONDS:-15}        # requests before "RSS after load"
FIRST_START=${FIRST_START:-1}           # 0: keep the database, skip the first-install start
BARE_JAR=${BARE_JAR:-$ROOT/bench/bare/target-ready/quarkus-app/quarkus-run.jar}
BARE_READY_PATH=${BARE_READY_PATH:-/q/health/ready}
FEATURES=${FEATURES:-0}
FEATURES_JAR=${FEATURES_JAR:-$ROOT/bench/bare/target-features/quarkus-app/quarkus-run.jar}

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
require_tools java psql curl wrk
BARE_PORT=${BARE_PORT:-$((PORT + 1))}
FEATURES_PORT=${FEATURES_PORT:-$((PORT + 2))}
FEATURES_MGMT_PORT=${FEATURES_MGMT_PORT:-$((FEATURES_PORT + 1000))}
BARE_JDBC_URL=${BARE_JDBC_URL:-jdbc:postgresql://$PGHOST:$PGPORT/$DB_NAME?currentSchema=bare}
SUMMARY="$RESULTS/start-summary-$STAMP.md"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"

if [[ ! -f "$JAR" ]]; then
    log "no $JAR: building"
    # shellcheck disable=SC2086
    (cd "$ROOT" && ./mvnw -B -q $MVN_ARGS package -DskipTests)
fi
if [[ "$BARE_JAR" == "$ROOT/bench/bare/target-ready/quarkus-app/quarkus-run.jar" && ! -f "$BARE_JAR" ]]; then
    log "no $BARE_JAR: building the bare app with its readiness (profile ready)"
    # shellcheck disable=SC2086
    (cd "$ROOT" && ./mvnw -B -q $MVN_ARGS -f bench/bare/pom.xml -Pready package -DskipTests)
fi
if [[ "$FEATURES" == 1 && "$FEATURES_JAR" == "$ROOT/bench/bare/target-features/quarkus-app/quarkus-run.jar" &&
    ! -f "$FEATURES_JAR" ]]; then
    log "no $FEATURES_JAR: building the bare app with the features (profile features)"
    # shellcheck disable=SC2086
    (cd "$ROOT" && ./mvnw -B -q $MVN_ARGS -f bench/bare/pom.xml -Pfeatures package -DskipTests)
fi
[[ "$FEATURES" != 1 || -f "$FEATURES_JAR" ]] || die "FEATURES=1 but no $FEATURES_JAR"
for p in "$PORT" "$MGMT_PORT" "$BARE_PORT" $([[ "$FEATURES" == 1 ]] && echo "$FEATURES_PORT $FEATURES_MGMT_PORT"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is already in use; set PORT / BARE_PORT"; fi
done

JAVA_OPTS=(-Xmx"$HEAP")
# shellcheck disable=SC2206
JAVA_OPTS+=($JAVA_EXTRA_OPTS)
APPCDS=${APPCDS:-0}
# How each app is started: env's options (its folder, with APPCDS=1), java's options beyond JAVA_OPTS, the jar.
P_ENV=()
B_ENV=()
CDS_NOTE=""
P_RUN=(-jar "$JAR")
B_RUN=(-jar "$BARE_JAR")
F_RUN=(-jar "$FEATURES_JAR")
if [[ "$APPCDS" == 1 ]]; then
    for jar in "$JAR" "$BARE_JAR"; do
        [[ "$jar" == none || -f "$(dirname "$jar")/app-cds.jsa" ]] ||
            die "APPCDS=1 but no $(dirname "$jar")/app-cds.jsa: package with -Dquarkus.package.jar.appcds.enabled=true"
    done
    P_ENV=(-C "$(dirname "$JAR")")
    B_ENV=(-C "$(dirname "$BARE_JAR")")
    P_RUN=(-XX:SharedArchiveFile=app-cds.jsa -jar "$(basename "$JAR")")
    B_RUN=(-XX:SharedArchiveFile=app-cds.jsa -jar "$(basename "$BARE_JAR")")
    [[ "$FEATURES" != 1 ]] || die "APPCDS=1 with FEATURES=1 is not supported"
    CDS_NOTE=", each app with its own AppCDS archive"
fi

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
now_ns() { date +%s%N; }

# launch KIND N: starts the service (KIND=portlink), the bare app (KIND=bare) or the bare app with the features
# (KIND=features) in the background; sets SVC_PID,
# T0 (ns, just before the launch), LOG_FILE and READY_URL.
launch() {
    LOG_FILE="$WORK/$1-$2.log"
    if [[ "$1" == portlink ]]; then
        READY_URL="$MGMT/q/health/ready"
        T0=$(now_ns)
        env "${P_ENV[@]}" QUARKUS_HTTP_PORT="$PORT" QUARKUS_MANAGEMENT_PORT="$MGMT_PORT" \
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
            java "${JAVA_OPTS[@]}" "${P_RUN[@]}" >"$LOG_FILE" 2>&1 &
    elif [[ "$1" == features ]]; then
        READY_URL="http://127.0.0.1:$FEATURES_MGMT_PORT/q/health/ready"
        T0=$(now_ns)
        env QUARKUS_HTTP_PORT="$FEATURES_PORT" QUARKUS_MANAGEMENT_PORT="$FEATURES_MGMT_PORT" \
            QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB_NAME?currentSchema=features" \
            QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
            java "${JAVA_OPTS[@]}" "${F_RUN[@]}" >"$LOG_FILE" 2>&1 &
    else
        READY_URL="http://127.0.0.1:$BARE_PORT$BARE_READY_PATH"
        T0=$(now_ns)
        env "${B_ENV[@]}" QUARKUS_HTTP_PORT="$BARE_PORT" \
            QUARKUS_DATASOURCE_JDBC_URL="$BARE_JDBC_URL" \
            QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
            java "${JAVA_OPTS[@]}" "${B_RUN[@]}" >"$LOG_FILE" 2>&1 &
    fi
    SVC_PID=$!
}

# wait_ready: polls READY_URL until 200; prints "wall_s cpu_s started_in_s rss_mb".
wait_ready() {
    local code cpu t1 started
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$READY_URL" 2>/dev/null || true)
        if [[ "$code" == 200 ]]; then
            t1=$(now_ns)
            cpu=$(proc_cpu "$SVC_PID")
            break
        fi
        kill -0 "$SVC_PID" 2>/dev/null || { tail -n 40 "$LOG_FILE" >&2; die "the process exited while starting"; }
        (($(now_ns) - T0 < READY_TIMEOUT * 1000000000)) || { tail -n 40 "$LOG_FILE" >&2; die "not ready"; }
        sleep "$POLL"
    done
    started=$(sed -n 's/.* started in \([0-9.]*\)s.*/\1/p' "$LOG_FILE" | head -n 1)
    echo "$(calc "($t1 - $T0) / 1e9") $cpu ${started:-?} $(rss_mb "$SVC_PID")"
}

stop() {
    kill "$SVC_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$SVC_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SVC_PID" 2>/dev/null || true
    wait "$SVC_PID" 2>/dev/null || true
    SVC_PID=""
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# ---------------------------------------------------------------------------------------------------------------
# 1. First start on an empty database
# ---------------------------------------------------------------------------------------------------------------
if [[ "$FIRST_START" == 1 ]]; then
    log "recreating database $DB_NAME"
    pg -d postgres -c "drop database if exists $DB_NAME with (force)" -c "create database $DB_NAME"
    launch portlink first
    FIRST=$(wait_ready)
    log "first start (empty database): $FIRST (wall s, CPU s, started in s, RSS MB)"
    stop
else
    FIRST="(skipped)"
fi

HAVE_BARE=0
if [[ -f "$BARE_JAR" ]]; then
    HAVE_BARE=1
    pg -d "$DB_NAME" -c "set client_min_messages = warning" -c "create schema if not exists bare" \
        -c "create table if not exists bare.bare_link (id bigint primary key, token_hash varchar(64) not null unique,
            reference varchar(40), vendor_name text, title text, due_date date, amount numeric(12, 2),
            open_count integer not null default 0)"
else
    log "no bare app at $BARE_JAR: measuring the service only"
fi

# ---------------------------------------------------------------------------------------------------------------
# 2. Restarts, interleaved with the bare app
# ---------------------------------------------------------------------------------------------------------------
LOAD_BEFORE=$(loadavg)
: >"$WORK/portlink.txt"
: >"$WORK/bare.txt"
: >"$WORK/features.txt"
for i in $(seq 1 "$RUNS"); do
    launch portlink "$i"
    r=$(wait_ready)
    stop
    echo "$r" >>"$WORK/portlink.txt"
    log "portlink $i: $r (load $(loadavg))"
    if [[ "$HAVE_BARE" == 1 ]]; then
        launch bare "$i"
        r=$(wait_ready)
        stop
        echo "$r" >>"$WORK/bare.txt"
        log "bare     $i: $r"
    fi
    if [[ "$FEATURES" == 1 ]]; then
        launch features "$i"
        r=$(wait_ready)
        stop
        echo "$r" >>"$WORK/features.txt"
        log "features $i: $r"
    fi
done
LOAD_AFTER=$(loadavg)

col() { awk -v c="$2" '{ print $c }' "$1" | median; }
P_WALL=$(col "$WORK/portlink.txt" 1)
P_CPU=$(col "$WORK/portlink.txt" 2)
P_STARTED=$(col "$WORK/portlink.txt" 3)
P_RSS=$(col "$WORK/portlink.txt" 4)
if [[ "$HAVE_BARE" == 1 ]]; then
    B_WALL=$(col "$WORK/bare.txt" 1)
    B_CPU=$(col "$WORK/bare.txt" 2)
    B_STARTED=$(col "$WORK/bare.txt" 3)
    B_RSS=$(col "$WORK/bare.txt" 4)
    R_WALL=$(calc "$P_WALL / $B_WALL")
    R_CPU=$(calc "$P_CPU / $B_CPU")
fi
if [[ "$FEATURES" == 1 ]]; then
    F_WALL=$(col "$WORK/features.txt" 1)
    F_CPU=$(col "$WORK/features.txt" 2)
    F_STARTED=$(col "$WORK/features.txt" 3)
    F_RSS=$(col "$WORK/features.txt" 4)
    RF_WALL=$(calc "$P_WALL / $F_WALL")
    RF_CPU=$(calc "$P_CPU / $F_CPU")
    if [[ "$HAVE_BARE" == 1 ]]; then
        FB_WALL=$(calc "$F_WALL / $B_WALL")
        FB_CPU=$(calc "$F_CPU / $B_CPU")
    fi
fi

# ---------------------------------------------------------------------------------------------------------------
# 3. RSS after load
# ---------------------------------------------------------------------------------------------------------------
launch portlink load
wait_ready >/dev/null
cat >"$WORK/load.lua" <<EOF
local paths = { "/app/login", "/api/v1/purchase-orders?size=20" }
local n = 0
request = function()
    n = n + 1
    return wrk.format("GET", paths[n % #paths + 1], { ["Authorization"] = "Bearer $API_KEY" })
end
EOF
wrk -t1 -c8 -d"${LOAD_SECONDS}s" -s "$WORK/load.lua" "$BASE" >"$WORK/wrk-load.txt" 2>&1 || true
LOAD_RPS=$(awk '/Requests\/sec/ { print $2 }' "$WORK/wrk-load.txt")
LOAD_RSS=$(rss_mb "$SVC_PID")
LOAD_HWM=$(hwm_mb "$SVC_PID")
stop

{
    echo "# Start to ready ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before $LOAD_BEFORE, after $LOAD_AFTER)"
    echo
    echo "JVM options: ${JAVA_OPTS[*]}${CDS_NOTE}; median of $RUNS starts each, interleaved; ready = GET /q/health/ready 200"
    echo
    echo "| | start to ready (s) | CPU-s until ready | \"started in\" (s) | RSS at ready (MB) |"
    echo "|---|---|---|---|---|"
    echo "| Portlink, restart | $P_WALL | $P_CPU | $P_STARTED | $P_RSS |"
    if [[ "$HAVE_BARE" == 1 ]]; then
        echo "| bare app | $B_WALL | $B_CPU | $B_STARTED | $B_RSS |"
        echo "| ratio | **$R_WALL** | **$R_CPU** | | |"
    fi
    if [[ "$FEATURES" == 1 ]]; then
        echo "| bare app with the features | $F_WALL | $F_CPU | $F_STARTED | $F_RSS |"
        echo "| Portlink / bare app with the features | **$RF_WALL** | **$RF_CPU** | | |"
        if [[ "$HAVE_BARE" == 1 ]]; then
            echo "| bare app with the features / bare app | **$FB_WALL** | **$FB_CPU** | | |"
        fi
    fi
    echo
    echo "First start on an empty database (wall s, CPU s, started in s, RSS MB): $FIRST"
    echo
    echo "RSS after ${LOAD_SECONDS}s of load ($LOAD_RPS req/s: sign-in page, API order list): $LOAD_RSS MB (peak $LOAD_HWM MB)"
    echo
    echo "Each start (wall s, CPU s, started in s, RSS MB): Portlink $(paste -sd';' "$WORK/portlink.txt")"
    if [[ "$HAVE_BARE" == 1 ]]; then echo "bare $(paste -sd';' "$WORK/bare.txt")"; fi
    if [[ "$FEATURES" == 1 ]]; then echo "features $(paste -sd';' "$WORK/features.txt")"; fi
} | tee "$SUMMARY"
