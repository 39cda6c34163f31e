#!/usr/bin/env bash
# Portlink benchmark of a personal-data erasure on a large organisation (JVM mode, packaged prod build, local
# PostgreSQL): POST /api/v1/personal-data/erasures on bench/perf.sh's database (1,000,000 orders and 1,000,000
# shipments of one organisation), with a small heap.
#
# Plants, in one transaction, two customers among the seeded shipments, and texts that mention them or only look like
# them:
#   - a customer known by phone (+44 7700 900123) on PERSON_SHIPMENTS shipments, with an e-mail address there that the
#     erasure learns; timeline entries on those shipments that write the phone nationally (07700 900123) and
#     PERSON_SHIPMENTS entries on other shipments that write it internationally with other spacing;
#   - a customer known by e-mail on PERSON_SHIPMENTS other shipments, their address in as many timeline entries;
#   - DECOYS timeline entries whose text holds the phone's digits in order among other numbers ("Lot 7: 0 damaged, 0
#     lost, 9 fine …"): no phone, and no erasure may touch them.
# Then erases the first customer by phone and the second by e-mail, each timed (the HTTP round trip) with the service's
# largest heap after a GC during the request, and checks from the database that nothing of either is left and every
# decoy is as it was. Afterwards the planted texts go and the seeded rows the erasures changed are put back (the
# erasures' audit rows stay); a repeated run plants new customers (the numbers carry the run's stamp).
#
# Needs: java 17, psql, curl, python3, and DB_NAME seeded by bench/perf.sh (QUICK=1 bench/perf.sh seeds a small one).
#   bench/erasure.sh
#   HEAP=128m DECOYS=500000 bench/erasure.sh
# Output: a summary table on stdout and in bench/results/erasure-<date>.md; raw files in bench/results/erasure-<date>/.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

DB_NAME=${DB_NAME:-portlink_perf}
RUN_NAME=erasure
PORT=${PORT:-28160}
HEAP=${HEAP:-256m}                      # -Xmx of the service: an erasure must not need the organisation's size
PERSON_SHIPMENTS=${PERSON_SHIPMENTS:-50} # shipments (and texts) of each customer
DECOYS=${DECOYS:-100000}                # texts with the phone's digits in order, not the phone

# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
require_tools java jcmd psql curl python3
SUMMARY="$RESULTS/erasure-$STAMP.md"
PSQL=(pg -d "$DB_NAME" -At)

"${PSQL[@]}" -c "select rows from bench_seed" >/dev/null 2>&1 ||
    die "$DB_NAME is not seeded: run bench/perf.sh first (QUICK=1 for a small database)"
ORG=$("${PSQL[@]}" -c "select id from organization order by id limit 1")
SHIPMENTS=$("${PSQL[@]}" -c "select count(*) from shipment where organization_id = $ORG")
ENTRIES=$("${PSQL[@]}" -c "select count(*) from timeline_entry where organization_id = $ORG")
log "$DB_NAME: organisation $ORG with $SHIPMENTS shipments and $ENTRIES timeline entries"

# the run's own people: a stamp in their numbers and addresses (6 digits of the clock)
N=$(date +%H%M%S)
PHONE="+44 7700 9$N"
PHONE_NATIONAL="07700 9$N"
PHONE_OTHER="+44 (0)7700-9${N:0:2} ${N:2}"
EMAIL_A="phone-person-$N@customer.example"
EMAIL_B="mail-person-$N@customer.example"
# the phone's shortest form's digits (7009 and the stamp) spread over a text's other numbers
DECOY="Lot 7: 0 damaged, 0 lost, 9 fine, ${N:0:1} late, ${N:1:1} early, ${N:2:1}, ${N:3:1}, ${N:4:1} and ${N:5:1} kg"

log "planting: $PERSON_SHIPMENTS shipments each for $PHONE and $EMAIL_B, their texts, $DECOYS decoy texts"
"${PSQL[@]}" -v ON_ERROR_STOP=1 >/dev/null <<SQL
begin;
create temp table a_ship on commit drop as
    select id from shipment where organization_id = $ORG and customer_phone is null
    order by id offset (select $N % 500000) limit $PERSON_SHIPMENTS;
create temp table b_ship on commit drop as
    select id from shipment where organization_id = $ORG and customer_phone is null and id not in (select id from a_ship)
    order by id desc offset (select $N % 400000) limit $PERSON_SHIPMENTS;
create temp table c_ship on commit drop as
    select id from shipment where organization_id = $ORG and id not in (select id from a_ship union select id from b_ship)
    order by id offset (select $N % 300000 + 1000) limit $PERSON_SHIPMENTS;
-- what the erasures will clear, kept to put back afterwards: the seeded database stays as perf.sh made it
create table bench_erasure_shipment as select id, customer_name, customer_email, customer_phone, customer_key, customer_language, ship_to
    from shipment where id in (select id from a_ship union select id from b_ship);
create table bench_erasure_stop as select id, name, address, latitude, longitude
    from shipment_stop where shipment_id in (select id from a_ship union select id from b_ship);
update shipment set customer_phone = '$PHONE', customer_email = '$EMAIL_A', customer_name = 'Phone Person $N'
    where id in (select id from a_ship);
update shipment set customer_email = '$EMAIL_B', customer_name = 'Mail Person $N' where id in (select id from b_ship);
insert into timeline_entry (id, organization_id, shipment_id, at, actor_type, actor_label, kind, detail, visibility)
    select nextval('timeline_entry_seq'), $ORG, id, now(), 'SYSTEM', 'Portlink', 'BENCH_ERASURE',
        'Driver: call $PHONE_NATIONAL at the gate', 'INTERNAL' from a_ship
    union all
    select nextval('timeline_entry_seq'), $ORG, id, now(), 'SYSTEM', 'Portlink', 'BENCH_ERASURE',
        'Customer asked for a call on $PHONE_OTHER', 'INTERNAL' from c_ship
    union all
    select nextval('timeline_entry_seq'), $ORG, id, now(), 'SYSTEM', 'Portlink', 'BENCH_ERASURE',
        'Mail sent to $EMAIL_B', 'INTERNAL' from b_ship;
insert into timeline_entry (id, organization_id, shipment_id, at, actor_type, actor_label, kind, detail, visibility)
    select nextval('timeline_entry_seq'), $ORG, s.id, now(), 'SYSTEM', 'Portlink', 'BENCH_ERASURE', '$DECOY', 'INTERNAL'
    from (select id from shipment where organization_id = $ORG order by id limit $DECOYS) s;
commit;
SQL

RECREATE_DB=0 start_service

# erase BODY LABEL: the HTTP status, seconds and the largest heap after a GC (MB) during the request
erase() {
    local body=$1 label=$2 gc_before out
    gc_before=$(wc -l <"$WORK/gc.log")
    out=$(curl -sS -o "$WORK/erasure-$label.json" -w '%{http_code} %{time_total}' --max-time 1800 \
        -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
        --data-binary "$body" "$BASE/api/v1/personal-data/erasures") || out="000 0"
    read -r "${label}_code" "${label}_secs" <<<"$out"
    local heap pause collections
    read -r heap pause collections < <(tail -n +"$((gc_before + 1))" "$WORK/gc.log" | gc_log_summary)
    if ((collections == 0)); then heap="none ran"; fi
    printf -v "${label}_heap" '%s' "$heap"
    log "erasure by $label: HTTP $out s; $(head -c 600 "$WORK/erasure-$label.json")"
}
# includeOpen: the planted customers' shipments are not delivered, and the measure is of the whole erasure
erase "{\"phone\":\"$PHONE\",\"includeOpen\":true}" phone
erase "{\"email\":\"$EMAIL_B\",\"includeOpen\":true}" email
RSS=$(rss_mb "$SVC_PID")

left_a=$("${PSQL[@]}" -c "select (select count(*) from shipment where customer_phone = '$PHONE' or customer_email = '$EMAIL_A')
    + (select count(*) from timeline_entry where organization_id = $ORG and (detail like '%$PHONE_NATIONAL%'
       or detail like '%$PHONE_OTHER%' or detail like '%Phone Person $N%'))")
left_b=$("${PSQL[@]}" -c "select (select count(*) from shipment where customer_email = '$EMAIL_B')
    + (select count(*) from timeline_entry where organization_id = $ORG and detail like '%$EMAIL_B%')")
decoys=$("${PSQL[@]}" -c "select count(*) from timeline_entry where organization_id = $ORG and detail = '$DECOY'")
log "putting the seeded rows back"
"${PSQL[@]}" -v ON_ERROR_STOP=1 >/dev/null <<SQL
begin;
delete from timeline_entry where kind = 'BENCH_ERASURE';
update shipment s set customer_name = b.customer_name, customer_email = b.customer_email,
    customer_phone = b.customer_phone, customer_key = b.customer_key, customer_language = b.customer_language,
    ship_to = b.ship_to from bench_erasure_shipment b where s.id = b.id;
update shipment_stop s set name = b.name, address = b.address, latitude = b.latitude, longitude = b.longitude
    from bench_erasure_stop b where s.id = b.id;
drop table bench_erasure_shipment;
drop table bench_erasure_stop;
commit;
SQL
count() { python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('erased', {}).get(sys.argv[2], '?'))" "$1" "$2" 2>/dev/null || echo "?"; }

{
    echo "## Personal-data erasure on a large organisation, $STAMP"
    echo
    echo "Commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?"), JVM mode \`java -Xmx$HEAP -jar quarkus-run.jar\`," \
        "PostgreSQL $(pg -d postgres -At -c 'show server_version') on the same machine, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')."
    echo "Organisation: $SHIPMENTS shipments, $ENTRIES timeline entries before planting $((3 * PERSON_SHIPMENTS)) texts of the two" \
        "customers and $DECOYS decoys."
    echo
    echo "| Erasure | HTTP | Time (s) | Largest heap after a GC (MB) | Shipments / timeline texts erased | Left in the database |"
    echo "| --- | --- | --- | --- | --- | --- |"
    echo "| by phone \`$PHONE\` ($PERSON_SHIPMENTS shipments, e-mail learnt) | $phone_code | $phone_secs | $phone_heap | $(count "$WORK/erasure-phone.json" shipmentCustomers) / $(count "$WORK/erasure-phone.json" timelineTexts) | $left_a |"
    echo "| by e-mail \`$EMAIL_B\` ($PERSON_SHIPMENTS shipments) | $email_code | $email_secs | $email_heap | $(count "$WORK/erasure-email.json" shipmentCustomers) / $(count "$WORK/erasure-email.json" timelineTexts) | $left_b |"
    echo
    echo "Decoy texts unchanged: $decoys of $DECOYS. RSS after: $RSS MB."
    echo
    echo "Raw files: ${WORK#"$ROOT"/}/"
} | tee "$SUMMARY"
log "summary written to $SUMMARY"
[[ "$phone_code" == 201 && "$email_code" == 201 && "$left_a" == 0 && "$left_b" == 0 && "$decoys" == "$DECOYS" ]] ||
    die "an erasure failed or left something: see above"
