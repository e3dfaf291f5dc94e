package io.leapvpp.hub.dispatch;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class DispatchNotificationParserTest {

    @Test
    void aUuidIsEightFourFourFourTwelveHexDigitsInEitherCase() {
        String id = UUID.randomUUID().toString();
        assertThat(DispatchNotificationParser.isUuid(id)).isTrue();
        assertThat(DispatchNotificationParser.isUuid(id.toUpperCase())).isTrue();
        assertThat(DispatchNotificationParser.isUuid("00000000-0000-0000-0000-000000000000")).isTrue();

        assertThat(DispatchNotificationParser.isUuid("")).isFalse();
        assertThat(DispatchNotificationParser.isUuid(id.substring(1))).as("35 characters").isFalse();
        assertThat(DispatchNotificationParser.isUuid(id + "0")).as("37 characters").isFalse();
        assertThat(DispatchNotificationParser.isUuid(id.replace('-', '0'))).as("no hyphens").isFalse();
        assertThat(DispatchNotificationParser.isUuid("g" + id.substring(1))).as("not hex").isFalse();
        assertThat(DispatchNotificationParser.isUuid("1-2-3-4-5")).as("UUID.fromString accepts it; Leap's ids are canonical").isFalse();
        assertThat(DispatchNotificationParser.isUuid("123e4567-e89b-12d3-a456-42661417400-")).isFalse();
        assertThat(DispatchNotificationParser.isUuid("123e4567+e89b-12d3-a456-426614174000")).isFalse();
    }
}
