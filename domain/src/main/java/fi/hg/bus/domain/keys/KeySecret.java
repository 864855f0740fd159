package fi.hg.bus.domain.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The secret of an API key: {@code sk-} followed by 48 random letters and digits. It is shown to
 * its owner once, when it is made; the store keeps only its SHA-256 hash, and finds a key by the
 * secret's first {@value #LOOKUP_LENGTH} characters, then compares hashes in constant time.
 */
public final class KeySecret {

    public static final String PREFIX = "sk-";
    /** The number of random characters after {@code sk-}. */
    public static final int LENGTH = 48;
    /** How many leading characters of the secret the store finds a key by. */
    public static final int LOOKUP_LENGTH = 12;
    /** How many leading characters are shown in listings, after {@code sk-}. */
    public static final int SHOWN_LENGTH = 8;

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** What a presented key that cannot be one is compared with, so that every refusal costs the same. */
    private static final byte[] NO_HASH = new byte[32];
    /** Cloned for each hash: {@code MessageDigest.getInstance} looks the provider up every time. */
    private static final MessageDigest SHA_256 = sha256();

    private final String value;

    private KeySecret(String value) {
        this.value = value;
    }

    /** A new secret of 48 characters drawn uniformly from {@code [A-Za-z0-9]}. */
    public static KeySecret generate(RandomGenerator random) {
        char[] chars = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new KeySecret(new String(chars));
    }

    /**
     * The key a bearer credential presents: {@code sk-} is taken off when present, and the first
     * hyphen-separated segment of the rest is the key (so {@code sk-KEY-anything} presents
     * {@code KEY}). Empty when that segment cannot be a key: a key is only ever presented whole,
     * never by a part of itself.
     */
    public static Optional<KeySecret> fromBearer(String credential) {
        if (credential == null) {
            return Optional.empty();
        }
        String rest = credential.startsWith(PREFIX) ? credential.substring(PREFIX.length()) : credential;
        int hyphen = rest.indexOf('-');
        String segment = hyphen < 0 ? rest : rest.substring(0, hyphen);
        if (segment.length() != LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = segment.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return Optional.empty();
            }
        }
        return Optional.of(new KeySecret(segment));
    }

    /** The characters the store finds the key by. */
    public String lookup() {
        return value.substring(0, LOOKUP_LENGTH);
    }

    /** What listings show of the key: {@code sk-} and its first eight characters. */
    public String shownPrefix() {
        return PREFIX + value.substring(0, SHOWN_LENGTH);
    }

    /** The SHA-256 hash of the secret, the only form the store keeps. */
    public byte[] hash() {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            digest = sha256();
        }
        return digest.digest(value.getBytes(StandardCharsets.US_ASCII));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /**
     * Whether this secret is the one whose hash is {@code storedHash}, compared in time that does
     * not depend on where the hashes differ. A null {@code storedHash} (no key was found) is
     * compared with a dummy, so that an unknown key costs what a wrong one does.
     */
    public boolean matches(byte[] storedHash) {
        byte[] mine = hash();
        boolean found = storedHash != null;
        boolean equal = MessageDigest.isEqual(mine, found ? storedHash : NO_HASH);
        return found & equal;
    }

    /** The whole key as its owner uses it, {@code sk-…}; shown once, when it is made. */
    public String reveal() {
        return PREFIX + value;
    }

    /** Never the secret itself: secrets must not reach logs or messages by accident. */
    @Override
    public String toString() {
        return shownPrefix() + "…";
    }
}
