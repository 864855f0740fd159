package fi.hg.bus.adapters.http;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UuidShapeTest {

    private static final Pattern SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Test
    void the_direct_check_agrees_with_the_8_4_4_4_12_expression() {
        Random random = new Random(36);
        String noise = "0aF-gG: z9";
        for (int n = 0; n < 50_000; n++) {
            char[] text = UUID.randomUUID().toString().toCharArray();
            if (random.nextBoolean()) {
                text = random.nextBoolean() ? text : new String(text).toUpperCase().toCharArray();
                text[random.nextInt(text.length)] = noise.charAt(random.nextInt(noise.length()));
            }
            String s = random.nextInt(20) == 0 ? new String(text, 0, random.nextInt(text.length)) : new String(text);
            assertEquals(SHAPE.matcher(s).matches(), Fields.isUuid(s), s);
        }
        assertTrue(Fields.isUuid(UUID.randomUUID().toString().toUpperCase()));
    }
}
