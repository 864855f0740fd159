package fi.hg.bus.app.script;

import fi.hg.bus.app.Main;
import fi.hg.bus.app.config.Env;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Runs {@code bus} in-process through {@link Main#run}, or as a process of its own from a launcher jar. */
final class BusRuns {

    /** The repository's root (tests run in app/). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Result(int code, String out, String err) {
        String describe() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private BusRuns() {
    }

    static Result main(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Env(env), args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * A jar that holds only a manifest: {@code Main-Class} is {@link Main} and {@code Class-Path}
     * the test class path, so {@code java -jar} (and {@code bin/bus} with {@code BUS_JAR}) runs
     * this build's classes as bus.jar would, before bus.jar is packaged.
     */
    static Path launcherJar(Path dir) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        a.put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        a.putValue("Enable-Native-Access", "ALL-UNNAMED");
        Path jar = dir.resolve("bus-launcher.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.flush();
        }
        return jar;
    }

    /** The JDK the tests run on. */
    static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }
}
