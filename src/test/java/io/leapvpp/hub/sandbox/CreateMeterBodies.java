package io.leapvpp.hub.sandbox;

import java.util.List;
import java.util.Map;

final class CreateMeterBodies {
    private CreateMeterBodies() {
    }

    static Map<String, Object> asset(String partnerReference, String postalCode) {
        return Map.of(
                "partner_reference", partnerReference,
                "transmission_region", "CAISO",
                "customer_classification", "COMMERCIAL",
                "load_types", List.of("BATTERY_STORAGE"),
                "meter_type", "DEVICE",
                "customer", Map.of("street_1", "1 Market Street", "postal_code", postalCode, "city", "San Francisco",
                        "state_or_province_code", "CA", "country_code", "US"),
                "device", Map.of("device_type", "BATTERY", "battery_power_capacity_kw", 100, "battery_energy_capacity_kwh", 400),
                "utility", Map.of("utility_name", "PGE"));
    }
}
