#!/usr/bin/env bash
# The proof that scheduled jobs run once per slot on a cluster (README "Jobs on a cluster"): three instances of the
# packaged service on one fresh PostgreSQL database, short job intervals, one instance killed with SIGKILL while it
# runs a job; then, from the job_run table: slots per job, finished runs per slot (must be exactly 1), the killed
# slot run again on another instance. Exits non-zero on a doubled or missed slot, or when the killed slot was not run
# again.
#
# To have a run worth killing, the mail delivery job gets MAILS mails to send through a local SMTP server that takes
# SMTP_DELAY seconds to accept each one; the script kills whichever instance holds a delivery run recorded as started
# and not finished. Nothing in the service is slowed down for this.
#
#   bench/cluster.sh                 # defaults below; every setting can be given in the environment
#   AFTER=60 MAILS=8 bench/cluster.sh
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DB_NAME=${DB_NAME:-portlink_cluster}
RUN_NAME=cluster
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

PORTS=(${PORTS:-$PORT $((PORT + 1)) $((PORT + 2))})
SMTP_PORT=${SMTP_PORT:-$((PORT + 25))}
SMTP_DELAY=${SMTP_DELAY:-3}       # seconds the SMTP server takes to accept one mail
MAILS=${MAILS:-5}                 # mails queued for the delivery run that is killed
OUTBOX_EVERY=${OUTBOX_EVERY:-2}   # seconds between mail delivery slots
OTHER_EVERY=${OTHER_EVERY:-5}     # seconds between reminder and lateness scan slots
AFTER=${AFTER:-45}                # seconds the two survivors run on after the killed slot ran again
HEAP=${HEAP:-256m}

require_tools psql curl python3 java

JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
if [[ ! -f "$JAR" ]]; then
    log "no $JAR: building"
    # shellcheck disable=SC2086
    (cd "$ROOT" && ./mvnw -B -q $MVN_ARGS package -DskipTests)
fi
for port in "${PORTS[@]}" "$SMTP_PORT" $(for p in "${PORTS[@]}"; do echo $((p + 1000)); done); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port is already in use; set PORT (instances use PORT, PORT+1, PORT+2, their management interfaces each port+1000, SMTP PORT+25)"
    fi
done

declare -A PIDS=()
SMTP_PID=""
stop_all() {
    local port pid
    for port in "${!PIDS[@]}"; do
        pid=${PIDS[$port]}
        kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null || true
    done
    for port in "${!PIDS[@]}"; do
        pid=${PIDS[$port]}
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
    done
    [[ -n "$SMTP_PID" ]] && kill "$SMTP_PID" 2>/dev/null || true
}
trap 'stop_all; cleanup' EXIT

# A slow SMTP server: accepts every mail, SMTP_DELAY seconds after its data.
cat >"$WORK/slow-smtp.py" <<'PY'
import socketserver, sys, time
delay = float(sys.argv[2])
class Session(socketserver.StreamRequestHandler):
    def handle(self):
        say = lambda text: (self.wfile.write((text + "\r\n").encode()), self.wfile.flush())
        say("220 slow-smtp")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode(errors="replace").strip().upper()
            if verb.startswith("EHLO"):
                self.wfile.write(b"250-slow-smtp\r\n250 8BITMIME\r\n"); self.wfile.flush()
            elif verb.startswith("DATA"):
                say("354 go on")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                time.sleep(delay)
                say("250 taken")
                print("taken", flush=True)
            elif verb.startswith("QUIT"):
                say("221 bye"); return
            else:
                say("250 ok")
class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
Server(("127.0.0.1", int(sys.argv[1])), Session).serve_forever()
PY
python3 "$WORK/slow-smtp.py" "$SMTP_PORT" "$SMTP_DELAY" >"$WORK/smtp.log" 2>&1 &
SMTP_PID=$!

log "recreating database $DB_NAME"
pg -d postgres -c "drop database if exists $DB_NAME with (force)" -c "create database $DB_NAME"
sql() { pg -d "$DB_NAME" -At -F ' ' -c "$1"; }

# start PORT: one instance, its Quartz instance id node-PORT (production leaves it AUTO: host name and start time), its
# management interface (health, metrics, jobs) on PORT + 1000.
start() {
    env QUARKUS_HTTP_PORT="$1" QUARKUS_MANAGEMENT_PORT="$(($1 + 1000))" \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB_NAME" \
        QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
        QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY="$SESSION_KEY" \
        QUARKUS_QUARTZ_INSTANCE_ID="node-$1" \
        PORTLINK_PUBLIC_BASE_URL="http://127.0.0.1:$1" \
        PORTLINK_BOOTSTRAP_ORGANIZATION="Cluster Bench Ltd" \
        PORTLINK_BOOTSTRAP_ADMIN_EMAIL="admin@cluster.example" \
        PORTLINK_BOOTSTRAP_ADMIN_PASSWORD="plum-orbit-lantern-42" \
        QUARKUS_MAILER_HOST=127.0.0.1 QUARKUS_MAILER_PORT="$SMTP_PORT" QUARKUS_MAILER_FROM="portlink@bench.example" \
        PORTLINK_OUTBOX_EVERY="${OUTBOX_EVERY}s" PORTLINK_OUTBOX_LEASE=5s \
        PORTLINK_REMINDERS_EVERY="${OTHER_EVERY}s" PORTLINK_DELAYS_EVERY="${OTHER_EVERY}s" \
        PORTLINK_ACCESS_LOG_ENABLED=false \
        java -Xmx"$HEAP" $JAVA_EXTRA_OPTS -jar "$JAR" >"$WORK/node-$1.log" 2>&1 &
    PIDS[$1]=$!
}
await_ready() {
    local started
    started=$(date +%s)
    until curl -fsS -o /dev/null "http://127.0.0.1:$(($1 + 1000))/q/health/ready" 2>/dev/null; do
        kill -0 "${PIDS[$1]}" 2>/dev/null || { tail -n 30 "$WORK/node-$1.log" >&2; die "node-$1 exited while starting"; }
        (($(date +%s) - started < READY_TIMEOUT)) || die "node-$1 not ready after ${READY_TIMEOUT}s"
        sleep 0.5
    done
    log "node-$1 ready (pid ${PIDS[$1]})"
}

# The first instance migrates the database and creates the organisation; the others join it.
start "${PORTS[0]}"
await_ready "${PORTS[0]}"
start "${PORTS[1]}"
start "${PORTS[2]}"
await_ready "${PORTS[1]}"
await_ready "${PORTS[2]}"
sleep "$OTHER_EVERY"
log "cluster: $(sql "select string_agg(instance_name, ', ' order by instance_name) from qrtz_scheduler_state")"

log "queueing $MAILS mails for a slow SMTP server (${SMTP_DELAY}s each)"
sql "insert into outbox_message (id, organization_id, channel, kind, message_id, recipient, subject, body_text,
         status, attempts, next_attempt_at, created_at)
     select 900000000 + i, (select min(id) from organization), 'MAIL', 'BENCH', '<cluster-' || i || '@bench.example>',
            'vendor' || i || '@bench.example', 'Cluster bench ' || i, 'Mail ' || i, 'PENDING', 0, now(), now()
     from generate_series(1, $MAILS) i" >/dev/null

# The delivery run that has been sending for more than one mail's time: kill its instance.
victim=""
for _ in $(seq 1 120); do
    victim=$(sql "select instance || ' ' || to_char(slot at time zone 'UTC', 'HH24:MI:SS.MS') || ' ' || id
                  from job_run where job = 'outbox-delivery' and finished_at is null
                  and started_at < now() - interval '$((SMTP_DELAY + 1)) seconds' order by id limit 1")
    [[ -n "$victim" ]] && break
    sleep 0.25
done
[[ -n "$victim" ]] || die "no delivery run was seen in progress"
read -r victim_node killed_slot killed_id <<<"$victim"
victim_port=${victim_node#node-}
log "killing $victim_node (pid ${PIDS[$victim_port]}) with SIGKILL while it runs outbox-delivery, slot $killed_slot"
kill -9 "${PIDS[$victim_port]}"
killed_at=$(date +%s)
unset "PIDS[$victim_port]"

rerun=""
for _ in $(seq 1 240); do
    rerun=$(sql "select instance || ' ' || round(extract(epoch from finished_at - (select started_at from job_run
                  where id = $killed_id)))::int from job_run where job = 'outbox-delivery' and id <> $killed_id
                  and slot = (select slot from job_run where id = $killed_id) and finished_at is not null")
    [[ -n "$rerun" ]] && break
    sleep 0.5
done
[[ -n "$rerun" ]] || die "the killed slot was not run again within 2 minutes"
recovered_s=$(($(date +%s) - killed_at))
log "the killed slot ran again on ${rerun%% *}, finished ${recovered_s}s after the kill; running on for ${AFTER}s"
sleep "$AFTER"
log "stopping the survivors (SIGTERM)"
stop_all
PIDS=()

echo
echo "== Jobs on a cluster: 3 instances, $victim_node killed (SIGKILL) during outbox-delivery slot $killed_slot UTC =="
sql "select 'mails sent: ' || count(*) filter (where status = 'SENT') || ' of $MAILS, still pending: '
            || count(*) filter (where status = 'PENDING') from outbox_message where kind = 'BENCH'"
echo
printf '%-26s %6s %6s %9s %9s %8s %8s %6s\n' job slots runs finished unfinish doubled missed gaps
# Per job: slots seen, rows, finished rows, unfinished rows, slots with more than one finished run, slots with none,
# and slots missing from the schedule (gaps between consecutive slots longer than the job's interval).
EVERY="every(job, seconds) as (values ('outbox-delivery', $OUTBOX_EVERY), ('reminders', $OTHER_EVERY),
                                   ('lateness', $OTHER_EVERY), ('sign-in-counters-cleanup', 3600))"
SLOTS="s as (select job, slot, count(*) runs, count(finished_at) finished from job_run group by job, slot),
       g as (select job, extract(epoch from slot - lag(slot) over (partition by job order by slot)) gap from s),
       m as (select g.job, sum(round(gap / e.seconds) - 1) missing from g join every e on e.job = g.job
             where gap is not null group by g.job)"
sql "with $EVERY, $SLOTS
     select s.job, count(*), sum(runs), sum(finished), sum(runs - finished), count(*) filter (where finished > 1),
            count(*) filter (where finished = 0), coalesce(max(m.missing), 0)
     from s left join m on m.job = s.job group by s.job order by s.job" |
    while read -r job slots runs fin unf dbl mis gaps; do
        printf '%-26s %6s %6s %9s %9s %8s %8s %6s\n' "$job" "$slots" "$runs" "$fin" "$unf" "$dbl" "$mis" "$gaps"
    done
echo
echo "runs per instance:"
sql "select '  ' || instance || ': ' || count(*) || ' runs (' || count(*) filter (where recovering) || ' recovering)'
     from job_run group by instance order by instance"
echo "the killed slot $killed_slot (outbox-delivery):"
sql "select '  ' || instance || ' started ' || to_char(started_at at time zone 'UTC', 'HH24:MI:SS') || ', '
            || coalesce('finished ' || to_char(finished_at at time zone 'UTC', 'HH24:MI:SS') || ' ' || outcome
                        || coalesce(' (' || counts || ')', ''), 'never finished (killed)')
            || case when recovering then ', recovering' else '' end
     from job_run where job = 'outbox-delivery' and slot = (select slot from job_run where id = $killed_id) order by id"
echo "the killed slot finished on another instance ${recovered_s}s after the kill"
echo "mails the SMTP server took: $(grep -c '^taken' "$WORK/smtp.log" || true) for $MAILS queued (a mail the killed run" \
    "was sending goes out again: delivery is at least once)"
echo "second fires of a slot that had run, skipped: $(cat "$WORK"/node-*.log | grep -c 'already ran; this second fire' || true)"

bad=$(sql "with $EVERY, $SLOTS select count(*) from s where finished <> 1")
gaps=$(sql "with $EVERY, $SLOTS select coalesce(sum(missing), 0) from m")
rerun_elsewhere=$(sql "select count(*) from job_run where job = 'outbox-delivery' and id <> $killed_id
                       and slot = (select slot from job_run where id = $killed_id) and finished_at is not null
                       and instance <> '$victim_node'")
echo
if [[ "$bad" != 0 || "$gaps" != 0 || "$rerun_elsewhere" != 1 ]]; then
    echo "FAILED: $bad slot(s) without exactly one finished run, $gaps slot(s) missing from the schedule," \
        "killed slot finished $rerun_elsewhere time(s) elsewhere (logs: $WORK)"
    exit 1
fi
echo "OK: every slot ran exactly once to the end, none was missed, the killed slot ran again elsewhere (logs: $WORK)"
