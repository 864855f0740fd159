-- The collector feed's watermark: the highest `before` a collector has read the feed with.
-- Records recorded without an occurred_at are stamped after it, and a collector that raises it
-- first waits for recordings in flight, so that its page cannot change between GET and DELETE.
create table usage_feed_watermark (
    id int primary key check (id = 1),
    at timestamptz not null
);
insert into usage_feed_watermark (id, at) values (1, '-infinity');

-- Takes the feed's shared lock for the rest of the transaction and answers the watermark. It is
-- volatile, so it reads the watermark with a snapshot taken after the lock is granted.
create function bus_usage_feed_floor() returns timestamptz
    language plpgsql volatile as $$
begin
    perform pg_advisory_xact_lock_shared(7370876374371);
    return (select at from usage_feed_watermark where id = 1);
end;
$$;
