package fi.hg.bus.app.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real headless Chromium, driven through ChromeDriver's W3C WebDriver HTTP API (Debian's
 * {@code chromium} and {@code chromium-driver}; {@code .ci/run} installs them). Each instance starts
 * its own ChromeDriver on a free port with a fresh profile, and stops both on close.
 */
final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final Path profile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String session;

    private Chromium(Process driver, Path profile, String base, String session) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
        this.session = session;
    }

    static Chromium start() {
        String chromedriver = executable("BUS_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
        String chromium = executable("BUS_TEST_CHROMIUM", "/usr/bin/chromium");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process driver;
        Path profile;
        try {
            profile = Files.createTempDirectory("bus-chromium-profile");
            driver = new ProcessBuilder(chromedriver, "--port=" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String base = "http://127.0.0.1:" + port;
        Chromium partial = new Chromium(driver, profile, base, null);
        try {
            partial.awaitDriver();
            ObjectNode options = JSON.createObjectNode();
            options.put("binary", chromium);
            var args = options.putArray("args");
            for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1100,1400", "--user-data-dir=" + profile)) {
                args.add(a);
            }
            ObjectNode caps = JSON.createObjectNode();
            caps.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome")
                    .set("goog:chromeOptions", options);
            JsonNode created = partial.call("POST", "/session", caps);
            return new Chromium(driver, profile, base, created.path("value").path("sessionId").asText());
        } catch (RuntimeException e) {
            partial.close();
            throw e;
        }
    }

    private static String executable(String variable, String fallback) {
        String path = System.getenv(variable) == null ? fallback : System.getenv(variable);
        if (!Files.isExecutable(Path.of(path))) {
            throw new AssertionError(path + " is missing: the page tests need Debian's chromium and chromium-driver "
                    + "(apt-get install -y chromium chromium-driver; .ci/run installs them)");
        }
        return path;
    }

    private void awaitDriver() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode status = call("GET", "/status", null);
                if (status.path("value").path("ready").asBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            sleep(100);
        }
        throw new IllegalStateException("chromedriver did not start");
    }

    void open(String url) {
        command("POST", "/url", JSON.createObjectNode().put("url", url));
    }

    String url() {
        return command("GET", "/url", null).path("value").asText();
    }

    String source() {
        return command("GET", "/source", null).path("value").asText();
    }

    String title() {
        return command("GET", "/title", null).path("value").asText();
    }

    /** The elements matching a CSS selector, as WebDriver element ids. */
    List<String> all(String css) {
        JsonNode found = command("POST", "/elements", JSON.createObjectNode().put("using", "css selector").put("value", css));
        return Stream.of(found.path("value")).flatMap(v -> {
            java.util.List<String> ids = new java.util.ArrayList<>();
            v.forEach(e -> ids.add(e.path(ELEMENT).asText()));
            return ids.stream();
        }).toList();
    }

    String one(String css) {
        List<String> found = all(css);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " elements match " + css + " on " + url());
        }
        return found.getFirst();
    }

    void click(String css) {
        command("POST", "/element/" + one(css) + "/click", JSON.createObjectNode());
    }

    String text(String css) {
        return command("GET", "/element/" + one(css) + "/text", null).path("value").asText();
    }

    boolean selected(String css) {
        return command("GET", "/element/" + one(css) + "/selected", null).path("value").asBoolean();
    }

    /** Waits until the current URL fits. */
    void awaitUrl(Predicate<String> fits) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = url();
            if (fits.test(last)) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("the browser stayed at " + last);
    }

    /**
     * Waits until the text of the one element matching {@code css} fits, and returns it. A form
     * that posts back to the same URL leaves the old page in place for a moment: its elements go
     * stale or vanish while the new page loads, which is waited out here.
     */
    String awaitText(String css, Predicate<String> fits) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = text(css);
                if (fits.test(last)) {
                    return last;
                }
            } catch (IllegalStateException | AssertionError loading) {
                last = loading.getMessage();
            }
            sleep(100);
        }
        throw new AssertionError(css + " stayed at: " + last);
    }

    /** Saves a PNG of the page, for people to look at after the test. */
    void screenshot(Path file) {
        byte[] png = Base64.getDecoder().decode(command("GET", "/screenshot", null).path("value").asText());
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode command(String method, String path, JsonNode body) {
        return call(method, "/session/" + session + path, body);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        try {
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + path + " failed: " + r.statusCode() + " "
                        + json.path("value").path("message").asText(r.body()));
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (RuntimeException ignored) {
            // the browser is stopped with the driver below
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile left behind
            }
        }
    }
}
