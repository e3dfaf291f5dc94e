package io.leapvpp.hub.onboarding;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Leap's CreateMeter (openapi/create-meters.yml, Create Meters API v1.1) as the hub maps and checks it: every field
 * with its column in {@code partner_enrollment}, its CSV header (Leap's dotted path, as in Leap's own CSV exports),
 * and the rules the spec states for it (required, pattern, enum, length, range, format). Rows that break a rule are
 * never sent to Leap.
 */
public final class CreateMetersFields {

    public enum Kind { TEXT, ENUM, ENUM_LIST, INTEGER, NUMBER, BOOLEAN, DATE, EMAIL, DEVICE_LIST }

    /**
     * @param path      Leap's JSON path, also the CSV column name, e.g. {@code customer.street_1}
     * @param column    the partner_enrollment column
     * @param required  required whenever its object is sent (top level: always)
     */
    public record Field(String path, String column, Kind kind, boolean required, int minLength, int maxLength,
                        Pattern pattern, Set<String> values, BigDecimal min, BigDecimal max) {

        String parent() {
            int dot = path.lastIndexOf('.');
            return dot < 0 ? "" : path.substring(0, dot);
        }

        String name() {
            return path.substring(path.lastIndexOf('.') + 1);
        }
    }

    /** One broken rule: the JSON path and what is wrong. */
    public record Problem(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    // ---- Leap's enums and patterns, verbatim from the OpenAPI definition -----------------------------------------

    static final Set<String> TRANSMISSION_REGIONS = Set.of("CAISO", "ERCOT", "NYISO", "ISONE", "PJM", "SERC", "WECC_SW", "WECC_PC");
    static final Set<String> CUSTOMER_CLASSIFICATIONS = Set.of("RESIDENTIAL", "COMMERCIAL");
    static final Set<String> LOAD_TYPES = Set.of("HVAC", "EV_CHARGING", "BATTERY_STORAGE", "COLD_STORAGE", "PUMPING",
            "WATER_HEATING", "BUILDING_AUTOMATION", "GENERATION", "MANUFACTURING", "LIGHTING", "OTHER");
    static final Set<String> METER_TYPES = Set.of("UTILITY_METER", "SUBMETER", "DEVICE");
    static final Set<String> DISPATCH_OPTIONS = Set.of("DAILY", "TARGETED");
    static final Set<String> DEVICE_TYPES = Set.of("BATTERY", "GENERATOR", "EV", "EV_CHARGER", "BIDIRECTIONAL_EV_CHARGER",
            "SMART_THERMOSTAT", "AIR_CONDITIONER", "HEAT_PUMP");
    static final Set<String> FUEL_TYPES = Set.of("DIESEL", "NATURAL_GAS", "DUAL_FUEL", "CO_GEN", "ENERGY_STORAGE", "OTHER");
    static final Set<String> VOLTAGE_LEVELS = Set.of("EVSE_LEVEL_1", "EVSE_LEVEL_2");
    static final Set<String> NEM_TYPES = Set.of("NEM2", "NEM3");
    static final Set<String> CBL_METHODS = Set.of("AVERAGE_DAY", "WEATHER_ADJUSTED");
    static final Set<String> COMPANY_TYPES = Set.of("INDIVIDUAL_OR_SOLE_PROPRIETOR", "LIMITED_LIABILITY_COMPANY",
            "PARTNERSHIP", "CORPORATION", "OTHER", "EXEMPT_PAYEE");
    static final Set<String> UTILITIES = Set.of("PGE", "SCE", "SDGE", "SMUD", "LADWP", "SVP", "CECONY", "ORU", "PSEGLI",
            "NYS", "RIE", "EVERSOURCE", "NATGRID", "UNITIL", "PPL", "CAPELIGHT", "UPLIGHT", "UNITED_ILLUMINATED", "SMT",
            "AEP_CENTRAL", "AEP_NORTH", "NUECES_ELECTRIC", "ONCOR", "CENTERPOINT", "ENTERGY_GULF", "SWEPCO", "TNMP", "DEMO",
            "DEMO2", "LEAP_TEST_CAISO", "LEAP_TEST_NYISO", "COMED", "BGE", "PECO", "METED", "PENELEC", "PSEG", "DOMINION",
            "WESTPENN", "PENNPOWER", "PEPCO", "PJM_DEMO", "OTHER", "NES", "MLGW", "KUB", "NPU", "MTEMC", "PRECC", "HSVU", "SRP",
            "PSE", "TVA");

    /** PartnerReference: 3-256 characters, none of / \ ? ] [ { } ! # $ % ^ & * ( ) < > |. */
    static final Pattern PARTNER_REFERENCE = Pattern.compile("^[^/\\\\?\\]\\[{}!#$%^&*()<>|]{3,256}$");
    static final Pattern STREET = Pattern.compile("^[’'+#\"@()/&.,;\\sA-Za-zÀ-ɏḀ-ỿ0-9\\-|\\\\]{1,128}$");
    static final Pattern CITY = Pattern.compile("^[’'+#\"@()/&.,;\\sA-Za-zÀ-ɏḀ-ỿ0-9\\-]{1,128}$");
    static final Pattern POSTAL_CODE = Pattern.compile("^[0-9]{5}(?:-[0-9]{4})?$");
    /** end_customer_name: no replacement character, no non-breaking space, no question mark. */
    static final Pattern END_CUSTOMER_NAME = Pattern.compile("^(?!.*[\\uFFFD\\u00A0?])[\\s\\S]{1,128}$");
    static final Pattern CUSTOMER_GROUP = Pattern.compile("^[’'+#\"@()/&.,;A-Za-z\\u00C0-\\u024F\\u1E00-\\u1EFF0-9\\s_\\-]{0,128}$");
    /** format: email, as far as it can be checked without asking a mail server. */
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private static final BigDecimal ZERO = BigDecimal.ZERO;
    private static final BigDecimal MAX_CAPACITY = BigDecimal.valueOf(999_999);

    static final List<Field> FIELDS = List.of(
            text("partner_reference", "partner_reference", true, 3, 256, PARTNER_REFERENCE),
            enumOf("transmission_region", "transmission_region", true, TRANSMISSION_REGIONS),
            enumOf("customer_classification", "customer_classification", true, CUSTOMER_CLASSIFICATIONS),
            new Field("load_types", "load_types", Kind.ENUM_LIST, true, 0, 0, null, LOAD_TYPES, null, null),
            enumOf("meter_type", "meter_type", true, METER_TYPES),
            text("customer_group", "customer_group", false, 0, 128, CUSTOMER_GROUP),

            text("customer.street_1", "customer_street_1", true, 1, 128, STREET),
            text("customer.street_2", "customer_street_2", false, 1, 128, STREET),
            text("customer.postal_code", "customer_postal_code", true, 0, 0, POSTAL_CODE),
            text("customer.city", "customer_city", true, 1, 128, CITY),
            text("customer.state_or_province_code", "customer_state", true, 2, 2, null),
            text("customer.country_code", "customer_country", true, 2, 2, null),
            text("customer.end_customer_name", "end_customer_name", false, 1, 128, END_CUSTOMER_NAME),
            text("customer.end_customer_title", "end_customer_title", false, 1, 15, CITY),
            new Field("customer.end_customer_email", "end_customer_email", Kind.EMAIL, false, 3, 128, EMAIL, null, null, null),
            text("customer.end_customer_phone_number", "end_customer_phone_number", false, 3, 32, null),
            text("customer.end_customer_company_name", "end_customer_company_name", false, 1, 128, CITY),
            text("customer.partner_offering_name", "partner_offering_name", false, 1, 128, null),
            date("customer.partner_offering_date", "partner_offering_date"),
            bool("customer.is_in_wholesale_capacity_market", "is_in_wholesale_capacity_market"),
            enumOf("customer.dispatch_option", "dispatch_option", false, DISPATCH_OPTIONS),
            text("customer.partner_customer_reference", "partner_customer_reference", false, 3, 256, PARTNER_REFERENCE),
            text("customer.billing.street_1", "billing_street_1", true, 1, 128, STREET),
            text("customer.billing.street_2", "billing_street_2", false, 1, 128, STREET),
            text("customer.billing.postal_code", "billing_postal_code", true, 0, 0, POSTAL_CODE),
            text("customer.billing.city", "billing_city", true, 1, 128, CITY),
            text("customer.billing.state_or_province_code", "billing_state", true, 2, 2, null),
            text("customer.billing.country_code", "billing_country", true, 2, 2, null),

            enumOf("device.device_type", "device_type", false, DEVICE_TYPES),
            text("device.device_serial_number", "device_serial_number", false, 1, 256, null),
            text("device.device_model", "device_model", false, 1, 128, null),
            text("device.device_manufacturer", "device_manufacturer", false, 1, 128, null),
            date("device.install_date", "device_install_date"),
            number("device.battery_power_capacity_kw", "battery_power_capacity_kw", ZERO, MAX_CAPACITY),
            number("device.battery_energy_capacity_kwh", "battery_energy_capacity_kwh", ZERO, MAX_CAPACITY),
            integer("device.battery_duration_hours", "battery_duration_hours", 0, 100),
            date("device.permission_to_operate_date", "permission_to_operate_date"),
            number("device.battery_max_discharge_rate_kw", "battery_max_discharge_rate_kw", ZERO, MAX_CAPACITY),
            number("device.battery_max_charge_rate_kw", "battery_max_charge_rate_kw", ZERO, MAX_CAPACITY),
            number("device.battery_max_state_of_charge_percentage", "battery_max_state_of_charge_percentage",
                    BigDecimal.valueOf(2), BigDecimal.valueOf(100)),
            number("device.battery_min_state_of_charge_percentage", "battery_min_state_of_charge_percentage",
                    ZERO, BigDecimal.valueOf(100)),
            text("device.installer", "device_installer", false, 1, 256, null),
            bool("device.is_connected_to_solar", "device_is_connected_to_solar"),

            text("site.load_zone", "site_load_zone", false, 1, 128, null),
            integer("site.number_of_devices", "site_number_of_devices", 0, 99),
            bool("site.on_site_fossil_generator", "site_on_site_fossil_generator"),
            bool("site.renewable_generator", "site_renewable_generator"),
            new Field("site.site_devices", "site_devices", Kind.DEVICE_LIST, false, 0, 0, null, null, null, null),

            bool("caiso.is_receiving_sgip_funding", "caiso_is_receiving_sgip_funding"),
            enumOf("caiso.nem_type", "caiso_nem_type", false, NEM_TYPES),
            bool("isone.in_connected_solutions", "isone_in_connected_solutions"),
            enumOf("nyiso.cbl_method", "nyiso_cbl_method", false, CBL_METHODS),
            enumOf("nyiso.company_type", "nyiso_company_type", false, COMPANY_TYPES),
            text("nyiso.existing_nyiso_resource_id", "nyiso_existing_resource_id", false, 0, 0, null),
            text("nyiso.partner_nyiso_resource_name", "nyiso_partner_resource_name", false, 0, 0, null),

            enumOf("utility.utility_name", "utility_name", false, UTILITIES),
            text("utility.load_serving_entity", "utility_load_serving_entity", false, 1, 128, null),
            text("utility.electric_service_account_number", "utility_account_number", false, 1, 128, null),
            text("utility.tariff", "utility_tariff", false, 1, 128, null),
            text("utility.voltage", "utility_voltage", false, 1, 128, null),
            text("utility.utility_meter_serial_number", "utility_meter_serial_number", false, 1, 256, null));

    /** Leap's DeviceInfo (the items of site.site_devices). */
    static final List<Field> DEVICE_INFO = List.of(
            enumOf("device_type", "device_type", true, DEVICE_TYPES),
            text("model", "model", false, 1, 128, null),
            text("manufacturer", "manufacturer", false, 1, 128, null),
            text("serial_number", "serial_number", false, 1, 256, null),
            number("energy_capacity_kwh", "energy_capacity_kwh", ZERO, MAX_CAPACITY),
            number("power_capacity_kw", "power_capacity_kw", ZERO, MAX_CAPACITY),
            integer("energy_capacity_duration_hours", "energy_capacity_duration_hours", 0, 100),
            enumOf("voltage_level", "voltage_level", false, VOLTAGE_LEVELS),
            integer("model_year", "model_year", 1900, 2100),
            enumOf("fuel_type", "fuel_type", false, FUEL_TYPES),
            number("battery_max_discharge_rate_kw", "battery_max_discharge_rate_kw", ZERO, MAX_CAPACITY),
            number("battery_max_charge_rate_kw", "battery_max_charge_rate_kw", ZERO, MAX_CAPACITY),
            number("battery_max_state_of_charge_percentage", "battery_max_state_of_charge_percentage",
                    BigDecimal.valueOf(2), BigDecimal.valueOf(100)),
            number("battery_min_state_of_charge_percentage", "battery_min_state_of_charge_percentage", ZERO, BigDecimal.valueOf(100)),
            text("installer", "installer", false, 1, 256, null),
            bool("is_connected_to_solar", "is_connected_to_solar"));

    private static final Map<String, Field> BY_PATH = new LinkedHashMap<>();
    private static final Map<String, Field> BY_COLUMN = new LinkedHashMap<>();

    static {
        for (Field f : FIELDS) {
            BY_PATH.put(f.path(), f);
            BY_COLUMN.put(f.column(), f);
        }
    }

    /** Optional CSV column beside the CreateMeter fields: the partner system's own id of the row. */
    public static final String PARTNER_ROW_ID = "partner_row_id";

    private final ObjectMapper mapper;

    public CreateMetersFields(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public static List<Field> fields() {
        return FIELDS;
    }

    public static Field byPath(String path) {
        return BY_PATH.get(path);
    }

    /** The CSV header columns every file must have: Leap's required fields (country_code defaults to US). */
    public static List<String> requiredCsvColumns() {
        return FIELDS.stream().filter(f -> f.required() && !f.parent().startsWith("customer.billing")
                && !f.path().equals("customer.country_code")).map(Field::path).toList();
    }

    /** The other CSV columns a file may have. */
    public static List<String> optionalCsvColumns() {
        List<String> out = new ArrayList<>();
        out.add(PARTNER_ROW_ID);
        FIELDS.stream().map(Field::path).filter(p -> !requiredCsvColumns().contains(p)).forEach(out::add);
        return out;
    }

    /** The column a JSON path is stored in, for messages to operations ("customer.postal_code (customer_postal_code)"). */
    public static String describe(String path) {
        Field f = BY_PATH.get(path);
        if (f == null) {
            int bracket = path.indexOf('[');
            if (path.startsWith("site.site_devices") && bracket > 0) {
                return path + " (column site_devices)";
            }
            return path;
        }
        return f.path().equals(f.column()) ? f.path() : f.path() + " (column " + f.column() + ")";
    }

    // ---- row -> CreateMeter -------------------------------------------------------------------------------------

    /**
     * The CreateMeter JSON of a {@code partner_enrollment} row (column name -> JDBC value). Blank values are left
     * out; {@code customer.country_code} and {@code customer.billing.country_code} default to US as Leap's spec says.
     * Field order is fixed, so equal content always gives the same JSON and the same {@link #hash}.
     */
    public ObjectNode toCreateMeter(Map<String, Object> row) {
        ObjectNode asset = mapper.createObjectNode();
        for (Field f : FIELDS) {
            Object value = row.get(f.column());
            JsonNode node = toJson(f, value);
            if (node != null) {
                objectAt(asset, f.parent()).set(f.name(), node);
            }
        }
        defaultCountry(asset.path("customer"));
        defaultCountry(asset.path("customer").path("billing"));
        return asset;
    }

    private static void defaultCountry(JsonNode address) {
        if (address instanceof ObjectNode o && !o.isEmpty() && !o.hasNonNull("country_code")) {
            o.put("country_code", "US");
        }
    }

    private JsonNode toJson(Field f, Object value) {
        if (value == null) {
            return null;
        }
        switch (f.kind()) {
            case TEXT, ENUM, EMAIL -> {
                String s = value.toString().strip();
                return s.isEmpty() ? null : mapper.getNodeFactory().textNode(s);
            }
            case ENUM_LIST -> {
                ArrayNode list = mapper.createArrayNode();
                for (String s : value.toString().split("[,;|]")) {
                    if (!s.isBlank()) {
                        list.add(s.strip());
                    }
                }
                return list.isEmpty() ? null : list;
            }
            case INTEGER -> {
                return mapper.getNodeFactory().numberNode(((Number) value).longValue());
            }
            case NUMBER -> {
                BigDecimal d = value instanceof BigDecimal b ? b : new BigDecimal(value.toString());
                d = d.stripTrailingZeros();
                return mapper.getNodeFactory().numberNode(d.scale() < 0 ? d.setScale(0) : d);
            }
            case BOOLEAN -> {
                return mapper.getNodeFactory().booleanNode((Boolean) value);
            }
            case DATE -> {
                LocalDate d = value instanceof Date sql ? sql.toLocalDate() : value instanceof LocalDate l ? l : LocalDate.parse(value.toString());
                return mapper.getNodeFactory().textNode(d.toString());
            }
            case DEVICE_LIST -> {
                try {
                    JsonNode n = mapper.readTree(value.toString());
                    return n == null || n.isNull() ? null : n;
                } catch (JsonProcessingException e) {
                    // kept as text: the validation names it
                    return mapper.getNodeFactory().textNode(value.toString());
                }
            }
            default -> throw new IllegalStateException(f.kind().name());
        }
    }

    private static ObjectNode objectAt(ObjectNode root, String path) {
        ObjectNode node = root;
        if (path.isEmpty()) {
            return node;
        }
        for (String part : path.split("\\.")) {
            JsonNode child = node.get(part);
            node = child instanceof ObjectNode o ? o : node.putObject(part);
        }
        return node;
    }

    /** SHA-256 of the CreateMeter JSON: what "changed since it was sent" compares. */
    public String hash(ObjectNode createMeter) {
        try {
            byte[] bytes = mapper.writeValueAsBytes(createMeter);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- Leap's rules -------------------------------------------------------------------------------------------

    /** Every rule of the spec the CreateMeter breaks; empty = Leap's synchronous validation would accept it. */
    public List<Problem> validate(ObjectNode asset) {
        List<Problem> problems = new ArrayList<>();
        for (Field f : FIELDS) {
            String parent = f.parent();
            JsonNode container = parent.isEmpty() ? asset : at(asset, parent);
            boolean containerSent = parent.isEmpty() || parent.equals("customer") || (container != null && !container.isEmpty());
            JsonNode value = container == null ? null : container.get(f.name());
            if (value == null || value.isNull()) {
                if (f.required() && containerSent) {
                    problems.add(new Problem(f.path(), parent.equals("customer.billing")
                            ? "is required when a billing address is given" : "is required"));
                }
                continue;
            }
            check(f, f.path(), value, problems);
        }
        return problems;
    }

    private void check(Field f, String path, JsonNode value, List<Problem> problems) {
        switch (f.kind()) {
            case TEXT, EMAIL -> checkText(f, path, value.asText(), problems);
            case ENUM -> {
                if (!f.values().contains(value.asText())) {
                    problems.add(new Problem(path, "'" + value.asText() + "' is not one of Leap's values " + sorted(f.values())));
                }
            }
            case ENUM_LIST -> {
                if (!value.isArray() || value.isEmpty()) {
                    problems.add(new Problem(path, "needs at least one value"));
                    return;
                }
                for (JsonNode v : value) {
                    if (!f.values().contains(v.asText())) {
                        problems.add(new Problem(path, "'" + v.asText() + "' is not one of Leap's values " + sorted(f.values())));
                    }
                }
            }
            case INTEGER, NUMBER -> {
                if (!value.isNumber() || (f.kind() == Kind.INTEGER && !value.isIntegralNumber())) {
                    problems.add(new Problem(path, "must be a " + (f.kind() == Kind.INTEGER ? "whole number" : "number")));
                    return;
                }
                BigDecimal d = value.decimalValue();
                if ((f.min() != null && d.compareTo(f.min()) < 0) || (f.max() != null && d.compareTo(f.max()) > 0)) {
                    problems.add(new Problem(path, d.toPlainString() + " is outside " + f.min().toPlainString() + ".."
                            + f.max().toPlainString()));
                }
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    problems.add(new Problem(path, "must be true or false"));
                }
            }
            case DATE -> {
                try {
                    LocalDate.parse(value.asText());
                } catch (DateTimeParseException e) {
                    problems.add(new Problem(path, "'" + value.asText() + "' is not a date (YYYY-MM-DD)"));
                }
            }
            case DEVICE_LIST -> {
                if (!value.isArray()) {
                    problems.add(new Problem(path, "must be a JSON array of devices"));
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    JsonNode device = value.get(i);
                    String at = path + "[" + i + "]";
                    if (!device.isObject()) {
                        problems.add(new Problem(at, "must be an object"));
                        continue;
                    }
                    for (Field d : DEVICE_INFO) {
                        JsonNode v = device.get(d.name());
                        if (v == null || v.isNull()) {
                            if (d.required()) {
                                problems.add(new Problem(at + "." + d.name(), "is required"));
                            }
                            continue;
                        }
                        check(d, at + "." + d.name(), v, problems);
                    }
                    for (Iterator<String> names = device.fieldNames(); names.hasNext(); ) {
                        String name = names.next();
                        if (DEVICE_INFO.stream().noneMatch(d -> d.name().equals(name))) {
                            problems.add(new Problem(at + "." + name, "is not a field of Leap's DeviceInfo"));
                        }
                    }
                }
            }
            default -> throw new IllegalStateException(f.kind().name());
        }
    }

    private static void checkText(Field f, String path, String s, List<Problem> problems) {
        int length = s.codePointCount(0, s.length());
        if (f.minLength() > 0 && length < f.minLength()) {
            problems.add(new Problem(path, "must have at least " + f.minLength() + " characters"));
        } else if (f.maxLength() > 0 && length > f.maxLength()) {
            problems.add(new Problem(path, "must have at most " + f.maxLength() + " characters"));
        } else if (f.pattern() != null && !f.pattern().matcher(s).matches()) {
            problems.add(new Problem(path, "'" + s + "' does not match Leap's pattern " + f.pattern().pattern()));
        }
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node.get(part);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    // ---- CSV cell -> column value -------------------------------------------------------------------------------

    /**
     * The typed column value of a CSV cell (null for a blank cell); Leap's rules are checked later, on the row. A cell
     * that cannot even be stored (a number column with text in it) refuses the CSV row.
     */
    public Object fromCsv(Field f, String cell, CsvRow row) {
        if (cell == null || cell.isBlank()) {
            return null;
        }
        String s = cell.strip();
        try {
            return switch (f.kind()) {
                case TEXT, ENUM, ENUM_LIST, EMAIL -> s;
                case INTEGER -> Integer.valueOf(s);
                case NUMBER -> new BigDecimal(s);
                case BOOLEAN -> parseBoolean(s);
                case DATE -> LocalDate.parse(s);
                case DEVICE_LIST -> {
                    JsonNode n = mapper.readTree(s);
                    if (!n.isArray()) {
                        throw new IllegalArgumentException("not a JSON array");
                    }
                    yield n.toString();
                }
            };
        } catch (NumberFormatException e) {
            throw new CsvRowRejectedException("not-a-number", f.path() + ": '" + s + "' is not a "
                    + (f.kind() == Kind.INTEGER ? "whole number" : "number") + " (" + row.where() + ")");
        } catch (DateTimeParseException e) {
            throw new CsvRowRejectedException("not-a-date", f.path() + ": '" + s + "' is not a date YYYY-MM-DD (" + row.where() + ")");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CsvRowRejectedException("not-" + f.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    f.path() + ": '" + s + "' is not " + (f.kind() == Kind.BOOLEAN ? "true or false"
                            : "a JSON array of Leap DeviceInfo objects") + " (" + row.where() + ")");
        }
    }

    private static Boolean parseBoolean(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1" -> Boolean.TRUE;
            case "false", "no", "n", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    // ---- field factories ----------------------------------------------------------------------------------------

    private static Field text(String path, String column, boolean required, int minLength, int maxLength, Pattern pattern) {
        return new Field(path, column, Kind.TEXT, required, minLength, maxLength, pattern, null, null, null);
    }

    private static Field enumOf(String path, String column, boolean required, Set<String> values) {
        return new Field(path, column, Kind.ENUM, required, 0, 0, null, values, null, null);
    }

    private static Field number(String path, String column, BigDecimal min, BigDecimal max) {
        return new Field(path, column, Kind.NUMBER, false, 0, 0, null, null, min, max);
    }

    private static Field integer(String path, String column, int min, int max) {
        return new Field(path, column, Kind.INTEGER, false, 0, 0, null, null, BigDecimal.valueOf(min), BigDecimal.valueOf(max));
    }

    private static Field bool(String path, String column) {
        return new Field(path, column, Kind.BOOLEAN, false, 0, 0, null, null, null, null);
    }

    private static Field date(String path, String column) {
        return new Field(path, column, Kind.DATE, false, 0, 0, null, null, null, null);
    }
}
