package fi.hg.bus.adapters.cli;

import java.util.regex.Pattern;

/**
 * Keeps secrets out of messages: text that looks like a JWT (its header always begins {@code eyJ})
 * or an API key ({@code sk-…}) is replaced before a
 * message that quotes the command line (an unknown option, a stray argument) is printed.
 */
public final class Secrets {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");
    private static final Pattern API_KEY = Pattern.compile("sk-[A-Za-z0-9_-]{8,}");

    private Secrets() {
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        return API_KEY.matcher(JWT.matcher(text).replaceAll("[redacted]")).replaceAll("[redacted]");
    }
}
