package io.leapvpp.hub.inventory;

import io.leapvpp.hub.leap.LeapClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The meter inventory beans the route files call ({@code inventorySync}, {@code inventoryEvents}, {@code inventoryReadApi}). */
@Configuration(proxyBeanMethods = false)
public class InventoryConfiguration {

    @Bean
    MeterInventoryStore meterInventoryStore(JdbcTemplate jdbc, LeapClient leap) {
        return new MeterInventoryStore(jdbc, leap.objectMapper());
    }

    @Bean("inventorySync")
    InventorySync inventorySync(LeapClient leap, MeterInventoryStore store, JdbcTemplate jdbc,
                                PlatformTransactionManager transactions, InventoryProperties properties) {
        return new InventorySync(leap, store, jdbc, new TransactionTemplate(transactions), properties, leap.objectMapper());
    }

    @Bean("inventoryEvents")
    InventoryEvents inventoryEvents(LeapClient leap, MeterInventoryStore store, PlatformTransactionManager transactions,
                                    InventoryProperties properties) {
        return new InventoryEvents(leap, store, new TransactionTemplate(transactions), leap.objectMapper(), properties.pageSize());
    }

    @Bean("inventoryReadApi")
    InventoryReadApi inventoryReadApi(JdbcTemplate jdbc, LeapClient leap) {
        return new InventoryReadApi(jdbc, leap.objectMapper());
    }
}
