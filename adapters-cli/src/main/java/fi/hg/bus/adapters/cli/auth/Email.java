package fi.hg.bus.adapters.cli.auth;

import fi.hg.bus.adapters.cli.CommandFailed;

import java.util.regex.Pattern;

/** {@code --email}: checked roughly here (one {@code @}, no spaces); the server checks it fully. */
final class Email {

    private static final Pattern ROUGH = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,253}");

    private Email() {
    }

    static String check(String email) {
        String e = email == null ? "" : email.strip();
        if (!ROUGH.matcher(e).matches()) {
            throw CommandFailed.usage("--email must be an email address such as user@example.com");
        }
        return e;
    }

    /** A JSON object with one email field. */
    static String body(String email) {
        return fi.hg.bus.adapters.cli.http.ApiClient.JSON.createObjectNode().put("email", email).toString();
    }
}
