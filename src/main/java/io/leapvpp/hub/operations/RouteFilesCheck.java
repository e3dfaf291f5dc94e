package io.leapvpp.hub.operations;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Value;
import org.apache.camel.spring.boot.CamelContextConfiguration;
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
public class RouteFilesCheck implements CamelContextConfiguration {

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

    /**
     * Once Camel runs, every route file that defines routes must have contributed at least one:
     * a file Camel skipped would otherwise leave its use case silently missing.
     */
    @Override
    public void beforeApplicationStart(CamelContext camel) {
        StartupChecks.onceFullyStarted(camel, "route files check", this::verifyEveryRouteFileIsLoaded);
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // checked by the startup listener, which also runs when tests start Camel themselves
    }

    void verifyEveryRouteFileIsLoaded(CamelContext camel) {
        List<String> sources = camel.getRoutes().stream()
                .map(route -> route.getSourceResource() != null ? route.getSourceResource().getLocation() : route.getSourceLocation())
                .filter(java.util.Objects::nonNull)
                .toList();
        log.debug("Route sources: {}", sources);
        java.util.Set<String> runningIds = camel.getRoutes().stream().map(org.apache.camel.Route::getRouteId)
                .collect(java.util.stream.Collectors.toSet());
        List<String> missing = filesWithoutRoutes(routeFiles, sources, runningIds);
        if (!missing.isEmpty()) {
            throw new HubConfigurationException(missing.stream().map(f -> "route file " + f + " defines routes but none of them is running"
                            + " (" + camel.getRoutes().size() + " routes running)").toList(),
                    "Check the hub's log for why Camel did not load these files.");
        }
        log.info("{} routes running from {} route files", camel.getRoutes().size(), routeFiles.size());
    }

    /**
     * Files that define routes none of which runs. A route made from a template carries the template's file as its
     * source, so a file holding only templated routes counts as loaded when one of the route ids it declares runs.
     */
    static List<String> filesWithoutRoutes(List<Path> files, List<String> routeSources, java.util.Set<String> runningRouteIds) {
        return files.stream()
                .filter(RouteFilesCheck::definesRoutes)
                .filter(f -> routeSources.stream().noneMatch(source -> source.contains(f.getFileName().toString())))
                .filter(f -> templatedRouteIds(f).stream().noneMatch(runningRouteIds::contains))
                .map(f -> f.getFileName().toString())
                .toList();
    }

    private static final java.util.regex.Pattern TEMPLATED_ROUTE_ID =
            java.util.regex.Pattern.compile("^\\s+routeId:\\s*[\"']?([^\"'\\s#]+)");

    static List<String> templatedRouteIds(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .map(TEMPLATED_ROUTE_ID::matcher)
                    .filter(java.util.regex.Matcher::find)
                    .map(m -> m.group(1))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files with only route templates or route configurations legitimately start no route themselves. */
    static boolean definesRoutes(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .anyMatch(line -> line.startsWith("- route:") || line.startsWith("- templatedRoute:")
                            || line.startsWith("- from:") || line.startsWith("- rest:"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
