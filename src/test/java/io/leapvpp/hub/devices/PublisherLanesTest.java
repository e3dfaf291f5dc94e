package io.leapvpp.hub.devices;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every gateway belongs to exactly one publishing lane, so its commands go out in order on one connection. */
class PublisherLanesTest {

    @Test
    void aGatewayAlwaysTakesTheSameLaneAndTheLanesShareTheWork() {
        List<String> references = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            references.add("site-" + UUID.randomUUID());
        }
        for (int i = 0; i < 1000; i++) {
            references.add("bench-grp-1a2b3c-" + i); // differing only in a trailing counter
        }
        for (int lanes : new int[] {1, 2, 3, 4}) {
            int[] perLane = new int[lanes];
            for (String reference : references) {
                int lane = DeviceMqttPublisher.laneOf(reference, lanes);
                assertThat(DeviceMqttPublisher.laneOf(new String(reference.toCharArray()), lanes)).isEqualTo(lane);
                perLane[lane]++;
            }
            for (int n : perLane) {
                assertThat(n).as("lanes=%d", lanes).isBetween(2000 / lanes * 8 / 10, 2000 / lanes * 12 / 10);
            }
        }
        assertThat(DeviceMqttPublisher.laneOf("any", 1)).isZero();
    }
}
