-- "Ask for a new link": a holder of a revoked or expired link asks staff for a fresh one.
create sequence link_request_seq start with 1 increment by 50;
create table link_request (
    id              bigint primary key,
    organization_id bigint not null references organization (id),
    order_id        bigint not null references purchase_order (id),
    link_id         bigint not null references access_link (id),
    requested_at    timestamp(6) with time zone not null,
    handled_at      timestamp(6) with time zone,
    handled_by      varchar(254)
);
create index link_request_open_ix on link_request (organization_id, handled_at, requested_at);
create index link_request_link_ix on link_request (link_id, requested_at);
