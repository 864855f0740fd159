package fi.hg.bus.app.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The process environment, read once; empty values count as unset. */
public record Env(Map<String, String> values) {

    public Env {
        values = Map.copyOf(values);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> get(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /**
     * The value of {@code name} or of any of its aliases. Two that are set to different values are
     * an error naming both; the values themselves are never shown (they may be secrets).
     */
    public Optional<String> aliased(String name, String... aliases) {
        List<String> names = new ArrayList<>();
        names.add(name);
        names.addAll(List.of(aliases));
        String chosenName = null;
        String chosen = null;
        for (String n : names) {
            Optional<String> v = get(n);
            if (v.isEmpty()) {
                continue;
            }
            if (chosen == null) {
                chosen = v.get();
                chosenName = n;
            } else if (!chosen.equals(v.get())) {
                throw new ConfigException(chosenName + " and " + n + " are both set, to different values; set one of them");
            }
        }
        return Optional.ofNullable(chosen);
    }

    public int positiveInt(String name, int defaultValue) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.get().strip());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a positive integer");
        }
    }
}
