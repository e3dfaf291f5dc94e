package io.leapvpp.hub.onboarding;

import io.leapvpp.hub.devices.AlertsProperties;
import io.leapvpp.hub.leap.LeapClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Create Meters beans the route files call: {@code enrollmentIntake}, {@code createMetersJobs},
 * {@code createMetersReport}, {@code enrollmentReadApi}.
 */
@Configuration(proxyBeanMethods = false)
public class CreateMetersConfiguration {

    /** The CSV inbox name of Create Meters (routes/45-create-meters-inbox.camel.yaml, csv_inbox_file.inbox). */
    public static final String INBOX = "create-meters";

    @Bean
    CreateMetersFields createMetersFields(LeapClient leap) {
        return new CreateMetersFields(leap.objectMapper());
    }

    @Bean("enrollmentIntake")
    EnrollmentIntake enrollmentIntake(JdbcTemplate jdbc, CreateMetersFields fields) {
        return new EnrollmentIntake(jdbc, fields);
    }

    @Bean("createMetersJobs")
    CreateMetersJobs createMetersJobs(LeapClient leap, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                                      CreateMetersFields fields, CreateMetersProperties properties) {
        return new CreateMetersJobs(leap, jdbc, new TransactionTemplate(transactions), fields, properties, leap.objectMapper());
    }

    @Bean("enrollmentReadApi")
    EnrollmentReadApi enrollmentReadApi(JdbcTemplate jdbc, LeapClient leap) {
        return new EnrollmentReadApi(jdbc, leap.objectMapper());
    }

    @Bean("createMetersReport")
    CreateMetersReport createMetersReport(JdbcTemplate jdbc, AlertsProperties alerts) {
        return new CreateMetersReport(jdbc, alerts, INBOX);
    }
}
