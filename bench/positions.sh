#!/usr/bin/env bash
# Portlink benchmark of position ingest: POST /api/v1/shipments/{reference}/positions in batches (JVM mode, packaged
# prod build, local PostgreSQL).
#
# SHIPMENTS shipments are created through the API; then BATCHES batches of BATCH_SIZE positions (a track of points
# 30 s apart per shipment, shipments taken round-robin) are posted by CLIENTS concurrent clients (curl). Reported:
# positions stored per second over the whole run (wall time), the latency of one batch (p50 / p99 / max), and that
# every position was stored once (a count in the database). A warm-up of WARMUP_BATCHES batches goes first, on
# shipments of its own, and is not counted.
#
# Needs: java 17, psql, curl, python3. Drops and recreates DB_NAME. Port PORT must be free.
#   bench/positions.sh
#   BATCHES=400 CLIENTS=4 bench/positions.sh
# Output: a summary table on stdout and in bench/results/positions-<date>.md; raw files in bench/results/positions-<date>/.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

DB_NAME=${DB_NAME:-portlink_bench_positions}
RUN_NAME=positions
SHIPMENTS=${SHIPMENTS:-20}              # shipments the positions belong to
BATCHES=${BATCHES:-200}                 # measured batches
BATCH_SIZE=${BATCH_SIZE:-1000}          # positions per batch (the API's maximum is 1,000)
CLIENTS=${CLIENTS:-2}                   # batches in flight at once
WARMUP_BATCHES=${WARMUP_BATCHES:-60}

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
require_tools java jcmd psql curl python3
SUMMARY="$RESULTS/positions-$STAMP.md"

start_service

log "creating $SHIPMENTS shipments (and $SHIPMENTS for the warm-up)"
for prefix in P W; do
    for i in $(seq 1 "$SHIPMENTS"); do
        ref=$(printf '%s%05d' "$prefix" "$i")
        curl -fsS -o /dev/null -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
            --data-binary "{\"reference\":\"$ref\",\"title\":\"Load $i\"}" "$BASE/api/v1/shipments" ||
            die "could not create shipment $ref"
    done
done

# Writes batch files: NAME-N.json for N in 1..COUNT, shipments PREFIX00001.. round-robin; prints "ref file" lines.
make_batches() { # prefix count dir
    python3 - "$1" "$2" "$3" "$SHIPMENTS" "$BATCH_SIZE" <<'PY'
import json, sys, datetime
prefix, count, out, shipments, size = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
# 25 days back: the API takes positions of the last 30 days only
start = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(days=25)
offset = {}
for n in range(1, count + 1):
    s = (n - 1) % shipments + 1
    first = offset.get(s, 0)
    points = []
    for k in range(size):
        i = first + k
        at = start + datetime.timedelta(seconds=30 * i)
        points.append({"latitude": round(48 + (i % 20000) / 10000.0, 6), "longitude": round(2 + (i % 30000) / 10000.0, 6),
                       "recordedAt": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "source": "gps"})
    offset[s] = first + size
    path = f"{out}/{prefix}-{n}.json"
    with open(path, "w") as f:
        json.dump(points, f)
    print(f"{prefix}{s:05d} {path}")
PY
}

post_all() { # list-file -> one "http_code seconds" line per batch on stdout
    xargs -P "$CLIENTS" -L 1 sh -c 'curl -sS -o /dev/null -w "%{http_code} %{time_total}\n" \
        -H "Authorization: Bearer '"$API_KEY"'" -H "Content-Type: application/json" \
        --data-binary @"$1" "'"$BASE"'/api/v1/shipments/$0/positions"' <"$1"
}

mkdir -p "$WORK/batches"
make_batches W "$WARMUP_BATCHES" "$WORK/batches" >"$WORK/warmup.list"
make_batches P "$BATCHES" "$WORK/batches" >"$WORK/measured.list"
log "warm-up: $WARMUP_BATCHES batches of $BATCH_SIZE"
post_all "$WORK/warmup.list" >"$WORK/warmup.times"
pg -d "$DB_NAME" -c "analyze"

log "measured: $BATCHES batches of $BATCH_SIZE positions, $CLIENTS at once"
cpu0=$(proc_cpu "$SVC_PID"); pg0=$(pg_cpu)
t0=$(date +%s.%N)
post_all "$WORK/measured.list" >"$WORK/measured.times"
t1=$(date +%s.%N)
cpu1=$(proc_cpu "$SVC_PID"); pg1=$(pg_cpu)

SECS=$(calc "$t1 - $t0")
OK=$(awk '$1 == 200' "$WORK/measured.times" | wc -l)
BAD=$(awk '$1 != 200' "$WORK/measured.times" | wc -l)
STORED=$(pg -d "$DB_NAME" -At -c "select count(*) from shipment_position p join shipment s on s.id = p.shipment_id where s.reference like 'P%'")
EXPECTED=$((BATCHES * BATCH_SIZE))
RATE=$(calc "$STORED / $SECS")
read -r P50 P99 MAX < <(awk '{ print $2 * 1000 }' "$WORK/measured.times" | sort -n | awk '{ a[NR] = $1 } END {
    printf "%.0f %.0f %.0f\n", a[int(NR * 0.5 + 0.5)], a[int(NR * 0.99 + 0.5)], a[NR] }')
JCPU=$(calc "$cpu1 - $cpu0"); PCPU=$(calc "$pg1 - $pg0")
RSS=$(rss_mb "$SVC_PID")
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
{
    echo "## Portlink position ingest benchmark $STAMP"
    echo
    echo "Commit $GIT_REV, JVM mode \`java -Xmx$HEAP -jar quarkus-run.jar\`, PostgreSQL $(pg -d postgres -At -c 'show server_version') on the same machine, $(nproc) cores."
    echo
    echo "| Measure | Result | Target | Met |"
    echo "| --- | --- | --- | --- |"
    echo "| Positions stored ($BATCHES batches of $BATCH_SIZE over $SHIPMENTS shipments, $CLIENTS clients) | $STORED of $EXPECTED in $(printf '%.1f' "$SECS") s = **$(printf '%.0f' "$RATE") positions/s** | ≥ 5,000 positions/s | $(meets "$RATE >= 5000") |"
    echo "| Batch latency p50 / p99 / max | $P50 / $P99 / $MAX ms | | |"
    echo "| Errors | $BAD batches not 200 ($OK answered 200) | 0 | $(meets "$BAD == 0 && $STORED == $EXPECTED") |"
    echo "| CPU during the run | service $(printf '%.1f' "$JCPU") s, PostgreSQL $(printf '%.1f' "$PCPU") s; service RSS $RSS MB | | |"
    echo
    echo "Raw files: ${WORK#"$ROOT"/}/"
} | tee "$SUMMARY"
log "summary written to $SUMMARY"
