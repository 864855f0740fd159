-- Payment providers: customers, the local provider's sessions, the order of provider events, and
-- the durable queue of usage exports.

-- The provider's customer of each account, created once and remembered.
create table provider_customers (
    account_id  uuid         not null,
    provider    varchar(32)  not null,
    customer_id varchar(255) not null,
    created_at  timestamptz  not null,
    primary key (account_id, provider),
    constraint provider_customers_customer unique (provider, customer_id)
);

-- The local provider's hosted pages: one row per session id (an HMAC of its inputs); opening the
-- same session again extends its life.
create table local_billing_sessions (
    id          varchar(64)   primary key,
    kind        varchar(16)   not null,
    account_id  uuid          not null,
    feature     varchar(100),
    plan_id     varchar(100),
    return_url  varchar(2048),
    created_at  timestamptz   not null,
    expires_at  timestamptz   not null
);

create index local_billing_sessions_expiry on local_billing_sessions (expires_at);

-- The time of the newest provider event applied to an account: an older event that arrives late
-- is recorded as seen but changes nothing.
create table provider_event_marks (
    account_id    uuid        not null,
    provider      varchar(32) not null,
    last_event_at timestamptz not null,
    primary key (account_id, provider)
);

-- Usage to export to the payment provider: one row per metered quantity, written in the
-- transaction that records the usage, worked by every replica with FOR UPDATE SKIP LOCKED.
-- state: pending (not yet sent), exported (accepted by the provider; never sent again),
-- failed (the last attempt failed; tried again at next_attempt_at, or given up when that is null).
create table usage_exports (
    id              bigserial     primary key,
    idempotency_key varchar(100)  not null,
    account_id      uuid          not null,
    feature         varchar(100)  not null,
    meter           varchar(100)  not null,
    quantity        bigint        not null,
    occurred_at     timestamptz   not null,
    state           varchar(16)   not null,
    attempts        integer       not null default 0,
    next_attempt_at timestamptz,
    last_error      varchar(1000),
    provider        varchar(32),
    created_at      timestamptz   not null,
    exported_at     timestamptz,
    constraint usage_exports_key unique (idempotency_key)
);

create index usage_exports_due on usage_exports (next_attempt_at, id) where next_attempt_at is not null;
create index usage_exports_account on usage_exports (account_id, id);
create index usage_exports_state on usage_exports (state) where state <> 'exported';
