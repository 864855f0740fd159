package fi.hg.bus.domain.dashboard;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QuotaDisplayTest {

    private static QuotaDisplay display(QuotaDisplay.Type type) {
        return new QuotaDisplay(type, new BigDecimal(500000), new BigDecimal("7.3"));
    }

    @Test
    void usd_is_quota_divided_by_the_quota_per_unit() {
        assertEquals("1234.622754", display(QuotaDisplay.Type.USD).amount(617311377).toPlainString());
        assertEquals("2", display(QuotaDisplay.Type.USD).amount(1000000).toPlainString());
        assertEquals("0", display(QuotaDisplay.Type.USD).amount(0).toPlainString());
    }

    @Test
    void cny_applies_the_exchange_rate() {
        assertEquals("14.6", display(QuotaDisplay.Type.CNY).amount(1000000).toPlainString());
        assertEquals("0.0000146", display(QuotaDisplay.Type.CNY).amount(1).toPlainString());
    }

    @Test
    void tokens_are_the_raw_quota() {
        assertEquals("617311377", display(QuotaDisplay.Type.TOKENS).amount(617311377).toPlainString());
    }

    @Test
    void usage_is_the_display_amount_times_one_hundred() {
        assertEquals("117621.9826", display(QuotaDisplay.Type.USD).usage(588109913).toPlainString());
        assertEquals("1460", display(QuotaDisplay.Type.CNY).usage(1000000).toPlainString());
        assertEquals("61731137700", display(QuotaDisplay.Type.TOKENS).usage(617311377).toPlainString());
    }

    @Test
    void a_quota_per_unit_that_does_not_divide_evenly_is_rounded_to_sixteen_digits() {
        QuotaDisplay d = new QuotaDisplay(QuotaDisplay.Type.USD, new BigDecimal(3), BigDecimal.ONE);
        assertEquals("0.3333333333333333", d.amount(1).toPlainString());
    }

    @Test
    void display_types_are_read_in_any_case_and_nothing_else() {
        assertEquals(Optional.of(QuotaDisplay.Type.TOKENS), QuotaDisplay.Type.parse("Tokens"));
        assertEquals(Optional.of(QuotaDisplay.Type.CNY), QuotaDisplay.Type.parse(" cny "));
        assertEquals(Optional.empty(), QuotaDisplay.Type.parse("EUR"));
        assertThrows(IllegalArgumentException.class, () -> new QuotaDisplay(QuotaDisplay.Type.USD, BigDecimal.ZERO, BigDecimal.ONE));
        assertThrows(IllegalArgumentException.class, () -> new QuotaDisplay(QuotaDisplay.Type.USD, BigDecimal.ONE, new BigDecimal(-1)));
    }
}
