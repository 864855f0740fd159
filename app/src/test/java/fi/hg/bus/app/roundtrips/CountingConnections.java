package fi.hg.bus.app.roundtrips;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Wraps the driver's real connections and counts what one thread sends to PostgreSQL through
 * them: every statement executed, and every COMMIT or ROLLBACK of a transaction that ran a
 * statement (the driver sends none for a transaction that never began, and sends BEGIN together
 * with the first statement). With the PostgreSQL driver each of these is one network round trip.
 * Only the thread that called {@link #start()} is counted, so the pool's housekeeping never is.
 */
final class CountingConnections {

    private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");

    private final List<String> sent = new ArrayList<>();
    private volatile Thread counted;

    /** Wraps {@code driver}'s connections. */
    DataSource wrap(DataSource driver) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(driver, method, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    /** Starts counting on this thread, from zero. */
    synchronized void start() {
        sent.clear();
        counted = Thread.currentThread();
    }

    /** What was sent since {@link #start()}: one line per round trip, the SQL's first words or COMMIT/ROLLBACK. */
    synchronized List<String> sent() {
        return List.copyOf(sent);
    }

    private synchronized void count(String what) {
        if (Thread.currentThread() == counted) {
            sent.add(what);
        }
    }

    private Connection connection(Connection real) {
        boolean[] inTransaction = {false};
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            Object result = invoke(real, method, args);
            switch (name) {
                case "commit", "rollback" -> {
                    if (inTransaction[0] && (args == null || args.length == 0)) {
                        count(name.toUpperCase(java.util.Locale.ROOT));
                    }
                    inTransaction[0] = false;
                }
                case "setAutoCommit" -> inTransaction[0] = false;
                default -> {
                }
            }
            if (result instanceof Statement s) {
                String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : "(statement)";
                return statement(s, sql, real, inTransaction);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                handler);
    }

    private Statement statement(Statement real, String preparedSql, Connection connection, boolean[] inTransaction) {
        Class<?> type = real instanceof CallableStatement ? CallableStatement.class
                : real instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        InvocationHandler handler = (proxy, method, args) -> {
            Object result = invoke(real, method, args);
            if (EXECUTES.contains(method.getName())) {
                String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : preparedSql;
                count(summary(sql));
                if (!connection.getAutoCommit()) {
                    inTransaction[0] = true;
                }
            }
            return result;
        };
        return (Statement) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler);
    }

    /** The first words of a statement, enough to tell which one it was. */
    private static String summary(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return flat.length() <= 60 ? flat : flat.substring(0, 60) + "…";
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
