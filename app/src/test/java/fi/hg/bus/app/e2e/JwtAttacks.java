package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * A corpus of hostile bearer tokens. Each attack takes the route's fitting claims (the audience and
 * scopes the route needs, a subject it accepts) and the server's secret, and makes a token that the
 * server must refuse with 401 {@code invalid_auth} or 403 {@code forbidden}.
 */
public final class JwtAttacks {

    /** One attack: a name for reports and the token it makes from the route's fitting claims. */
    public record Attack(String name, Function<Fitting, String> token, boolean aboutScopes) {
        Attack(String name, Function<Fitting, String> token) {
            this(name, token, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** What a route accepts: {@code aud}, {@code scope}, {@code sub}, and the server's secret. */
    public record Fitting(String audience, String scope, String subject, String secret) {
    }

    public static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String ATTACKER_SECRET = "an-attacker-controlled-hs256-secret-0123456789";

    private JwtAttacks() {
    }

    public static String b64(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The claims a route accepts, valid for five minutes. */
    public static ObjectNode claims(Fitting f) {
        long now = Instant.now().getEpochSecond();
        ObjectNode c = TestServer.mapper().createObjectNode();
        c.put("sub", f.subject());
        c.put("aud", f.audience());
        c.put("scope", f.scope());
        c.put("iat", now - 5);
        c.put("exp", now + 300);
        return c;
    }

    /** header.payload.signature, the signature an HMAC of {@code algorithm} with {@code key}. */
    public static String signed(String header, String payload, String algorithm, byte[] key) {
        String input = b64(header) + "." + b64(payload);
        return input + "." + B64.encodeToString(hmac(algorithm, key, input));
    }

    public static String signed(String header, String payload, String secret) {
        return signed(header, payload, "HmacSHA256", secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A token the server accepts: the fitting claims, HS256 with its secret. */
    public static String valid(Fitting f) {
        return signed(HS256, claims(f).toString(), f.secret());
    }

    static byte[] hmac(String algorithm, byte[] key, String input) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withClaim(Fitting f, String name, Object value) {
        ObjectNode c = claims(f);
        c.set(name, TestServer.mapper().valueToTree(value));
        return signed(HS256, c.toString(), f.secret());
    }

    private static String withoutClaim(Fitting f, String name) {
        ObjectNode c = claims(f);
        c.remove(name);
        return signed(HS256, c.toString(), f.secret());
    }

    private static String asymmetric(String alg, String keyAlgorithm, String signatureAlgorithm, Fitting f) {
        try {
            KeyPair pair = PAIRS.computeIfAbsent(keyAlgorithm, JwtAttacks::keyPair);
            String input = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + b64(claims(f).toString());
            Signature s = Signature.getInstance(signatureAlgorithm);
            s.initSign(pair.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.util.Map<String, KeyPair> PAIRS = new java.util.concurrent.ConcurrentHashMap<>();

    private static KeyPair keyPair(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("RSA")) {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The last character of the signature changed in its unused low bits: the same bytes, another spelling. */
    public static String respelledSignature(String token) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int value = alphabet.indexOf(token.charAt(token.length() - 1));
        return token.substring(0, token.length() - 1) + alphabet.charAt((value & ~3) | ((value + 1) & 3));
    }

    private static String otherAudience(String audience) {
        return audience.equals(TestServer.INTERNAL) ? TestServer.END_USER : TestServer.INTERNAL;
    }

    /** The scope with its first Latin letter that has a Cyrillic twin replaced by that twin. */
    private static String lookalike(String scope) {
        String latin = "aeopcxy";
        String cyrillic = "\u0430\u0435\u043e\u0440\u0441\u0445\u0443";
        for (int i = 0; i < scope.length(); i++) {
            int at = latin.indexOf(scope.charAt(i));
            if (at >= 0) {
                return scope.substring(0, i) + cyrillic.charAt(at) + scope.substring(i + 1);
            }
        }
        throw new IllegalArgumentException("no letter with a lookalike in " + scope);
    }

    private static String firstScope(Fitting f) {
        return f.scope().split(" ")[0];
    }

    /** An attack on the scopes: it applies to routes that require a scope. */
    private static Attack scoped(String name, Function<Fitting, String> token) {
        return new Attack(name, token, true);
    }

    /** Every attack of the corpus. */
    public static List<Attack> corpus() {
        List<Attack> a = new ArrayList<>();
        // the algorithm
        a.add(new Attack("alg none, no signature", f -> b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims(f).toString()) + "."));
        a.add(new Attack("alg None, no signature", f -> b64("{\"alg\":\"None\"}") + "." + b64(claims(f).toString()) + "."));
        a.add(new Attack("alg none with the HS256 signature of the secret", f ->
                signed("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims(f).toString(), f.secret())));
        a.add(new Attack("no alg", f -> signed("{\"typ\":\"JWT\"}", claims(f).toString(), f.secret())));
        a.add(new Attack("alg as an array", f -> signed("{\"alg\":[\"HS256\"]}", claims(f).toString(), f.secret())));
        a.add(new Attack("alg hs256 in lower case", f -> signed("{\"alg\":\"hs256\"}", claims(f).toString(), f.secret())));
        a.add(new Attack("duplicate alg (none, then HS256)", f ->
                signed("{\"alg\":\"none\",\"alg\":\"HS256\"}", claims(f).toString(), f.secret())));
        a.add(new Attack("HS512 signed with the secret", f ->
                signed("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", claims(f).toString(), "HmacSHA512",
                        f.secret().getBytes(StandardCharsets.UTF_8))));
        a.add(new Attack("HS384 signed with the secret", f ->
                signed("{\"alg\":\"HS384\",\"typ\":\"JWT\"}", claims(f).toString(), "HmacSHA384",
                        f.secret().getBytes(StandardCharsets.UTF_8))));
        a.add(new Attack("RS256 header over an HS256 signature of the secret", f ->
                signed("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims(f).toString(), f.secret())));
        a.add(new Attack("ES256 header over an HS256 signature of the secret", f ->
                signed("{\"alg\":\"ES256\",\"typ\":\"JWT\"}", claims(f).toString(), f.secret())));
        a.add(new Attack("RS256 signed with a fresh RSA key", f -> asymmetric("RS256", "RSA", "SHA256withRSA", f)));
        a.add(new Attack("ES256 signed with a fresh EC key", f -> asymmetric("ES256", "EC", "SHA256withECDSAinP1363Format", f)));
        a.add(new Attack("crit header", f -> signed("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", claims(f).toString(), f.secret())));
        // keys the attacker chooses, named in the header
        a.add(new Attack("signed with another secret", f -> signed(HS256, claims(f).toString(), ATTACKER_SECRET)));
        a.add(new Attack("signed with the audience as the key", f -> signed(HS256, claims(f).toString(), f.audience())));
        a.add(new Attack("signed with an all-zero key", f -> signed(HS256, claims(f).toString(), "HmacSHA256", new byte[32])));
        a.add(new Attack("signed with the secret's base64 text", f -> signed(HS256, claims(f).toString(),
                Base64.getEncoder().encodeToString(f.secret().getBytes(StandardCharsets.UTF_8)))));
        a.add(new Attack("kid pointing at /dev/null, signed with an empty key", f ->
                signed("{\"alg\":\"HS256\",\"kid\":\"../../../../dev/null\"}", claims(f).toString(), "HmacSHA256", new byte[1])));
        a.add(new Attack("kid of another key, signed with it", f ->
                signed("{\"alg\":\"HS256\",\"kid\":\"attacker\"}", claims(f).toString(), ATTACKER_SECRET)));
        a.add(new Attack("jku to an attacker's key set", f ->
                signed("{\"alg\":\"HS256\",\"jku\":\"https://attacker.example/jwks.json\"}", claims(f).toString(), ATTACKER_SECRET)));
        a.add(new Attack("x5u to an attacker's certificate", f ->
                signed("{\"alg\":\"HS256\",\"x5u\":\"https://attacker.example/cert.pem\"}", claims(f).toString(), ATTACKER_SECRET)));
        a.add(new Attack("embedded jwk of an attacker's key", f -> signed("{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\""
                + b64(ATTACKER_SECRET) + "\"}}", claims(f).toString(), ATTACKER_SECRET)));
        // the signature
        a.add(new Attack("stripped signature", f -> {
            String t = valid(f);
            return t.substring(0, t.lastIndexOf('.'));
        }));
        a.add(new Attack("empty signature", f -> {
            String t = valid(f);
            return t.substring(0, t.lastIndexOf('.') + 1);
        }));
        a.add(new Attack("signature of another token", f -> {
            String t = valid(f);
            String other = withClaim(f, "jti", "another");
            return t.substring(0, t.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));
        }));
        a.add(new Attack("truncated signature", f -> {
            String t = valid(f);
            return t.substring(0, t.length() - 4);
        }));
        a.add(new Attack("signature with its low bits respelled and the claims changed", f -> {
            String t = valid(f);
            String[] parts = t.split("\\.");
            ObjectNode c = claims(f);
            c.put("scope", f.scope() + " billing:catalog:write");
            return parts[0] + "." + b64(c.toString()) + "." + respelledSignature(t).split("\\.")[2];
        }));
        a.add(new Attack("padding '=' on every part", f -> {
            String[] parts = valid(f).split("\\.");
            return parts[0] + "==." + parts[1] + "==." + parts[2] + "=";
        }));
        a.add(new Attack("standard base64 alphabet", f -> {
            String t = valid(f);
            String changed = t.replace('-', '+').replace('_', '/');
            return changed.equals(t) ? t.substring(0, t.length() - 1) + "+" : changed;
        }));
        a.add(new Attack("a fourth part", f -> valid(f) + ".e30"));
        a.add(new Attack("whitespace inside the token", f -> {
            String t = valid(f);
            return t.substring(0, 10) + " " + t.substring(10);
        }));
        a.add(new Attack("payload not JSON", f -> signed(HS256, "not json", f.secret())));
        a.add(new Attack("payload a JSON array", f -> signed(HS256, "[" + claims(f) + "]", f.secret())));
        // time
        a.add(new Attack("expired a minute ago", f -> withClaim(f, "exp", Instant.now().getEpochSecond() - 60)));
        a.add(new Attack("exp as a string", f -> withClaim(f, "exp", String.valueOf(Instant.now().getEpochSecond() + 300))));
        a.add(new Attack("exp far beyond year 9999", f -> withClaim(f, "exp", 1e300)));
        a.add(new Attack("no exp", f -> withoutClaim(f, "exp")));
        a.add(new Attack("no iat", f -> withoutClaim(f, "iat")));
        a.add(new Attack("issued two minutes in the future", f -> withClaim(f, "iat", Instant.now().getEpochSecond() + 120)));
        a.add(new Attack("nbf two minutes in the future", f -> withClaim(f, "nbf", Instant.now().getEpochSecond() + 120)));
        // audience and issuer
        a.add(new Attack("another audience", f -> withClaim(f, "aud", otherAudience(f.audience()))));
        a.add(new Attack("audience with a trailing space", f -> withClaim(f, "aud", f.audience() + " ")));
        a.add(new Attack("audience in upper case", f -> withClaim(f, "aud", f.audience().toUpperCase(java.util.Locale.ROOT))));
        a.add(new Attack("audience as a URL", f -> withClaim(f, "aud", "https://" + f.audience())));
        a.add(new Attack("no aud", f -> withoutClaim(f, "aud")));
        a.add(new Attack("aud an empty list", f -> withClaim(f, "aud", List.of())));
        a.add(new Attack("aud a list of other audiences", f -> withClaim(f, "aud", List.of(otherAudience(f.audience()), "ai.hg.fi/auth2"))));
        a.add(new Attack("aud an object", f -> withClaim(f, "aud", java.util.Map.of("aud", f.audience()))));
        a.add(new Attack("wrong issuer, signed with that issuer's key", f -> {
            ObjectNode c = claims(f);
            c.put("iss", "https://accounts.attacker.example");
            return signed(HS256, c.toString(), ATTACKER_SECRET);
        }));
        // scopes
        a.add(new Attack("scope as an array", f -> withClaim(f, "scope", List.of(f.scope().split(" ")))));
        a.add(scoped("scopes as an array under scp", f -> {
            ObjectNode c = claims(f);
            c.put("scope", "none:of:these");
            ArrayNode scp = c.putArray("scp");
            for (String s : f.scope().split(" ")) {
                scp.add(s);
            }
            return signed(HS256, c.toString(), f.secret());
        }));
        a.add(new Attack("no scope", f -> withoutClaim(f, "scope")));
        a.add(scoped("empty scope", f -> withClaim(f, "scope", "")));
        a.add(scoped("scope in the header, none in the claims", f ->
                signed("{\"alg\":\"HS256\",\"scope\":\"" + f.scope() + "\"}", claims(f).put("scope", "unrelated:scope").toString(),
                        f.secret())));
        a.add(scoped("duplicate scope claims, the fitting one last", f -> {
            String payload = claims(f).put("scope", "unrelated:scope").toString();
            payload = payload.substring(0, payload.length() - 1) + ",\"scope\":\"" + f.scope() + "\"}";
            return signed(HS256, payload, f.secret());
        }));
        a.add(new Attack("duplicate aud claims, the fitting one last", f -> {
            String payload = claims(f).put("aud", otherAudience(f.audience())).toString();
            payload = payload.substring(0, payload.length() - 1) + ",\"aud\":\"" + f.audience() + "\"}";
            return signed(HS256, payload, f.secret());
        }));
        a.add(scoped("scope with a Cyrillic lookalike letter", f -> withClaim(f, "scope", lookalike(f.scope()))));
        a.add(scoped("scope with a fullwidth colon", f -> withClaim(f, "scope", f.scope().replace(":", "\uff1a"))));
        a.add(scoped("scopes joined by commas", f -> withClaim(f, "scope", String.join(",", f.scope().split(" ")) + ",other:scope")));
        a.add(scoped("scope split by an inner space", f -> withClaim(f, "scope", firstScope(f).replaceFirst(":", " :"))));
        a.add(scoped("scope with a no-break space", f -> withClaim(f, "scope", firstScope(f) + "\u00a0other:scope")));
        a.add(scoped("scope with a NUL", f -> withClaim(f, "scope", firstScope(f) + "\u0000")));
        a.add(scoped("wildcard scope", f -> withClaim(f, "scope", "*")));
        a.add(scoped("wildcard of the scope's area", f -> withClaim(f, "scope", firstScope(f).split(":")[0] + ":*")));
        a.add(scoped("scope naming the audience", f -> withClaim(f, "scope", "aud:" + f.audience() + " " + f.audience())));
        a.add(new Attack("sub missing", f -> withoutClaim(f, "sub")));
        a.add(new Attack("sub as a number", f -> withClaim(f, "sub", 12345)));
        // size
        a.add(new Attack("oversized token (9,000 characters), otherwise valid", f -> withClaim(f, "pad", "x".repeat(6800))));
        a.add(new Attack("oversized garbage (12,000 characters)", f -> "e".repeat(12_000)));
        return a;
    }
}
