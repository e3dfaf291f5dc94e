package io.leapvpp.hub.operations;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prints, once the hub is ready, one block with every endpoint it serves or uses and how to try
 * each. Credentials are named by their property, never printed.
 */
@Component
public class EndpointSummary {

    private static final Logger log = LoggerFactory.getLogger(EndpointSummary.class);

    private final Environment env;

    public EndpointSummary(Environment env) {
        this.env = env;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void print() {
        log.info("\n{}", render());
    }

    String render() {
        boolean tls = env.getProperty("server.ssl.enabled", Boolean.class, false);
        String address = env.getProperty("server.address", "0.0.0.0");
        String host = "0.0.0.0".equals(address) ? "127.0.0.1" : address;
        String hub = (tls ? "https://" : "http://") + host + ":" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        String dataDir = Path.of(env.getProperty("hub.demo.data-dir", "./data")).toAbsolutePath().normalize().toString();
        List<String> lines = new ArrayList<>();
        String profiles = String.join(",", env.getActiveProfiles().length > 0 ? env.getActiveProfiles() : env.getDefaultProfiles());
        lines.add("=================== leap-vpp-hub is ready (profile: " + profiles + ") ===================");
        lines.add(row("Hub HTTP", hub, "curl " + hub + "/actuator/health"));
        lines.add(row("  metrics", hub + "/actuator/prometheus", "curl -s " + hub + "/actuator/prometheus | grep camel_exchanges"));
        lines.add(row("  routes", hub + "/actuator/camelroutes", "edit " + Path.of(env.getProperty("hub.routes.dir", "routes")).toAbsolutePath().normalize()
                + (env.getProperty("hub.routes.reload", Boolean.class, false) ? " (reloaded on change)" : " (restart to apply)")));
        String leap = env.getProperty("hub.leap.base-url");
        if (on("hub.sandbox.enabled")) {
            lines.add(row("Leap (sandbox)", leap, "curl -s -X POST " + leap + "/v2/meters/search -H 'Authorization: Bearer <hub.leap.api-key>' -H 'Content-Type: application/json' -d '{\"page_size\":5}'"));
            lines.add(row("  control API", leap + "/sandbox", "see docs/leap-sandbox.md, e.g. curl " + leap + "/sandbox/deliveries"));
        } else {
            lines.add(row("Leap API", leap, "bearer key from hub.leap.api-key"));
        }
        lines.add(row("PostgreSQL", env.getProperty("spring.datasource.url"),
                on("hub.demo.postgres.enabled") ? "psql -h 127.0.0.1 -p " + env.getProperty("hub.demo.postgres.port") + " -U postgres" : "user " + env.getProperty("spring.datasource.username")));
        String mqtt = env.getProperty("hub.mqtt.broker-url");
        lines.add(row("MQTT 5 broker", mqtt, "mosquitto_sub -V mqttv5 " + hostPort(mqtt) + " -t 'vpp/#' -v"));
        String sftpHost = env.getProperty("hub.sftp.host");
        String sftpPort = env.getProperty("hub.sftp.port");
        lines.add(row("SFTP", "sftp://" + sftpHost + ":" + sftpPort, "sftp -P " + sftpPort + " " + env.getProperty("hub.sftp.username") + "@" + sftpHost + "  (password: hub.sftp.password)"));
        if (on("hub.onboarding.create-meters.inbox.folder.enabled") || on("hub.onboarding.create-meters.inbox.sftp.enabled")) {
            List<String> inboxes = new ArrayList<>();
            if (on("hub.onboarding.create-meters.inbox.folder.enabled")) {
                inboxes.add(Path.of(env.getProperty("hub.onboarding.create-meters.inbox.folder.path", "inbox/create-meters"))
                        .toAbsolutePath().normalize().toString());
            }
            if (on("hub.onboarding.create-meters.inbox.sftp.enabled")) {
                inboxes.add("sftp " + env.getProperty("hub.onboarding.create-meters.inbox.sftp.directory") + "/");
            }
            lines.add(row("Create Meters", String.join(" and ", inboxes), "drop a CSV (docs/examples/create-meters-ci-sites.csv), then "
                    + "curl -s " + hub + "/api/onboarding/enrollments -H 'x-api-key: <hub.api.key>'"));
        }
        lines.add(row("Connect links", hub + "/api/onboarding/connect-links", "curl -s -X POST " + hub
                + "/api/onboarding/connect-links -H 'x-api-key: <hub.api.key>' -H 'Content-Type: application/json'"
                + " -d '{\"partner_reference\":\"acme-site-7\",\"customer_email\":\"facilities@acme.example\"}'"));
        lines.add(row("  sessions", hub + "/api/onboarding/connect-sessions/{ref}", "reminders sent and pending, see docs/onboarding.md"));
        lines.add(row("Dispatch events", hub + "/api/dispatch/events", "curl -s '" + hub + "/api/dispatch/events/<meter_event_id>' -H 'x-api-key: <hub.api.key>'"));
        lines.add(row("Meter inventory", hub + "/api/meters", "curl -s '" + hub + "/api/meters?partner_reference=site-00001' -H 'x-api-key: <hub.api.key>'"));
        String smtp = env.getProperty("hub.mail.host") + ":" + env.getProperty("hub.mail.port");
        lines.add(row("SMTP", smtp, on("hub.demo.smtp.enabled")
                ? "captured mail: " + hub + "/demo/mail and " + Path.of(dataDir, "mail") + "/*.eml"
                : "alerts go to " + env.getProperty("hub.mail.ops-to")));
        if (Arrays.stream(new String[]{"postgres", "mqtt", "sftp", "smtp"}).anyMatch(s -> on("hub.demo." + s + ".enabled"))) {
            lines.add(row("Demo data", dataDir, "reset: stop the hub, delete this folder, start again"));
        }
        lines.add("=".repeat(lines.get(0).length()));
        return String.join("\n", lines);
    }

    private boolean on(String property) {
        return env.getProperty(property, Boolean.class, false);
    }

    private static String row(String name, String endpoint, String howToTry) {
        return String.format("  %-16s %-46s %s", name, endpoint, howToTry);
    }

    private static String hostPort(String brokerUrl) {
        String hostAndPort = brokerUrl == null ? "" : brokerUrl.replaceFirst("^[a-z]+://", "");
        int colon = hostAndPort.lastIndexOf(':');
        return colon < 0 ? "-h " + hostAndPort : "-h " + hostAndPort.substring(0, colon) + " -p " + hostAndPort.substring(colon + 1);
    }
}
