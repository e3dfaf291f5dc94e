package io.leapvpp.hub.operations;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The hub's use cases are the route files in {@code hub.routes.dir}; starting without them would
 * look healthy while doing nothing. Fails startup when the folder is missing or holds no route file.
 */
@Component
public class RouteFilesCheck {

    private static final Logger log = LoggerFactory.getLogger(RouteFilesCheck.class);

    private final List<Path> routeFiles;

    public RouteFilesCheck(@Value("${hub.routes.dir}") String routesDir) {
        Path dir = Path.of(routesDir).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new HubConfigurationException(List.of("route folder " + dir + " does not exist (hub.routes.dir / HUB_ROUTES_DIR)"),
                    "Point HUB_ROUTES_DIR at the folder holding the *.camel.yaml route files.");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            routeFiles = files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (routeFiles.isEmpty()) {
            throw new HubConfigurationException(List.of("route folder " + dir + " holds no *.camel.yaml file"),
                    "Point HUB_ROUTES_DIR at the folder holding the *.camel.yaml route files.");
        }
        log.info("Loading {} route files from {}", routeFiles.size(), dir);
    }

    public List<Path> routeFiles() {
        return routeFiles;
    }
}
