package fi.hg.bus.adapters.http;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The id of the request being answered on this thread: taken from {@code X-Request-Id} when it is
 * safe to repeat in logs and headers, otherwise made here. Log formatters read it to mark every
 * line written while a request is answered; error envelopes carry it as {@code request_id}.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";

    /** The longest incoming id that is kept. */
    public static final int MAX_LENGTH = 128;

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    /** The id of the request this thread answers, or null outside a request. */
    public static String current() {
        return CURRENT.get();
    }

    static void set(String id) {
        CURRENT.set(id);
    }

    static void clear() {
        CURRENT.remove();
    }

    /**
     * The incoming id when it is 1 to {@value #MAX_LENGTH} characters of letters, digits and
     * {@code - _ . : + = / @}; otherwise (absent, too long, control characters, spaces, quotes,
     * anything else) a new one.
     */
    public static String accept(String incoming) {
        return isSafe(incoming) ? incoming : generate();
    }

    public static boolean isSafe(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '=' || c == '/' || c == '@';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** 32 random hexadecimal digits (128 bits), as nginx's {@code $request_id}. */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[32];
        long a = random.nextLong();
        long b = random.nextLong();
        for (int i = 0; i < 16; i++) {
            id[i] = HEX[(int) (a >>> (60 - 4 * i)) & 0xf];
            id[16 + i] = HEX[(int) (b >>> (60 - 4 * i)) & 0xf];
        }
        return new String(id);
    }
}
