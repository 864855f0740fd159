package fi.hg.bus.application.identity;

import fi.hg.bus.application.testing.CountingTokenIssuer;
import fi.hg.bus.application.testing.InMemoryIdentities;
import fi.hg.bus.application.testing.InMemoryOneTimeCodes;
import fi.hg.bus.application.testing.InMemoryRevokedSessions;
import fi.hg.bus.application.testing.InMemoryTransactions;
import fi.hg.bus.application.testing.MutableClock;
import fi.hg.bus.application.testing.RecordingCodeSender;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Scopes;
import fi.hg.bus.domain.identity.ApiScopePolicy;
import fi.hg.bus.domain.identity.CodeDigest;
import fi.hg.bus.domain.identity.EmailAddress;
import fi.hg.bus.domain.identity.Identity;
import fi.hg.bus.domain.identity.IdentityStatus;
import fi.hg.bus.domain.identity.OneTimeCode;
import fi.hg.bus.domain.identity.RequestLimit;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The auth use cases over in-memory ports, with a clock the tests move. */
class AccountFlowTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryTransactions transactions = new InMemoryTransactions();
    private final InMemoryIdentities identities = new InMemoryIdentities();
    private final InMemoryOneTimeCodes codes = new InMemoryOneTimeCodes();
    private final InMemoryRevokedSessions revoked = new InMemoryRevokedSessions();
    private final RecordingCodeSender sender = new RecordingCodeSender();
    private final CountingTokenIssuer tokens = new CountingTokenIssuer(clock);
    private final CodeDigest digest = new CodeDigest("application-test-code-digest-key-0123".getBytes(StandardCharsets.US_ASCII));
    private final AuthPolicy policy = new AuthPolicy(false, Duration.ofMinutes(10), new RequestLimit(3, Duration.ofMinutes(15)),
            Duration.ofHours(24), new ApiScopePolicy(Scopes.parse("billing:read billing:setup llm:proxy")));

    private final Register register = new Register(transactions, identities, UUID::randomUUID, false, clock);
    private final RequestCode requestCode = new RequestCode(transactions, identities, codes, sender, digest, new Random(7),
            UUID::randomUUID, policy, clock);
    private final VerifyCode verifyCode = new VerifyCode(transactions, identities, codes, digest, tokens, policy, clock);
    private final IssueApiToken issueApiToken = new IssueApiToken(identities, tokens, policy);
    private final DecideIdentity decide = new DecideIdentity(transactions, identities, clock);

    private static final EmailAddress ALICE = EmailAddress.parse("alice@example.com");

    private Identity registered() {
        return register.register(ALICE).identity();
    }

    @Test
    void registering_twice_makes_one_waitlisted_identity() {
        Register.Registered first = register.register(ALICE);
        Register.Registered second = register.register(ALICE);
        assertTrue(first.created());
        assertFalse(second.created());
        assertEquals(first.identity(), second.identity());
        assertEquals(IdentityStatus.WAITLISTED, first.identity().status());
        assertFalse(first.identity().emailVerified());
        assertEquals(IdentityStatus.APPROVED, new Register(transactions, new InMemoryIdentities(), UUID::randomUUID, true, clock)
                .register(ALICE).identity().status(), "with auto-approve");
    }

    @Test
    void a_code_is_sent_as_six_digits_and_stored_only_as_its_digest() {
        registered();
        var sent = assertInstanceOf(RequestCode.Result.Sent.class, requestCode.request(ALICE));
        assertEquals(clock.instant().plus(Duration.ofMinutes(10)), sent.expiresAt());
        String code = sender.lastCode();
        assertTrue(OneTimeCode.wellFormed(code), code);
        assertEquals(Duration.ofMinutes(10), sender.sent().getLast().validFor());
        OneTimeCode stored = codes.all().getLast();
        assertEquals(digest.of(stored.id(), code), stored.digest());
        assertFalse(stored.digest().contains(code));
    }

    @Test
    void a_code_for_an_unknown_address_is_not_sent() {
        assertInstanceOf(RequestCode.Result.UnknownEmail.class, requestCode.request(ALICE));
        assertTrue(sender.sent().isEmpty());
    }

    @Test
    void the_request_limit_slides_with_time() {
        registered();
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(RequestCode.Result.Sent.class, requestCode.request(ALICE));
            clock.advance(Duration.ofMinutes(1));
        }
        var limited = assertInstanceOf(RequestCode.Result.RateLimited.class, requestCode.request(ALICE));
        assertEquals(Duration.ofMinutes(12), limited.retryAfter());
        assertEquals(3, sender.sent().size());
        clock.advance(Duration.ofMinutes(12));
        assertInstanceOf(RequestCode.Result.Sent.class, requestCode.request(ALICE));
    }

    @Test
    void the_right_code_verifies_the_address_and_gives_a_session_of_the_auth_audience() {
        Identity identity = registered();
        requestCode.request(ALICE);
        var verified = assertInstanceOf(VerifyCode.Result.Verified.class, verifyCode.verify(ALICE, sender.lastCode()));
        assertTrue(verified.identity().emailVerified());
        assertTrue(identities.find(identity.id()).orElseThrow().emailVerified());
        assertEquals(Audience.AUTH, verified.session().audience());
        assertEquals(List.of(new CountingTokenIssuer.Issued(identity.id().toString(), Audience.AUTH,
                Scopes.of("auth:session"), Duration.ofHours(24))), tokens.issued());
        assertFalse(verified.session().toString().contains(verified.session().token()), "toString never shows the token");
    }

    @Test
    void a_code_expires_exactly_at_its_time() {
        registered();
        requestCode.request(ALICE);
        String code = sender.lastCode();
        clock.advance(Duration.ofMinutes(10));
        var refused = assertInstanceOf(VerifyCode.Result.Refused.class, verifyCode.verify(ALICE, code));
        assertEquals(VerifyCode.Reason.EXPIRED, refused.reason());
        assertTrue(tokens.issued().isEmpty());
    }

    @Test
    void a_wrong_code_counts_and_the_fifth_burns() {
        registered();
        requestCode.request(ALICE);
        String code = sender.lastCode();
        String wrong = code.equals("000000") ? "000001" : "000000";
        for (int left = 4; left >= 1; left--) {
            var refused = assertInstanceOf(VerifyCode.Result.Refused.class, verifyCode.verify(ALICE, wrong));
            assertEquals(VerifyCode.Reason.WRONG, refused.reason());
            assertEquals(left, refused.triesLeft());
        }
        assertEquals(VerifyCode.Reason.BURNED, ((VerifyCode.Result.Refused) verifyCode.verify(ALICE, wrong)).reason());
        assertEquals(VerifyCode.Reason.BURNED, ((VerifyCode.Result.Refused) verifyCode.verify(ALICE, code)).reason());
    }

    @Test
    void a_used_code_is_refused_and_the_old_code_stops_working_when_a_new_one_is_sent() {
        registered();
        requestCode.request(ALICE);
        String first = sender.lastCode();
        assertInstanceOf(VerifyCode.Result.Verified.class, verifyCode.verify(ALICE, first));
        assertEquals(VerifyCode.Reason.USED, ((VerifyCode.Result.Refused) verifyCode.verify(ALICE, first)).reason());

        requestCode.request(ALICE);
        requestCode.request(ALICE);
        assertEquals(OneTimeCode.State.REPLACED, codes.all().get(1).state());
        assertInstanceOf(VerifyCode.Result.Verified.class, verifyCode.verify(ALICE, sender.lastCode()));
    }

    @Test
    void verifying_without_a_code_is_refused_and_a_malformed_code_is_a_bug_of_the_caller() {
        assertEquals(VerifyCode.Reason.UNKNOWN_EMAIL, ((VerifyCode.Result.Refused) verifyCode.verify(ALICE, "123456")).reason());
        registered();
        assertEquals(VerifyCode.Reason.NO_CODE, ((VerifyCode.Result.Refused) verifyCode.verify(ALICE, "123456")).reason());
        assertThrows(IllegalArgumentException.class, () -> verifyCode.verify(ALICE, "12345"));
    }

    @Test
    void a_code_that_cannot_be_sent_is_reported_and_still_counts_against_the_limit() {
        registered();
        sender.breakDown();
        assertThrows(CodeSender.NotSent.class, () -> requestCode.request(ALICE));
        assertEquals(1, codes.issuedSince(identities.find(ALICE).orElseThrow().id(), clock.instant().minusSeconds(1)).size());
    }

    @Test
    void api_tokens_are_for_approved_identities_and_allowed_scopes_only() {
        Identity identity = registered();
        Scopes billing = Scopes.parse("billing:read billing:setup");
        var waiting = assertInstanceOf(IssueApiToken.Result.NotApproved.class,
                issueApiToken.issue(new IssueApiToken.Command(identity.id(), billing, null)));
        assertEquals(IdentityStatus.WAITLISTED, waiting.status());

        decide.decide(ALICE, DecideIdentity.Decision.APPROVE);
        var issued = assertInstanceOf(IssueApiToken.Result.Issued.class,
                issueApiToken.issue(new IssueApiToken.Command(identity.id(), billing, null)));
        assertEquals(Audience.API, issued.token().audience());
        assertEquals(new CountingTokenIssuer.Issued(identity.id().toString(), Audience.API, billing, IssueApiToken.DEFAULT_TTL),
                tokens.issued().getLast());

        var refused = assertInstanceOf(IssueApiToken.Result.ScopesNotAllowed.class, issueApiToken.issue(
                new IssueApiToken.Command(identity.id(), Scopes.parse("usage:write billing:read keys:write"), null)));
        assertEquals(List.of("usage:write", "keys:write"), refused.scopes());

        decide.decide(ALICE, DecideIdentity.Decision.REJECT);
        assertInstanceOf(IssueApiToken.Result.NotApproved.class,
                issueApiToken.issue(new IssueApiToken.Command(identity.id(), billing, null)));
        assertInstanceOf(IssueApiToken.Result.UnknownIdentity.class,
                issueApiToken.issue(new IssueApiToken.Command(UUID.randomUUID(), billing, null)));
        assertThrows(IllegalArgumentException.class, () -> new IssueApiToken.Command(identity.id(), billing, Duration.ofDays(31)));
        assertThrows(IllegalArgumentException.class, () -> new IssueApiToken.Command(identity.id(), Scopes.parse(""), null));
    }

    @Test
    void operators_decide_known_addresses_and_a_repeated_decision_changes_nothing() {
        registered();
        assertEquals(1, new ListWaitlist(identities).list().identities().size());
        var approved = assertInstanceOf(DecideIdentity.Result.Decided.class, decide.decide(ALICE, DecideIdentity.Decision.APPROVE));
        assertEquals(IdentityStatus.APPROVED, approved.identity().status());
        assertEquals(approved, decide.decide(ALICE, DecideIdentity.Decision.APPROVE));
        assertTrue(new ListWaitlist(identities).list().identities().isEmpty());
        assertInstanceOf(DecideIdentity.Result.UnknownEmail.class,
                decide.decide(EmailAddress.parse("bob@example.com"), DecideIdentity.Decision.REJECT));
    }

    @Test
    void a_signed_out_session_is_remembered_by_digest_until_it_expires() {
        Logout logout = new Logout(revoked);
        CheckRevocation check = new CheckRevocation(revoked);
        logout.logout("session-token", clock.instant().plusSeconds(60));
        assertTrue(check.isRevoked("session-token"));
        assertFalse(check.isRevoked("another-token"));
        new ForgetAuthRecords(codes, revoked, policy, clock).forget();
        assertTrue(check.isRevoked("session-token"));
        clock.advance(Duration.ofSeconds(61));
        new ForgetAuthRecords(codes, revoked, policy, clock).forget();
        assertFalse(check.isRevoked("session-token"));
    }

    @Test
    void old_codes_are_forgotten_after_a_day() {
        registered();
        requestCode.request(ALICE);
        clock.advance(Duration.ofHours(23));
        new ForgetAuthRecords(codes, revoked, policy, clock).forget();
        assertEquals(1, codes.all().size());
        clock.advance(Duration.ofHours(2));
        new ForgetAuthRecords(codes, revoked, policy, clock).forget();
        assertTrue(codes.all().isEmpty());
    }

    @Test
    void the_internal_key_is_checked_before_the_request_is_read() {
        IssueServiceToken keyless = new IssueServiceToken(Optional.empty(), tokens);
        IssueServiceToken keyed = new IssueServiceToken(Optional.of("the-internal-shared-key"), tokens);
        var command = new IssueServiceToken.Command("collector", Audience.INTERNAL, Scopes.of("usage:read"), null);
        assertInstanceOf(IssueServiceToken.Result.Forbidden.class, keyless.issue("the-internal-shared-key", () -> command));
        for (String wrong : new String[]{null, "", "the-internal-shared-ke", "the-internal-shared-key "}) {
            assertInstanceOf(IssueServiceToken.Result.Forbidden.class, keyed.issue(wrong, () -> {
                throw new AssertionError("the request was read without the key");
            }));
        }
        var issued = assertInstanceOf(IssueServiceToken.Result.Issued.class, keyed.issue("the-internal-shared-key", () -> command));
        assertEquals(Audience.INTERNAL, issued.token().audience());
        assertEquals(IssueServiceToken.DEFAULT_TTL, tokens.issued().getLast().ttl());
    }
}
