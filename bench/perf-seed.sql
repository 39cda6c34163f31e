-- Set-based seeding of Portlink's schema for bench/perf.sh: clones one template purchase order (made through the CSV
-- import: vendor, lines, vendor link) into :orders orders over :vendors vendors, and one template shipment (made
-- through the shipment import: pickup and delivery stops, tracking link) into :shipments shipments, each with its own
-- active link. Every row of every table that hangs off a template (found by the foreign keys to purchase_order, vendor, shipment
-- and access_link) is copied once per clone, so the copies look like what the service writes; except outbox_message
-- (mail and webhook deliveries: copies still due would be sent during the measures).
-- Text columns holding the marker "qzq" (references, vendor names, e-mail addresses and the keys derived from them)
-- get a per-clone suffix of letters, which keeps unique keys unique through any case-folding or normalisation.
-- A clone's link token is derived from the link's id (see bench_token below), so the bench can rebuild tokens:
--   token = prefix || base64url(sha256('bench:' || link id)) without padding (43 characters), stored as sha256 hex.
-- psql variables: orders, vendors, shipments, order_id, vendor_id, order_link_id, shipment_id, shipment_link_id.
\set ON_ERROR_STOP 1
\timing on

create or replace function pg_temp.letters(n bigint) returns text language sql immutable as
    $$ select translate(lpad(n::text, 7, '0'), '0123456789', 'abcdefghij') $$;
create or replace function pg_temp.bench_token(prefix text, link_id bigint) returns text language sql immutable as
    $$ select prefix || translate(rtrim(encode(sha256(convert_to('bench:' || link_id, 'UTF8')), 'base64'), '='), '+/', '-_') $$;

-- clone(tbl, src, cond, overrides, marker replacement): insert into tbl one copy of each template row t of tbl per
-- row s of src matching cond; a column takes its override expression if given, "id" the next value of <tbl>_seq,
-- (else its default), a text column regexp_replace(t.col, 'qzq', <repl>), any other column the template's value.
create or replace function pg_temp.clone(tbl text, src text, cond text, ov jsonb, repl text) returns bigint
language plpgsql as $$
declare
    c record;
    marked boolean;
    cols text := '';
    exprs text := '';
    n bigint;
    defs text[];
    names text[];
    def text;
    started timestamptz := clock_timestamp();
begin
    for c in select column_name, data_type, column_default from information_schema.columns
              where table_schema = current_schema() and table_name = tbl and is_generated = 'NEVER'
              order by ordinal_position loop
        marked := false;
        if c.data_type in ('text', 'character varying') and not ov ? c.column_name then
            -- only the columns where a template row holds the marker pay for the replacement
            execute format('select coalesce(bool_or(t.%I ilike ''%%qzq%%''), false) from %I t where %s',
                    c.column_name, tbl, cond)
               into marked;
        end if;
        cols := cols || case when cols = '' then '' else ', ' end || quote_ident(c.column_name);
        exprs := exprs || case when exprs = '' then '' else ', ' end || coalesce(ov ->> c.column_name,
            case when c.column_name = 'id' and to_regclass(tbl || '_seq') is not null
                     then format('nextval(%L)', tbl || '_seq')
                 when c.column_name = 'id' and c.column_default is not null then c.column_default
                 when marked then format('regexp_replace(t.%I, ''qzq'', %s, ''gi'')', c.column_name, repl)
                 else 't.' || quote_ident(c.column_name) end);
    end loop;
    -- indexes that back no constraint are dropped for the insert and built again after it: much faster than
    -- maintaining twenty of them (trigram ones too) row by row; primary keys and constraints stay
    select coalesce(array_agg(i.indexdef), '{}'), coalesce(array_agg(quote_ident(i.indexname)), '{}')
      into defs, names
      from pg_indexes i
     where i.schemaname = current_schema() and i.tablename = tbl
       and not exists (select 1 from pg_constraint k where k.conrelid = tbl::regclass and k.conname = i.indexname);
    if cardinality(names) > 0 then
        execute 'drop index ' || array_to_string(names, ', ');
    end if;
    execute format('insert into %I (%s) select %s from %I t, %s where %s', tbl, cols, exprs, tbl, src, cond);
    get diagnostics n = row_count;
    foreach def in array defs loop
        execute def;
    end loop;
    raise notice 'seeded % rows into % (% s)', n, tbl, round(extract(epoch from clock_timestamp() - started)::numeric, 1);
    return n;
end $$;

-- fks(tbl, map): {column: expression} for each single-column foreign key of tbl whose target table is a key of map
create or replace function pg_temp.fks(tbl text, map jsonb) returns jsonb language sql as $$
    select coalesce(jsonb_object_agg(a.attname, map ->> c.confrelid::regclass::text), '{}')
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
     where c.contype = 'f' and c.conrelid = tbl::regclass and cardinality(c.conkey) = 1
       and map ? c.confrelid::regclass::text $$;
-- refs(target): (table, column) of each single-column foreign key to target, outbox_message left out
create or replace function pg_temp.refs(target text) returns table (tbl text, col text) language sql as $$
    select c.conrelid::regclass::text, a.attname::text
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
     where c.contype = 'f' and c.confrelid = target::regclass and cardinality(c.conkey) = 1
       and c.conrelid::regclass::text <> 'outbox_message' order by 1, 2 $$;
create or replace function pg_temp.link_ov(prefix text) returns jsonb language sql as $$
    select jsonb_build_object('id', 's.link_id', 'token_seed', 'null',
        'token_hash', format('encode(sha256(convert_to(pg_temp.bench_token(%L, s.link_id), ''UTF8'')), ''hex'')', prefix),
        'token_hint', format('left(pg_temp.bench_token(%L, s.link_id), 6) || ''…''', prefix)) $$;

-- ---- purchase orders -------------------------------------------------------------------------------------------
create temporary table seed_vendor as
    select g as n, nextval('vendor_seq') as id from generate_series(1, :vendors) g;
create temporary table seed_order as
    select g as n, nextval('purchase_order_seq') as id, null::bigint as vendor_id, nextval('access_link_seq') as link_id
      from generate_series(1, :orders) g;
update seed_order o set vendor_id = v.id from seed_vendor v where v.n = (o.n::bigint * 7919) % :vendors + 1;
analyze seed_vendor;
analyze seed_order;

select pg_temp.clone('vendor', 'seed_vendor s', 't.id = ' || :vendor_id, '{"id": "s.id"}', 'pg_temp.letters(s.n)');
-- the vendor's own rows (contacts ...), not those of an order or a shipment
select pg_temp.clone(r.tbl, 'seed_vendor s', format('t.%I = %s', r.col, :vendor_id), pg_temp.fks(r.tbl, '{"vendor": "s.id"}'),
        'pg_temp.letters(s.n)')
  from pg_temp.refs('vendor') r
 where r.tbl not in (select tbl from pg_temp.refs('purchase_order') union select tbl from pg_temp.refs('shipment'))
   and r.tbl not in ('purchase_order', 'access_link');

select pg_temp.clone('purchase_order', 'seed_order s', 't.id = ' || :order_id,
        '{"id": "s.id"}'::jsonb || pg_temp.fks('purchase_order', '{"vendor": "s.vendor_id"}'), '''o'' || pg_temp.letters(s.n)');
select pg_temp.clone(r.tbl, 'seed_order s',
        format('t.%I = %s', r.col, :order_id) || case when r.tbl = 'access_link' then ' and t.id = ' || :order_link_id else '' end,
        pg_temp.fks(r.tbl, '{"purchase_order": "s.id", "vendor": "s.vendor_id", "access_link": "s.link_id"}')
            || case when r.tbl = 'access_link' then pg_temp.link_ov('pv_') else '{}' end,
        '''o'' || pg_temp.letters(s.n)')
  from pg_temp.refs('purchase_order') r
 where r.tbl <> 'shipment';
select pg_temp.clone(r.tbl, 'seed_order s', format('t.%I = %s', r.col, :order_link_id),
        pg_temp.fks(r.tbl, '{"access_link": "s.link_id"}'), '''o'' || pg_temp.letters(s.n)')
  from pg_temp.refs('access_link') r
 where r.tbl not in (select tbl from pg_temp.refs('purchase_order') union select tbl from pg_temp.refs('shipment'));

-- ---- shipments -------------------------------------------------------------------------------------------------
create temporary table seed_shipment as
    select g as n, nextval('shipment_seq') as id, nextval('access_link_seq') as link_id
      from generate_series(1, :shipments) g;
analyze seed_shipment;
select pg_temp.clone('shipment', 'seed_shipment s', 't.id = ' || :shipment_id, '{"id": "s.id"}',
        '''s'' || pg_temp.letters(s.n)');
select pg_temp.clone(r.tbl, 'seed_shipment s',
        format('t.%I = %s', r.col, :shipment_id) || case when r.tbl = 'access_link' then ' and t.id = ' || :shipment_link_id else '' end,
        pg_temp.fks(r.tbl, '{"shipment": "s.id", "access_link": "s.link_id"}')
            || case when r.tbl = 'access_link' then pg_temp.link_ov('pt_') else '{}' end,
        '''s'' || pg_temp.letters(s.n)')
  from pg_temp.refs('shipment') r;
select pg_temp.clone(r.tbl, 'seed_shipment s', format('t.%I = %s', r.col, :shipment_link_id),
        pg_temp.fks(r.tbl, '{"access_link": "s.link_id"}'), '''s'' || pg_temp.letters(s.n)')
  from pg_temp.refs('access_link') r
 where r.tbl not in (select tbl from pg_temp.refs('purchase_order') union select tbl from pg_temp.refs('shipment'));
