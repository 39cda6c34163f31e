-- One vendor is one vendor: the keys vendors are matched by (io.portlink.vendor.VendorNames): the name's key (Unicode
-- NFKC, case folded, spaces collapsed) and the identity, unique per organisation ("e:" + e-mail, else "n:" + name key).
-- Plain SQL cannot fold case and Unicode alike on H2 and PostgreSQL, so the Java migration V14_1 fills them, merges the
-- duplicates they reveal, and then makes them required and unique.
alter table vendor add column name_key varchar(200);
alter table vendor add column match_key varchar(300);

-- "Opened by a person": each render of a link page carries a nonce in its stylesheet URL; a browser showing the page
-- fetches it, a scanner reading only the HTML does not. The latest render's nonce (SHA-256) is kept on the link.
alter table access_link add column render_nonce_hash varchar(64);
alter table access_link add column rendered_at timestamp(6) with time zone;
