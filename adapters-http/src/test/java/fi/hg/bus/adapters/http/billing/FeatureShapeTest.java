package fi.hg.bus.adapters.http.billing;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FeatureShapeTest {

    @Test
    void the_direct_check_agrees_with_the_expression_it_replaces() {
        String alphabet = "aZ09._:-/ é\u0000\u00a0+";
        Random random = new Random(100);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(10) == 0 ? 95 + random.nextInt(10) : random.nextInt(8);
            for (int i = 0; i < length; i++) {
                b.append(alphabet.charAt(random.nextInt(random.nextBoolean() ? 4 : alphabet.length())));
            }
            String text = b.toString();
            assertEquals(BillingService.FEATURE.matcher(text).matches(), BillingService.isFeature(text), text);
        }
    }
}
