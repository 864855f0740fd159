-- API keys. Only the SHA-256 hash of each secret is kept; a key is found by the first 12
-- characters of its secret (lookup), then the hashes are compared in constant time by the server.
create table api_keys (
    id          uuid         primary key,
    account_id  uuid         not null,
    name        varchar(100) not null,
    prefix      varchar(16)  not null,
    lookup      varchar(12)  not null,
    secret_hash bytea        not null,
    quota_limit bigint,
    expires_at  timestamptz,
    created_at  timestamptz  not null,
    revoked_at  timestamptz,
    constraint api_keys_lookup unique (lookup)
);

create index api_keys_account on api_keys (account_id, created_at);

-- Lifetime use per key and meter, counted from usage records that name the key in data.api_key_id,
-- in the transaction that stores the record.
create table api_key_usage (
    key_id uuid         not null references api_keys (id),
    meter  varchar(100) not null,
    used   bigint       not null default 0,
    primary key (key_id, meter)
);

-- The dashboard's rate limit: the current fixed window of each key. Unlogged: no WAL is written
-- for it, and a crash of the database only empties it (every key starts a fresh window).
create unlogged table api_key_rate_windows (
    key_id       uuid        primary key,
    window_start timestamptz not null,
    hits         bigint      not null
);

-- An entitlement check refused because of the API key it named keeps the key's id for replays.
alter table reservations add column api_key_id uuid;
