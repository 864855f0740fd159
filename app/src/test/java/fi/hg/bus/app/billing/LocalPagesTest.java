package fi.hg.bus.app.billing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local provider's pages over plain HTTP: what they show, that every value is escaped, the
 * security headers, and that forms are taken only from the page itself.
 */
class LocalPagesTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static BillingServers server;

    @BeforeAll
    static void start() {
        server = BillingServers.start(Map.of());
        server.putCatalog(BillingServers.CATALOG);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A page as served: the path, the body, the form token and the cookie that goes with it. */
    private record Page(String path, BillingServers.Response response, String token, String cookie) {
    }

    private String open(String api, UUID account, String body) {
        BillingServers.Response r = server.post(api, server.user(account, "billing:read billing:setup"), body);
        assertEquals(200, r.status(), r.toString());
        return URI.create(r.json().get("url").asText()).getPath();
    }

    private Page page(String path) {
        BillingServers.Response r = server.get(path, null);
        String token = null;
        Matcher m = CSRF.matcher(r.body());
        if (m.find()) {
            token = m.group(1);
        }
        String cookie = r.header("Set-Cookie");
        return new Page(path, r, token, cookie == null ? null : cookie.split(";", 2)[0]);
    }

    private BillingServers.Response submit(Page page, String form, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Cookie";
        all[1] = page.cookie();
        System.arraycopy(headers, 0, all, 2, headers.length);
        return server.send("POST", page.path(), null, "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.UTF_8), all);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void the_checkout_page_lists_the_plans_of_the_feature_and_sends_strict_security_headers() {
        UUID account = UUID.randomUUID();
        Page page = page(open("/api/v1/billing/checkout-session", account,
                "{\"feature\":\"llm:proxy\",\"return_url\":\"https://app.example.com/back\"}"));

        BillingServers.Response r = page.response();
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/html"), r.header("Content-Type"));
        assertTrue(r.body().contains("LLM Basic") && r.body().contains("LLM Pro"), r.body());
        assertFalse(r.body().contains("Runner"), "a plan without the feature is not offered");
        assertTrue(r.body().contains("10.00 EUR / month"));
        assertTrue(r.body().contains("20,000 tokens per minute (llm:proxy)"));
        assertFalse(r.body().contains("<script"));
        String csp = r.header("Content-Security-Policy");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("form-action 'self' https://app.example.com")
                && csp.contains("frame-ancestors 'none'") && csp.contains("style-src 'sha256-"), csp);
        assertEquals("DENY", r.header("X-Frame-Options"));
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertEquals("same-origin", r.header("Referrer-Policy"), "the session URL never leaves in a Referer, and forms keep their Origin");
        assertEquals("no-store", r.header("Cache-Control"));
        String cookie = r.header("Set-Cookie");
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict")
                && cookie.contains("Path=" + page.path()), cookie);
        assertNotNull(page.token());
        assertTrue(page.cookie().endsWith(page.token()));
    }

    @Test
    void completing_the_checkout_activates_the_plan_and_redirects_to_the_return_url_once() {
        UUID account = UUID.randomUUID();
        Page page = page(open("/api/v1/billing/checkout-session", account,
                "{\"feature\":\"llm:proxy\",\"return_url\":\"https://app.example.com/back?ok=1\"}"));

        long before = localUpdates();
        BillingServers.Response done = submit(page, "csrf=" + enc(page.token()) + "&plan_id=llm-pro",
                "Origin", server.base(), "Sec-Fetch-Site", "same-origin");
        BillingServers.Response again = submit(page, "csrf=" + enc(page.token()) + "&plan_id=llm-pro",
                "Origin", server.base());

        assertEquals(303, done.status(), done.toString());
        assertEquals("https://app.example.com/back?ok=1", done.header("Location"));
        assertEquals(303, again.status());
        assertEquals("active", server.status(account).get("status").asText());
        assertEquals("llm-pro", server.status(account).get("plan_id").asText());
        assertEquals("local", server.status(account).get("provider").asText());
        assertEquals(before + 1, localUpdates(), "the same form sent twice is one update");
    }

    @Test
    void without_a_return_url_the_checkout_ends_on_the_done_page() {
        UUID account = UUID.randomUUID();
        Page page = page(open("/api/v1/billing/checkout-session", account, "{}"));

        BillingServers.Response done = submit(page, "csrf=" + enc(page.token()) + "&plan_id=runner");

        assertEquals(303, done.status(), done.toString());
        assertEquals("../done", done.header("Location"));
        BillingServers.Response landing = server.get("/billing/local/done", null);
        assertEquals(200, landing.status());
        assertTrue(landing.body().contains("Billing updated"));
        assertEquals("runner", server.status(account).get("plan_id").asText());
    }

    @Test
    void a_form_without_its_cookie_with_another_token_or_from_another_site_is_refused_and_changes_nothing() {
        UUID account = UUID.randomUUID();
        Page page = page(open("/api/v1/billing/checkout-session", account, "{\"feature\":\"llm:proxy\"}"));
        Page other = page(open("/api/v1/billing/checkout-session", UUID.randomUUID(), "{\"feature\":\"llm:proxy\"}"));
        String form = "csrf=" + enc(page.token()) + "&plan_id=llm-basic";

        BillingServers.Response noCookie = server.send("POST", page.path(), null, "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.UTF_8));
        BillingServers.Response crossSite = submit(page, form, "Origin", "https://evil.example");
        BillingServers.Response nullOrigin = submit(page, form, "Origin", "null");
        BillingServers.Response fetchSite = submit(page, form, "Sec-Fetch-Site", "cross-site");
        BillingServers.Response foreignToken = submit(page, "csrf=" + enc(other.token()) + "&plan_id=llm-basic");
        BillingServers.Response forgedToken = submit(page, "csrf=" + enc(page.token().substring(0, 23) + "A".repeat(43)) + "&plan_id=llm-basic");
        Page borrowed = new Page(page.path(), page.response(), other.token(), other.cookie());
        BillingServers.Response borrowedPair = submit(borrowed, "csrf=" + enc(other.token()) + "&plan_id=llm-basic");

        for (BillingServers.Response r : new BillingServers.Response[]{noCookie, crossSite, nullOrigin, fetchSite,
                foreignToken, forgedToken, borrowedPair}) {
            assertEquals(403, r.status(), r.toString());
            assertTrue(r.body().contains("Form not accepted"));
        }
        assertEquals("missing", server.status(account).get("status").asText());
    }

    @Test
    void broken_forms_unknown_plans_and_wrong_content_are_refused() {
        UUID account = UUID.randomUUID();
        Page page = page(open("/api/v1/billing/checkout-session", account, "{\"feature\":\"llm:proxy\"}"));
        String csrf = "csrf=" + enc(page.token());

        assertEquals(400, submit(page, csrf).status(), "no plan chosen");
        assertEquals(400, submit(page, csrf + "&plan_id=runner").status(), "a plan without the feature");
        assertEquals(400, submit(page, csrf + "&plan_id=nope").status());
        assertEquals(400, submit(page, csrf + "&plan_id=llm-pro&plan_id=llm-basic").status(), "a field twice");
        assertEquals(400, submit(page, csrf + "&plan_id=%ZZ").status(), "bad percent-encoding");
        assertEquals(400, submit(page, csrf + "&action=cancel").status(), "no cancel in a checkout");
        assertEquals(403, submit(page, "plan_id=llm-pro").status(), "no token");
        BillingServers.Response json = server.send("POST", page.path(), null, "application/json",
                "{\"plan_id\":\"llm-pro\"}".getBytes(StandardCharsets.UTF_8), "Cookie", page.cookie());
        assertEquals(415, json.status());
        BillingServers.Response huge = submit(page, csrf + "&plan_id=" + "a".repeat(20_000));
        assertEquals(413, huge.status());
        assertEquals(405, server.send("PUT", page.path(), null, null, null).status());
        assertEquals("missing", server.status(account).get("status").asText());
    }

    @Test
    void unknown_forged_and_expired_sessions_are_not_served() {
        UUID account = UUID.randomUUID();
        String path = open("/api/v1/billing/checkout-session", account, "{}");
        String id = path.substring(path.lastIndexOf('/') + 1);

        assertEquals(404, server.get("/billing/local/checkout/" + "A".repeat(43), null).status());
        assertEquals(404, server.get("/billing/local/checkout/short", null).status());
        assertEquals(404, server.get("/billing/local/checkout/%3Cscript%3E", null).status());
        assertEquals(404, server.get("/billing/local/portal/" + id, null).status(), "a checkout is not a portal");
        server.sql("update local_billing_sessions set expires_at = now() - interval '1 minute' where id = '" + id + "'");
        BillingServers.Response expired = server.get(path, null);
        assertEquals(410, expired.status());
        assertTrue(expired.body().contains("expired"));
        String again = open("/api/v1/billing/checkout-session", account, "{}");
        assertEquals(path, again, "the same request gives the same session");
        assertEquals(200, server.get(again, null).status(), "opening it again renews it");
    }

    @Test
    void hostile_catalog_names_and_return_urls_are_escaped() {
        server.putCatalog("""
                {"products":[],"meters":[{"name":"evil_meter","unit":"<img src=x onerror=alert(2)>"}],
                 "plans":[{"id":"evil","name":"<script>alert(1)</script>\\"'&","features":["evil:feature"],
                   "prices":[{"currency":"eur","unit_amount":1,"interval":"month"}],
                   "quotas":[{"feature":"evil:feature","meter_event_name":"evil_meter","window":"day","limit":5}]}]}""");
        try {
            UUID account = UUID.randomUUID();
            Page page = page(open("/api/v1/billing/checkout-session", account,
                    "{\"feature\":\"evil:feature\",\"return_url\":\"https://app.example.com/'onmouseover='alert(3)&x=%22\"}"));
            String body = page.response().body();

            assertEquals(200, page.response().status());
            assertFalse(body.contains("<script>alert"), body);
            assertFalse(body.contains("<img"), body);
            assertFalse(body.contains("'onmouseover"), body);
            assertTrue(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"), body);
            assertTrue(body.contains("&lt;img src=x onerror=alert(2)&gt;"), body);
            assertTrue(body.contains("href=\"https://app.example.com/&#39;onmouseover=&#39;alert(3)&amp;x=%22\""), body);

            Page portal = page(open("/api/v1/billing/portal-session", account, "{}"));
            assertEquals(303, submit(portal, "csrf=" + enc(portal.token()) + "&action=change&plan_id=evil").status());
            BillingServers.Response shown = server.get(portal.path(), null);
            assertFalse(shown.body().contains("<script>alert"));
            assertFalse(shown.body().contains("<img"));
        } finally {
            server.putCatalog(BillingServers.CATALOG);
        }
    }

    @Test
    void the_portal_shows_every_quota_window_and_the_exported_usage_and_changes_or_cancels_the_plan() throws Exception {
        UUID account = UUID.randomUUID();
        server.activate(account, "llm-basic");
        server.use(account, "portal-" + account + "-1", 1500);
        server.use(account, "portal-" + account + "-2", 500);
        awaitExported(account, 2);
        Page portal = page(open("/api/v1/billing/portal-session", account, "{\"return_url\":\"http://localhost:9/back\"}"));
        String body = portal.response().body();

        assertEquals(200, portal.response().status(), body);
        assertTrue(body.contains("status-active"), body);
        assertTrue(body.contains("LLM Basic"));
        assertEquals(2, count(body, "<meter "), body);
        assertTrue(body.contains("data-window=\"minute\"") && body.contains("data-window=\"month\""));
        assertTrue(body.contains("2,000 / 20,000 tokens"), body);
        assertTrue(body.contains("resets "), body);
        assertTrue(body.contains("2 exported"), body);
        assertTrue(body.contains("1,500") && body.contains("500"));

        BillingServers.Response changed = submit(portal, "csrf=" + enc(portal.token()) + "&action=change&plan_id=llm-pro",
                "Origin", server.base());
        assertEquals(303, changed.status(), changed.toString());
        assertEquals(portal.path().substring(portal.path().lastIndexOf('/') + 1), changed.header("Location"));
        assertEquals("llm-pro", server.status(account).get("plan_id").asText());

        Page after = page(portal.path());
        BillingServers.Response canceled = submit(after, "csrf=" + enc(after.token()) + "&action=cancel", "Origin", server.base());
        assertEquals(303, canceled.status());
        assertEquals("canceled", server.status(account).get("status").asText());
        assertTrue(server.get(portal.path(), null).body().contains("status-canceled"));
        assertEquals(400, submit(after, "csrf=" + enc(after.token()) + "&action=refund").status());
    }

    private static long localUpdates() {
        return Long.parseLong(server.rows("select count(*) from processed_subscription_updates where event_id like 'local\\_%'")
                .get(0).get(0));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static void awaitExported(UUID account, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            String done = server.rows("select count(*) from usage_exports where state = 'exported' and account_id = '"
                    + account + "'").get(0).get(0);
            if (Integer.parseInt(done) >= n) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the exports were not done in time");
    }
}
