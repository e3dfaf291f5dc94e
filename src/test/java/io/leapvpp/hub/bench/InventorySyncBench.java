package io.leapvpp.hub.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.leapvpp.hub.demo.EmbeddedPostgresServer;
import io.leapvpp.hub.inventory.InventoryProperties;
import io.leapvpp.hub.inventory.InventorySync;
import io.leapvpp.hub.inventory.MeterInventoryStore;
import io.leapvpp.hub.leap.LeapClient;
import io.leapvpp.hub.leap.LeapProperties;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Benchmark of the inventory's full sync (bench/inventory-sync-bench.sh): the hub's InventorySync against a Leap
 * sandbox running in another JVM (so the sandbox's 100,000 meters do not count towards this JVM's heap) and an
 * embedded PostgreSQL, exactly as the hub runs it. Prints meters synced, wall time, peak heap and peak RSS.
 * <p>
 * System properties: {@code bench.leap-url} (required), {@code bench.leap-key} (sandbox key), {@code bench.runs}
 * (default 2: the first fills an empty inventory, the second updates every meter), {@code bench.dir}.
 */
public final class InventorySyncBench {

    private InventorySyncBench() {
    }

    public static void main(String[] args) throws Exception {
        String url = System.getProperty("bench.leap-url");
        String key = System.getProperty("bench.leap-key", "bench-leap-key");
        int runs = Integer.getInteger("bench.runs", 2);
        Path dir = Path.of(System.getProperty("bench.dir", "target/bench")).toAbsolutePath();
        if (url == null) {
            throw new IllegalArgumentException("-Dbench.leap-url=http://127.0.0.1:<sandbox port> is required");
        }
        Files.createDirectories(dir);
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"), 0)) {
            String admin = postgres.jdbcUrl();
            try (Connection c = DriverManager.getConnection(admin, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS inventory_bench WITH (FORCE)");
                s.execute("CREATE DATABASE inventory_bench");
                String slow = System.getProperty("bench.log-slow-ms");
                if (slow != null) { // PostgreSQL logs statements slower than this (diagnosis)
                    s.execute("ALTER SYSTEM SET log_min_duration_statement = " + Integer.parseInt(slow));
                    s.execute("SELECT pg_reload_conf()");
                }
            }
            String jdbcUrl = admin.substring(0, admin.lastIndexOf('/') + 1) + "inventory_bench";
            Flyway.configure().dataSource(jdbcUrl, "postgres", "").locations("classpath:db/migration").load().migrate();
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl);
            config.setUsername("postgres");
            config.setPassword("");
            config.setMaximumPoolSize(4);
            try (HikariDataSource ds = new HikariDataSource(config)) {
                boolean timing = Boolean.getBoolean("bench.time-statements");
                JdbcTemplate jdbc = !timing ? new JdbcTemplate(ds) : new JdbcTemplate(ds) {
                    @Override
                    public int update(String sql, Object... a) {
                        long t = System.nanoTime();
                        try {
                            return super.update(sql, a);
                        } finally {
                            report(sql, t);
                        }
                    }

                    @Override
                    public void query(String sql, org.springframework.jdbc.core.RowCallbackHandler rch, Object... a) {
                        long t = System.nanoTime();
                        try {
                            super.query(sql, rch, a);
                        } finally {
                            report(sql, t);
                        }
                    }
                };
                LeapClient leap = new LeapClient(LeapProperties.of(url, key).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60)),
                        new ObjectMapper());
                InventoryProperties properties = InventoryProperties.defaults();
                InventorySync sync = new InventorySync(leap, new MeterInventoryStore(jdbc, leap.objectMapper()), jdbc,
                        new TransactionTemplate(new DataSourceTransactionManager(ds)), properties, leap.objectMapper());
                for (int i = 1; i <= runs; i++) {
                    System.gc();
                    resetPeaks();
                    long t0 = System.nanoTime();
                    InventorySync.Result r = sync.run(InventorySync.Kind.FULL);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    Integer rows = jdbc.queryForObject("SELECT count(*) FROM meter_inventory", Integer.class);
                    System.out.printf("run %d (%s inventory): %d meters synced (%d distinct, %d rows in meter_inventory) in %d pages"
                                    + " of %d, wall %.1f s (%.0f meters/s), peak heap %d MB (-Xmx %d MB), peak RSS %s%n",
                            i, i == 1 ? "empty" : "full", r.metersReceived(), r.metersDistinct(), rows, r.pages(),
                            properties.pageSize(), seconds, r.metersReceived() / seconds, peakHeapMb(),
                            Runtime.getRuntime().maxMemory() / (1024 * 1024), peakRss());
                }
            }
        }
    }

    private static void report(String sql, long t0) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms >= 20) {
            System.out.println("  " + ms + " ms: " + sql.replaceAll("\\s+", " ").substring(0, Math.min(100, sql.replaceAll("\\s+", " ").length())));
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** Sum of the heap pools' peaks since the last reset (an upper bound of the peak heap in use). */
    private static long peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / (1024 * 1024);
    }

    /** VmHWM from /proc (Linux): the JVM process's peak resident set since it started. */
    private static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return "n/a";
    }
}
