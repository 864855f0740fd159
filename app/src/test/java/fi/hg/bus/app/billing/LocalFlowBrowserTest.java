package fi.hg.bus.app.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local provider's flow as a person does it, in a real headless Chromium: open the setup URL,
 * choose a plan, subscribe, land on the return URL; the account is then active; the portal shows a
 * bar for each quota window; cancelling there makes the account canceled.
 */
class LocalFlowBrowserTest {

    private static BillingServers server;
    private static HttpServer app;
    private static Chromium browser;

    @BeforeAll
    static void start() throws IOException {
        server = BillingServers.start(Map.of());
        server.putCatalog(BillingServers.CATALOG);
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/back", exchange -> {
            byte[] page = "<!doctype html><title>The app</title><h1>Back at the app</h1>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        app.start();
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (app != null) {
                app.stop(0);
            }
            server.close();
        }
    }

    private static JsonNode ownStatus(UUID account) {
        BillingServers.Response r = server.get("/api/v1/billing/status", server.user(account, "billing:read"));
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private static String session(String api, UUID account, String body) {
        BillingServers.Response r = server.post(api, server.user(account, "billing:read billing:setup"), body);
        assertEquals(200, r.status(), r.toString());
        return r.json().get("url").asText();
    }

    @Test
    void set_up_in_the_browser_land_on_the_return_url_see_the_bars_in_the_portal_and_cancel() {
        UUID account = UUID.randomUUID();
        String back = "http://127.0.0.1:" + app.getAddress().getPort() + "/back?from=bus";
        assertEquals("missing", ownStatus(account).get("status").asText());

        browser.open(session("/api/v1/billing/checkout-session", account,
                "{\"feature\":\"llm:proxy\",\"return_url\":\"" + back + "\"}"));
        assertEquals("Set up billing · Bus billing", browser.title());
        assertEquals(2, browser.all("input[name=plan_id]").size(), "the two plans that offer llm:proxy");
        assertTrue(browser.selected("input[value=llm-basic]"), "the first plan is chosen by default");
        browser.screenshot(Path.of("target", "screenshots", "local-checkout.png"));
        browser.click("input[value=llm-pro]");
        browser.click("button[type=submit]");
        browser.awaitUrl(url -> url.startsWith(back));

        assertEquals(back, browser.url());
        assertTrue(browser.source().contains("Back at the app"));
        JsonNode status = ownStatus(account);
        assertEquals("active", status.get("status").asText());
        assertEquals("llm-pro", status.get("plan_id").asText());
        assertEquals("local", status.get("provider").asText());

        server.use(account, "browser-" + account, 25_000);
        browser.open(session("/api/v1/billing/portal-session", account, "{\"return_url\":\"" + back + "\"}"));
        assertEquals(2, browser.all("meter").size(), "a bar for each quota window of llm-pro");
        assertTrue(browser.text("main").contains("25,000 / 100,000 tokens"), browser.text("main"));
        assertTrue(browser.text("main").contains("resets "), browser.text("main"));
        browser.screenshot(Path.of("target", "screenshots", "local-portal.png"));
        String portal = browser.url();

        browser.click("button[value=cancel]");
        browser.awaitUrl(portal::equals);
        browser.awaitText(".status", text -> text.contains("canceled"));
        assertEquals("canceled", ownStatus(account).get("status").asText());
        browser.screenshot(Path.of("target", "screenshots", "local-portal-canceled.png"));
    }
}
