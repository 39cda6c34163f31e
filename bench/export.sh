#!/usr/bin/env bash
# Portlink benchmark of the order export: the whole order list of one organisation as CSV and XLSX, one row per order
# and one per line, through GET /api/v1/purchase-orders/export on the packaged service (JVM, prod build, local
# PostgreSQL) with a small heap, at two sizes (SIZES, default 10,000 then 100,000 orders of LINES lines each).
#
# The orders are written with SQL (generate_series) into the bootstrap organisation: 200 vendors, dates spread over a
# year. For each size and each of the four files the script reports the download's wall time, bytes, rows and rows per
# second, the CPU seconds of the service and of the database's PostgreSQL backends, and the heap, from the JVM's GC log:
# the live heap during the download (the largest heap left after the full collections the script asks for with
# jcmd GC.run each time the file passed 256 KB, 1 MB, 4 MB, …), the largest heap left after a young collection (which
# includes old garbage not yet collected), the longest pause; and the used heap after the download (jcmd
# GC.heap_info). "Flat" means the live heap does not grow with the size of the file.
#
# Needs: java 17 (jcmd), psql, curl, python3. Drops and recreates DB_NAME. Port PORT must be free. Builds the jar
# unless SKIP_BUILD=1.
#   bench/export.sh
#   HEAP=64m SIZES="10000 100000 200000" bench/export.sh
# Output: a summary table on stdout and in bench/results/export-<date>.md; raw files in bench/results/export-<date>/.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

DB_NAME=${DB_NAME:-portlink_bench_export}
RUN_NAME=export
HEAP=${HEAP:-96m}                       # -Xmx of the service: small, so that a growing export would fail
SIZES=${SIZES:-"10000 100000"}          # orders in the database at each measured round (ascending)
LINES=${LINES:-3}                       # lines per order
SKIP_BUILD=${SKIP_BUILD:-0}

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
require_tools java jcmd psql curl python3
SUMMARY="$RESULTS/export-$STAMP.md"

if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building the jar"
    # shellcheck disable=SC2086
    (cd "$ROOT" && ./mvnw -B -q $MVN_ARGS package -DskipTests)
fi
start_service

log "200 vendors"
pg -d "$DB_NAME" <<'SQL'
insert into vendor (id, organization_id, name, email, name_key, match_key, created_at)
    select nextval('vendor_seq'), (select min(id) from organization), 'Bench vendor ' || v,
        'v' || v || '@vendor.example', 'bench vendor ' || v, 'e:v' || v || '@vendor.example', now()
    from generate_series(1, 200) v;
create table bench_vendor as select id, row_number() over (order by id) - 1 as n from vendor;
SQL

# seed FROM TO: orders FROM..TO with LINES lines each.
seed() {
    pg -d "$DB_NAME" -v from="$1" -v to="$2" -v lines="$LINES" <<'SQL'
insert into purchase_order (id, organization_id, vendor_id, reference, status, content_hash, created_at, updated_at,
        version, requested_date, expected_date, delivery_address, carrier, tracking_number)
    select nextval('purchase_order_seq'), (select min(id) from organization), (select id from bench_vendor where n = i % 200),
        'BENCH-' || lpad(i::text, 7, '0'),
        (array['PENDING','NOTIFIED','ACKNOWLEDGED','PREPARING','DISPATCHED','DELIVERED'])[i % 6 + 1],
        md5(i::text), now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval, 0,
        current_date + (i % 365 - 180), case when i % 3 = 0 then current_date + (i % 365 - 170) end,
        'Unit ' || (i % 90) || ', Dockside Road' || chr(10) || 'London E16 2QD',
        case when i % 6 = 4 then 'DHL' end, case when i % 6 = 4 then 'JD0146' || lpad(i::text, 10, '0') end
    from generate_series(:from, :to) as i;
insert into order_line (id, order_id, line_no, sku, description, quantity, unit, unit_price, currency)
    select nextval('order_line_seq'), o.id, k, 'SKU-' || ((o.id + k) % 5000),
        (array['Hex bolt M8 x 40, zinc plated','Washer M8','=Bracket "L" 40 mm','Hex nut M8'])[(o.id + k) % 4 + 1],
        10 * k + o.id % 7, 'pcs', round((o.id % 1000) / 100.0 + k, 2), 'GBP'
    from purchase_order o cross join generate_series(1, :lines) k
    where o.reference between 'BENCH-' || lpad(:from::text, 7, '0') and 'BENCH-' || lpad(:to::text, 7, '0');
analyze purchase_order;
analyze order_line;
analyze vendor;
SQL
}

# heap_used_mb: the used heap now (MB), from jcmd GC.heap_info (G1 "used", or young + old for Serial/Parallel).
heap_used_mb() {
    jcmd "$SVC_PID" GC.heap_info 2>/dev/null | awk '
        /garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print int(v / 1024); exit } }
        /(def new generation|PSYoungGen|tenured generation|ParOldGen)/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); s += v } }
        END { if (s) print int(s / 1024) }'
}

# csv_rows FILE: the records of a CSV (the header included; a quoted cell may hold line breaks), any delimiter.
csv_rows() {
    python3 - "$1" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    first = f.readline()
    f.seek(0)
    print(sum(1 for _ in csv.reader(f, delimiter=";" if first.count(";") > first.count(",") else ",")))
PY
}

# xlsx_rows FILE: the rows of every sheet of a workbook (the header rows included).
xlsx_rows() {
    python3 - "$1" <<'PY'
import sys, zipfile
n = 0
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in z.namelist():
        if name.startswith("xl/worksheets/sheet"):
            with z.open(name) as f:
                tail = b""
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    data = tail + chunk
                    n += data.count(b"<row ")
                    tail = data[-5:]
                    n -= tail.count(b"<row ")
                n += tail.count(b"<row ")
print(n)
PY
}

{
    echo "# Export benchmark $STAMP"
    echo
    echo "Commit \`$(git -C "$ROOT" rev-parse --short HEAD)\`, \`-Xmx$HEAP\` (GC ${GC_NAME:-?}), $LINES lines per order,"
    echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start."
    echo
    echo "| Orders | File | Rows | Bytes | Wall s | Rows/s | Service CPU s | DB CPU s | Live heap MB (full GCs) | Max after young GC MB | Longest pause ms | Used heap after MB |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$SUMMARY"

seeded=0
for size in $SIZES; do
    log "seeding orders $((seeded + 1))..$size"
    seed "$((seeded + 1))" "$size"
    seeded=$size
    for spec in "orders csv" "orders xlsx" "lines csv" "lines xlsx"; do
        read -r rows fmt <<<"$spec"
        out="$WORK/export-$size-$rows.$fmt"
        gc_before=$(wc -l <"$WORK/gc.log")
        cpu_before=$(proc_cpu "$SVC_PID")
        db_before=$(pg_db_cpu "$DB_NAME")
        load=$(cut -d' ' -f1 /proc/loadavg)
        curl -sS -o "$out" -w '%{http_code} %{time_total} %{size_download}' -H "Authorization: Bearer $API_KEY" \
            "$BASE/api/v1/purchase-orders/export?format=$fmt&rows=$rows" >"$WORK/curl.txt" &
        curl_pid=$!
        # while it downloads: a full collection (jcmd GC.run) each time the file passed 256 KB, 1 MB, 4 MB, 16 MB …;
        # the heap left after each is what the export holds live at that point
        threshold=262144
        while kill -0 "$curl_pid" 2>/dev/null; do
            if [[ -f "$out" ]] && (($(stat -c %s "$out") >= threshold)); then
                jcmd "$SVC_PID" GC.run >/dev/null 2>&1 || true
                threshold=$((threshold * 4))
            fi
            sleep 0.1
        done
        wait "$curl_pid" || die "export $rows $fmt: curl failed"
        read -r code wall bytes <"$WORK/curl.txt" || true  # no line end after curl's -w
        [[ "$code" == 200 ]] || { head -c 500 "$out" >&2; die "export $rows $fmt answered $code"; }
        cpu=$(calc "$(proc_cpu "$SVC_PID") - $cpu_before")
        db=$(calc "$(pg_db_cpu "$DB_NAME") - $db_before")
        read -r max_after pause gcs < <(sed -n "$((gc_before + 1)),\$p" "$WORK/gc.log" | grep -v 'Pause Full' | gc_log_summary)
        read -r live _ fulls < <(sed -n "$((gc_before + 1)),\$p" "$WORK/gc.log" | grep 'Pause Full' | gc_log_summary)
        used=$(heap_used_mb)
        if [[ "$fmt" == csv ]]; then
            lines_out=$(csv_rows "$out")
        else
            lines_out=$(xlsx_rows "$out")
        fi
        data_rows=$((lines_out - 1))
        expected=$size
        [[ "$rows" == lines ]] && expected=$((size * LINES))
        [[ "$data_rows" == "$expected" ]] || die "export $rows $fmt has $data_rows rows, expected $expected"
        rate=$(calc "int($data_rows / $wall)")
        log "$size orders, $rows $fmt: $data_rows rows, $bytes bytes in ${wall}s ($rate rows/s), service CPU ${cpu}s," \
            "DB CPU ${db}s, live heap at most ${live} MB in $fulls full collections during the download," \
            "max heap after a young GC ${max_after} MB over $gcs collections (longest pause ${pause} ms)," \
            "used after ${used} MB, load $load"
        echo "| $size | $rows $fmt | $data_rows | $bytes | $wall | $rate | $cpu | $db | $live ($fulls) | $max_after | $pause | $used |" >>"$SUMMARY"
        rm -f "$out"
    done
done
echo >>"$SUMMARY"
echo "Service RSS at the end: $(rss_mb "$SVC_PID") MB (peak $(hwm_mb "$SVC_PID") MB)." >>"$SUMMARY"
cat "$SUMMARY"
