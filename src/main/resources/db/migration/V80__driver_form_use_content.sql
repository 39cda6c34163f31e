-- What a used driver-page form with typed content carried (the problem report), as a SHA-256 digest of its fields
-- (shipment/DriverPages): the same report posted again is "already saved"; the page's form sent again with another
-- kind or note (the browser's Back) is answered as a refusal with what was typed, so the new report is not dropped.
-- Null for buttons without content and for rows from before this column: those compare as the same.
alter table driver_form_use add column content_digest varchar(64);
