package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Generates synthetic commercial &amp; industrial meters across CAISO, NYISO and PJM. All timestamps hang off a fixed
 * anchor instead of "now", so the same seed gives byte-identical meters on every run.
 */
public final class MeterSeeder {

    /** Fixed point in time the seeded history is laid out before. */
    public static final Instant ANCHOR = Instant.parse("2025-06-01T00:00:00Z");

    private record Place(String utility, String city, String state, String postalCode, String loadZone) {
    }

    private record Region(String name, String program, List<Place> places, String[] groupNames) {
    }

    private static final List<Region> REGIONS = List.of(
            new Region("CAISO", "CCA", List.of(
                    new Place("PGE", "San Francisco", "CA", "94103", "PGE-BAY"),
                    new Place("PGE", "Oakland", "CA", "94607", "PGE-BAY"),
                    new Place("PGE", "Fresno", "CA", "93721", "PGE-VALLEY"),
                    new Place("SCE", "Irvine", "CA", "92614", "SCE-LA"),
                    new Place("SCE", "Long Beach", "CA", "90802", "SCE-LA"),
                    new Place("SDGE", "San Diego", "CA", "92101", "SDGE")),
                    new String[]{"CAISO CCA PG&E Bay Area", "CAISO CCA SCE Los Angeles", "CAISO CCA SDG&E"}),
            new Region("NYISO", "NYISO-SCR", List.of(
                    new Place("CECONY", "New York", "NY", "10001", "ZONE-J"),
                    new Place("CECONY", "Brooklyn", "NY", "11201", "ZONE-J"),
                    new Place("PSEGLI", "Hicksville", "NY", "11801", "ZONE-K"),
                    new Place("PSEGLI", "Melville", "NY", "11747", "ZONE-K")),
                    new String[]{"NYISO SCR Zone J", "NYISO SCR Zone K"}),
            new Region("PJM", "PJM-CAPACITY", List.of(
                    new Place("COMED", "Chicago", "IL", "60601", "COMED"),
                    new Place("COMED", "Naperville", "IL", "60540", "COMED"),
                    new Place("BGE", "Baltimore", "MD", "21201", "BGE"),
                    new Place("PEPCO", "Washington", "DC", "20001", "PEPCO")),
                    new String[]{"PJM Capacity ComEd", "PJM Capacity BGE-Pepco"}));

    private static final String[] LOAD_TYPES =
            {"HVAC", "LIGHTING", "BATTERY_STORAGE", "COLD_STORAGE", "MANUFACTURING", "PUMPING", "EV_CHARGING", "WATER_HEATING"};
    private static final String[] CUSTOMER_GROUPS = {"Retail", "Grocery", "Warehousing", "Manufacturing", "Offices"};
    private static final String[] STREETS = {"Market Street", "Industrial Way", "Commerce Drive", "Harbor Boulevard", "Main Street", "Park Avenue"};
    private static final String[] COMPANIES = {"Acme Cold Storage", "Bayside Logistics", "Summit Manufacturing", "Greenfield Grocers", "Metro Offices", "Riverside Plastics"};

    public record Seed(List<Meter> meters, List<MarketGroup> marketGroups) {
    }

    public static Seed generate(int count, long seed) {
        Random random = new Random(seed);
        List<MarketGroup> groups = new ArrayList<>();
        List<List<MarketGroup>> groupsPerRegion = new ArrayList<>();
        String deliveryPeriod = "2025_MAY_OCT";
        Instant periodStart = Instant.parse("2025-05-01T07:00:00Z");
        Instant periodEnd = Instant.parse("2025-11-01T07:00:00Z");
        for (Region region : REGIONS) {
            List<MarketGroup> regional = new ArrayList<>();
            for (String name : region.groupNames()) {
                MarketGroup g = new MarketGroup(uuid(random), name, region.name(), region.program(),
                        region.program() + "_" + deliveryPeriod, periodStart, periodEnd);
                regional.add(g);
                groups.add(g);
            }
            groupsPerRegion.add(regional);
        }

        List<Meter> meters = new ArrayList<>(count);
        Instant firstCreated = ANCHOR.minus(Duration.ofDays(730));
        long stepMillis = count == 0 ? 0 : Duration.ofDays(720).toMillis() / count;
        for (int i = 0; i < count; i++) {
            int regionIndex = random.nextInt(REGIONS.size());
            Region region = REGIONS.get(regionIndex);
            Place place = region.places().get(random.nextInt(region.places().size()));
            Instant createdAt = firstCreated.plusMillis(i * stepMillis + random.nextInt(1000));
            Meter m = new Meter(uuid(random), createdAt);
            int number = i + 1;
            m.partnerReference = String.format("site-%05d", number);
            m.transmissionRegion = region.name();
            m.customerClassification = "COMMERCIAL";
            m.meterType = pickMeterType(random);
            m.loadTypes = pickLoadTypes(random, m.meterType);
            m.customerGroup = CUSTOMER_GROUPS[random.nextInt(CUSTOMER_GROUPS.length)];
            m.tags = List.of("c-and-i", region.name().toLowerCase());
            boolean viaConnect = "UTILITY_METER".equals(m.meterType);
            m.connectionReferences = viaConnect ? List.of(m.partnerReference) : List.of();
            m.createdBy = viaConnect ? "UTILITY" : "PARTNER";
            m.updatedAt = createdAt.plus(Duration.ofHours(random.nextInt(24 * 30)));
            m.archived = random.nextInt(100) < 2;
            m.profile = profile(random, number, m.meterType, region, place);

            int roll = random.nextInt(100);
            m.globalEnrollmentStatus = roll < 75 ? "ACTIVE" : roll < 85 ? "ELIGIBLE" : roll < 93 ? "PENDING" : "INELIGIBLE";
            MarketGroup group = groupsPerRegion.get(regionIndex).get(random.nextInt(region.groupNames().length));
            Instant deadline = Instant.parse("2025-04-15T07:00:00Z");
            ProgramEnrollment enrollment = new ProgramEnrollment(region.program(), region.program() + "_" + deliveryPeriod,
                    periodStart, periodEnd, m.globalEnrollmentStatus, deadline, periodStart, null, null);
            m.programEnrollment = List.of("ACTIVE".equals(m.globalEnrollmentStatus) ? enrollment.withMarketGroup(group) : enrollment);
            m.partnerActions = switch (m.globalEnrollmentStatus) {
                case "PENDING" -> List.of(new RequiredAction(region.program(), region.program() + "_" + deliveryPeriod,
                        deadline, "NO_MISSING_FIELDS",
                        "Partner needs configuration for fields: Battery Energy Capacity, Number Of Devices", "SERV_0005"));
                case "ELIGIBLE" -> random.nextBoolean() ? List.of(new RequiredAction(region.program(),
                        region.program() + "_" + deliveryPeriod, deadline, "DOCUMENTS_SIGNED",
                        "Customer must sign the program agreement", "DOCS_0001")) : List.of();
                default -> List.of();
            };
            m.leapActions = "INELIGIBLE".equals(m.globalEnrollmentStatus)
                    ? List.of(new RequiredAction(region.program(), region.program() + "_" + deliveryPeriod, deadline,
                    "IS_ELIGIBLE", "Leap is reviewing program eligibility", "ELIG_0001"))
                    : List.of();
            m.participationPreferences = List.of();
            meters.add(m);
        }
        return new Seed(meters, groups);
    }

    private static String pickMeterType(Random random) {
        int roll = random.nextInt(100);
        return roll < 60 ? "UTILITY_METER" : roll < 85 ? "SUBMETER" : "DEVICE";
    }

    private static List<String> pickLoadTypes(Random random, String meterType) {
        if ("DEVICE".equals(meterType)) return List.of("BATTERY_STORAGE");
        String first = LOAD_TYPES[random.nextInt(LOAD_TYPES.length)];
        String second = LOAD_TYPES[random.nextInt(LOAD_TYPES.length)];
        return first.equals(second) ? List.of(first) : List.of(first, second);
    }

    private static ObjectNode profile(Random random, int number, String meterType, Region region, Place place) {
        ObjectNode profile = Json.object();
        ObjectNode customer = profile.putObject("customer");
        customer.put("street_1", (100 + random.nextInt(9000)) + " " + STREETS[random.nextInt(STREETS.length)]);
        customer.put("postal_code", place.postalCode());
        customer.put("city", place.city());
        customer.put("state_or_province_code", place.state());
        customer.put("country_code", "US");
        String company = COMPANIES[random.nextInt(COMPANIES.length)];
        customer.put("end_customer_name", "Facilities Manager " + number);
        customer.put("end_customer_title", "Facilities Mgr");
        customer.put("end_customer_email", String.format("facilities+%05d@example.com", number));
        customer.put("end_customer_company_name", company + " " + number + " LLC");
        customer.put("partner_customer_reference", String.format("site-%05d", number));

        ObjectNode utility = profile.putObject("utility");
        utility.put("utility_name", place.utility());
        utility.put("load_serving_entity", place.utility());
        utility.put("electric_service_account_number", String.format("%010d", Math.abs(random.nextLong() % 10_000_000_000L)));
        utility.put("utility_meter_serial_number", "UM-" + String.format("%08d", random.nextInt(100_000_000)));

        ObjectNode site = profile.putObject("site");
        site.put("load_zone", place.loadZone());
        site.put("number_of_devices", "DEVICE".equals(meterType) ? 1 : 1 + random.nextInt(8));
        site.put("on_site_fossil_generator", random.nextInt(10) == 0);
        site.put("renewable_generator", random.nextInt(3) == 0);

        if ("DEVICE".equals(meterType)) {
            ObjectNode device = profile.putObject("device");
            double powerKw = 50 + random.nextInt(450);
            device.put("device_type", "BATTERY");
            device.put("device_serial_number", "BAT-" + String.format("%08d", random.nextInt(100_000_000)));
            device.put("device_manufacturer", "Tesla");
            device.put("device_model", "Megapack");
            device.put("battery_power_capacity_kw", powerKw);
            device.put("battery_energy_capacity_kwh", powerKw * 4);
            device.put("battery_duration_hours", 4);
        }
        switch (region.name()) {
            case "CAISO" -> profile.putObject("caiso").put("is_receiving_sgip_funding", random.nextBoolean());
            case "NYISO" -> profile.putObject("nyiso").put("cbl_method", "AVERAGE_DAY").put("company_type", "CORPORATION");
            default -> { }
        }
        return profile;
    }

    /** A version-4 UUID drawn from the seeded random, so ids are reproducible. */
    static UUID uuid(Random random) {
        long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
