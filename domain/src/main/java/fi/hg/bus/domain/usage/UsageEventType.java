package fi.hg.bus.domain.usage;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The kinds of usage record a trusted service may report, with their wire names. */
public enum UsageEventType {
    REQUEST_STARTED("request_started"),
    RUNTIME_READY("runtime_ready"),
    BACKEND_REQUEST_STARTED("backend_request_started"),
    BACKEND_REQUEST_FINISHED("backend_request_finished"),
    USAGE_RECORDED("usage_recorded"),
    USAGE_MISSING("usage_missing"),
    REQUEST_FAILED("request_failed"),
    CLIENT_ABORTED("client_aborted"),
    CONTAINER_RUN_REQUESTED("container_run_requested"),
    CONTAINER_RUN_FINISHED("container_run_finished"),
    CONTAINER_RUN_FAILED("container_run_failed"),
    RUNTIME_START_REQUESTED("runtime_start_requested"),
    RUNTIME_START_FINISHED("runtime_start_finished"),
    RUNTIME_START_FAILED("runtime_start_failed"),
    RUNTIME_STOP_REQUESTED("runtime_stop_requested"),
    RUNTIME_STOP_FINISHED("runtime_stop_finished"),
    RUNTIME_STOP_FAILED("runtime_stop_failed");

    private static final Map<String, UsageEventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(UsageEventType::wireName, Function.identity()));

    private final String wireName;

    UsageEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<UsageEventType> fromWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }
}
