package io.leapvpp.hub.sandbox.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.state.BatchJob.AssetResult;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The checks Leap makes after accepting a job, which fail single assets of a schema-valid upload (status FAILED with
 * a {@code status_detail.name} from the spec's list and {@code failed_fields}):
 * <ul>
 *   <li>UNSUPPORTED_ZIP_CODE: a postal code starting with 000 (no such US zip code);</li>
 *   <li>ADDRESS_INCOMPLETE: {@code customer.street_1} without a house number;</li>
 *   <li>UNSUPPORTED_ADDRESS: the customer's state lies outside the meter's transmission region (CAISO, ERCOT, NYISO,
 *       ISONE, PJM are checked);</li>
 *   <li>VALIDATION_ERROR: {@code utility.utility_name} is a utility Leap does not know in that region;</li>
 *   <li>ADDRESS_NOT_REGISTERED_FOR_ESIID: an ERCOT meter without an ESIID ({@code utility.electric_service_account_number}).</li>
 * </ul>
 */
final class AssetRules {

    private static final Map<String, Set<String>> REGION_STATES = Map.of(
            "CAISO", Set.of("CA", "NV"),
            "ERCOT", Set.of("TX"),
            "NYISO", Set.of("NY"),
            "ISONE", Set.of("CT", "MA", "ME", "NH", "RI", "VT"),
            "PJM", Set.of("DE", "DC", "IL", "IN", "KY", "MD", "MI", "NC", "NJ", "OH", "PA", "TN", "VA", "WV"));

    /** Utilities whose service territory is known; the others (DEMO, OTHER, ...) are accepted anywhere. */
    private static final Map<String, Set<String>> UTILITY_REGIONS = Map.ofEntries(
            Map.entry("PGE", Set.of("CAISO")), Map.entry("SCE", Set.of("CAISO")), Map.entry("SDGE", Set.of("CAISO")),
            Map.entry("SMUD", Set.of("CAISO")), Map.entry("LADWP", Set.of("CAISO")), Map.entry("SVP", Set.of("CAISO")),
            Map.entry("LEAP_TEST_CAISO", Set.of("CAISO")),
            Map.entry("CECONY", Set.of("NYISO")), Map.entry("ORU", Set.of("NYISO")), Map.entry("PSEGLI", Set.of("NYISO")),
            Map.entry("NYS", Set.of("NYISO")), Map.entry("LEAP_TEST_NYISO", Set.of("NYISO")),
            Map.entry("NATGRID", Set.of("ISONE", "NYISO")), Map.entry("EVERSOURCE", Set.of("ISONE")),
            Map.entry("UNITIL", Set.of("ISONE")), Map.entry("RIE", Set.of("ISONE")), Map.entry("CAPELIGHT", Set.of("ISONE")),
            Map.entry("UNITED_ILLUMINATED", Set.of("ISONE")),
            Map.entry("SMT", Set.of("ERCOT")), Map.entry("AEP_CENTRAL", Set.of("ERCOT")), Map.entry("AEP_NORTH", Set.of("ERCOT")),
            Map.entry("NUECES_ELECTRIC", Set.of("ERCOT")), Map.entry("ONCOR", Set.of("ERCOT")),
            Map.entry("CENTERPOINT", Set.of("ERCOT")), Map.entry("TNMP", Set.of("ERCOT")),
            Map.entry("COMED", Set.of("PJM")), Map.entry("BGE", Set.of("PJM")), Map.entry("PECO", Set.of("PJM")),
            Map.entry("METED", Set.of("PJM")), Map.entry("PENELEC", Set.of("PJM")), Map.entry("PSEG", Set.of("PJM")),
            Map.entry("DOMINION", Set.of("PJM")), Map.entry("WESTPENN", Set.of("PJM")), Map.entry("PENNPOWER", Set.of("PJM")),
            Map.entry("PEPCO", Set.of("PJM")), Map.entry("PPL", Set.of("PJM")), Map.entry("PJM_DEMO", Set.of("PJM")),
            Map.entry("SRP", Set.of("WECC_SW")), Map.entry("PSE", Set.of("WECC_PC")),
            Map.entry("TVA", Set.of("SERC")), Map.entry("NES", Set.of("SERC")), Map.entry("MLGW", Set.of("SERC")),
            Map.entry("KUB", Set.of("SERC")), Map.entry("MTEMC", Set.of("SERC")), Map.entry("HSVU", Set.of("SERC")));

    private AssetRules() {
    }

    /** The failure of this asset, or null when Leap would go on to create or update the meter. */
    static AssetResult check(ObjectNode asset, String ref, Instant now) {
        String region = asset.path("transmission_region").asText("");
        String postal = asset.path("customer").path("postal_code").asText("");
        String street = asset.path("customer").path("street_1").asText("");
        String state = asset.path("customer").path("state_or_province_code").asText("");
        String utility = asset.path("utility").path("utility_name").asText("");
        if (postal.startsWith("000")) {
            return failed(ref, now, "UNSUPPORTED_ZIP_CODE", "The zip code " + postal + " is not supported.",
                    "customer.postal_code", "unsupported zip code");
        }
        if (street.chars().noneMatch(Character::isDigit)) {
            return failed(ref, now, "ADDRESS_INCOMPLETE", "The address is incomplete: street_1 '" + street
                    + "' has no house number.", "customer.street_1", "no house number");
        }
        Set<String> states = REGION_STATES.get(region);
        if (states != null && !states.contains(state)) {
            return failed(ref, now, "UNSUPPORTED_ADDRESS", "The address in " + state + " is outside the transmission region "
                    + region + ".", "customer.state_or_province_code", state + " is not in " + region);
        }
        Set<String> served = UTILITY_REGIONS.get(utility);
        if (served != null && !served.contains(region)) {
            return failed(ref, now, "VALIDATION_ERROR", "Unknown utility " + utility + " for transmission region " + region
                    + ".", "utility.utility_name", utility + " does not serve " + region);
        }
        if ("ERCOT".equals(region) && asset.path("utility").path("electric_service_account_number").asText("").isBlank()) {
            return failed(ref, now, "ADDRESS_NOT_REGISTERED_FOR_ESIID", "No ESIID is registered for this address; ERCOT"
                    + " meters need utility.electric_service_account_number.", "utility.electric_service_account_number",
                    "ESIID required in ERCOT");
        }
        return null;
    }

    private static AssetResult failed(String ref, Instant now, String name, String description, String field, String why) {
        return new AssetResult(ref, "FAILED", name, description, Map.of(field, why), now, null);
    }
}
