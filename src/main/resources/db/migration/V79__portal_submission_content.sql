-- What a used vendor form carried, as a SHA-256 digest of its fields (purchasing/VendorDesk.Action#content): the same
-- form posted again with the same fields (a double click, a retry) is "already saved"; posted again with other fields
-- (the browser's Back, a value changed, Send) it is "changed meanwhile" and shown again as typed, so that the change is
-- not silently dropped. Null for rows from before this column: those compare as the same.
alter table portal_submission add column content_digest varchar(64);
