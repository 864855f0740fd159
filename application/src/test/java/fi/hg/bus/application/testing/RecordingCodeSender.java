package fi.hg.bus.application.testing;

import fi.hg.bus.application.identity.CodeSender;
import fi.hg.bus.domain.identity.EmailAddress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Keeps what it was asked to send; can be made to fail as a broken relay does. */
public final class RecordingCodeSender implements CodeSender {

    public record Sent(EmailAddress to, String code, Duration validFor) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private volatile boolean broken;

    @Override
    public synchronized void send(EmailAddress to, String code, Duration validFor) {
        if (broken) {
            throw new NotSent("the relay is down", null);
        }
        sent.add(new Sent(to, code, validFor));
    }

    public void breakDown() {
        broken = true;
    }

    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    public synchronized String lastCode() {
        return sent.getLast().code();
    }
}
