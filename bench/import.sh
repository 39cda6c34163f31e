#!/usr/bin/env bash
# The purchase-order CSV import alone, against a bare COPY of the same rows.
#
# usage: bench/import.sh [LINES...]     (default: 100000 500000)
# For each size: two files (cold: the first import after start; warm: a second file of the same size), each one POST
# to /api/v1/purchase-orders/import. Reports wall seconds, lines/s, CPU-seconds of the service and of the database's
# backends (per 100k lines: independent of the machine's load), the load average, the largest heap after a GC
# (from -Xlog:gc) and the same rows through pgjdbc's CopyManager into a table of text columns (the reference).
# Settings as in lib.sh (PORT, DB_NAME, HEAP, JAVA_EXTRA_OPTS...); JFR=1 records a profile from the JVM's start.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DB_NAME=${DB_NAME:-portlink_import}
RUN_NAME=import
JFR=${JFR:-0}
SIZES=("$@")
((${#SIZES[@]})) || SIZES=(100000 500000)
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
require_tools java jstat jcmd psql curl python3
# a file of 1,000,000 lines is about 150 MB: the row, file and request-body limits are raised for it
JAVA_EXTRA_OPTS="$JAVA_EXTRA_OPTS -Dportlink.import.max-rows=2000000 -Dportlink.import.max-bytes=1073741824"
JAVA_EXTRA_OPTS="$JAVA_EXTRA_OPTS -Dquarkus.http.limits.max-body-size=1100M"
if [[ "$JFR" == 1 ]]; then
    JAVA_EXTRA_OPTS="$JAVA_EXTRA_OPTS -XX:StartFlightRecording=settings=profile,filename=$WORK/import.jfr,dumponexit=true"
fi
start_service

PGJDBC=$(find "$(dirname "$JAR")/lib" -name 'org.postgresql.postgresql-*.jar' | head -n 1)
bare_copy() { # CSV -> seconds of COPY ... FROM STDIN (csv, header) into a table of text columns, via CopyManager
    local csv=$1
    pg -d "$DB_NAME" -c "drop table if exists bench_copy" -c "create table bench_copy (reference text, vendor_name text,
        vendor_email text, vendor_phone text, delivery_address text, requested_date text, sku text, description text,
        quantity text, unit text, unit_price text, currency text)"
    cat >"$WORK/Copy.java" <<JAVA
import java.io.*; import java.sql.*; import org.postgresql.PGConnection;
public class Copy { public static void main(String[] a) throws Exception {
  try (Connection c = DriverManager.getConnection("jdbc:postgresql://$PGHOST:$PGPORT/$DB_NAME", "$PGUSER", "");
       Reader r = new BufferedReader(new InputStreamReader(new FileInputStream(a[0]), "UTF-8"), 1 << 16)) {
    c.setAutoCommit(false); long t = System.nanoTime();
    long n = c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy bench_copy from stdin (format csv, header true)", r);
    c.commit(); System.out.println(n + " " + (System.nanoTime() - t) / 1e9);
  } } }
JAVA
    java -cp "$PGJDBC" "$WORK/Copy.java" "$csv"
}

echo "| lines | run | wall s | lines/s | service CPU-s | PostgreSQL CPU-s | CPU-s per 100k (service+PG) | load avg | bare COPY s | ratio import/COPY |" >"$WORK/summary.md"
echo "|---|---|---|---|---|---|---|---|---|---|" >>"$WORK/summary.md"
n=0
for lines in "${SIZES[@]}"; do
    for run in cold warm; do
        n=$((n + 1))
        csv="$WORK/orders-$n.csv"
        python3 "$HERE/gen_orders.py" "$csv" --orders $((lines / 4)) --lines 4 --vendors 500 --prefix "I$n" >/dev/null
        jcpu0=$(proc_cpu "$SVC_PID"); pcpu0=$(pg_db_cpu "$DB_NAME")
        t0=$(date +%s.%N)
        code=$(curl -sS -o "$WORK/answer-$n.json" -w '%{http_code}' --max-time 3600 -H "Authorization: Bearer $API_KEY" \
            -H 'Content-Type: text/csv' --data-binary @"$csv" "$BASE/api/v1/purchase-orders/import")
        t1=$(date +%s.%N)
        jcpu=$(calc "$(proc_cpu "$SVC_PID") - $jcpu0"); pcpu=$(calc "$(pg_db_cpu "$DB_NAME") - $pcpu0")
        load=$(cut -d' ' -f1-3 /proc/loadavg)
        secs=$(calc "$t1 - $t0")
        [[ "$code" == 200 ]] || log "import $n: HTTP $code: $(head -c 600 "$WORK/answer-$n.json")"
        read -r copy_n copy_s < <(bare_copy "$csv")
        per=$(calc "($jcpu + $pcpu) * 100000 / $lines")
        row="| $lines | $run | $(printf %.2f "$secs") | $(printf %.0f "$(calc "$lines / $secs")") | $(printf %.1f "$jcpu") | $(printf %.1f "$pcpu") | $(printf %.2f "$per") | $load | $(printf %.2f "$copy_s") | $(printf %.1f "$(calc "$secs / $copy_s")") |"
        log "$row (HTTP $code, copied $copy_n)"
        echo "$row" >>"$WORK/summary.md"
        rm -f "$csv"
    done
done
read -r maxafter maxpause pauses < <(gc_log_summary <"$WORK/gc.log")
echo "" >>"$WORK/summary.md"
echo "Heap -Xmx$HEAP: largest heap after a GC $maxafter MB, longest pause $maxpause ms, $pauses pauses." >>"$WORK/summary.md"
cat "$WORK/summary.md"
