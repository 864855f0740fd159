package fi.hg.bus.adapters.persistence.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseUrlTest {

    @Test
    void a_postgres_url_becomes_a_jdbc_url_with_its_user_and_password_apart() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://bus:s3cret@db.example:5433/billing?sslmode=disable");

        assertEquals("jdbc:postgresql://db.example:5433/billing?sslmode=disable", url.jdbcUrl());
        assertEquals("bus", url.user());
        assertEquals("s3cret", url.password());
    }

    @Test
    void a_postgresql_url_is_read_the_same_way() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://bus:s3cret@db.example:5433/billing?sslmode=disable");

        assertEquals("jdbc:postgresql://db.example:5433/billing?sslmode=disable", url.jdbcUrl());
        assertEquals("bus", url.user());
        assertEquals("s3cret", url.password());
    }

    @Test
    void the_port_and_query_are_optional() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://bus:pw@localhost/bus");

        assertEquals("jdbc:postgresql://localhost/bus", url.jdbcUrl());
    }

    @Test
    void several_query_parameters_are_kept_as_they_are() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@h:5432/d?sslmode=require&application_name=bus%20serve");

        assertEquals("jdbc:postgresql://h:5432/d?sslmode=require&application_name=bus%20serve", url.jdbcUrl());
    }

    @Test
    void a_url_without_credentials_has_neither_user_nor_password() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://db.example:5432/bus");

        assertEquals("jdbc:postgresql://db.example:5432/bus", url.jdbcUrl());
        assertNull(url.user());
        assertNull(url.password());
    }

    @Test
    void a_user_without_a_password_has_no_password() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://bus@db.example/bus");

        assertEquals("bus", url.user());
        assertNull(url.password());
    }

    @Test
    void an_empty_password_is_kept_as_empty() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://bus:@db.example/bus");

        assertEquals("bus", url.user());
        assertEquals("", url.password());
    }

    @Test
    void percent_encoded_user_and_password_are_decoded() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://bus%40corp:p%40ss%3Aw%2Frd%25%20x@db.example/bus");

        assertEquals("bus@corp", url.user());
        assertEquals("p@ss:w/rd% x", url.password());
    }

    @Test
    void a_plus_sign_in_the_password_is_a_plus_sign() {
        // userinfo is percent-encoded, not form-encoded: '+' is itself, as libpq reads it
        DatabaseUrl url = DatabaseUrl.parse("postgres://bus:pa+ss+@db.example/bus");

        assertEquals("pa+ss+", url.password());
    }

    @Test
    void an_encoded_plus_sign_is_a_plus_sign_too() {
        assertEquals("a+b", DatabaseUrl.parse("postgres://bus:a%2Bb@db.example/bus").password());
    }

    @Test
    void non_ascii_credentials_are_decoded_as_utf8() {
        assertEquals("pässi", DatabaseUrl.parse("postgres://bus:p%C3%A4ssi@db.example/bus").password());
    }

    @Test
    void an_ipv6_host_keeps_its_brackets() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://bus:pw@[::1]:5432/bus");

        assertEquals("jdbc:postgresql://[::1]:5432/bus", url.jdbcUrl());
    }

    @Test
    void surrounding_blanks_are_ignored() {
        assertEquals("jdbc:postgresql://h/d", DatabaseUrl.parse("  postgres://h/d \n").jdbcUrl());
    }

    @Test
    void a_jdbc_url_is_taken_as_it_is() {
        String jdbc = "jdbc:postgresql://db.example:5432/bus?user=bus&password=s3cret&sslmode=disable";

        DatabaseUrl url = DatabaseUrl.parse(jdbc);

        assertEquals(jdbc, url.jdbcUrl());
        assertNull(url.user());
        assertNull(url.password());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://u:p@h/d", "http://h/d", "jdbc:mysql://h/d", "jdbc:h2:mem:x", "postgres:h/d",
            "postgres:/h/d", "h:5432/d", "", "   ", "file:///tmp/db"})
    void other_schemes_are_refused(String text) {
        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres://", "postgres:///bus", "postgresql://u:p@/bus"})
    void a_url_without_a_host_is_refused(String text) {
        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(text));
    }

    @Test
    void a_refusal_never_repeats_the_password() {
        var malformed = assertThrows(IllegalArgumentException.class,
                () -> DatabaseUrl.parse("postgres://bus:hunter2secret@db example/bus"));
        var wrongScheme = assertThrows(IllegalArgumentException.class,
                () -> DatabaseUrl.parse("mysql://bus:hunter2secret@db/bus"));

        assertFalse(malformed.getMessage().contains("hunter2secret"), malformed.getMessage());
        assertFalse(wrongScheme.getMessage().contains("hunter2secret"), wrongScheme.getMessage());
    }

    @Test
    void redacted_hides_a_password_parameter() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h/d?user=bus&password=s3cret&sslmode=disable");

        assertEquals("jdbc:postgresql://h/d?user=bus&password=***&sslmode=disable", url.redacted());
    }

    @Test
    void redacted_hides_a_password_parameter_in_any_case_and_position() {
        assertEquals("jdbc:postgresql://h/d?PASSWORD=***", DatabaseUrl.parse("jdbc:postgresql://h/d?PASSWORD=s3cret").redacted());
        assertEquals("jdbc:postgresql://h/d?password=***&password=***",
                DatabaseUrl.parse("jdbc:postgresql://h/d?password=one&password=two").redacted());
        assertFalse(DatabaseUrl.parse("postgres://h/d?sslpassword=keypass").redacted().contains("keypass"));
    }

    @Test
    void redacted_leaves_a_url_without_password_as_it_is() {
        assertEquals("jdbc:postgresql://h:5432/d?sslmode=disable",
                DatabaseUrl.parse("postgres://bus:s3cret@h:5432/d?sslmode=disable").redacted());
    }

    @Test
    void to_string_shows_the_user_but_never_the_password() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://bus:s3cret-pw@db.example:5432/bus");

        String shown = url.toString();

        assertTrue(shown.contains("bus"), shown);
        assertTrue(shown.contains("db.example"), shown);
        assertFalse(shown.contains("s3cret-pw"), shown);
    }

    @Test
    void to_string_never_shows_a_password_from_the_query() {
        String shown = DatabaseUrl.parse("jdbc:postgresql://h/d?user=bus&password=s3cret-pw").toString();

        assertFalse(shown.contains("s3cret-pw"), shown);
    }

    @Test
    void to_string_never_shows_a_password_given_to_the_constructor() {
        String shown = new DatabaseUrl("jdbc:postgresql://h/d", "bus", "s3cret-pw").toString();

        assertFalse(shown.contains("s3cret-pw"), shown);
    }

    @Test
    void a_jdbc_url_is_required() {
        assertThrows(NullPointerException.class, () -> new DatabaseUrl(null, "u", "p"));
    }
}
