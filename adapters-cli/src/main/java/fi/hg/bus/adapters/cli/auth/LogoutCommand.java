package fi.hg.bus.adapters.cli.auth;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.config.ConfigRoot;
import fi.hg.bus.adapters.cli.config.TokenFile;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus auth logout}: revokes the session on the server and removes the saved tokens. */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = {"Sign out: the server revokes the session token, and the saved session and API tokens are removed.",
                "API tokens copied elsewhere stay valid until they expire."})
public final class LogoutCommand implements Callable<Integer> {

    @Mixin
    SessionToken session;

    @Mixin
    ApiOptions api;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public LogoutCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        String token = session.peek(env);
        ConfigRoot root = ConfigRoot.of(env);
        CommandFailed revocation = null;
        String revoked = "there was no session to revoke";
        if (token != null) {
            try (ApiClient client = api.client(env, () -> token, null)) {
                client.post("/api/v1/auth/logout", "{}");
                revoked = "the session is revoked on the server";
            } catch (CommandFailed e) {
                if (e.exitCode() == ExitCodes.CREDENTIALS) {
                    revoked = "the session was not valid any more";
                } else {
                    revocation = e;
                }
            }
        }
        Path sessionFile = session.target(env);
        boolean removedSession = TokenFile.delete(sessionFile);
        boolean removedApi = TokenFile.delete(root.apiToken());
        String removed = removedSession || removedApi
                ? "removed " + (removedSession ? sessionFile + (removedApi ? " and " : "") : "") + (removedApi ? root.apiToken() : "")
                : "no saved tokens to remove";
        if (revocation != null) {
            throw new CommandFailed(revocation.exitCode(), "the saved tokens were removed, but the server could not revoke "
                    + "the session: " + revocation.getMessage());
        }
        output.result("Signed out: " + revoked + "; " + removed + ".");
        return 0;
    }
}
