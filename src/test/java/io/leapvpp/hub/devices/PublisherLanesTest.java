package io.leapvpp.hub.devices;

import io.leapvpp.hub.HubTestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every gateway belongs to exactly one publishing lane, so its commands go out in order on one connection. */
class PublisherLanesTest {

    @Test
    void eachGatewayFallsInExactlyOneLaneAndTheLanesShareTheWork() throws Exception {
        List<String> references = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            references.add("site-" + UUID.randomUUID());
        }
        try (SingleConnectionDataSource db = new SingleConnectionDataSource(HubTestEnvironment.postgres().jdbcUrl(), "postgres", "", true)) {
            JdbcTemplate jdbc = new JdbcTemplate(db);
            for (int lanes : new int[] {1, 2, 3}) {
                List<Integer> perLane = new ArrayList<>();
                for (int lane = 0; lane < lanes; lane++) {
                    perLane.add(jdbc.queryForObject("SELECT count(*) FROM unnest(?::text[]) AS r(partner_reference) WHERE "
                            + DeviceMqttPublisher.laneCondition("partner_reference", lane, lanes), Integer.class,
                            (Object) references.toArray(String[]::new)));
                }
                assertThat(perLane.stream().mapToInt(Integer::intValue).sum()).as("lanes=%d", lanes).isEqualTo(1000);
                assertThat(perLane).as("lanes=%d", lanes).allSatisfy(n -> assertThat(n).isGreaterThan(1000 / lanes / 2));
            }
        }
    }
}
