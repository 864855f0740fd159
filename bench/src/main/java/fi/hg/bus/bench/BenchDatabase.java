package fi.hg.bus.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Properties;

/**
 * A database of its own on the PostgreSQL server, made for one benchmark run and dropped at its
 * end. The server under test migrates its schema; the benchmark uses SQL only to load events
 * (when told to) and quota counters, to vacuum, and to check what is left.
 */
final class BenchDatabase implements AutoCloseable {

    private final Options options;
    private final String name;
    private final String password;
    private boolean dropped;
    private String peer;

    private BenchDatabase(Options options, String name) {
        this.options = options;
        this.name = name;
        String pw = System.getenv("PGPASSWORD");
        this.password = pw == null || pw.isEmpty() ? null : pw;
    }

    static BenchDatabase create(Options options) throws SQLException {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        BenchDatabase db = new BenchDatabase(options, "bus_bench_" + HexFormat.of().formatHex(random));
        try (Connection c = db.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("create database " + db.name);
        }
        return db;
    }

    String name() {
        return name;
    }

    /** The server's BUS_DATABASE_URL. */
    String busUrl() {
        String auth = enc(options.pgUser()) + (password == null ? "" : ":" + enc(password));
        return "postgres://" + auth + "@" + hostForUrl(options.pgHost()) + ":" + options.pgPort() + "/" + name
                + "?sslmode=disable";
    }

    Connection connect() throws SQLException {
        return connect(name);
    }

    Connection connectTo(String database) throws SQLException {
        return connect(database);
    }

    /** The JDBC URL of {@code database} (a pool in this process connects with it, user and password). */
    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + hostForUrl(options.pgHost()) + ":" + options.pgPort() + "/" + database
                + "?sslmode=disable&ApplicationName=bus-bench";
    }

    String user() {
        return options.pgUser();
    }

    /** PGPASSWORD, or null. */
    String password() {
        return password;
    }

    /**
     * A second, empty database next to the benchmark's, for the baselines that need one of their own
     * (pgbench's tables, Bucket4j's); dropped with the benchmark's. Made once.
     */
    synchronized String peerDatabase() throws SQLException {
        if (peer == null) {
            String p = name + "_peer";
            try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
                s.execute("create database " + p);
            }
            peer = p;
        }
        return peer;
    }

    /**
     * Tables of exactly the shape of {@code usage_events} and {@code usage_event_keys} as the server
     * migrated them (columns, defaults, identity, primary keys, indexes), empty, in schema
     * {@code peer} of the benchmark database: what the pgbench insert baseline writes to.
     */
    void createPeerUsageTables() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create schema if not exists peer");
            s.execute("drop table if exists peer.usage_events, peer.usage_event_keys");
            s.execute("create table peer.usage_events (like public.usage_events including all)");
            s.execute("create table peer.usage_event_keys (like public.usage_event_keys including all)");
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", options.pgUser());
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("sslmode", "disable");
        p.setProperty("connectTimeout", "5");
        p.setProperty("ApplicationName", "bus-bench");
        return DriverManager.getConnection("jdbc:postgresql://" + hostForUrl(options.pgHost()) + ":" + options.pgPort()
                + "/" + database, p);
    }

    String serverVersion() throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select version()")) {
            r.next();
            return r.getString(1);
        }
    }

    /** The server settings that matter most for these numbers. */
    String settings() throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select name || ' = ' || current_setting(name) from pg_settings "
                     + "where name in ('shared_buffers', 'synchronous_commit', 'fsync', 'max_connections', "
                     + "'work_mem', 'wal_level', 'autovacuum') order by name")) {
            StringBuilder sb = new StringBuilder();
            while (r.next()) {
                sb.append(sb.isEmpty() ? "" : ", ").append(r.getString(1));
            }
            return sb.toString();
        }
    }

    /** Empties the collector feed (the deduplication keys stay, as they do in production). */
    void truncateFeed() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("truncate usage_events");
        }
    }

    /**
     * Inserts {@code count} usage records straight into the feed, one statement, occurring one
     * millisecond apart and all before {@code last}.
     */
    void loadFeed(int count, Instant last, String tag) throws SQLException {
        String sql = """
                insert into usage_events (event_id, event_type, account_id, occurred_at, data)
                select 'drain-' || ? || '-' || g, 'usage_recorded', md5((g % 100)::text)::uuid,
                       ?::timestamptz - (? - g) * interval '1 millisecond',
                       json_build_object('model', 'bench-model', 'input_tokens', g % 3000,
                                         'output_tokens', g % 700, 'total_tokens', g % 3000 + g % 700)
                from generate_series(1, ?) as g""";
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, tag);
            s.setString(2, last.toString());
            s.setInt(3, count);
            s.setInt(4, count);
            s.executeUpdate();
        }
    }

    /** How many usage exports the server has due (recorded, not yet sent to the billing provider). */
    long dueExports() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from usage_exports where next_attempt_at is not null "
                     + "and next_attempt_at <= now() and state <> 'exported'")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Writes every dirty buffer now (CHECKPOINT), so that the next scenario does not inherit an earlier one's writes. */
    void checkpoint() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        }
    }

    /** What autovacuum does soon after a large insert: visibility map, hint bits and statistics. */
    void vacuumFeed() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("vacuum (analyze) usage_events");
        }
    }

    /**
     * Inserts the quota counters of {@code accounts} for {@code feature}/{@code meter}, as a server
     * that has counted their usage for a while holds them: the current month (used
     * {@code monthUsed[i]}), the current day, and the minute windows from {@code history} minutes
     * ago to {@code ahead} minutes ahead, with random small use. Answers the rows inserted.
     */
    long loadCounters(String feature, String meter, String[] accounts, long[] monthUsed, int history, int ahead)
            throws SQLException {
        String windows = """
                insert into quota_counters (account_id, feature, meter, window_name, window_start, used, reserved)
                select u.id::uuid, ?, ?, w.name, w.start,
                       case w.name when 'month' then u.month_used else (random() * 100000)::bigint end, 0
                from unnest(?::text[], ?::bigint[]) as u(id, month_used)
                cross join (values ('month', date_trunc('month', now(), 'UTC')),
                                   ('day', date_trunc('day', now(), 'UTC'))) as w(name, start)
                on conflict do nothing""";
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(windows)) {
            s.setString(1, feature);
            s.setString(2, meter);
            s.setArray(3, c.createArrayOf("text", accounts));
            Long[] used = new Long[monthUsed.length];
            for (int i = 0; i < used.length; i++) {
                used[i] = monthUsed[i];
            }
            s.setArray(4, c.createArrayOf("bigint", used));
            long rows = s.executeUpdate();
            rows += minuteCounters(c, feature, meter, accounts, history, ahead);
            try (Statement v = c.createStatement()) {
                v.execute("vacuum (analyze) quota_counters");
                v.execute("vacuum (analyze) accounts");
            }
            return rows;
        }
    }

    /** Makes sure that the minute counters of the next {@code ahead} minutes exist. */
    void ensureMinuteCounters(String feature, String meter, String[] accounts, int ahead) throws SQLException {
        try (Connection c = connect()) {
            minuteCounters(c, feature, meter, accounts, 0, ahead);
        }
    }

    /**
     * Inserts minute counters minute by minute, every account's counter of one minute before the
     * next minute's: a live server creates a window's counter when the window's first usage is
     * recorded, so one minute's counters lie together in the table. Inserting each account's
     * minutes together instead would spread the current minute's counters over one heap page per
     * account, a layout no server produces, which makes the checks' working set (heap and index)
     * larger than PostgreSQL's default 128 MB of shared buffers.
     */
    private static long minuteCounters(Connection c, String feature, String meter, String[] accounts, int history,
                                       int ahead) throws SQLException {
        String sql = """
                insert into quota_counters (account_id, feature, meter, window_name, window_start, used, reserved)
                select u.id::uuid, ?, ?, 'minute', m, (random() * 10000)::bigint, 0
                from unnest(?::text[]) as u(id)
                cross join generate_series(date_trunc('minute', now()) - make_interval(mins => ?),
                                           date_trunc('minute', now()) + make_interval(mins => ?),
                                           interval '1 minute') as m
                order by m, u.id
                on conflict do nothing""";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, feature);
            s.setString(2, meter);
            s.setArray(3, c.createArrayOf("text", accounts));
            s.setInt(4, history);
            s.setInt(5, ahead);
            return s.executeUpdate();
        }
    }

    /** What the quota counters hold, and how many reservations are still held. */
    record Holds(long reserved, long heldReservations) {
    }

    Holds holds() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select (select coalesce(sum(reserved), 0) from quota_counters), "
                     + "(select count(*) from reservations where state in ('held', 'pending'))")) {
            r.next();
            return new Holds(r.getLong(1), r.getLong(2));
        }
    }

    long countFeed() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from usage_events")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        if (dropped) {
            return;
        }
        dropped = true;
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            if (peer != null) {
                s.execute("drop database if exists " + peer + " with (force)");
            }
            s.execute("drop database if exists " + name + " with (force)");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
