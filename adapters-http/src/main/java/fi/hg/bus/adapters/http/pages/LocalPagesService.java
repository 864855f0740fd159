package fi.hg.bus.adapters.http.pages;

import fi.hg.bus.application.local.ChooseLocalPlan;
import fi.hg.bus.application.local.LocalSession;
import fi.hg.bus.application.local.ViewLocalSession;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The local provider's pages, served by {@code bus serve}: {@code /billing/local/checkout/{session}},
 * {@code /billing/local/portal/{session}} and {@code /billing/local/done}. Plain HTML without
 * JavaScript; every value is escaped; a strict Content-Security-Policy allows only the page's own
 * style sheet and forms posting to this server (and redirects to the session's return URL); forms
 * are protected by a per-view token in a hidden field and a {@code SameSite=Strict} cookie, and by
 * the {@code Origin} and {@code Sec-Fetch-Site} headers.
 */
public final class LocalPagesService implements HttpService {

    public static final String CHECKOUT = "/billing/local/checkout/{session}";
    public static final String PORTAL = "/billing/local/portal/{session}";
    public static final String DONE = "/billing/local/done";

    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String COOKIE = "bus_csrf";
    private static final int FORM_LIMIT = 16 * 1024;

    private final ViewLocalSession view;
    private final ChooseLocalPlan choose;
    private final FormGuard guard;
    private final Supplier<URI> publicUrl;

    /**
     * @param view   null when the local provider is not the configured one: its pages then answer 404
     * @param key    the key of the form tokens (derived from the server's secret)
     */
    public LocalPagesService(ViewLocalSession view, ChooseLocalPlan choose, byte[] key, Supplier<URI> publicUrl) {
        this.view = view;
        this.choose = choose;
        this.guard = new FormGuard(key);
        this.publicUrl = publicUrl;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(CHECKOUT, (req, res) -> show(req, res, LocalSession.Kind.CHECKOUT))
                .post(CHECKOUT, (req, res) -> submit(req, res, LocalSession.Kind.CHECKOUT))
                .get(PORTAL, (req, res) -> show(req, res, LocalSession.Kind.PORTAL))
                .post(PORTAL, (req, res) -> submit(req, res, LocalSession.Kind.PORTAL))
                .get(DONE, (req, res) -> page(res, 200, LocalPages.done(), Set.of(), null))
                .any(CHECKOUT, this::wrongMethod)
                .any(PORTAL, this::wrongMethod)
                .any(DONE, this::wrongMethod);
    }

    private void show(ServerRequest req, ServerResponse res, LocalSession.Kind kind) {
        Optional<String> id = sessionId(req);
        if (view == null || id.isEmpty()) {
            notFound(res);
            return;
        }
        switch (view.view(id.get())) {
            case ViewLocalSession.Result.Unknown u -> notFound(res);
            case ViewLocalSession.Result.Expired e -> expired(res);
            case ViewLocalSession.Result.Found f -> {
                if (f.view().session().kind() != kind) {
                    notFound(res);
                    return;
                }
                String token = guard.issue(id.get());
                String html = kind == LocalSession.Kind.CHECKOUT ? LocalPages.checkout(f.view(), token)
                        : LocalPages.portal(f.view(), token);
                page(res, 200, html, returnOrigins(f.view().session()), cookie(kind, id.get(), token));
            }
        }
    }

    private void submit(ServerRequest req, ServerResponse res, LocalSession.Kind kind) {
        Optional<String> id = sessionId(req);
        if (view == null || id.isEmpty()) {
            notFound(res);
            return;
        }
        if (!sameOrigin(req)) {
            refused(res, "This form was sent from another site, so it was not accepted.");
            return;
        }
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("").split(";", 2)[0].strip()
                .toLowerCase(Locale.ROOT);
        if (!type.equals("application/x-www-form-urlencoded")) {
            page(res, 415, LocalPages.message("Not a form", "This address takes only forms posted from its own page."),
                    Set.of(), null);
            return;
        }
        Optional<byte[]> read = fi.hg.bus.adapters.http.Bodies.read(req, FORM_LIMIT + 1);
        if (read.isEmpty()) {
            badForm(res);
            return;
        }
        Optional<byte[]> body = read.filter(b -> b.length <= FORM_LIMIT);
        if (body.isEmpty()) {
            page(res, 413, LocalPages.message("Too large", "The form is larger than this page ever sends."), Set.of(), null);
            return;
        }
        Optional<Map<String, String>> form = Forms.parse(body.get());
        if (form.isEmpty()) {
            badForm(res);
            return;
        }
        Map<String, String> fields = form.get();
        Optional<String> formId = guard.check(id.get(), fields.get("csrf"),
                Forms.cookie(req.headers().all(HeaderNames.COOKIE, List::of), COOKIE));
        if (formId.isEmpty()) {
            refused(res, "This form has expired or did not come from this page. Open the page again and repeat.");
            return;
        }
        ChooseLocalPlan.Choice choice;
        String action = fields.getOrDefault("action", kind == LocalSession.Kind.CHECKOUT ? "subscribe" : "");
        String planId = fields.get("plan_id");
        switch (action) {
            case "subscribe", "change" -> {
                if (planId == null || planId.isEmpty() || planId.length() > 100) {
                    page(res, 400, LocalPages.message("Choose a plan", "Choose one of the plans, then send the form again."),
                            Set.of(), null);
                    return;
                }
                choice = new ChooseLocalPlan.Choice.Subscribe(planId);
            }
            case "cancel" -> choice = new ChooseLocalPlan.Choice.Cancel();
            default -> {
                badForm(res);
                return;
            }
        }
        if (kind == LocalSession.Kind.CHECKOUT && !(choice instanceof ChooseLocalPlan.Choice.Subscribe)) {
            badForm(res);
            return;
        }
        switch (choose.choose(new ChooseLocalPlan.Command(id.get(), formId.get(), choice))) {
            case ChooseLocalPlan.Result.Unknown u -> notFound(res);
            case ChooseLocalPlan.Result.Expired e -> expired(res);
            case ChooseLocalPlan.Result.NotOffered n -> page(res, 400, LocalPages.message("Plan not offered",
                    "The plan \"" + n.planId() + "\" is not offered here. Open the page again to see the plans."), Set.of(), null);
            case ChooseLocalPlan.Result.NotAllowed n -> page(res, 400, LocalPages.message("Not possible", n.why() + "."),
                    Set.of(), null);
            case ChooseLocalPlan.Result.Done d -> {
                if (kind == LocalSession.Kind.PORTAL) {
                    redirect(res, id.get());
                } else if (d.returnUrl() != null) {
                    redirect(res, d.returnUrl().uri().toASCIIString());
                } else {
                    redirect(res, "../done");
                }
            }
        }
    }

    private void wrongMethod(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.ALLOW, req.path().path().endsWith("/done") ? "GET" : "GET, POST");
        page(res, 405, LocalPages.message("Not allowed", "This page is opened with a browser."), Set.of(), null);
    }

    private static Optional<String> sessionId(ServerRequest req) {
        String id = req.path().pathParameters().first("session").orElse("");
        return SESSION.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    /**
     * A post from this server's own page: {@code Sec-Fetch-Site}, when sent, says same-origin (or
     * none: typed by the user), and {@code Origin}, when sent, is the public URL's or the Host's.
     */
    private boolean sameOrigin(ServerRequest req) {
        Optional<String> site = req.headers().first(HeaderNames.create("Sec-Fetch-Site"));
        if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
            return false;
        }
        List<String> origins = req.headers().all(HeaderNames.ORIGIN, List::of);
        if (origins.isEmpty()) {
            return true;
        }
        if (origins.size() > 1) {
            return false;
        }
        String origin = origins.getFirst().strip().toLowerCase(Locale.ROOT);
        if (origin.equals(origin(publicUrl.get()))) {
            return true;
        }
        String host = req.headers().first(HeaderNames.HOST).orElse("").strip().toLowerCase(Locale.ROOT);
        return !host.isEmpty() && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    private static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return scheme + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** The form token's cookie: this session's path only, never sent by another site. */
    private String cookie(LocalSession.Kind kind, String id, String token) {
        URI base = publicUrl.get();
        String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String path = prefix + "/billing/local/" + kind.wireName() + "/" + id;
        boolean secure = "https".equalsIgnoreCase(base.getScheme());
        return COOKIE + "=" + token + "; Path=" + path + "; Max-Age=86400; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private static Set<String> returnOrigins(LocalSession session) {
        return session.returnUrl() == null ? Set.of() : Set.of(session.returnUrl().origin());
    }

    private void notFound(ServerResponse res) {
        page(res, 404, LocalPages.message("Link not valid", view == null
                ? "The local billing provider is not enabled on this server."
                : "This billing link is not valid. Run `bus billing setup` or `bus billing portal` for a new one."),
                Set.of(), null);
    }

    private static void expired(ServerResponse res) {
        page(res, 410, LocalPages.message("Link expired",
                "This billing link has expired. Run `bus billing setup` or `bus billing portal` again for a fresh one."),
                Set.of(), null);
    }

    private static void refused(ServerResponse res, String why) {
        page(res, 403, LocalPages.message("Form not accepted", why), Set.of(), null);
    }

    private static void badForm(ServerResponse res) {
        page(res, 400, LocalPages.message("Form not understood", "Open the page again and use its buttons."), Set.of(), null);
    }

    private static void redirect(ServerResponse res, String location) {
        res.status(Status.SEE_OTHER_303);
        res.header(HeaderNames.LOCATION, location);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header("Referrer-Policy", "same-origin");
        res.send();
    }

    /** Sends a page with the security headers; {@code formOrigins} are the other origins forms may lead to. */
    private static void page(ServerResponse res, int status, String html, Set<String> formOrigins, String cookie) {
        Set<String> formAction = new LinkedHashSet<>();
        formAction.add("'self'");
        formAction.addAll(formOrigins);
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header("X-Content-Type-Options", "nosniff");
        res.header("X-Frame-Options", "DENY");
        res.header("Referrer-Policy", "same-origin");
        res.header("Content-Security-Policy", "default-src 'none'; style-src " + PageStyle.HASH
                + "; img-src 'self' data:; form-action " + String.join(" ", formAction)
                + "; frame-ancestors 'none'; base-uri 'none'");
        if (cookie != null) {
            res.header(HeaderNames.SET_COOKIE, cookie);
        }
        res.send(html.getBytes(StandardCharsets.UTF_8));
    }
}
