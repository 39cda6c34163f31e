-- One vendor is one vendor: the keys vendors are matched by (io.portlink.vendor.VendorNames): the name's key (Unicode
-- NFKC, case folded, spaces collapsed) and the identity, unique per organisation ("e:" + e-mail, else "n:" + name key).
-- Plain SQL cannot fold case and Unicode alike on H2 and PostgreSQL, so the Java migration V14_1 fills them, merges the
-- duplicates they reveal, and then makes them required and unique.
alter table vendor add column name_key varchar(200);
alter table vendor add column match_key varchar(300);
