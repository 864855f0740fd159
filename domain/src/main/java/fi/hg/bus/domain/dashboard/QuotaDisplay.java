package fi.hg.bus.domain.dashboard;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the OpenAI-compatible dashboard shows raw quota units (units of the dashboard meter, e.g.
 * tokens): as US dollars ({@code quota / quotaPerUnit}), as local currency
 * ({@code quota / quotaPerUnit * usdExchangeRate}), or as the raw units.
 */
public record QuotaDisplay(Type type, BigDecimal quotaPerUnit, BigDecimal usdExchangeRate) {

    public static final BigDecimal DEFAULT_QUOTA_PER_UNIT = new BigDecimal(500000);
    public static final BigDecimal DEFAULT_USD_EXCHANGE_RATE = new BigDecimal("7.3");
    /** What an unlimited key reports as its limit, whatever the display type. */
    public static final BigDecimal UNLIMITED = new BigDecimal(100000000);

    private static final MathContext PRECISION = MathContext.DECIMAL64;
    private static final BigDecimal HUNDRED = new BigDecimal(100);

    /** The unit of the numbers shown. */
    public enum Type {
        USD, CNY, TOKENS;

        /** {@code USD}, {@code CNY} or {@code TOKENS}, in any case ({@code Tokens} too). */
        public static Optional<Type> parse(String text) {
            if (text == null) {
                return Optional.empty();
            }
            return switch (text.strip().toUpperCase(Locale.ROOT)) {
                case "USD" -> Optional.of(USD);
                case "CNY" -> Optional.of(CNY);
                case "TOKENS" -> Optional.of(TOKENS);
                default -> Optional.empty();
            };
        }
    }

    public QuotaDisplay {
        Objects.requireNonNull(type, "type");
        if (quotaPerUnit == null || quotaPerUnit.signum() <= 0) {
            throw new IllegalArgumentException("the quota per unit must be positive");
        }
        if (usdExchangeRate == null || usdExchangeRate.signum() <= 0) {
            throw new IllegalArgumentException("the exchange rate must be positive");
        }
    }

    public static QuotaDisplay defaults() {
        return new QuotaDisplay(Type.USD, DEFAULT_QUOTA_PER_UNIT, DEFAULT_USD_EXCHANGE_RATE);
    }

    /** {@code quota} raw units in the display unit, to 16 significant digits, without trailing zeros. */
    public BigDecimal amount(long quota) {
        BigDecimal q = BigDecimal.valueOf(quota);
        BigDecimal amount = switch (type) {
            case USD -> q.divide(quotaPerUnit, PRECISION);
            case CNY -> q.multiply(usdExchangeRate).divide(quotaPerUnit, PRECISION);
            case TOKENS -> q;
        };
        return tidy(amount);
    }

    /** The {@code total_usage} of the usage endpoint: the amount times 100 ("display unit × 100"). */
    public BigDecimal usage(long quota) {
        return tidy(amount(quota).multiply(HUNDRED));
    }

    private static BigDecimal tidy(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
