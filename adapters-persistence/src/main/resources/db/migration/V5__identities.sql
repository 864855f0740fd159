-- The auth service: identities (one per email address; the id is the account id), the one-time
-- codes sent to them (digests only), and session tokens signed out before they expired.
create table identities (
    id             uuid         primary key,
    email          varchar(254) not null,
    status         varchar(16)  not null,
    email_verified boolean      not null default false,
    created_at     timestamptz  not null,
    updated_at     timestamptz  not null,
    constraint identities_email_key unique (email)
);

create index identities_waitlist on identities (created_at, id) where status = 'waitlisted';

create table one_time_codes (
    id              uuid        primary key,
    identity_id     uuid        not null references identities (id) on delete cascade,
    digest          varchar(64) not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    failed_attempts int         not null default 0,
    state           varchar(16) not null
);

create index one_time_codes_identity on one_time_codes (identity_id, created_at);
create index one_time_codes_created on one_time_codes (created_at);

create table revoked_sessions (
    token_digest varchar(64) primary key,
    expires_at   timestamptz not null
);

create index revoked_sessions_expiry on revoked_sessions (expires_at);
