package io.leapvpp.hub.onboarding;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/** The CreateMeter mapping and Leap's rules as the hub checks them before anything is sent. */
class CreateMetersFieldsTest {

    private final CreateMetersFields fields = new CreateMetersFields(new ObjectMapper());

    static Map<String, Object> validRow() {
        Map<String, Object> row = new HashMap<>();
        row.put("partner_reference", "ci-site-0001");
        row.put("transmission_region", "CAISO");
        row.put("customer_classification", "COMMERCIAL");
        row.put("load_types", "HVAC; BATTERY_STORAGE");
        row.put("meter_type", "DEVICE");
        row.put("customer_street_1", "1200 Harbor Blvd");
        row.put("customer_postal_code", "94607");
        row.put("customer_city", "Oakland");
        row.put("customer_state", "CA");
        row.put("end_customer_company_name", "Harbor Cold Storage Inc.");
        row.put("device_type", "BATTERY");
        row.put("battery_power_capacity_kw", new BigDecimal("250.00"));
        row.put("battery_duration_hours", 4);
        row.put("device_install_date", Date.valueOf(LocalDate.of(2024, 5, 2)));
        row.put("device_is_connected_to_solar", Boolean.TRUE);
        row.put("utility_name", "PGE");
        row.put("site_devices", "[{\"device_type\":\"BATTERY\",\"power_capacity_kw\":250}]");
        return row;
    }

    private List<String> problems(Map<String, Object> row) {
        return fields.validate(fields.toCreateMeter(row)).stream().map(CreateMetersFields.Problem::toString).toList();
    }

    @Test
    void aRowMapsToLeapsCreateMeterJson() {
        ObjectNode asset = fields.toCreateMeter(validRow());
        assertThat(asset.toString()).isEqualTo("{\"partner_reference\":\"ci-site-0001\",\"transmission_region\":\"CAISO\","
                + "\"customer_classification\":\"COMMERCIAL\",\"load_types\":[\"HVAC\",\"BATTERY_STORAGE\"],\"meter_type\":\"DEVICE\","
                + "\"customer\":{\"street_1\":\"1200 Harbor Blvd\",\"postal_code\":\"94607\",\"city\":\"Oakland\","
                + "\"state_or_province_code\":\"CA\",\"end_customer_company_name\":\"Harbor Cold Storage Inc.\",\"country_code\":\"US\"},"
                + "\"device\":{\"device_type\":\"BATTERY\",\"install_date\":\"2024-05-02\",\"battery_power_capacity_kw\":250,"
                + "\"battery_duration_hours\":4,\"is_connected_to_solar\":true},"
                + "\"site\":{\"site_devices\":[{\"device_type\":\"BATTERY\",\"power_capacity_kw\":250}]},"
                + "\"utility\":{\"utility_name\":\"PGE\"}}");
        assertThat(fields.validate(asset)).isEmpty();
        // same content, same hash; any change, another hash
        assertThat(fields.hash(fields.toCreateMeter(validRow()))).isEqualTo(fields.hash(asset));
        Map<String, Object> changed = validRow();
        changed.put("battery_power_capacity_kw", new BigDecimal("260"));
        assertThat(fields.hash(fields.toCreateMeter(changed))).isNotEqualTo(fields.hash(asset));
    }

    @Test
    void leapsRulesAreCheckedAsTheSpecStatesThem() {
        Map<String, Object> row = validRow();
        row.put("partner_reference", "site#1");
        row.remove("transmission_region");
        row.put("load_types", "HVAC,SOLAR");
        row.put("customer_postal_code", "9460");
        row.put("customer_state", "California");
        row.put("end_customer_title", "Director of Facilities");
        row.put("battery_max_state_of_charge_percentage", new BigDecimal("0.95"));
        row.put("battery_duration_hours", 101);
        row.put("utility_name", "PG&E");
        row.put("billing_city", "Oakland");
        row.put("site_devices", "[{\"model\":\"X\",\"colour\":\"red\"}]");
        assertThat(problems(row)).containsExactlyInAnyOrder(
                "partner_reference: 'site#1' does not match Leap's pattern " + CreateMetersFields.PARTNER_REFERENCE.pattern(),
                "transmission_region: is required",
                "load_types: 'SOLAR' is not one of Leap's values [BATTERY_STORAGE, BUILDING_AUTOMATION, COLD_STORAGE, EV_CHARGING,"
                        + " GENERATION, HVAC, LIGHTING, MANUFACTURING, OTHER, PUMPING, WATER_HEATING]",
                "customer.postal_code: '9460' does not match Leap's pattern ^[0-9]{5}(?:-[0-9]{4})?$",
                "customer.state_or_province_code: must have at most 2 characters",
                "customer.end_customer_title: must have at most 15 characters",
                "customer.billing.street_1: is required when a billing address is given",
                "customer.billing.postal_code: is required when a billing address is given",
                "customer.billing.state_or_province_code: is required when a billing address is given",
                "device.battery_duration_hours: 101 is outside 0..100",
                "device.battery_max_state_of_charge_percentage: 0.95 is outside 2..100",
                "site.site_devices[0].device_type: is required",
                "site.site_devices[0].colour: is not a field of Leap's DeviceInfo",
                "utility.utility_name: 'PG&E' is not one of Leap's values " + CreateMetersFields.UTILITIES.stream().sorted().toList());
        assertThat(CreateMetersFields.describe("customer.postal_code")).isEqualTo("customer.postal_code (column customer_postal_code)");
    }

    @Test
    void requiredFieldsAndTheCustomerObjectAreAlwaysChecked() {
        Map<String, Object> row = new HashMap<>();
        row.put("partner_reference", "ci-site-2");
        assertThat(problems(row)).containsExactlyInAnyOrder("transmission_region: is required",
                "customer_classification: is required", "load_types: is required", "meter_type: is required",
                "customer.street_1: is required", "customer.postal_code: is required", "customer.city: is required",
                "customer.state_or_province_code: is required", "customer.country_code: is required");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theInboxRouteFileNamesExactlyTheCsvColumnsTheMappingKnows() throws Exception {
        List<Object> routes = (List<Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("routes/45-create-meters-inbox.camel.yaml")));
        for (Object route : routes) {
            Map<String, Object> templated = (Map<String, Object>) ((Map<String, Object>) route).get("templatedRoute");
            Map<String, String> parameters = new HashMap<>();
            for (Object p : (List<Object>) templated.get("parameters")) {
                Map<String, Object> m = (Map<String, Object>) p;
                parameters.put((String) m.get("name"), String.valueOf(m.get("value")));
            }
            assertThat(CsvInbox.names(parameters.get("columns"))).containsExactlyElementsOf(CreateMetersFields.requiredCsvColumns());
            assertThat(CsvInbox.names(parameters.get("optionalColumns"))).containsExactlyElementsOf(CreateMetersFields.optionalCsvColumns());
        }
        assertThat(routes).hasSize(2);
    }
}
