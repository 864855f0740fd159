-- The collector feed: usage records as recorded, until collectors delete them.
create table usage_events (
    id          bigint generated always as identity primary key,
    event_id    varchar(200),
    event_type  varchar(64)  not null,
    account_id  uuid,
    occurred_at timestamptz  not null,
    received_at timestamptz  not null default now(),
    data        json
);

-- Deterministic pagination: the feed is ordered by occurred_at, id.
create index usage_events_feed_order on usage_events (occurred_at, id);

-- Idempotency keys outlive the records they came with (collectors delete records), and are
-- forgotten after the deduplication period.
create table usage_event_keys (
    event_id      varchar(200) primary key,
    first_seen_at timestamptz  not null
);

create index usage_event_keys_first_seen on usage_event_keys (first_seen_at);
