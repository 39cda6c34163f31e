#!/usr/bin/env bash
# Portlink benchmark of dropship routing: ORDERS sales orders routed to their suppliers through the service (JVM mode,
# packaged prod build, local PostgreSQL).
#
# The merchant (the bootstrap organisation) gets two supplier organisations with ACTIVE connections (one passes prices
# and notes, one passes nothing) and PRODUCTS products, most of them dropshipped from one of the two (written in SQL:
# the catalogue's setup is not what is measured). ORDERS orders of LINES lines each are then loaded through the CSV
# import (POST /api/v1/sales-orders/import; timed apart), and every open order is routed with
# POST /api/v1/sales-orders/route (the measured step: one call, batches of 500 orders a transaction inside). Reported:
# the routing's wall time, orders per second, and that every order became exactly one dropshipment per supplier (a
# count in the database). Target: ORDERS=10000 in under 10 s on 2 cores.
#
# Needs: java 17, psql, curl, python3. Drops and recreates DB_NAME. Port PORT must be free. Builds the jar unless
# SKIP_BUILD=1; REWRITE=1 turns on the driver's multi-row inserts; PROFILE=1 records the routing call with Java Flight
# Recorder; DB_SETTINGS="log_min_duration_statement=0" sets settings of the bench database (bench/lib.sh).
#   bench/routing.sh
#   ORDERS=20000 bench/routing.sh
#   WARMUP=2000 bench/routing.sh       # route 2,000 orders first (unmeasured): the measured call meets a warm JVM
# Output: a summary table on stdout and in bench/results/routing-<date>.md; raw files in bench/results/routing-<date>/.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

DB_NAME=${DB_NAME:-portlink_bench_routing}
RUN_NAME=routing
ORDERS=${ORDERS:-10000}                 # sales orders routed
WARMUP=${WARMUP:-0}                     # orders routed first, unmeasured (0: the measured call meets a cold JVM)
LINES=${LINES:-3}                       # lines per order: supplier A, supplier B, and (every third) a product kept
PRODUCTS=${PRODUCTS:-300}               # merchant products; a tenth have no dropship source
SKIP_BUILD=${SKIP_BUILD:-0}
REWRITE=${REWRITE:-0}                   # 1: the PostgreSQL driver rewrites JDBC-batched inserts into multi-row inserts
TARGET_S=${TARGET_S:-10}
PROFILE=${PROFILE:-0}                   # 1: a Java flight recording of the routing call (route.jfr in the raw files)

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
require_tools java jcmd psql curl python3
SUMMARY="$RESULTS/routing-$STAMP.md"

if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building the jar"
    # shellcheck disable=SC2086
    (cd "$ROOT" && ./mvnw -B -q $MVN_ARGS package -DskipTests)
fi
if [[ "$REWRITE" == 1 ]]; then
    JAVA_EXTRA_OPTS="$JAVA_EXTRA_OPTS -Dquarkus.datasource.jdbc.additional-jdbc-properties.reWriteBatchedInserts=true"
fi
start_service

log "catalogue: 2 suppliers, $PRODUCTS products"
pg -d "$DB_NAME" -v products="$PRODUCTS" <<'SQL'
create temporary table supplier_org as select * from organization order by id limit 1;
update supplier_org set id = id + 1000000, name = 'Bench Supplier A';
insert into organization select * from supplier_org;
update supplier_org set id = id + 1, name = 'Bench Supplier B';
insert into organization select * from supplier_org;
insert into dropship_connection (id, merchant_id, supplier_id, supplier_name, status, invited_email, pass_prices,
        pass_notes, created_at, accepted_at)
    select nextval('dropship_connection_seq'), m.id, m.id + 1000000 + s.n, 'Supplier ' || s.n, 'ACTIVE',
        's' || s.n || '@supplier.example', s.n = 1, s.n = 1, now(), now()
    from (select min(id) as id from organization) m, generate_series(0, 1) as s(n);
insert into product (id, organization_id, sku, name, created_at, updated_at)
    select nextval('product_seq'), (select min(id) from organization), 'SKU-' || i, 'Product ' || i, now(), now()
    from generate_series(1, :products) as i;
insert into dropship_source (id, connection_id, merchant_product_id, supplier_sku, unit_cost, created_at, updated_at)
    select nextval('dropship_source_seq'),
        (select c.id from dropship_connection c where c.supplier_name = 'Supplier ' || (cast(substr(p.sku, 5) as int) % 2)),
        p.id, 'S-' || p.sku, 2.5, now(), now()
    from product p where cast(substr(p.sku, 5) as int) % 10 <> 0;
-- the merchant's sync waits a year: it would otherwise send the routed dropshipments while the routing is measured
insert into dropship_settings (organization_id, sync_interval_minutes, next_sync_at)
    select min(id), 60, now() + interval '1 year' from organization;
SQL

log "writing $((ORDERS + WARMUP)) orders of $LINES lines as CSV ($WARMUP of them for the warm-up)"
CSV="$WORK/orders-routing.csv"
python3 - "$((ORDERS + WARMUP))" "$LINES" "$PRODUCTS" "$CSV" <<'PY'
import sys
orders, lines, products, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with open(out, "w") as f:
    f.write("reference,ship_to_name,ship_to_address,shipping_method,internal_note,sku,description,quantity,unit_price\n")
    for o in range(orders):
        for l in range(lines):
            # line 0 from supplier B (odd SKU), line 1 from supplier A (even SKU), line 2 every third order a kept product
            if l == 0:
                sku = 1 + (2 * o) % (products - 1)
            elif l == 1:
                sku = 2 + (2 * o) % (products - 2)
            else:
                sku = 10 * (1 + o % (products // 10)) if o % 3 == 0 else 3 + (2 * o) % (products - 3)
            if sku % 10 == 0 and l < 2:
                sku += 2
            f.write(f"SO-{o:06d},Customer {o},\"{o} High Street\nLeeds\",Ground,note {o},SKU-{sku},Item {sku},{1 + o % 5},{sku}.25\n")
PY

log "loading through the CSV import"
load_started=$(date +%s.%N)
code=$(curl -sS -o "$WORK/import.json" -w '%{http_code}' -H "Authorization: Bearer $API_KEY" -H 'Content-Type: text/csv' \
    --data-binary @"$CSV" "$BASE/api/v1/sales-orders/import")
LOAD_S=$(calc "$(date +%s.%N) - $load_started")
[[ "$code" == 200 ]] || { cat "$WORK/import.json" >&2; die "the import answered $code"; }
log "loaded in ${LOAD_S}s: $(cat "$WORK/import.json")"
pg -d "$DB_NAME" -c "vacuum analyze" >/dev/null

WARM_LAST=0
if ((WARMUP > 0)); then
    log "warm-up: routing the $WARMUP oldest orders (not measured)"
    curl -fsS -o "$WORK/warmup.json" -X POST -H "Authorization: Bearer $API_KEY" \
        "$BASE/api/v1/sales-orders/route?limit=$WARMUP" || die "the warm-up routing failed"
    WARM_LAST=$(pg -d "$DB_NAME" -At -c "select coalesce(max(id), 0) from sales_order where status = 'ROUTED'")
fi

CPU0=$(total_cpu)
SVC_CPU0=$(proc_cpu "$SVC_PID")
PG_CPU0=$(pg_cpu)
PG_DB_CPU0=$(pg_db_cpu "$DB_NAME")
LOAD1=$(cut -d ' ' -f 1 /proc/loadavg)
if [[ "$PROFILE" == 1 ]]; then
    jcmd "$SVC_PID" JFR.start name=route settings=profile filename="$WORK/route.jfr" >/dev/null
fi
log "routing every open order"
route_started=$(date +%s.%N)
code=$(curl -sS -o "$WORK/route.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $API_KEY" \
    "$BASE/api/v1/sales-orders/route?limit=$ORDERS")
ROUTE_S=$(calc "$(date +%s.%N) - $route_started")
[[ "$code" == 200 ]] || { cat "$WORK/route.json" >&2; die "routing answered $code"; }
if [[ "$PROFILE" == 1 ]]; then
    jcmd "$SVC_PID" JFR.stop name=route >/dev/null
    log "flight recording of the routing: $WORK/route.jfr (jfr print --events jdk.ExecutionSample)"
fi
SVC_CPU=$(calc "$(proc_cpu "$SVC_PID") - $SVC_CPU0")
PG_CPU=$(calc "$(pg_cpu) - $PG_CPU0")
PG_DB_CPU=$(calc "$(pg_db_cpu "$DB_NAME") - $PG_DB_CPU0")
LOAD1_AFTER=$(cut -d ' ' -f 1 /proc/loadavg)
MACHINE_CPU=$(calc "$(total_cpu) - $CPU0")
log "routed in ${ROUTE_S}s: $(cat "$WORK/route.json")"

read -r ROUTED_ORDERS DROPSHIPMENTS PER_ORDER_MAX DLINES <<<"$(pg -d "$DB_NAME" -At -F ' ' -c "
    select (select count(*) from sales_order where status = 'ROUTED' and id > $WARM_LAST),
           (select count(*) from dropshipment where sales_order_id > $WARM_LAST),
           (select coalesce(max(n), 0) from (select count(*) as n from dropshipment group by sales_order_id, supplier_id) x),
           (select count(*) from dropshipment_line l join dropshipment d on d.id = l.dropshipment_id
            where d.sales_order_id > $WARM_LAST)")"
PRICES_LEAKED=$(pg -d "$DB_NAME" -At -c "select count(*) from dropshipment_line l join dropshipment d on d.id = l.dropshipment_id
    join dropship_connection c on c.id = d.connection_id where not c.pass_prices and l.unit_price is not null")
RATE_S=$(calc "$ORDERS / $ROUTE_S")
CORES=$(nproc)

{
    echo "# Routing benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Commit $(cd "$ROOT" && git rev-parse --short HEAD), $CORES cores, load average before / after routing $LOAD1 / $LOAD1_AFTER, heap $HEAP,"
    echo "reWriteBatchedInserts $([[ "$REWRITE" == 1 ]] && echo on || echo off), $WARMUP orders routed before the measured call."
    echo
    echo "| What | Value |"
    echo "|---|---|"
    echo "| Orders loaded (CSV import, not measured) | $((ORDERS + WARMUP)) × $LINES lines in ${LOAD_S} s |"
    echo "| **Routing $ORDERS orders** | **$(printf '%.2f' "$ROUTE_S") s** ($(printf '%.0f' "$RATE_S") orders/s); target < $TARGET_S s: $(meets "$ROUTE_S < $TARGET_S") |"
    echo "| Orders routed / dropshipments / lines (by the measured call) | $ROUTED_ORDERS / $DROPSHIPMENTS / $DLINES |"
    echo "| Most dropshipments of one order for one supplier | $PER_ORDER_MAX (1 = never duplicated) |"
    echo "| Prices passed to the supplier that passes none | $PRICES_LEAKED |"
    echo "| CPU seconds while routing: service / PostgreSQL (this database's backends) / all PostgreSQL / whole machine | $(printf '%.1f' "$SVC_CPU") / $(printf '%.1f' "$PG_DB_CPU") / $(printf '%.1f' "$PG_CPU") / $(printf '%.1f' "$MACHINE_CPU") |"
} | tee "$SUMMARY"
[[ "$PER_ORDER_MAX" == 1 && "$PRICES_LEAKED" == 0 ]] || die "routing duplicated or leaked"
