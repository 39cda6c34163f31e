#!/usr/bin/env bash
# Portlink benchmark of the live tracking page GET /t/{token} while positions stream in (JVM mode, packaged prod
# build, local PostgreSQL).
#
# 1. TOKENS shipments made through the API, each with a pickup and a delivery stop (windows, coordinates), stage
#    In transit and a tracking link: every page shows origin, destination, windows, history, the computed ETA and the
#    distance left.
# 2. A position stream: STREAM_CLIENTS clients post batches of BATCH_SIZE positions to those shipments round-robin,
#    paced at STREAM_RATE positions/s in all (0: no pause) for the whole run (each batch moves the shipment's latest
#    position and recomputes its ETA). 1,000 positions/s is 60,000 vehicles reporting once a minute.
# 3. Meanwhile GET /t/{token} at a fixed RATE (WARMUP s, then DURATION s measured) over the links with a phone's
#    User-Agent (bench/page.lua): throughput, p50/p90/p99, errors; positions stored per second during the run.
#
# Needs: java 17, psql, curl, python3, jcmd (JDK), wrk. Drops and recreates DB_NAME. Port PORT must be free.
#   bench/tracking-live.sh
#   RATE=300 STREAM_CLIENTS=1 bench/tracking-live.sh
# Output: a summary table on stdout and in bench/results/tracking-live-<date>.md; raw files beside it.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

DB_NAME=${DB_NAME:-portlink_bench_tracking_live}
RUN_NAME=tracking-live
TOKENS=${TOKENS:-200}                   # shipments with stops and a tracking link (the page test goes round them)
BATCH_SIZE=${BATCH_SIZE:-100}           # positions per streamed batch
STREAM_CLIENTS=${STREAM_CLIENTS:-2}     # position batches in flight at once
STREAM_RATE=${STREAM_RATE:-1000}        # positions per second, all clients together (0: as fast as they go)
WARMUP=${WARMUP:-30}                    # seconds at RATE before measuring
PROFILE=${PROFILE:-0}                   # 1: record a JFR profile of the measured run (profile.jfr, top frames)
UA="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
require_tools java jcmd psql curl python3 wrk
SUMMARY="$RESULTS/tracking-live-$STAMP.md"

start_service

api() { # METHOD PATH [JSON]: the answer's body on stdout; fails on a status >= 300
    local out code
    out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
        ${3:+--data-binary "$3"} "$BASE$2") || die "curl $1 $2"
    code=${out##*$'\n'}
    ((code < 300)) || die "$1 $2 answered $code: ${out%$'\n'*}"
    printf '%s\n' "${out%$'\n'*}"
}

STOPS='[{"name":"Hamburg depot","address":"Hafenstrasse 1, 20457 Hamburg","latitude":53.54,"longitude":9.98,"zone":"Europe/Berlin","windowFrom":"2030-01-14T08:00","windowTo":"2030-01-14T12:00"},{"name":"Lyon warehouse","address":"Rue de la Gare 5, 69002 Lyon","latitude":45.76,"longitude":4.83,"zone":"Europe/Paris","windowFrom":"2030-01-15T09:00","windowTo":"2030-01-15T17:00"}]'

log "creating $TOKENS shipments with stops and tracking links through the API"
: >"$WORK/tokens.txt"
: >"$WORK/refs.txt"
for i in $(seq 1 "$TOKENS"); do
    ref=$(printf 'L%07d' "$i")
    api POST /api/v1/shipments "{\"reference\":\"$ref\",\"title\":\"Load $i: 18 pallets of tiles\",\"customer\":{\"name\":\"Customer $i\",\"language\":\"en\"}}" >/dev/null
    api PUT "/api/v1/shipments/$ref/stops" "$STOPS" >/dev/null
    api PATCH "/api/v1/shipments/$ref" '{"stage":"In transit"}' >/dev/null
    api POST "/api/v1/shipments/$ref/notes" '{"scope":"CUSTOMER","text":"The load left the depot on time."}' >/dev/null
    api POST "/api/v1/shipments/$ref/tracking-link" '{}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])' >>"$WORK/tokens.txt"
    echo "$ref" >>"$WORK/refs.txt"
done
pg -d "$DB_NAME" -c "analyze"

# The stream: endless batches, each a straight track from Hamburg towards Lyon, points 1 s apart, times moving on
# from one batch to the next per client (so no batch repeats another's points); stops when $WORK/stop exists.
cat >"$WORK/stream.py" <<'PY'
import json, sys, datetime, os, urllib.request, time
base, key, refs_file, size, client, out, stop, clients, rate = sys.argv[1:10]
size, client, clients, rate = int(size), int(client), int(clients), float(rate)
# each client's share of the rate: one batch every `every` seconds, on a fixed schedule (a slow batch is caught up)
every = size * clients / rate if rate > 0 else 0
due = time.monotonic()
refs = [r.strip() for r in open(refs_file) if r.strip()]
start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=20) + datetime.timedelta(days=client)
i = 0
n = 0
with open(out, "w") as log:
    while not os.path.exists(stop):
        if every:
            due += every
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        ref = refs[(n * 7 + client) % len(refs)]
        points = []
        for k in range(size):
            t = start + datetime.timedelta(seconds=i)
            f = (i % 8640) / 8640.0
            points.append({"latitude": round(53.54 - 7.78 * f, 6), "longitude": round(9.98 - 5.15 * f, 6),
                           "recordedAt": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "source": "gps"})
            i += 1
        body = json.dumps(points).encode()
        req = urllib.request.Request(f"{base}/api/v1/shipments/{ref}/positions", data=body, method="POST",
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                code = r.status
        except urllib.error.HTTPError as e:
            code = e.code
        except Exception:
            code = 0
        log.write(f"{time.monotonic():.3f} {code} {time.monotonic() - t0:.4f}\n")
        log.flush()
        n += 1
PY
log "streaming positions: $STREAM_CLIENTS clients, batches of $BATCH_SIZE, $STREAM_RATE positions/s in all (0: unpaced)"
STREAM_PIDS=()
for c in $(seq 1 "$STREAM_CLIENTS"); do
    python3 "$WORK/stream.py" "$BASE" "$API_KEY" "$WORK/refs.txt" "$BATCH_SIZE" "$c" "$WORK/stream-$c.log" \
        "$WORK/stop" "$STREAM_CLIENTS" "$STREAM_RATE" &
    STREAM_PIDS+=("$!")
    SAMPLER_PIDS+=("$!")
done

first_url=$(head -n 1 "$WORK/tokens.txt")
PAGE_CHECK=$(curl -sS -o "$WORK/page-sample.html" -w '%{http_code} %{size_download}B' -A "$UA" "$first_url")
log "one page first: $PAGE_CHECK"
[[ "$PAGE_CHECK" == 200* ]] || die "the tracking page did not answer 200: $PAGE_CHECK"
grep -q 'Lyon warehouse' "$WORK/page-sample.html" || die "the tracking page does not show the destination"

log "page warm-up: ${WARMUP}s at $RATE req/s"
run_wrk warmup "$WARMUP" || log "wrk warm-up exited non-zero (see $WORK/wrk-warmup.txt)"
grep -q 'id="distance"' <(curl -sS -A "$UA" "$first_url") || log "note: the first page shows no distance yet"
log "page measured: ${DURATION}s at $RATE req/s over $(wc -l <"$WORK/tokens.txt") links, positions streaming"
cpu0=$(proc_cpu "$SVC_PID"); pg0=$(pg_cpu)
p0=$(pg -d "$DB_NAME" -At -c "select count(*) from shipment_position")
if [[ "$PROFILE" == 1 ]]; then
    jcmd "$SVC_PID" JFR.start name=bench settings=profile filename="$WORK/profile.jfr" >/dev/null
fi
t0=$(date +%s.%N)
run_wrk measured "$DURATION" || log "wrk exited non-zero (see $WORK/wrk-measured.txt)"
t1=$(date +%s.%N)
if [[ "$PROFILE" == 1 ]]; then
    jcmd "$SVC_PID" JFR.stop name=bench >/dev/null
    # the 40 most frequent top-of-stack frames in Portlink's and Hibernate's code, from the execution samples
    jfr print --events jdk.ExecutionSample "$WORK/profile.jfr" |
        awk '/stackTrace = \[/ { grab = 1; next } grab && /(io\.portlink|org\.hibernate|io\.quarkus\.qute|org\.postgresql)/ {
            sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print; grab = 0 }' |
        sort | uniq -c | sort -rn | head -40 >"$WORK/profile-top.txt" || true
    log "profile: $WORK/profile.jfr, top frames in $WORK/profile-top.txt"
fi
p1=$(pg -d "$DB_NAME" -At -c "select count(*) from shipment_position")
cpu1=$(proc_cpu "$SVC_PID"); pg1=$(pg_cpu)
touch "$WORK/stop"
for pid in "${STREAM_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done

SECS=$(calc "$t1 - $t0")
POS_RATE=$(calc "($p1 - $p0) / $SECS")
STREAM_BAD=$(cat "$WORK"/stream-*.log | awk '$2 != 200' | wc -l)
STREAM_ALL=$(cat "$WORK"/stream-*.log | wc -l)
read -r B50 B99 < <(cat "$WORK"/stream-*.log | awk '{ print $3 * 1000 }' | sort -n | awk '{ a[NR] = $1 } END {
    printf "%.0f %.0f\n", a[int(NR * 0.5 + 0.5)], a[int(NR * 0.99 + 0.5)] }')
ETAS=$(pg -d "$DB_NAME" -At -c "select count(*) from shipment where eta_source = 'ESTIMATE'")
PAGE_CPU=$(calc "($cpu1 - $cpu0) / $DURATION * 100")
PAGE_PG_CPU=$(calc "($pg1 - $pg0) / $DURATION * 100")
PAGE_RESULT=$(tail -n 1 "$WORK/wrk-measured.result" 2>/dev/null || true)
cat "$WORK/wrk-measured.txt" >&2
[[ -n "$PAGE_RESULT" ]] || die "wrk gave no result (see $WORK/wrk-measured.txt)"
val() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"${2:-$PAGE_RESULT}"; }

GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
{
    echo "## Portlink live tracking page benchmark $STAMP"
    echo
    echo "Commit $GIT_REV, JVM mode \`java -Xmx$HEAP -jar quarkus-run.jar\` (GC ${GC_NAME:-?}), PostgreSQL" \
        "$(pg -d postgres -At -c 'show server_version') on the same machine, $(nproc) cores."
    echo
    echo "| Measure | Result | Target | Met |"
    echo "| --- | --- | --- | --- |"
    echo "| Positions streamed during the measured run ($STREAM_CLIENTS clients, batches of $BATCH_SIZE, asked $STREAM_RATE/s) | $((p1 - p0)) in $(printf '%.1f' "$SECS") s = **$(printf '%.0f' "$POS_RATE") positions/s**; batch p50 / p99 $B50 / $B99 ms; $STREAM_BAD of $STREAM_ALL batches not 200; $ETAS shipments with a computed ETA | | $(meets "$STREAM_BAD == 0") |"
    echo "| GET /t/{token}: rate achieved ($DURATION s, $TOKENS links) | $(val rps) req/s ($(val requests) requests; max lag $(val max_lag_ms) ms) | $RATE req/s | $(meets "$(val rps) >= $RATE * 0.98") |"
    echo "| GET /t/{token}: latency p50 / p90 / p99 / max | $(val p50_ms) / $(val p90_ms) / **$(val p99_ms)** / $(val max_ms) ms | p99 ≤ 20 ms | $(meets "$(val p99_ms) <= 20") |"
    echo "| GET /t/{token}: errors | $(val non200) non-200, socket: connect $(val connect_err) read $(val read_err) write $(val write_err) timeout $(val timeout_err) | 0 | $(meets "$(val non200) + $(val connect_err) + $(val read_err) + $(val write_err) + $(val timeout_err) == 0") |"
    echo "| CPU during the measured run | service $(printf '%.0f' "$PAGE_CPU")% of one core, PostgreSQL $(printf '%.0f' "$PAGE_PG_CPU")% | | |"
    echo
    echo "Raw files: ${WORK#"$ROOT"/}/"
} | tee "$SUMMARY"
log "summary written to $SUMMARY"
