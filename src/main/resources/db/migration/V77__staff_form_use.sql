-- A staff form whose answer shows a secret once (a new API key, a new webhook endpoint, a rotated webhook secret)
-- carries a nonce drawn for its page (staff/OnceForms). The nonce is kept here with what the form made, so the same
-- form posted again (a reload of the answer, a second click) says "already done" instead of making a second key or
-- endpoint. Rows older than a day are dropped when the organisation uses such a form again.
create table staff_form_use (
    organization_id bigint                      not null references organization (id),
    nonce           varchar(32)                 not null,
    kind            varchar(16)                 not null,
    made_id         bigint                      not null,
    used_at         timestamp(6) with time zone not null,
    primary key (organization_id, kind, nonce)
);
create index staff_form_use_age_ix on staff_form_use (organization_id, used_at);
