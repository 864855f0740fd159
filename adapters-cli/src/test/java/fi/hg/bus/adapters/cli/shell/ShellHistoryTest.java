package fi.hg.bus.adapters.cli.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShellHistoryTest {

    @TempDir
    Path dir;

    @Test
    void the_config_root_is_bus_config_dir_else_xdg_config_home_bus_else_home_dot_config_bus() {
        assertEquals(Path.of("/a"), ShellHistory.configRoot(Map.of("BUS_CONFIG_DIR", "/a", "XDG_CONFIG_HOME", "/x", "HOME", "/h")));
        assertEquals(Path.of("/x/bus"), ShellHistory.configRoot(Map.of("BUS_CONFIG_DIR", " ", "XDG_CONFIG_HOME", "/x", "HOME", "/h")));
        assertEquals(Path.of("/h/.config/bus"), ShellHistory.configRoot(Map.of("XDG_CONFIG_HOME", "", "HOME", "/h")));
    }

    @Test
    void the_history_file_is_made_private_in_a_private_directory() throws IOException {
        Path root = dir.resolve("conf/bus");
        Path file = ShellHistory.prepare(Map.of("BUS_CONFIG_DIR", root.toString()));
        assertEquals(root.resolve("shell-history"), file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
    }

    @Test
    void an_existing_history_is_kept() throws IOException {
        Files.writeString(dir.resolve("shell-history"), "operator billing catalog get\n");
        Path file = ShellHistory.prepare(Map.of("BUS_CONFIG_DIR", dir.toString()));
        assertEquals("operator billing catalog get\n", Files.readString(file));
    }
}
