package fi.hg.bus.app.jar;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up archive (docs/cli.md, "Start time") as people meet it: the build made one next to
 * {@code bus.jar}, {@code bin/bus} runs short commands with it when it was made by the JDK it runs
 * on, and without it (or with one the JVM makes in the user's cache directory) otherwise, never
 * failing and never printing a JVM warning. Which archive a class came from is read from the
 * JVM's own class-loading log ({@code -Xlog:class+load}, written to a file through
 * {@code BUS_JAVA_OPTS}): "shared objects file" is the build's archive, "shared objects file
 * (top)" the dynamic one of the cache directory, the jar itself means none.
 * <p>
 * Runs in Maven's integration-test phase, after the jar and its archive are built.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartArchiveJarTest {

    private static final String MAIN = "fi.hg.bus.app.Main";
    private static final String FROM_BUILD_ARCHIVE = "source: shared objects file";
    private static final String FROM_DYNAMIC_ARCHIVE = "source: shared objects file (top)";

    private Path jar;
    private Path launcher;
    private Path work;

    record Run(int code, String out, String err, String classLoading) {
        String describe() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }

        /** Where the JVM says {@code name} was loaded from. */
        String sourceOf(String name) {
            return classLoading.lines().filter(l -> l.contains(" " + name + " source: ")).findFirst()
                    .map(l -> l.substring(l.indexOf("source: "))).orElse("not loaded");
        }
    }

    @BeforeAll
    void findTheJar() throws IOException {
        String configured = System.getProperty("bus.jar");
        Assumptions.assumeTrue(configured != null,
                "runs in the integration-test phase on the built jar: ./mvnw -B verify -pl app -am -Dtest=StartArchiveJarTest "
                        + "-Dsurefire.failIfNoSpecifiedTests=false");
        jar = Path.of(configured).toAbsolutePath();
        launcher = jar.getParent().getParent().getParent().resolve("bin").resolve("bus");
        assertTrue(Files.isRegularFile(jar), "the jar is built: " + jar);
        assertTrue(Files.isExecutable(launcher), "the launcher: " + launcher);
        work = Files.createTempDirectory("bus-start-archive");
        Files.createDirectories(work.resolve("home"));
        Files.createDirectories(work.resolve("config"));
    }

    @AfterAll
    void clean() throws IOException {
        if (work != null) {
            delete(work);
        }
    }

    @Test
    void theBuildMadeAnArchiveForThisJdkNextToTheJar() throws IOException {
        Path start = startDirectoryOf(jar);
        assertTrue(Files.isRegularFile(start.resolve("bus.aot")) || Files.isRegularFile(start.resolve("bus.jsa")),
                "an archive in " + start);
        assertEquals(Files.readString(Path.of(System.getProperty("java.home"), "release")),
                Files.readString(start.resolve("jdk-release")), "made by the JDK that runs the build");
        String options = Files.readString(start.resolve("java-options"));
        assertTrue(options.contains("-XX:TieredStopAtLevel=1"), options);
    }

    @Test
    void shortCommandsStartFromTheBuildsArchive() throws Exception {
        Run v = launch(jar, Map.of(), "--version");
        assertEquals(0, v.code(), v.describe());
        assertTrue(v.out().matches("bus \\S+\\R"), "only the version on stdout: " + v.describe());
        assertEquals("", v.err(), v.describe());
        assertEquals(FROM_BUILD_ARCHIVE, v.sourceOf(MAIN));
        assertEquals(FROM_BUILD_ARCHIVE, v.sourceOf("fi.hg.bus.adapters.cli.Cli"));

        Run status = launch(jar, Map.of(), "billing", "status");
        assertEquals(3, status.code(), status.describe());
        assertEquals("", status.out(), status.describe());
        assertTrue(status.err().contains("bus auth token --scope \"billing:read billing:setup\""), status.describe());
        assertEquals(FROM_BUILD_ARCHIVE, status.sourceOf("fi.hg.bus.adapters.cli.billing.StatusCommand"));
    }

    @Test
    void shortCommandsLoadNeitherTheServerStackNorTheWholeCommandTree() throws Exception {
        for (String[] args : List.of(new String[]{"--version"}, new String[]{"billing", "status"})) {
            Run run = launch(jar, Map.of(), args);
            for (String name : List.of("fi.hg.bus.app.serve.BusServer", "io.helidon.webserver.WebServer",
                    "org.jooq.impl.DSL", "org.flywaydb.core.Flyway", "com.zaxxer.hikari.HikariDataSource",
                    "fi.hg.bus.adapters.cli.keys.CreateKeyCommand", "fi.hg.bus.app.stripe.StripeCatalogSyncCommand")) {
                assertFalse(run.classLoading().contains(" " + name + " "), String.join(" ", args) + " loaded " + name);
            }
        }
    }

    @Test
    void withoutAnArchiveForItsJdkTheJvmMakesOneInTheUsersCacheDirectory() throws Exception {
        Path elsewhere = Files.createDirectories(work.resolve("no-archive"));
        Path copy = Files.copy(jar, elsewhere.resolve("bus.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Path cache = work.resolve("cache-" + System.nanoTime());
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());

        Run first = launch(copy, env, "--version");
        assertEquals(0, first.code(), first.describe());
        assertTrue(first.out().matches("bus \\S+\\R"), first.describe());
        assertEquals("", first.err(), first.describe());
        assertTrue(first.sourceOf(MAIN).startsWith("source: jrt:") || first.sourceOf(MAIN).startsWith("source: file:"),
                "the first run has no archive: " + first.sourceOf(MAIN));
        Path dir = cache.resolve("bus").resolve("start");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().endsWith(".jsa")).count(), "one archive in " + dir);
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));

        Run second = launch(copy, env, "--version");
        assertEquals(0, second.code(), second.describe());
        assertEquals(first.out(), second.out());
        assertEquals("", second.err(), second.describe());
        assertEquals(FROM_DYNAMIC_ARCHIVE, second.sourceOf(MAIN));
    }

    @Test
    void anArchiveOfAnotherJdkIsNotUsedAndNothingIsSaid() throws Exception {
        Path elsewhere = Files.createDirectories(work.resolve("other-jdk"));
        Path copy = Files.copy(jar, elsewhere.resolve("bus.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Path start = copyStartDirectory(copy);
        Files.writeString(start.resolve("jdk-release"), "JAVA_RUNTIME_VERSION=\"another build\"\n", StandardOpenOption.APPEND);
        // a fresh cache directory: the JVM makes its own archive only at the end of this first run
        Map<String, String> env = Map.of("XDG_CACHE_HOME", work.resolve("cache-" + System.nanoTime()).toString());

        Run run = launch(copy, env, "--version");
        assertEquals(0, run.code(), run.describe());
        assertTrue(run.out().matches("bus \\S+\\R"), run.describe());
        assertEquals("", run.err(), run.describe());
        assertTrue(run.sourceOf(MAIN).startsWith("source: file:"), "loaded from the jar: " + run.sourceOf(MAIN));
    }

    @Test
    void aDamagedArchiveIsIgnoredWithoutAWord() throws Exception {
        Path elsewhere = Files.createDirectories(work.resolve("damaged"));
        Path copy = Files.copy(jar, elsewhere.resolve("bus.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Path start = copyStartDirectory(copy);
        for (String name : List.of("bus.aot", "bus.jsa")) {
            Path archive = start.resolve(name);
            if (Files.exists(archive)) {
                byte[] head = new byte[4096];
                Files.write(archive, head);
            }
        }
        Run run = launch(copy, Map.of(), "--version");
        assertEquals(0, run.code(), run.describe());
        assertTrue(run.out().matches("bus \\S+\\R"), "no JVM warning on stdout: " + run.describe());
        assertEquals("", run.err(), run.describe());
        assertFalse(run.sourceOf(MAIN).equals(FROM_BUILD_ARCHIVE), run.sourceOf(MAIN));
    }

    @Test
    void serveKeepsTheServersJvm() throws Exception {
        Run run = launch(jar, Map.of(), "serve", "--help");
        assertEquals(0, run.code(), run.describe());
        assertTrue(run.sourceOf(MAIN).startsWith("source: file:"), "serve runs without the CLI's archive: " + run.sourceOf(MAIN));
    }

    /** A copy of the build's start directory next to {@code copy}, newer than it. */
    private Path copyStartDirectory(Path copy) throws IOException {
        Path from = startDirectoryOf(jar);
        Path to = startDirectoryOf(copy);
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.setLastModifiedTime(copy, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        return to;
    }

    private static Path startDirectoryOf(Path jar) {
        String name = jar.getFileName().toString();
        return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + "-start");
    }

    /** {@code bin/bus ARGS} on {@code jar} with the JDK running this test, its class loading logged to a file. */
    private Run launch(Path jar, Map<String, String> extraEnv, String... args) throws Exception {
        Path log = Files.createTempFile(work, "classes", ".log");
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = b.environment();
        env.keySet().removeIf(k -> k.startsWith("BUS_") || k.startsWith("XDG_") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS"));
        Map<String, String> set = new HashMap<>();
        set.put("JAVA_HOME", System.getProperty("java.home"));
        set.put("HOME", work.resolve("home").toString());
        set.put("BUS_CONFIG_DIR", work.resolve("config").toString());
        set.put("BUS_JAR", jar.toString());
        set.put("BUS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        set.putAll(extraEnv);
        env.putAll(set);
        Process p = b.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bus " + String.join(" ", args) + " finished");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                Files.readString(log, StandardCharsets.UTF_8));
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        }
    }
}
