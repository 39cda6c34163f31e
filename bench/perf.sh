#!/usr/bin/env bash
# Portlink against its own framework: the performance targets of the issue, each figure also as a ratio to a bare
# Quarkus app (bench/bare/, docs/PERFORMANCE.md) built and measured in the same run, on the same machine.
#
#   1. Builds Portlink's packaged jar and the bare app (BUILD=0: use what target/ holds).
#   2. Seeds PostgreSQL once (reused while the marker table bench_seed says the same sizes):
#        DB_NAME (portlink_perf): ORDERS purchase orders (4 lines each, over VENDORS vendors, one vendor link each) and
#        SHIPMENTS shipments (pickup and delivery stops, one tracking link each), set-based (bench/perf-seed.sql)
#        from one template of each made through the service's own CSV imports after its Flyway migrations ran;
#        BARE_DB (portlink_bare): BARE_ROWS rows of bare_link (unique index on the token's SHA-256).
#      Link tokens of the seeded rows are derived from the link id, so a sample of valid tokens is known.
#   3. Start to ready, STARTS times per app, Portlink and bare alternating: wall time from the java process's start
#      until readiness answers (Portlink :MGMT_PORT/q/health/ready; bare: a page of endpoint A), median; and Quarkus's own
#      "started in".
#   4. For Portlink GET /v/{token} and GET /t/{token}, bare A (read) and bare B (read + 1 UPDATE), over TOKENS
#      tokens round-robin, browser User-Agent: WARMUP s closed loop (not counted); max throughput, closed loop
#      (wrk + bench/page.lua unpaced, CONNECTIONS connections, DURATION s) with the JVM's and PostgreSQL's CPU ms per
#      request; then FIXED_RATE req/s open loop (bench/openloop/openloop.c, or OpenLoop.java without a C compiler:
#      latency counted from each request's due time, no coordinated omission) for DURATION s: achieved rate, p50,
#      p99. RSS of each app after its load.
#   5. The CSV import: for each size in IMPORT_LINES, a file of that many lines (bench/gen_orders.py, 4 lines an
#      order, 500 vendors) POSTed to Portlink's /api/v1/purchase-orders/import, and the same file POSTed to the bare
#      app's /copy (PostgreSQL COPY through pgjdbc's CopyManager into a table of the CSV's shape): lines/s, Portlink's
#      peak used heap (jstat every 200 ms, garbage included) and largest heap after a GC (GC log: what stays live),
#      in a Portlink started for the imports alone with -Xmx IMPORT_HEAP (128m: more would fail the import). Then the
#      schema's own ceiling: PostgreSQL's CPU-s to COPY the very rows Portlink wrote (ids shifted) into the same tables,
#      with their indexes and foreign keys, in one transaction rolled back: lines / CPU-s is the most one transaction
#      could take in here if the service itself cost nothing.
#      FEATURES=1 (with pages): also the bare app with the framework features the issues require, configured as
#      Portlink configures them (bench/bare, Maven profile "features"; bench/start.sh says which), its endpoint A on
#      FEATURES_PORT over the same rows (copied into its schema "features" of BARE_DB): what those features cost a
#      page, told apart from what Portlink's own code costs.
#   6. Prints one table (ratios to bare, PASS/FAIL against each target, load average next to each figure) and
#      writes it to bench/results/perf-<date>.md; raw files in bench/results/perf-<date>/.
#
# The machine is shared: wall-clock figures depend on what else runs; the load average (1 min) is recorded when each
# figure was taken, and CPU ms per request is the figure least disturbed by others.
#
# Needs: java 17 (JDK: javac, jstat, jcmd), psql, curl, python3, wrk. PostgreSQL with trust auth at PGHOST:PGPORT.
# Run from anywhere:
#   bench/perf.sh                     # full: 1,000,000 orders and shipments (seeding takes minutes the first time)
#   QUICK=1 bench/perf.sh             # quick try: 20,000 orders and shipments, short runs, one start each
#   BUILD=0 DURATION=60 bench/perf.sh # any parameter below can be set this way
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

QUICK=${QUICK:-0}
if [[ "$QUICK" == 1 ]]; then
    SIZE=20000; D_WARMUP=10; D_DURATION=10; D_STARTS=1; D_IMPORT="20000"; D_TOKENS=500
else
    SIZE=1000000; D_WARMUP=150; D_DURATION=30; D_STARTS=3; D_IMPORT="100000 500000"; D_TOKENS=1000
fi
PORT=${PORT:-28150}                     # Portlink's HTTP port
BARE_PORT=${BARE_PORT:-28151}           # the bare app's HTTP port
FEATURES=${FEATURES:-0}                 # 1: also the bare app with the features (pages only)
FEATURES_PORT=${FEATURES_PORT:-28152}   # its HTTP port; its management port is FEATURES_PORT + 1000
DB_NAME=${DB_NAME:-portlink_perf}
BARE_DB=${BARE_DB:-portlink_bare}
ORDERS=${ORDERS:-$SIZE}
SHIPMENTS=${SHIPMENTS:-$SIZE}
BARE_ROWS=${BARE_ROWS:-$SIZE}
VENDORS=${VENDORS:-$(((ORDERS + 199) / 200))}  # 200 orders a vendor, as bench/run.sh's import
TOKENS=${TOKENS:-$D_TOKENS}             # links each page test goes round
WARMUP=${WARMUP:-$D_WARMUP}             # seconds of closed-loop load before each endpoint's measures (150: the JIT still compiles at 60)
DURATION=${DURATION:-$D_DURATION}       # seconds of each measure
STARTS=${STARTS:-$D_STARTS}             # starts per app for start to ready
PARTS=${PARTS:-start pages import}      # which measures run, e.g. PARTS=pages to compare JVM options' tail latency
CONNECTIONS=${CONNECTIONS:-50}          # closed loop: connections of wrk
FIXED_RATE=${FIXED_RATE:-1000}          # open loop: requests per second
MAX_IN_FLIGHT=${MAX_IN_FLIGHT:-256}     # open loop: a due request finding this many unanswered is dropped (counted)
OPENLOOP=${OPENLOOP:-c}                 # open-loop generator: c (bench/openloop/openloop.c, needs cc) or java
IMPORT_LINES=${IMPORT_LINES:-$D_IMPORT} # sizes of the import files, in lines
IMPORT_HEAP=${IMPORT_HEAP:-128m}        # -Xmx of the Portlink that imports (the target: heap flat at ≤ 128 MB)
BUILD=${BUILD:-1}                       # 0: use the jars in target/ (build only when missing)
READY_TIMEOUT=${READY_TIMEOUT:-600}     # seconds an app may take to start (a loaded machine is slow)
RUN_NAME=perf
UA="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
require_tools java javac jstat jcmd psql curl python3 wrk
SUMMARY="$RESULTS/perf-$STAMP.md"
BARE_BASE="http://127.0.0.1:$BARE_PORT"
PL_JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
BARE_JAR="$HERE/bare/target/quarkus-app/quarkus-run.jar"
FEATURES_JAR="$HERE/bare/target-features/quarkus-app/quarkus-run.jar"
FEATURES_BASE="http://127.0.0.1:$FEATURES_PORT"
# a seeded link's token, from its id (bench/perf-seed.sql): prefix || base64url(sha256('bench:' || id))
token_sql() { echo "'$1' || translate(rtrim(encode(sha256(convert_to('$2:' || $3, 'UTF8')), 'base64'), '='), '+/', '-_')"; }
load1() { cut -d ' ' -f 1 /proc/loadavg; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# div A B: A / B, 0 when B is 0 (A may be an expression; values go in as variables, so awk folds no constant 1/0)
div() { awk -v b="$2" "BEGIN { print (b == 0 ? 0 : ($1) / b) }"; }

# ---------------------------------------------------------------------------------------------------------------
# 1. Build
# ---------------------------------------------------------------------------------------------------------------
if [[ "$BUILD" == 1 || ! -f "$PL_JAR" ]]; then
    log "building Portlink (mvnw package -DskipTests)"
    # shellcheck disable=SC2086
    (cd "$ROOT" && ./mvnw -B -q $MVN_ARGS package -DskipTests)
fi
if [[ "$BUILD" == 1 || ! -f "$BARE_JAR" ]]; then
    log "building the bare app (bench/bare)"
    # shellcheck disable=SC2086
    (cd "$ROOT" && ./mvnw -B -q $MVN_ARGS -f bench/bare/pom.xml package -DskipTests)
fi
if [[ "$FEATURES" == 1 ]] && [[ "$BUILD" == 1 || ! -f "$FEATURES_JAR" ]]; then
    log "building the bare app with the features (bench/bare, profile features)"
    # shellcheck disable=SC2086
    (cd "$ROOT" && ./mvnw -B -q $MVN_ARGS -f bench/bare/pom.xml -Pfeatures package -DskipTests)
fi
mkdir -p "$WORK/openloop"
# the open-loop generator: C (a small share of the cores it shares with the service) when a C compiler is here
if [[ "$OPENLOOP" == c ]] && command -v cc >/dev/null; then
    cc -O2 -o "$WORK/openloop/openloop" "$HERE/openloop/openloop.c"
else
    OPENLOOP=java
    javac -d "$WORK/openloop" "$HERE/openloop/OpenLoop.java"
fi
for p in "$PORT" "$BARE_PORT" $([[ "$FEATURES" == 1 ]] && echo "$FEATURES_PORT $((FEATURES_PORT + 1000))"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is already in use"; fi
done

# ---------------------------------------------------------------------------------------------------------------
# Starting and stopping the apps
# ---------------------------------------------------------------------------------------------------------------
# launch APP LOG: starts portlink or bare (SVC_PID, lib.sh stops it on exit), waits until ready; READY_MS is the wall
# time from the process's start to the first ready answer, STARTED_IN Quarkus's own "started in" (s).
launch() {
    local app=$1 logf=$2 url t0
    local opts=(-Xmx"$HEAP" "-Xlog:gc:file=$logf.gc:uptime")
    # shellcheck disable=SC2206
    opts+=($JAVA_EXTRA_OPTS)
    t0=$(now_ms)
    if [[ "$app" == portlink ]]; then
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
            PORTLINK_IMPORT_MAX_ROWS=2000000 PORTLINK_IMPORT_MAX_BYTES=1073741824 QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE=1100M \
            java "${opts[@]}" -jar "$PL_JAR" >"$logf" 2>&1 &
        url="$MGMT/q/health/ready" # the management interface (lib.sh)
    elif [[ "$app" == features ]]; then
        env QUARKUS_HTTP_PORT="$FEATURES_PORT" QUARKUS_MANAGEMENT_PORT="$((FEATURES_PORT + 1000))" \
            QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$BARE_DB?currentSchema=features" \
            QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
            java "${opts[@]}" -jar "$FEATURES_JAR" >"$logf" 2>&1 &
        url="http://127.0.0.1:$((FEATURES_PORT + 1000))/q/health/ready"
    else
        env QUARKUS_HTTP_PORT="$BARE_PORT" \
            QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$BARE_DB" \
            QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
            java "${opts[@]}" -jar "$BARE_JAR" >"$logf" 2>&1 &
        url="$BARE_BASE$(head -n 1 "$WORK/tokens-bare-a.txt")"
    fi
    SVC_PID=$!
    until curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; do
        kill -0 "$SVC_PID" 2>/dev/null || { tail -n 40 "$logf" >&2; die "$app exited while starting"; }
        (($(now_ms) - t0 < READY_TIMEOUT * 1000)) || { tail -n 40 "$logf" >&2; die "$app not ready after ${READY_TIMEOUT}s"; }
        sleep 0.05
    done
    READY_MS=$(($(now_ms) - t0))
    STARTED_IN=$(sed -n 's/.* started in \([0-9.]*\)s.*/\1/p' "$logf" | head -n 1)
    log "$app ready after ${READY_MS} ms (Quarkus: started in ${STARTED_IN:-?}s; pid $SVC_PID, load $(load1))"
}

stop_app() {
    [[ -n "$SVC_PID" ]] || return 0
    kill "$SVC_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$SVC_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$SVC_PID" 2>/dev/null || true
    wait "$SVC_PID" 2>/dev/null || true
    SVC_PID=""
}

api() { # METHOD PATH CONTENT-TYPE BODY-FILE: the answer's body on stdout; fails on a status >= 300
    local out code
    out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $API_KEY" -H "Content-Type: $3" \
        --data-binary @"$4" "$BASE$2") || die "curl $1 $2"
    code=${out##*$'\n'}
    ((code < 300)) || die "$1 $2 answered $code: ${out%$'\n'*}"
    printf '%s\n' "${out%$'\n'*}"
}

db_exists() { [[ "$(pg -d postgres -Atc "select 1 from pg_database where datname = '$1'")" == 1 ]]; }
marker() { pg -d "$1" -Atc "select rows || ' ' || seconds from bench_seed" 2>/dev/null || true; }

# ---------------------------------------------------------------------------------------------------------------
# 2. Seeding (once; reused while the marker says the same sizes)
# ---------------------------------------------------------------------------------------------------------------
seed_bare() {
    local want="$BARE_ROWS" have t0
    have=$(db_exists "$BARE_DB" && marker "$BARE_DB" || true)
    if [[ "${have%% *}" == "$want" ]]; then
        BARE_SEED_S=${have#* }; log "$BARE_DB already seeded with $want rows (in ${BARE_SEED_S}s then)"; return
    fi
    log "seeding $BARE_DB with $want rows"
    t0=$(now_ms)
    pg -d postgres -c "drop database if exists $BARE_DB with (force)" -c "create database $BARE_DB"
    pg -d "$BARE_DB" -v rows="$want" <<SQL
create table bare_link (id bigint primary key, token_hash varchar(64) not null, reference varchar(40) not null,
    vendor_name varchar(200) not null, title varchar(200) not null, due_date date not null, amount numeric(12, 2) not null,
    open_count integer not null default 0);
insert into bare_link (id, token_hash, reference, vendor_name, title, due_date, amount)
    select g, encode(sha256(convert_to($(token_sql pv_ bare g), 'UTF8')), 'hex'), 'PO-' || lpad(g::text, 7, '0'),
        'Vendor ' || (g % 5000) || ' Ltd', 'Steel bolts, hex washers and flanges, batch ' || g,
        date '2026-01-05' + (g % 120), (g % 100000) / 100.0 + 10
    from generate_series(1, :rows) g;
create unique index bare_link_token_uk on bare_link (token_hash);
-- the CSV of bench/gen_orders.py, as it is
create table bare_line (reference text, vendor_name text, vendor_email text, vendor_phone text, delivery_address text,
    requested_date date, sku text, description text, quantity numeric, unit text, unit_price numeric(12, 2),
    currency char(3));
vacuum analyze;
create table bench_seed (rows bigint, seconds numeric);
SQL
    BARE_SEED_S=$(calc "($(now_ms) - $t0) / 1000")
    pg -d "$BARE_DB" -c "insert into bench_seed values ($want, round($BARE_SEED_S, 1))"
    log "$BARE_DB seeded in ${BARE_SEED_S}s"
}

seed_portlink() {
    local want="$ORDERS/$SHIPMENTS/$VENDORS" have t0 tpl="$WORK/template"
    have=$(db_exists "$DB_NAME" && marker "$DB_NAME" || true)
    if [[ "${have%% *}" == "$want" ]]; then
        PL_SEED_S=${have#* }; log "$DB_NAME already seeded: $want orders/shipments/vendors (in ${PL_SEED_S}s then)"; return
    fi
    log "seeding $DB_NAME: $ORDERS orders over $VENDORS vendors, $SHIPMENTS shipments"
    t0=$(now_ms)
    pg -d postgres -c "drop database if exists $DB_NAME with (force)" -c "create database $DB_NAME"
    launch portlink "$WORK/seed-service.log" # runs the Flyway migrations
    # the templates, through the service's own imports; "qzq" marks what each clone makes unique
    printf '%s\n' "reference,vendor_name,vendor_email,vendor_phone,delivery_address,requested_date,sku,description,quantity,unit,unit_price,currency" \
        "PO-qzq,Vendor qzq Ltd,orders@qzq.example,+44 20 7946 0000,\"Unit 4, Harbour Road, Bristol BS1 5AA\",2026-03-02,SKU-00011,steel bolt hex washer 1,120,pcs,12.50,EUR" \
        "PO-qzq,Vendor qzq Ltd,orders@qzq.example,+44 20 7946 0000,\"Unit 4, Harbour Road, Bristol BS1 5AA\",2026-03-02,SKU-00012,copper pipe fitting clamp 2,40,m,3.20,EUR" \
        "PO-qzq,Vendor qzq Ltd,orders@qzq.example,+44 20 7946 0000,\"Unit 4, Harbour Road, Bristol BS1 5AA\",2026-03-02,SKU-00013,nylon seal gasket ring 3,500,pcs,0.85,EUR" \
        "PO-qzq,Vendor qzq Ltd,orders@qzq.example,+44 20 7946 0000,\"Unit 4, Harbour Road, Bristol BS1 5AA\",2026-03-02,SKU-00014,bearing hinge panel spring 4,12,box,48.00,EUR" \
        >"$tpl-order.csv"
    api POST /api/v1/purchase-orders/import 'text/csv; charset=UTF-8' "$tpl-order.csv" >"$tpl-order.json"
    printf '%s\n' "reference,title,customer_name,customer_email,customer_language,ship_from,ship_to,stage,estimated_arrival,pickup_name,pickup_address,delivery_name,delivery_address" \
        "SH-qzq,Load qzq: 18 pallets of tiles,Customer qzq,c@qzq.example,en,\"Hafenstrasse 1, 20457 Hamburg\",\"Rue de la Gare 5, 69002 Lyon\",,,Depot Hamburg,\"Hafenstrasse 1, 20457 Hamburg\",Customer site,\"Rue de la Gare 5, 69002 Lyon\"" \
        >"$tpl-shipment.csv"
    api POST /api/v1/shipments/import 'text/csv; charset=UTF-8' "$tpl-shipment.csv" >"$tpl-shipment.json"
    # a tracking link, unless the import made one already (a milestone rule): then this answers an error, fine
    curl -sS -o "$tpl-link.json" -X POST -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
        --data-binary '{}' "$BASE/api/v1/shipments/SH-qzq/tracking-link" || true
    stop_app
    local ids
    ids=$(pg -d "$DB_NAME" -At -F ' ' -c "
        select o.id, o.vendor_id, lo.id, s.id, ls.id
          from purchase_order o, shipment s, access_link lo, access_link ls
         where o.reference = 'PO-qzq' and s.reference = 'SH-qzq'
           and lo.purchase_order_id = o.id and lo.scope = 'VENDOR_ORDER' and lo.revoked_at is null
           and ls.shipment_id = s.id and ls.scope = 'CUSTOMER_SHIPMENT' and ls.revoked_at is null")
    [[ -n "$ids" ]] || die "templates not found in $DB_NAME (see $WORK/template-*.json)"
    read -r o v lo s ls <<<"$ids"
    log "templates: order $o (vendor $v, link $lo), shipment $s (link $ls); cloning"
    pg -d "$DB_NAME" -v orders="$ORDERS" -v vendors="$VENDORS" -v shipments="$SHIPMENTS" -v order_id="$o" \
        -v vendor_id="$v" -v order_link_id="$lo" -v shipment_id="$s" -v shipment_link_id="$ls" \
        -f "$HERE/perf-seed.sql" >"$WORK/seed-sql.log" 2>&1 || { tail -n 30 "$WORK/seed-sql.log" >&2; die "seeding failed"; }
    grep -h 'seeded' "$WORK/seed-sql.log" | sed 's/^.*NOTICE: *//' >&2 || true
    log "vacuum analyze (autovacuum may be off here)"
    pg -d "$DB_NAME" -c "vacuum analyze"
    PL_SEED_S=$(calc "($(now_ms) - $t0) / 1000")
    pg -d "$DB_NAME" -c "create table bench_seed (rows text, seconds numeric)" \
        -c "insert into bench_seed values ('$want', round($PL_SEED_S, 1))"
    log "$DB_NAME seeded in ${PL_SEED_S}s"
}

seed_bare
seed_portlink
read -r DB_ORDERS DB_SHIPMENTS DB_LINES DB_STOPS DB_LINKS < <(pg -d "$DB_NAME" -At -F ' ' -c \
    "select (select count(*) from purchase_order), (select count(*) from shipment), (select count(*) from order_line),
            (select count(*) from shipment_stop), (select count(*) from access_link)")
DB_SIZE=$(pg -d "$DB_NAME" -At -c "select pg_size_pretty(pg_database_size(current_database()))")
log "$DB_NAME: $DB_ORDERS orders, $DB_LINES order lines, $DB_SHIPMENTS shipments, $DB_STOPS stops, $DB_LINKS links, $DB_SIZE"

# token samples: seeded links whose stored hash is the hash of the token derived from their id
sample_tokens() { # SCOPE PREFIX PATH OUT
    pg -d "$DB_NAME" -At -c "
        select '$3' || tok from (
            select $(token_sql "$2" bench id) as tok, token_hash from access_link
             where scope = '$1' and revoked_at is null order by random() limit $((TOKENS * 2))) x
         where token_hash = encode(sha256(convert_to(tok, 'UTF8')), 'hex') limit $TOKENS" >"$4"
    [[ $(wc -l <"$4") -gt 0 ]] || die "no valid $1 tokens in $DB_NAME"
}
sample_tokens VENDOR_ORDER pv_ /v/ "$WORK/tokens-v.txt"
sample_tokens CUSTOMER_SHIPMENT pt_ /t/ "$WORK/tokens-t.txt"
pg -d "$BARE_DB" -At -c "select '/a/' || $(token_sql pv_ bare g) from generate_series(1, $BARE_ROWS, greatest(1, $BARE_ROWS / $TOKENS)) g limit $TOKENS" >"$WORK/tokens-bare-a.txt"
sed 's|^/a/|/b/|' "$WORK/tokens-bare-a.txt" >"$WORK/tokens-bare-b.txt"

# ---------------------------------------------------------------------------------------------------------------
# 3. Start to ready, alternating
# ---------------------------------------------------------------------------------------------------------------
declare -A READY STARTED STARTLOAD
part() { [[ " $PARTS " == *" $1 "* ]]; }
part start || STARTS=0
for i in $(seq 1 "$STARTS"); do
    for app in portlink bare; do
        STARTLOAD[$app]+="$(load1) "
        launch "$app" "$WORK/start-$app-$i.log"
        READY[$app]+="$READY_MS "; STARTED[$app]+="${STARTED_IN:-0} "
        stop_app
    done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# ---------------------------------------------------------------------------------------------------------------
# 4. Pages: warm-up, closed-loop max, open-loop fixed rate
# ---------------------------------------------------------------------------------------------------------------
val() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }
declare -A R # R[label.key]
measure_page() { # LABEL BASE DB TOKENS-FILE
    local label=$1 base=$2 db=$3 tokens=$4 cpu0 cpu1 pg0 pg1 res n
    log "$label: warm-up ${WARMUP}s closed loop"
    PL_TOKENS="$tokens" PL_RATE=100000000 PL_UA="$UA" wrk -t1 -c"$CONNECTIONS" -d"$WARMUP"s --timeout 5s \
        -s "$HERE/page.lua" "$base" >"$WORK/wrk-$label-warmup.txt" 2>&1 || true
    log "$label: max throughput, ${DURATION}s closed loop, $CONNECTIONS connections"
    R[$label.max_load]=$(load1)
    cpu0=$(proc_cpu "$SVC_PID"); pg0=$(pg_db_cpu "$db")
    PL_TOKENS="$tokens" PL_RATE=100000000 PL_UA="$UA" PL_OUT="$WORK/wrk-$label-max.result" wrk -t1 \
        -c"$CONNECTIONS" -d"$DURATION"s --timeout 5s --latency -s "$HERE/page.lua" "$base" \
        >"$WORK/wrk-$label-max.txt" 2>&1 || true
    cpu1=$(proc_cpu "$SVC_PID"); pg1=$(pg_db_cpu "$db")
    R[$label.max_load]="${R[$label.max_load]}→$(load1)"
    res=$(tail -n 1 "$WORK/wrk-$label-max.result" 2>/dev/null) || die "$label: wrk gave no result ($WORK/wrk-$label-max.txt)"
    n=$(val requests "$res")
    R[$label.max_rps]=$(printf '%.0f' "$(val rps "$res")")
    R[$label.max_bad]=$(calc "$(val non200 "$res") + $(val connect_err "$res") + $(val read_err "$res") + $(val timeout_err "$res")")
    R[$label.cpu]=$(div "($cpu1 - $cpu0) * 1000" "$n")
    R[$label.pgcpu]=$(div "($pg1 - $pg0) * 1000" "$n")
    log "$label: ${R[$label.max_rps]} req/s, JVM $(printf '%.2f' "${R[$label.cpu]}") ms CPU/request, PostgreSQL $(printf '%.2f' "${R[$label.pgcpu]}") ms"
    log "$label: ${FIXED_RATE} req/s open loop for ${DURATION}s"
    R[$label.fix_load]=$(load1)
    cpu0=$(proc_cpu "$SVC_PID")
    if [[ "$OPENLOOP" == c ]]; then
        local hostport=${base#http://}
        res=$("$WORK/openloop/openloop" "${hostport%:*}" "${hostport##*:}" "$tokens" "$FIXED_RATE" "$DURATION" \
            "$MAX_IN_FLIGHT" "$UA" 2>"$WORK/openloop-$label.err")
    else
        res=$(java -cp "$WORK/openloop" OpenLoop "$base" "$tokens" "$FIXED_RATE" "$DURATION" "$MAX_IN_FLIGHT" "$UA" \
            2>"$WORK/openloop-$label.err")
    fi || die "$label: open-loop generator failed: $(head -c 500 "$WORK/openloop-$label.err")"
    cpu1=$(proc_cpu "$SVC_PID")
    echo "$res" >"$WORK/openloop-$label.txt"
    R[$label.fix_load]="${R[$label.fix_load]}→$(load1)"
    R[$label.fix_rps]=$(printf '%.0f' "$(val rps "$res")")
    R[$label.p50]=$(val p50_ms "$res"); R[$label.p99]=$(val p99_ms "$res")
    R[$label.fix_bad]=$(calc "$(val non200 "$res") + $(val errors "$res") + $(val timeouts "$res") + $(val dropped "$res")")
    R[$label.fix_cpu]=$(div "($cpu1 - $cpu0) * 1000" "$(val answered "$res")")
    log "$label: $res"
}

# ---------------------------------------------------------------------------------------------------------------
# 5. Imports
# ---------------------------------------------------------------------------------------------------------------
import_portlink() { # LINES CSV
    local n=$1 csv=$2 gc_before jstat_pid out code secs heap maxafter load0
    gc_before=$(wc -l <"$WORK/portlink-import.log.gc")
    jstat -gc "$SVC_PID" 200 >"$WORK/jstat-import-$n.txt" 2>&1 &
    jstat_pid=$!
    SAMPLER_PIDS+=("$jstat_pid")
    sleep 1
    load0=$(load1)
    out=$(curl -sS -o "$WORK/import-$n.json" -w '%{http_code} %{time_total}' --max-time 3600 \
        -H "Authorization: Bearer $API_KEY" -H 'Content-Type: text/csv; charset=UTF-8' \
        --data-binary @"$csv" "$BASE/api/v1/purchase-orders/import") || out="000 0"
    sleep 0.6
    kill "$jstat_pid" 2>/dev/null || true; wait "$jstat_pid" 2>/dev/null || true
    read -r code secs <<<"$out"
    read -r heap _ < <(jstat_summary "$WORK/jstat-import-$n.txt")
    read -r maxafter _ < <(tail -n +"$((gc_before + 1))" "$WORK/portlink-import.log.gc" | gc_log_summary)
    R[imp$n.load]="$load0→$(load1)"
    R[imp$n.code]=$code
    R[imp$n.rate]=$(div "$n" "$secs")
    R[imp$n.heap]=$heap; R[imp$n.live]=$maxafter
    [[ "$code" == 200 ]] || log "import of $n lines: HTTP $code: $(head -c 1000 "$WORK/import-$n.json")"
    log "Portlink import of $n lines: HTTP $code in ${secs}s = $(printf '%.0f' "${R[imp$n.rate]}") lines/s;" \
        "peak used heap ${heap} MB, largest heap after GC ${maxafter} MB"
}

import_bare() { # LINES CSV
    local n=$1 csv=$2 out code secs load0
    pg -d "$BARE_DB" -c "truncate bare_line"
    load0=$(load1)
    out=$(curl -sS -o "$WORK/copy-$n.txt" -w '%{http_code} %{time_total}' --max-time 3600 \
        -H 'Content-Type: text/csv' --data-binary @"$csv" "$BARE_BASE/copy") || out="000 0"
    read -r code secs <<<"$out"
    R[copy$n.load]="$load0→$(load1)"
    R[copy$n.code]=$code
    R[copy$n.rate]=$(div "$n" "$secs")
    log "bare COPY of $n lines: HTTP $code in ${secs}s = $(printf '%.0f' "${R[copy$n.rate]}") lines/s ($(head -c 100 "$WORK/copy-$n.txt"))"
}

# The schema's own ceiling for one transaction: PostgreSQL's CPU to COPY the rows Portlink's import of LINES wrote
# (orders, lines, timeline entries, vendor links: the same rows, ids and references shifted) into the same tables, with
# their indexes, foreign keys and checks, in one transaction that is rolled back. Only the COPY statements are timed;
# the rows are read out beforehand. LINES / CPU-s is what one backend could take in if the service cost nothing.
import_ceiling() { # LINES
    local n=$1 prefix="P${STAMP//-/}-$1" out t0 t1 w0 w1 t
    t=$(getconf CLK_TCK)
    out=$(pg -d "$DB_NAME" -At <<SQL
select pg_backend_pid() as pid \gset
\setenv PID :pid
begin;
create temp table c_po on commit drop as select * from purchase_order where reference like '$prefix-%';
create temp table c_line on commit drop as select l.* from order_line l join c_po p on p.id = l.order_id;
create temp table c_te on commit drop as select e.* from timeline_entry e join c_po p on p.id = e.purchase_order_id;
create temp table c_al on commit drop as select a.* from access_link a join c_po p on p.id = a.purchase_order_id;
update c_po set id = id + 1000000000000, reference = 'C' || reference;
update c_line set id = id + 1000000000000, order_id = order_id + 1000000000000;
update c_te set id = id + 1000000000000, purchase_order_id = purchase_order_id + 1000000000000;
update c_al set id = id + 1000000000000, purchase_order_id = purchase_order_id + 1000000000000,
    token_hash = md5(token_hash) || substr(token_hash, 33);
\copy c_po to '$WORK/ceiling-po.tsv'
\copy c_line to '$WORK/ceiling-line.tsv'
\copy c_te to '$WORK/ceiling-te.tsv'
\copy c_al to '$WORK/ceiling-al.tsv'
select count(*) from c_line;
\! awk -v t=$t '{ printf "%s ", (\$14 + \$15) / t }' /proc/\$PID/stat; date +%s.%N
\copy purchase_order from '$WORK/ceiling-po.tsv'
\copy order_line from '$WORK/ceiling-line.tsv'
\copy timeline_entry from '$WORK/ceiling-te.tsv'
\copy access_link from '$WORK/ceiling-al.tsv'
\! awk -v t=$t '{ printf "%s ", (\$14 + \$15) / t }' /proc/\$PID/stat; date +%s.%N
rollback;
SQL
    ) || die "ceiling of $n lines: psql failed"
    rm -f "$WORK"/ceiling-*.tsv
    { read -r lines; read -r t0 w0; read -r t1 w1; } <<<"$out"
    [[ "$lines" == "$n" ]] || die "ceiling of $n lines: found $lines imported lines"
    R[ceil$n.cpu]=$(calc "$t1 - $t0")
    R[ceil$n.rate]=$(div "$n" "${R[ceil$n.cpu]}")
    R[ceil$n.wall]=$(div "$n" "$(calc "$w1 - $w0")")
    log "PostgreSQL alone, the same $n lines into Portlink's tables: $(printf '%.2f' "${R[ceil$n.cpu]}") CPU-s =" \
        "$(printf '%.0f' "${R[ceil$n.rate]}") lines/s of CPU ($(printf '%.0f' "${R[ceil$n.wall]}") lines/s wall)"
}

for n in $IMPORT_LINES; do
    python3 "$HERE/gen_orders.py" "$WORK/orders-$n.csv" --orders $((n / 4)) --lines 4 --vendors 500 \
        --prefix "P${STAMP//-/}-$n" --seed "$n" >/dev/null
done

part import || IMPORT_LINES=""
# Portlink: its pages, its RSS after load, its imports
if part pages; then
    launch portlink "$WORK/portlink.log"
    measure_page v "$BASE" "$DB_NAME" "$WORK/tokens-v.txt"
    measure_page t "$BASE" "$DB_NAME" "$WORK/tokens-t.txt"
    RSS_PL=$(rss_mb "$SVC_PID"); RSS_PL_LOAD=$(load1)
    stop_app
fi
# the imports in a Portlink of its own, started with IMPORT_HEAP as its largest heap: an import that needed more would
# fail, and no garbage of the page loads is counted as the import's
if part import; then
    PAGE_HEAP=$HEAP; HEAP=$IMPORT_HEAP
    launch portlink "$WORK/portlink-import.log"
    for n in $IMPORT_LINES; do import_portlink "$n" "$WORK/orders-$n.csv"; done
    stop_app
    for n in $IMPORT_LINES; do [[ "${R[imp$n.code]}" == 200 ]] && import_ceiling "$n"; done
    HEAP=$PAGE_HEAP
fi
# bare: the same
launch bare "$WORK/bare.log"
if part pages; then
    measure_page a "$BARE_BASE" "$BARE_DB" "$WORK/tokens-bare-a.txt"
    measure_page b "$BARE_BASE" "$BARE_DB" "$WORK/tokens-bare-b.txt"
    RSS_BARE=$(rss_mb "$SVC_PID"); RSS_BARE_LOAD=$(load1)
fi
for n in $IMPORT_LINES; do import_bare "$n" "$WORK/orders-$n.csv"; done
stop_app
# the bare app with the features: its Flyway creates features.bare_link at the first start, then the same rows
if part pages && [[ "$FEATURES" == 1 ]]; then
    launch features "$WORK/features.log"
    if [[ "$(pg -d "$BARE_DB" -Atc "select count(*) from features.bare_link")" != "$BARE_ROWS" ]]; then
        log "copying $BARE_ROWS rows into features.bare_link"
        pg -d "$BARE_DB" -q -c "truncate features.bare_link" \
            -c "insert into features.bare_link select * from public.bare_link" -c "analyze features.bare_link"
    fi
    measure_page f "$FEATURES_BASE" "$BARE_DB" "$WORK/tokens-bare-a.txt"
    RSS_F=$(rss_mb "$SVC_PID")
    stop_app
fi

# ---------------------------------------------------------------------------------------------------------------
# 6. Summary
# ---------------------------------------------------------------------------------------------------------------
pass() { if awk "BEGIN { exit !($1) }"; then echo "PASS"; else echo "**FAIL**"; fi; }
f0() { printf '%.0f' "$1"; }
f2() { printf '%.2f' "$1"; }
if part start; then
    RM_PL=$(median <<<"${READY[portlink]}"); RM_BARE=$(median <<<"${READY[bare]}")
    SI_PL=$(median <<<"${STARTED[portlink]}"); SI_BARE=$(median <<<"${STARTED[bare]}")
fi
JAVA_V=$(java -version 2>&1 | sed -n 1p)
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
SRC_REV=$(git -C "$ROOT" log -1 --format=%h -- src/main pom.xml 2>/dev/null || echo "?") # the service's last change
page_rows() { # LABEL NAME
    local l=$1 name=$2
    echo "| $name: max throughput, closed loop, $CONNECTIONS conn. | $(f0 "${R[$l.max_rps]}") req/s (${R[$l.max_bad]} errors) | A $(f0 "${R[a.max_rps]}") / B $(f0 "${R[b.max_rps]}") | $(f2 "$(div "${R[$l.max_rps]}" "${R[a.max_rps]}")") of A, $(f2 "$(div "${R[$l.max_rps]}" "${R[b.max_rps]}")") of B | ≥ 0.60 of A | $(pass "${R[$l.max_rps]} >= 0.6 * ${R[a.max_rps]}") | ${R[$l.max_load]} / ${R[a.max_load]} |"
    echo "| $name: $FIXED_RATE req/s open loop: achieved, p50 / p99 | $(f0 "${R[$l.fix_rps]}") req/s, $(f2 "${R[$l.p50]}") / **$(f2 "${R[$l.p99]}")** ms (${R[$l.fix_bad]} errors) | A: $(f0 "${R[a.fix_rps]}"), $(f2 "${R[a.p50]}") / $(f2 "${R[a.p99]}") ms | p99 $(f2 "$(div "${R[$l.p99]}" "${R[a.p99]}")")× A | p99 ≤ 10 ms at ≥ 98 % of $FIXED_RATE | $(pass "${R[$l.p99]} <= 10 && ${R[$l.fix_rps]} >= 0.98 * $FIXED_RATE && ${R[$l.fix_bad]} == 0") | ${R[$l.fix_load]} / ${R[a.fix_load]} |"
    echo "| $name: JVM / PostgreSQL CPU ms per request (closed loop; JVM at $FIXED_RATE req/s) | $(f2 "${R[$l.cpu]}") / $(f2 "${R[$l.pgcpu]}") ($(f2 "${R[$l.fix_cpu]}")) | A $(f2 "${R[a.cpu]}") / $(f2 "${R[a.pgcpu]}") ($(f2 "${R[a.fix_cpu]}")) | $(f2 "$(div "${R[$l.cpu]}" "${R[a.cpu]}")")× A | | | |"
}
{
    echo "## Portlink against bare Quarkus, $STAMP"
    echo
    echo "Commit $GIT_REV (service code as of $SRC_REV$(git -C "$ROOT" diff --quiet HEAD -- src/main pom.xml 2>/dev/null || echo ", with uncommitted changes")), JVM mode \`java -Xmx$HEAP${JAVA_EXTRA_OPTS:+ $JAVA_EXTRA_OPTS} -jar quarkus-run.jar\` ($JAVA_V), PostgreSQL" \
        "$(pg -d postgres -At -c 'show server_version') and the load generators on the same machine, $(nproc) cores," \
        "$(date -u '+%Y-%m-%d %H:%M UTC')."
    echo "Portlink database: $DB_ORDERS orders ($DB_LINES lines, $VENDORS+ vendors), $DB_SHIPMENTS shipments ($DB_STOPS stops)," \
        "$DB_LINKS links, $DB_SIZE; seeded in ${PL_SEED_S}s. Bare: $BARE_ROWS rows, seeded in ${BARE_SEED_S}s." \
        "Pages: $TOKENS tokens round-robin, warm-up ${WARMUP}s, measures ${DURATION}s. Load: 1-min load average" \
        "before→after each measure (Portlink / bare)."
    echo
    echo "| Measure | Portlink | Bare | Ratio | Target | Result | Load avg |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    part start && echo "| Start to ready, median of $STARTS (ms) | $RM_PL (${READY[portlink]% }) | $RM_BARE (${READY[bare]% }) | $(f2 "$(div "$RM_PL" "$RM_BARE")")× | ≤ 1.2× | $(pass "$RM_PL <= 1.2 * $RM_BARE") | ${STARTLOAD[portlink]% } / ${STARTLOAD[bare]% } |"
    part start && echo "| Quarkus \"started in\", median (s) | $SI_PL | $SI_BARE | $(f2 "$(div "$SI_PL" "$SI_BARE")")× | | | |"
    if part pages; then
    page_rows v "GET /v/{token}"
    page_rows t "GET /t/{token}"
    echo "| Bare B (read + 1 UPDATE): $FIXED_RATE req/s, p50 / p99; CPU | | $(f0 "${R[b.fix_rps]}") req/s, $(f2 "${R[b.p50]}") / $(f2 "${R[b.p99]}") ms; $(f2 "${R[b.cpu]}") / $(f2 "${R[b.pgcpu]}") ms | | | | ${R[b.fix_load]} |"
    if [[ "$FEATURES" == 1 ]]; then
    echo "| Bare A with the features: max throughput; $FIXED_RATE req/s p50 / p99; JVM / PostgreSQL CPU ms | | $(f0 "${R[f.max_rps]}") req/s (${R[f.max_bad]} errors); $(f2 "${R[f.p50]}") / $(f2 "${R[f.p99]}") ms; $(f2 "${R[f.cpu]}") / $(f2 "${R[f.pgcpu]}") ms; RSS $RSS_F MB | $(f2 "$(div "${R[f.max_rps]}" "${R[a.max_rps]}")") of A; /v/ $(f2 "$(div "${R[v.max_rps]}" "${R[f.max_rps]}")") and /t/ $(f2 "$(div "${R[t.max_rps]}" "${R[f.max_rps]}")") of it | | | ${R[f.max_load]} |"
    fi
    echo "| RSS after the page loads | $RSS_PL MB | $RSS_BARE MB | $(f2 "$(div "$RSS_PL" "$RSS_BARE")")× | reported | | $RSS_PL_LOAD / $RSS_BARE_LOAD |"
    fi
    for n in $IMPORT_LINES; do
        echo "| CSV import, $n lines: lines/s (bare: COPY) | $(f0 "${R[imp$n.rate]}") (HTTP ${R[imp$n.code]}) | $(f0 "${R[copy$n.rate]}") (HTTP ${R[copy$n.code]}) | $(f2 "$(div "${R[imp$n.rate]}" "${R[copy$n.rate]}")") of COPY | ≥ 50,000 | $(pass "${R[imp$n.rate]} >= 50000 && ${R[imp$n.code]} == 200") | ${R[imp$n.load]} / ${R[copy$n.load]} |"
        echo "| CSV import, $n lines: PostgreSQL alone, COPY of the rows Portlink wrote into its tables (rolled back): CPU-s → lines/s | ${R[ceil$n.cpu]:-?} CPU-s → **$(f0 "${R[ceil$n.rate]:-0}")** lines/s ($(f0 "${R[ceil$n.wall]:-0}") wall) | | Portlink $(f2 "$(div "${R[imp$n.rate]}" "${R[ceil$n.rate]:-1}")") of it | | | |"
        echo "| CSV import, $n lines: heap peak used / largest after GC (MB), -Xmx$IMPORT_HEAP | ${R[imp$n.heap]} / **${R[imp$n.live]}** | | | after GC ≤ 128 | $(pass "${R[imp$n.live]} <= 128 && ${R[imp$n.code]} == 200") | |"
    done
    echo
    echo "Raw files: ${WORK#"$ROOT"/}/"
} | tee "$SUMMARY"
log "summary written to $SUMMARY"
