-- Accounts and their subscriptions, as providers last reported them.
create table accounts (
    id                       uuid primary key,
    status                   varchar(16)  not null,
    provider                 varchar(32),
    plan_id                  varchar(100),
    features                 varchar(100)[] not null default '{}',
    provider_customer_id     varchar(255),
    provider_subscription_id varchar(255),
    created_at               timestamptz  not null,
    updated_at               timestamptz  not null
);

-- Provider updates already applied: a repeated event_id changes nothing.
create table processed_subscription_updates (
    event_id     varchar(200) primary key,
    processed_at timestamptz  not null
);

-- Every catalog version; the highest is active.
create table catalogs (
    version    bigint primary key,
    document   jsonb       not null,
    created_at timestamptz not null
);

-- The (feature, meter, window) triples that some plan of the active catalog has a quota for:
-- usage is counted in these windows only. Rewritten with each catalog version.
create table counted_windows (
    feature     varchar(100) not null,
    meter       varchar(100) not null,
    window_name varchar(8)   not null,
    primary key (feature, meter, window_name)
);

-- Quota counters: use and reservations per account, feature, meter and window instance.
create table quota_counters (
    account_id   uuid         not null,
    feature      varchar(100) not null,
    meter        varchar(100) not null,
    window_name  varchar(8)   not null,
    window_start timestamptz  not null,
    used         bigint       not null default 0,
    reserved     bigint       not null default 0,
    primary key (account_id, feature, meter, window_name, window_start)
);

create index quota_counters_window_start on quota_counters (window_start);

-- Reservations made by entitlement checks, with the first answer, kept for replays.
create table reservations (
    id                   varchar(200) primary key,
    account_id           uuid         not null,
    feature              varchar(100) not null,
    meter                varchar(100),
    quantity             bigint       not null,
    expires_at           timestamptz  not null,
    state                varchar(16)  not null,
    hold_windows         varchar(8)[]  not null default '{}',
    hold_starts          timestamptz[] not null default '{}',
    hold_features        varchar(100)[] not null default '{}',
    hold_meters          varchar(100)[] not null default '{}',
    decision             varchar(20),
    plan_id              varchar(100),
    recommended_plan     varchar(100),
    item_feature         varchar(100),
    item_meter           varchar(100),
    item_window          varchar(8),
    item_used            bigint,
    item_limit           bigint,
    item_reserved        bigint,
    item_upgrade_plan_id varchar(100),
    decided_at           timestamptz
);

create index reservations_held_expiry on reservations (expires_at) where state = 'held';
create index reservations_expiry on reservations (expires_at);
