#!/usr/bin/env bash
# Portlink benchmark of the merchant's dropship sync (JVM mode, packaged prod build, local PostgreSQL).
#
# Fills the database with SQL (generate_series): one merchant (the bootstrap organisation) with PRODUCTS products, all
# dropshipped from one supplier (PRODUCTS supplier products, sources, and the merchant's stock levels in the supplier's
# warehouse, equal to the supplier's available on hand: no drift). Then, through the service (POST /api/v1/sync/run),
# measures:
#   (i)  a sync with nothing changed: IDLE_RUNS runs after IDLE_WARMUP unmeasured ones; the run's own duration (the
#        sync_run row's start to end, from the API answer) and the HTTP round trip; target <= 100 ms;
#   (ii) stock write-back: CHANGED supplier products change their available on hand (and get their change rows, as
#        the supplier's stock form does), then one run writes them back; changed products per second over the run's
#        duration; WRITE_RUNS rounds, each after one unmeasured warm-up round of WARMUP_CHANGED; target >= 100,000/s.
# Each write-back round also records the CPU seconds of the service and of this database's PostgreSQL backends, and the
# load average at its start: on a shared machine only the CPU seconds compare. Between rounds the change rows are
# vacuumed, and so are the stock levels, standing in for autovacuum (off on the bench's server).
# The scheduler's own pass leaves the merchant alone (its next run is set a year ahead).
#
# Needs: java 17, psql, curl, python3. Drops and recreates DB_NAME. Port PORT must be free.
#   bench/sync.sh
#   PRODUCTS=100000 CHANGED=20000 bench/sync.sh
# Output: a summary table on stdout and in bench/results/sync-<date>.md; raw files in bench/results/sync-<date>/.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

DB_NAME=${DB_NAME:-portlink_bench_sync}
RUN_NAME=sync
PRODUCTS=${PRODUCTS:-1000000}           # merchant products, all dropshipped
CHANGED=${CHANGED:-200000}              # supplier products changed before each measured write-back
WRITE_RUNS=${WRITE_RUNS:-3}             # measured write-back rounds
WARMUP_CHANGED=${WARMUP_CHANGED:-50000} # changed products of the unmeasured warm-up round
IDLE_WARMUP=${IDLE_WARMUP:-20}          # unmeasured runs with nothing changed
IDLE_RUNS=${IDLE_RUNS:-50}              # measured runs with nothing changed

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
require_tools java jcmd psql curl python3
SUMMARY="$RESULTS/sync-$STAMP.md"

start_service
db() { pg -d "$DB_NAME" "$@"; }

log "filling: $PRODUCTS merchant products, supplier products, sources and stock levels"
fill_started=$(date +%s)
db -v products="$PRODUCTS" <<'SQL'
begin;
-- the supplier: a copy of the bootstrap organisation under another name
create temp table m as select id from organization order by id limit 1;
create temp table copy as select * from organization where id = (select id from m);
update copy set id = (select max(id) from organization) + 1000, name = 'Bench Supplier Ltd';
insert into organization select * from copy;
create temp table s as select max(id) as id from organization;
insert into warehouse (id, organization_id, name, created_at)
select nextval('warehouse_seq'), (select id from m), 'Bench Supplier Ltd', now();
insert into dropship_connection (id, merchant_id, supplier_id, supplier_name, status, invited_email, warehouse_id,
                                 created_at, accepted_at)
select nextval('dropship_connection_seq'), (select id from m), (select id from s), 'Bench Supplier Ltd', 'ACTIVE',
       'supplier@bench.example', (select id from warehouse where name = 'Bench Supplier Ltd'), now(), now();
-- ids far above what the sequences hand out here, so nothing the service creates meets them
insert into product (id, organization_id, sku, name, created_at, updated_at)
select 1000000000 + g, (select id from m), 'SKU-' || g, 'Product ' || g, now(), now()
from generate_series(1, :products) g;
insert into product (id, organization_id, sku, name, available_on_hand, available_updated_at, created_at, updated_at)
select 2000000000 + g, (select id from s), 'SUP-' || g, 'Supplier product ' || g, g % 100, now(), now(), now()
from generate_series(1, :products) g;
insert into dropship_source (id, connection_id, merchant_product_id, supplier_product_id, supplier_sku, unit_cost,
                             created_at, updated_at)
select 3000000000 + g, (select id from dropship_connection), 1000000000 + g, 2000000000 + g, 'SUP-' || g, 1.25,
       now(), now()
from generate_series(1, :products) g;
insert into stock_level (id, product_id, warehouse_id, physical_on_hand, updated_at)
select 4000000000 + g, 1000000000 + g, (select warehouse_id from dropship_connection), g % 100, now()
from generate_series(1, :products) g;
-- the merchant's settings: hourly, next run a year ahead (the measured runs are "Sync now")
insert into dropship_settings (organization_id, sync_interval_minutes, next_sync_at)
select id, 60, now() + interval '365 days' from m
on conflict (organization_id) do update set next_sync_at = excluded.next_sync_at;
commit;
SQL
db -c "vacuum analyze"
log "filled in $(($(date +%s) - fill_started)) s"

# run_sync: one "Sync now"; prints "durationMillis changesPassed stockUpdated failures http_seconds"
run_sync() {
    local out http
    http=$(curl -fsS -o "$WORK/run.json" -w '%{time_total}' -X POST -H "Authorization: Bearer $API_KEY" \
        "$BASE/api/v1/sync/run") || die "POST /api/v1/sync/run failed: $(cat "$WORK/run.json" 2>/dev/null)"
    out=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["durationMillis"], r["changesPassed"], r["stockUpdated"], r["failures"])' "$WORK/run.json")
    echo "$out $http"
}

# change N: N supplier products (a random sample, a different one each time) change their available on hand, with
# their change rows, in one transaction as the supplier's stock import would.
change() {
    db -v n="$1" <<'SQL'
begin;
create temp table picked as
  select 2000000000 + g as id from generate_series(1, (select count(*) from dropship_source)) g
  order by random() limit :n;
update product p set available_on_hand = (coalesce(p.available_on_hand, 0) + 7) % 1000, available_updated_at = now()
from picked where p.id = picked.id;
insert into dropship_stock_change (source_id, merchant_id, supplier_product_id, changed_at)
select ds.id, c.merchant_id, ds.supplier_product_id, now()
from picked join dropship_source ds on ds.supplier_product_id = picked.id
join dropship_connection c on c.id = ds.connection_id
on conflict (source_id) do update set changed_at = excluded.changed_at;
commit;
-- stands in for autovacuum (off on the bench's server): the change rows turn over completely every round, and a round
-- changes 20 % of the stock levels, above the 5 % V50 sets for them, so it would vacuum both between rounds
vacuum analyze dropship_stock_change;
vacuum analyze stock_level;
SQL
}

log "(i) nothing changed: $IDLE_WARMUP warm-up runs, then $IDLE_RUNS measured"
for _ in $(seq 1 "$IDLE_WARMUP"); do run_sync >/dev/null; done
: >"$WORK/idle.txt"
for _ in $(seq 1 "$IDLE_RUNS"); do run_sync >>"$WORK/idle.txt"; done
read -r IDLE_P50 IDLE_MAX HTTP_P50 HTTP_MAX IDLE_MOVED < <(python3 - "$WORK/idle.txt" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
d = sorted(int(r[0]) for r in rows); h = sorted(float(r[4]) * 1000 for r in rows)
moved = sum(int(r[1]) + int(r[2]) for r in rows)
print(statistics.median(d), d[-1], round(statistics.median(h), 1), round(h[-1], 1), moved)
PY
)
log "nothing changed: run p50 ${IDLE_P50} ms, max ${IDLE_MAX} ms; HTTP p50 ${HTTP_P50} ms, max ${HTTP_MAX} ms"

log "(ii) write-back: warm-up round of $WARMUP_CHANGED, then $WRITE_RUNS rounds of $CHANGED changed products"
change "$WARMUP_CHANGED"
run_sync >"$WORK/warmup.txt"
: >"$WORK/writeback.txt"
for _ in $(seq 1 "$WRITE_RUNS"); do
    change "$CHANGED"
    svc_before=$(proc_cpu "$SVC_PID")
    pg_before=$(pg_db_cpu "$DB_NAME")
    load=$(cut -d ' ' -f 1 /proc/loadavg)
    line=$(run_sync)
    echo "$line $(calc "$(proc_cpu "$SVC_PID") - $svc_before") $(calc "$(pg_db_cpu "$DB_NAME") - $pg_before") $load" \
        >>"$WORK/writeback.txt"
    log "write-back (ms, changes, stock, failures, HTTP s, service CPU s, PostgreSQL CPU s, load): $(tail -n 1 "$WORK/writeback.txt")"
done
read -r WB_RATE_MED WB_RATE_MIN WB_MS_MED WB_PASSED WB_UPDATED WB_FAIL WB_SVC WB_PG WB_LOAD < <(python3 - "$WORK/writeback.txt" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
rates = [int(r[1]) / (int(r[0]) / 1000) for r in rows]
print(round(statistics.median(rates)), round(min(rates)), statistics.median(int(r[0]) for r in rows),
      min(int(r[1]) for r in rows), min(int(r[2]) for r in rows), sum(int(r[3]) for r in rows),
      round(statistics.median(float(r[5]) for r in rows), 2), round(statistics.median(float(r[6]) for r in rows), 2),
      "/".join(r[7] for r in rows))
PY
)
LEFT=$(db -Atc "select count(*) from dropship_stock_change")
DRIFT=$(db -Atc "select count(*) from dropship_source ds join dropship_connection c on c.id = ds.connection_id
    join product sp on sp.id = ds.supplier_product_id
    left join stock_level sl on sl.product_id = ds.merchant_product_id and sl.warehouse_id = c.warehouse_id
    where sl.physical_on_hand is distinct from sp.available_on_hand")

{
    echo "# Dropship sync, $(date -u +%Y-%m-%dT%H:%MZ), commit $(cd "$ROOT" && git rev-parse --short HEAD)"
    echo
    echo "$PRODUCTS dropshipped products; PostgreSQL $(db -Atc 'show server_version'); $(nproc) cores; -Xmx$HEAP; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "| measure | result | target | met |"
    echo "|---|---|---|---|"
    echo "| run with nothing changed, p50 / max of $IDLE_RUNS (run's duration) | $IDLE_P50 / $IDLE_MAX ms | ≤ 100 ms | $(meets "$IDLE_MAX <= 100") |"
    echo "| the same, HTTP round trip p50 / max | $HTTP_P50 / $HTTP_MAX ms | | |"
    echo "| rows moved by those runs | $IDLE_MOVED | 0 | $(meets "$IDLE_MOVED == 0") |"
    echo "| write-back of $CHANGED changed products, median / worst of $WRITE_RUNS | $WB_RATE_MED / $WB_RATE_MIN products/s (median run $WB_MS_MED ms) | ≥ 100,000/s | $(meets "$WB_RATE_MIN >= 100000") |"
    echo "| changes passed / stock updated (smallest round) | $WB_PASSED / $WB_UPDATED | $CHANGED | $(meets "$WB_PASSED == $CHANGED && $WB_UPDATED == $CHANGED") |"
    echo "| CPU during one write-back run (median): service / PostgreSQL (this database's backends) | $WB_SVC s / $WB_PG s | | |"
    echo "| load average (1 min) at the start of each write-back round | $WB_LOAD | | |"
    echo "| change rows left, drift left after the runs | $LEFT, $DRIFT | 0, 0 | $(meets "$LEFT == 0 && $DRIFT == 0") |"
    echo "| failures | $WB_FAIL | 0 | $(meets "$WB_FAIL == 0") |"
} | tee "$SUMMARY"
