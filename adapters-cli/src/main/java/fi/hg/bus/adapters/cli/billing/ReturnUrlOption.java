package fi.hg.bus.adapters.cli.billing;

import fi.hg.bus.adapters.cli.CommandFailed;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** {@code --return-url U}: where the hosted page sends the browser afterwards. */
public final class ReturnUrlOption {

    @Option(names = "--return-url", paramLabel = "URL",
            description = "Where the page sends you when you are done (an http or https URL). "
                    + "Default: a page of the server that says you can close it.")
    String returnUrl;

    /** The URL, checked: an absolute http(s) URL; a usage error otherwise. */
    String value() {
        if (returnUrl == null) {
            return null;
        }
        try {
            URI uri = new URI(returnUrl);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return returnUrl;
            }
        } catch (URISyntaxException e) {
            // the message below
        }
        throw CommandFailed.usage("--return-url must be an absolute http or https URL, e.g. https://example.com/done");
    }
}
