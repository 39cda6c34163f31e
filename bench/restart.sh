#!/usr/bin/env bash
# The proof that Portlink restarts without losing anything (README "Restarts under load"): two instances of the
# packaged service on one fresh PostgreSQL database behind HAProxy, a local SMTP server and webhook receiver, and an
# open-loop load at a fixed rate (vendor and tracking pages, vendor form posts, API order creation that queues mails)
# plus webhooks queued every second. Instance A, then B, is stopped with SIGTERM, waited for, started again and
# waited for, twice, while the load goes on. Then it counts: failed requests (a connection error, a timeout or an
# unexpected status), mails and webhooks queued against those received (lost, duplicated), and the job slots in
# job_run (missed, doubled, unfinished). Exits non-zero on any of them.
#
#   bench/restart.sh                       # defaults below; every setting can be given in the environment
#   RATE_GET=80 ROUNDS=3 bench/restart.sh
#
# Needs: java 17, psql, curl, python3, haproxy (apt-get install -y haproxy). Builds the jar once if it is missing
# (BUILD=1 rebuilds it). Drops and recreates DB_NAME. Ports: PORT (A), PORT+1 (B), PORT+2 (SMTP), PORT+3 (webhooks),
# PORT+8 (HAProxy stats), PORT+9 (HAProxy), and the management ports PORT+1000, PORT+1001.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DB_NAME=${DB_NAME:-portlink_restart}
RUN_NAME=restart
PORT=${PORT:-28130}
HEAP=${HEAP:-256m}
READY_TIMEOUT=${READY_TIMEOUT:-300}   # a start on a busy shared machine can take minutes
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

PORT_A=$PORT
PORT_B=$((PORT + 1))
SMTP_PORT=$((PORT + 2))
HOOK_PORT=$((PORT + 3))
STATS_PORT=$((PORT + 8))
LB_PORT=$((PORT + 9))
LB="http://127.0.0.1:$LB_PORT"
RATE_GET=${RATE_GET:-20}        # vendor + tracking page GETs per second
RATE_POST=${RATE_POST:-2}       # vendor form posts per second (each a GET of the order's page, then the POST)
RATE_API=${RATE_API:-1}         # API order creations per second (each queues a mail to the vendor)
HOOKS_PER_S=${HOOKS_PER_S:-2}   # webhooks queued per second
ORDERS=${ORDERS:-120}           # orders made before the load (their vendor links are loaded and posted to)
SHIPMENTS=${SHIPMENTS:-30}      # shipments with tracking links made before the load
ROUNDS=${ROUNDS:-2}             # times each instance is restarted
WARMUP=${WARMUP:-20}            # seconds of load before the first restart
SETTLE=${SETTLE:-10}            # seconds of load on both instances between two restarts and after the last
SHUTDOWN_DELAY=${SHUTDOWN_DELAY:-3s}  # readiness DOWN, still serving (HAProxy checks every 500 ms, down after 2)
OUTBOX_EVERY=${OUTBOX_EVERY:-2}       # seconds between delivery slots
OTHER_EVERY=${OTHER_EVERY:-5}         # seconds between the other jobs' slots
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-120}
# How long a request waits for a database connection (Quarkus: 5s). On a shared machine whose load average is far
# above its cores, opening a PostgreSQL connection alone can take longer, and a start then fails in Flyway.
ACQUISITION_TIMEOUT=${ACQUISITION_TIMEOUT:-30s}

# Where readiness is asked: the one place to change when /q/health moves. `main`: on the service's own port;
# `management`: on the management interface (quarkus.management.port, PORT+1000 here); `auto`: whichever answers
# on the first instance (the management port first).
HEALTH=${HEALTH:-auto}
MGMT_OFFSET=1000
health_port() { if [[ "$HEALTH" == management ]]; then echo $(($1 + MGMT_OFFSET)); else echo "$1"; fi; }
ready_url() { echo "http://127.0.0.1:$(health_port "$1")/q/health/ready"; }

require_tools java psql curl python3 haproxy

JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
if [[ ! -f "$JAR" || "${BUILD:-0}" == 1 ]]; then
    log "building the jar"
    # shellcheck disable=SC2086
    (cd "$ROOT" && ./mvnw -B -q $MVN_ARGS package -DskipTests)
fi
for port in "$PORT_A" "$PORT_B" "$SMTP_PORT" "$HOOK_PORT" "$STATS_PORT" "$LB_PORT" $((PORT_A + MGMT_OFFSET)) \
    $((PORT_B + MGMT_OFFSET)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port is already in use; set PORT (this uses PORT..PORT+9 and PORT+1000, PORT+1001)"
    fi
done

declare -A PIDS=()
HELPER_PIDS=()
stop_all() {
    local name pid
    touch "$WORK/stop"
    for pid in "${HELPER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for name in "${!PIDS[@]}"; do kill "${PIDS[$name]}" 2>/dev/null || true; done
    for name in "${!PIDS[@]}"; do
        pid=${PIDS[$name]}
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
    done
    PIDS=()
}
trap 'stop_all; cleanup' EXIT

python3 "$HERE/restart_sinks.py" "$SMTP_PORT" "$HOOK_PORT" "$WORK" >"$WORK/sinks.log" 2>&1 &
HELPER_PIDS+=($!)

log "recreating database $DB_NAME"
pg -d postgres -c "drop database if exists $DB_NAME with (force)" -c "create database $DB_NAME"
sql() { pg -d "$DB_NAME" -At -F ' ' -c "$1"; }

port_of() { if [[ "$1" == a ]]; then echo "$PORT_A"; else echo "$PORT_B"; fi; }

# start NAME: instance a or b, its Quartz instance id node-NAME, its own management port.
start() {
    local port
    port=$(port_of "$1")
    env QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT=$((port + MGMT_OFFSET)) \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB_NAME" \
        QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
        QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT="$ACQUISITION_TIMEOUT" \
        QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY="$SESSION_KEY" \
        QUARKUS_QUARTZ_INSTANCE_ID="node-$1" \
        QUARKUS_SHUTDOWN_DELAY="$SHUTDOWN_DELAY" \
        PORTLINK_PUBLIC_BASE_URL="$LB" \
        PORTLINK_BOOTSTRAP_ORGANIZATION="Restart Bench Ltd" \
        PORTLINK_BOOTSTRAP_ADMIN_EMAIL="admin@restart.example" \
        PORTLINK_BOOTSTRAP_ADMIN_PASSWORD="plum-orbit-lantern-42" \
        PORTLINK_BOOTSTRAP_API_KEY="$API_KEY" \
        PORTLINK_TRUSTED_PROXIES=127.0.0.1 \
        QUARKUS_MAILER_HOST=127.0.0.1 QUARKUS_MAILER_PORT="$SMTP_PORT" QUARKUS_MAILER_FROM="portlink@bench.example" \
        PORTLINK_WEBHOOKS_ALLOW_LOCAL=true \
        PORTLINK_OUTBOX_EVERY="${OUTBOX_EVERY}s" \
        PORTLINK_REMINDERS_EVERY="${OTHER_EVERY}s" PORTLINK_DELAYS_EVERY="${OTHER_EVERY}s" \
        PORTLINK_LINK_EXPIRY_EVERY="${OTHER_EVERY}s" PORTLINK_NOTICES_DIGEST_EVERY="${OTHER_EVERY}s" \
        PORTLINK_DROPSHIP_SYNC_EVERY="${OTHER_EVERY}s" \
        PORTLINK_ACCESS_LOG_ENABLED=false \
        java -Xmx"$HEAP" $JAVA_EXTRA_OPTS -jar "$JAR" >>"$WORK/node-$1.log" 2>&1 &
    PIDS[$1]=$!
}
await_ready() {
    local started
    started=$(date +%s)
    until curl -fsS -o /dev/null "$(ready_url "$(port_of "$1")")" 2>/dev/null; do
        kill -0 "${PIDS[$1]}" 2>/dev/null || { tail -n 30 "$WORK/node-$1.log" >&2; die "node-$1 exited while starting"; }
        (($(date +%s) - started < READY_TIMEOUT)) || die "node-$1 not ready after ${READY_TIMEOUT}s"
        sleep 0.25
    done
}
# lb_state NAME: the server's state as HAProxy sees it (UP, DOWN, MAINT, ...).
lb_state() { curl -fsS "http://127.0.0.1:$STATS_PORT/stats;csv" 2>/dev/null | awk -F, -v s="$1" '$1 == "portlink" && $2 == s { print $18 }'; }
await_lb() { # NAME STATE
    local started
    started=$(date +%s)
    until [[ "$(lb_state "$1")" == "$2"* ]]; do
        (($(date +%s) - started < 60)) || die "HAProxy did not see node-$1 $2 within 60s"
        sleep 0.2
    done
}

# The first instance migrates the database and creates the organisation; the second joins it.
start a
if [[ "$HEALTH" == auto ]]; then
    started=$(date +%s)
    until [[ "$HEALTH" != auto ]]; do
        if curl -fsS -o /dev/null "http://127.0.0.1:$((PORT_A + MGMT_OFFSET))/q/health/ready" 2>/dev/null; then
            HEALTH=management
        elif curl -fsS -o /dev/null "http://127.0.0.1:$PORT_A/q/health/ready" 2>/dev/null; then
            HEALTH=main
        fi
        kill -0 "${PIDS[a]}" 2>/dev/null || { tail -n 30 "$WORK/node-a.log" >&2; die "node-a exited while starting"; }
        (($(date +%s) - started < READY_TIMEOUT)) || die "node-a not ready after ${READY_TIMEOUT}s"
        sleep 0.25
    done
fi
await_ready a
log "node-a ready (pid ${PIDS[a]}; readiness on the $HEALTH port: $(ready_url "$PORT_A"))"
start b
await_ready b
log "node-b ready (pid ${PIDS[b]})"

cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 4000
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout queue 10s
    # A request that could not reach an instance (refused, closed before an answer) or that it refused with 503
    # because it is stopping goes to the other one: no request reaches the application twice this way, and the
    # vendor forms and the order API are idempotent besides (the form's nonce, the order's reference).
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response 503
    default-server inter 500ms fall 2 rise 2
frontend portlink
    bind 127.0.0.1:$LB_PORT
    default_backend portlink
backend portlink
    balance roundrobin
    option httpchk GET /q/health/ready
    http-check expect status 200
    server a 127.0.0.1:$PORT_A check port $(health_port "$PORT_A")
    server b 127.0.0.1:$PORT_B check port $(health_port "$PORT_B")
listen stats
    bind 127.0.0.1:$STATS_PORT
    stats enable
    stats uri /stats
EOF
haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
HELPER_PIDS+=($!)
sleep 0.5
await_lb a UP
await_lb b UP
log "HAProxy on $LB: both instances UP"

api() { # METHOD PATH [JSON]: the answer's body; fails on a status >= 300
    local out code
    out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
        ${3:+--data-binary "$3"} "$LB$2") || die "curl $1 $2"
    code=${out##*$'\n'}
    ((code < 300)) || die "$1 $2 answered $code: ${out%$'\n'*}"
    printf '%s\n' "${out%$'\n'*}"
}
order_json() { # REFERENCE SEND
    printf '{"reference":"%s","vendor":{"name":"Vendor %s","email":"%s@vendor.example"},"lines":[{"sku":"HB-8","description":"Hex bolt M8","quantity":10,"unit":"pcs"}],"send":"%s"}' \
        "$1" "$1" "$(tr 'A-Z' 'a-z' <<<"$1")" "$2"
}
shipment_json() { # REFERENCE
    printf '{"reference":"%s","title":"Load %s","customer":{"name":"Customer %s","email":"%s@customer.example","language":"en"},"shipFrom":"Hafenstrasse 1, 20457 Hamburg","shipTo":"Rue de la Gare 5, 69002 Lyon"}' \
        "$1" "$1" "$1" "$(tr 'A-Z' 'a-z' <<<"$1")"
}
path_of() { sed -E 's#^https?://[^/]+##'; }

log "making $ORDERS orders (vendor links, each mailed) and $SHIPMENTS shipments with tracking links"
: >"$WORK/vendor.txt"
: >"$WORK/posts.txt"
for i in $(seq 1 "$ORDERS"); do
    ref=$(printf 'PO-R%05d' "$i")
    url=$(api POST /api/v1/purchase-orders "$(order_json "$ref" LINK_ONLY)" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["vendorLink"]["url"])' | path_of)
    echo "$url" >>"$WORK/vendor.txt"
    echo "$url $ref" >>"$WORK/posts.txt"
done
: >"$WORK/tracking.txt"
for i in $(seq 1 "$SHIPMENTS"); do
    ref=$(printf 'SH-R%05d' "$i")
    api POST /api/v1/shipments "$(shipment_json "$ref")" >/dev/null
    api POST "/api/v1/shipments/$ref/tracking-link" '{}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])' | path_of >>"$WORK/tracking.txt"
done
endpoint=$(api POST /api/v1/webhook-endpoints "{\"url\":\"http://127.0.0.1:$HOOK_PORT/hooks\",\"eventTypes\":[]}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
org=$(sql "select min(id) from organization")

# Webhooks, queued in the outbox as a feature queues them (the bench has no sales channel to make them).
queue_webhooks() {
    local n=0
    while [[ ! -e "$WORK/stop-load" ]]; do
        pg -d "$DB_NAME" -q -c "insert into outbox_message (id, organization_id, channel, kind, message_id, recipient,
                subject, body_text, webhook_endpoint_id, status, attempts, next_attempt_at, created_at)
            select nextval('outbox_message_seq'), $org, 'WEBHOOK', 'bench.tick',
                   'evt_bench_' || $n || '_' || i, 'http://127.0.0.1:$HOOK_PORT/hooks', 'bench.tick',
                   '{\"n\": ' || i || '}', $endpoint, 'PENDING', 0, now(), now()
            from generate_series(1, $HOOKS_PER_S) i" >/dev/null 2>>"$WORK/webhook-queue.log" ||
            echo "queueing failed at $(date +%T)" >>"$WORK/webhook-queue.log"
        n=$((n + 1))
        sleep 1
    done
}
# Orders through the API at RATE_API a second, each mailed (201; 200 if HAProxy retried one that was created).
create_orders() {
    local n=0 code
    while [[ ! -e "$WORK/stop-load" ]]; do
        n=$((n + 1))
        code=$(curl -sS -o /dev/null -w '%{http_code}' -m 30 -X POST -H "Authorization: Bearer $API_KEY" \
            -H 'Content-Type: application/json' --data-binary "$(order_json "$(printf 'PO-L%06d' "$n")" LINK_ONLY)" \
            "$LB/api/v1/purchase-orders" 2>>"$WORK/api-errors.log") || code=ERR
        echo "$(date +%T.%N | cut -c1-12) $code" >>"$WORK/api.log"
        sleep "$(calc "1 / $RATE_API")"
    done
}

cpu_before=$(total_cpu)
load_started=$(date +%s)
python3 "$HERE/restart_load.py" "$LB" "$WORK/vendor.txt" "$WORK/tracking.txt" "$WORK/posts.txt" "$WORK" \
    "$RATE_GET" "$RATE_POST" "$WORK/stop-load" >"$WORK/load.out" 2>"$WORK/load.err" &
LOAD_PID=$!
HELPER_PIDS+=("$LOAD_PID")
queue_webhooks &
HELPER_PIDS+=($!)
create_orders &
HELPER_PIDS+=($!)
log "load: $RATE_GET page GETs/s, $RATE_POST vendor posts/s, $RATE_API API orders/s, $HOOKS_PER_S webhooks/s; ${WARMUP}s before the first restart"
sleep "$WARMUP"

RESTARTS=()
for round in $(seq 1 "$ROUNDS"); do
    for node in a b; do
        pid=${PIDS[$node]}
        t0=$(date +%s.%N)
        kill -TERM "$pid"
        await_lb "$node" DOWN
        t_down=$(date +%s.%N)
        exit_code=0
        wait "$pid" || exit_code=$?
        t_exit=$(date +%s.%N)
        start "$node"
        await_ready "$node"
        t_ready=$(date +%s.%N)
        await_lb "$node" UP
        line=$(printf 'round %s node-%s: SIGTERM -> HAProxy DOWN %.1fs -> exit %.1fs (code %s) -> ready %.1fs -> HAProxy UP %.1fs' \
            "$round" "$node" "$(calc "$t_down - $t0")" "$(calc "$t_exit - $t0")" "$exit_code" \
            "$(calc "$t_ready - $t_exit")" "$(calc "$(date +%s.%N) - $t_exit")")
        RESTARTS+=("$line")
        log "$line"
        [[ "$exit_code" == 0 || "$exit_code" == 143 ]] || log "WARNING: node-$node exited with $exit_code"
        sleep "$SETTLE"
    done
done

touch "$WORK/stop-load"
wait "$LOAD_PID" || true
load_s=$(($(date +%s) - load_started))
cpu_used=$(calc "$(total_cpu) - $cpu_before")
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
log "load stopped after ${load_s}s: $(cat "$WORK/load.out")"

# HAProxy's retries and redispatches (a request it sent again, to the same or the other instance)
read -r lb_retries lb_redispatches <<<"$(curl -fsS "http://127.0.0.1:$STATS_PORT/stats;csv" |
    awk -F, '$1 == "portlink" && $2 == "BACKEND" { print $16 + 0, $17 + 0 }')"
log "waiting for the outbox to drain"
started=$(date +%s)
until [[ "$(sql "select count(*) from outbox_message where status = 'PENDING'")" == 0 ]]; do
    (($(date +%s) - started < DRAIN_TIMEOUT)) || { log "outbox not drained after ${DRAIN_TIMEOUT}s"; break; }
    sleep 1
done
sleep 1
log "stopping both instances (SIGTERM)"
for node in a b; do kill -TERM "${PIDS[$node]}" 2>/dev/null || true; done
for node in a b; do wait "${PIDS[$node]}" 2>/dev/null || true; done
PIDS=()

# ---------------------------------------------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------------------------------------------
api_total=$(wc -l <"$WORK/api.log")
api_failed=$(awk '$2 != 201 && $2 != 200' "$WORK/api.log" | wc -l)
read -r load_requests load_failed <<<"$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["requests"], s["failed"])' "$WORK/summary.json")"
requests=$((load_requests + api_total))
failed=$((load_failed + api_failed))

# deliveries: queued ids (the outbox) against received ids (the sinks)
count_channel() { # CHANNEL RECEIVED_FILE -> "queued sent pending dead received lost duplicated unknown"
    sql "select message_id || ' ' || status from outbox_message where channel = '$1'" >"$WORK/queued-$1.txt"
    python3 - "$WORK/queued-$1.txt" "$2" <<'PY'
import collections, sys
queued = dict(line.rsplit(" ", 1) for line in open(sys.argv[1]).read().split("\n") if line.strip())
received = collections.Counter(l.strip() for l in open(sys.argv[2]) if l.strip())
statuses = collections.Counter(queued.values())
lost = [m for m in queued if received[m] == 0]
dup = [m for m, n in received.items() if n > 1]
unknown = [m for m in received if m not in queued]
print(len(queued), statuses["SENT"], statuses["PENDING"], statuses["DEAD"], sum(received.values()), len(lost),
      len(dup), len(unknown))
PY
}
touch "$WORK/mails-received.txt" "$WORK/webhooks-received.txt"
read -r m_queued m_sent m_pending m_dead m_received m_lost m_dup m_unknown <<<"$(count_channel MAIL "$WORK/mails-received.txt")"
read -r w_queued w_sent w_pending w_dead w_received w_lost w_dup w_unknown <<<"$(count_channel WEBHOOK "$WORK/webhooks-received.txt")"

# job slots: per job, slots, runs, finished, unfinished, doubled, without a finished run, missing from the schedule
EVERY="every(job, seconds) as (values ('outbox-delivery', $OUTBOX_EVERY), ('reminders', $OTHER_EVERY),
                                   ('lateness', $OTHER_EVERY), ('link-expiry', $OTHER_EVERY),
                                   ('buyer-digests', $OTHER_EVERY), ('dropship-sync', $OTHER_EVERY))"
SLOTS="s as (select job, slot, count(*) runs, count(finished_at) finished from job_run group by job, slot),
       g as (select job, extract(epoch from slot - lag(slot) over (partition by job order by slot)) gap from s),
       m as (select g.job, sum(greatest(round(gap / e.seconds) - 1, 0)) missing from g join every e on e.job = g.job
             where gap is not null group by g.job)"
JOBS=$(sql "with $EVERY, $SLOTS
     select s.job, count(*), sum(runs), sum(finished), sum(runs - finished), count(*) filter (where finished > 1),
            count(*) filter (where finished = 0), coalesce(max(m.missing), 0),
            coalesce((select string_agg(distinct instance, ',') from job_run r where r.job = s.job), '')
     from s left join m on m.job = s.job group by s.job order by s.job")
slots_doubled=$(sql "with $EVERY, $SLOTS select count(*) from s where finished > 1")
slots_unfinished=$(sql "with $EVERY, $SLOTS select count(*) from s where finished = 0")
slots_missed=$(sql "with $EVERY, $SLOTS select coalesce(sum(missing), 0) from m")
slots_total=$(sql "with $EVERY, $SLOTS select count(*) from s")
skipped=$(cat "$WORK"/node-*.log | grep -c 'already ran; this second fire' || true)
released=$(cat "$WORK"/node-*.log | grep -c 'its claim is released' || true)
errors=$(cat "$WORK"/node-*.log | grep -c ' ERROR ' || true)

{
    echo "== Restarts under load: 2 instances behind HAProxy, each restarted $ROUNDS times (SIGTERM, wait, start) =="
    echo "load ${load_s}s: $RATE_GET page GETs/s + $RATE_POST vendor posts/s + $RATE_API API orders/s, $HOOKS_PER_S webhooks/s queued;" \
        "load average $loadavg; machine CPU $(printf '%.0f' "$cpu_used") s"
    for line in "${RESTARTS[@]}"; do echo "  $line"; done
    echo
    echo "requests: $requests, failed: $failed (pages and posts $load_requests/$load_failed, API orders $api_total/$api_failed);" \
        "HAProxy retried $lb_retries and redispatched $lb_redispatches"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("  by kind:", s["counts"]); print("  latency ms:", s["latency_ms"])' "$WORK/summary.json"
    echo "mails:    queued $m_queued, sent $m_sent, pending $m_pending, dead $m_dead; received $m_received: lost $m_lost, duplicated $m_dup, unknown $m_unknown"
    echo "webhooks: queued $w_queued, sent $w_sent, pending $w_pending, dead $w_dead; received $w_received: lost $w_lost, duplicated $w_dup, unknown $w_unknown"
    echo "job slots: $slots_total; doubled $slots_doubled, without a finished run $slots_unfinished, missed $slots_missed" \
        "(second fires skipped by the slot guard: $skipped; deliveries released by a stop: $released; ERROR log lines: $errors)"
    printf '  %-26s %6s %6s %9s %9s %8s %8s %6s  %s\n' job slots runs finished unfinish doubled missed gaps instances
    while read -r job slots runs fin unf dbl mis gaps inst; do
        printf '  %-26s %6s %6s %9s %9s %8s %8s %6s  %s\n' "$job" "$slots" "$runs" "$fin" "$unf" "$dbl" "$mis" "$gaps" "$inst"
    done <<<"$JOBS"
} | tee "$WORK/result.txt"

if ((failed > 0)); then
    echo "failed requests:"
    python3 -c 'import json,sys; [print("  " + f) for f in json.load(open(sys.argv[1]))["failures"][:20]]' "$WORK/summary.json"
    awk '$2 != 201 && $2 != 200 { print "  api " $0 }' "$WORK/api.log" | head -n 20
fi
echo
if ((failed + m_lost + m_dup + w_lost + w_dup + slots_doubled + slots_unfinished + slots_missed > 0)) ||
    ((m_pending + w_pending > 0)); then
    echo "FAILED: something was lost, doubled or refused (logs: $WORK)"
    exit 1
fi
echo "OK: 0 failed requests, 0 lost or duplicated mails and webhooks, 0 missed or doubled job slots (logs: $WORK)"
