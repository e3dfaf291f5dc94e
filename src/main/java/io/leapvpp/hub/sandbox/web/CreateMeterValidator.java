package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.leapvpp.hub.sandbox.state.BodyReader;
import io.leapvpp.hub.sandbox.state.LeapEnums;

import java.util.regex.Pattern;

/** Synchronous checks Leap makes on a CreateMeter before accepting a job: global required fields and patterns. */
final class CreateMeterValidator {

    private static final Pattern POSTAL_CODE = Pattern.compile("^[0-9]{5}(?:-[0-9]{4})?$");
    private static final Pattern CUSTOMER_GROUP = Pattern.compile("^[’'+#\"@()/&.,;A-Za-z\\u00C0-\\u024F\\u1E00-\\u1EFF0-9\\s_\\-]{0,128}$");
    private static final Pattern FILE_NAME = Pattern.compile("^[a-zA-Z0-9._\\s-]+.[a-zA-Z0-9]+$");

    private CreateMeterValidator() {
    }

    static void validate(BodyReader asset) {
        if (!asset.node().isObject()) {
            asset.problem("asset", "must be an object");
            return;
        }
        asset.string("partner_reference", true, BodyReader.PARTNER_REFERENCE, 256);
        asset.enumValue("transmission_region", true, LeapEnums.TRANSMISSION_REGIONS);
        asset.enumValue("customer_classification", true, LeapEnums.CUSTOMER_CLASSIFICATIONS);
        asset.strings("load_types", true, 1, 20, LeapEnums.LOAD_TYPES, null);
        asset.enumValue("meter_type", true, LeapEnums.METER_TYPES);
        asset.string("customer_group", false, CUSTOMER_GROUP, 128);
        if (asset.isObject("customer", true)) {
            BodyReader customer = asset.nested("customer");
            customer.string("street_1", true, null, 128);
            customer.string("postal_code", true, POSTAL_CODE, 10);
            customer.string("city", true, null, 128);
            String state = customer.string("state_or_province_code", true);
            if (state != null && state.length() != 2) customer.problem("state_or_province_code", "must be 2 characters");
            // country_code is required by the schema, but Leap defaults it to US (GUIDE §3.3)
            String country = customer.string("country_code", false);
            if (country != null && country.length() != 2) customer.problem("country_code", "must be 2 characters");
        }
        if (asset.isObject("utility", false)) {
            asset.nested("utility").enumValue("utility_name", false, LeapEnums.UTILITIES);
        }
        for (String section : new String[]{"device", "site", "caiso", "isone", "nyiso"}) {
            asset.isObject(section, false);
        }
    }

    static String fileName(String fileName) {
        if (fileName == null) return null;
        if (fileName.length() > 255 || !FILE_NAME.matcher(fileName).matches()) {
            throw ApiException.badRequest(java.util.List.of(io.leapvpp.hub.sandbox.state.FieldProblem.of("file_name",
                    "must match " + FILE_NAME.pattern() + " and be at most 255 characters")));
        }
        return fileName;
    }

    static boolean isArray(JsonNode n) {
        return n != null && n.isArray();
    }
}
