package io.leapvpp.hub.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request for a Leap Connect link, from the API ({@code POST /api/onboarding/connect-links}) or a CSV row: the
 * reference (Leap's refId, which becomes {@code partner_reference} on Connect events and meters), the utilities to
 * request, and the customer's email. {@link #of} refuses anything Leap or the mail server would refuse, with a reason
 * that names the field.
 *
 * @param sendEmail mail the link to {@code customerEmail} (default true when an email is given); false keeps the
 *                  address for reminders only
 */
public record ConnectLinkRequest(String partnerReference, List<String> requestedUtilities, String customerEmail, boolean sendEmail) {

    /** Leap's refId / partner_reference pattern (openapi/webhooks.yml, create-meters.yml: PartnerReference). */
    public static final Pattern PARTNER_REFERENCE = Pattern.compile("^[^/\\\\?\\]\\[{}!#$%^&*()<>|]{3,256}$");
    static final String FORBIDDEN = "/\\?[]{}!#$%^&*()<>|";
    /** Leap's utility identifiers are upper-case names such as PGE, CECONY, LEAP_TEST_CAISO (openapi/webhooks.yml: utility). */
    static final Pattern UTILITY = Pattern.compile("^[A-Z][A-Z0-9_]{1,39}$");
    static final int MAX_UTILITIES = 20;
    static final int MAX_EMAIL_LENGTH = 320;
    static final Set<String> FIELDS = Set.of("partner_reference", "requested_utilities", "customer_email", "send_email");

    /** A request the hub refuses; the message is the reason given to the caller. */
    public static class Invalid extends RuntimeException {
        public Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    public ConnectLinkRequest {
        requestedUtilities = requestedUtilities == null ? List.of() : List.copyOf(requestedUtilities);
    }

    /** From the API's JSON body. */
    public static ConnectLinkRequest fromJson(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new Invalid("body: a JSON object {partner_reference, requested_utilities, customer_email} is expected");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new Invalid(name + ": unknown field (expected partner_reference, requested_utilities, customer_email, send_email)");
            }
        }
        JsonNode ref = body.get("partner_reference");
        if (ref == null || ref.isNull()) {
            throw new Invalid("partner_reference: required (Leap's refId)");
        }
        if (!ref.isTextual()) {
            throw new Invalid("partner_reference: must be a string");
        }
        List<String> utilities = new ArrayList<>();
        JsonNode list = body.get("requested_utilities");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new Invalid("requested_utilities: must be an array of utility names such as [\"PGE\"]");
            }
            for (JsonNode u : list) {
                if (!u.isTextual()) {
                    throw new Invalid("requested_utilities: every element must be a string");
                }
                utilities.add(u.asText());
            }
        }
        JsonNode email = body.get("customer_email");
        if (email != null && !email.isNull() && !email.isTextual()) {
            throw new Invalid("customer_email: must be a string");
        }
        JsonNode send = body.get("send_email");
        if (send != null && !send.isNull() && !send.isBoolean()) {
            throw new Invalid("send_email: must be true or false");
        }
        String address = email == null || email.isNull() ? null : email.asText();
        boolean sendEmail = send == null || send.isNull() || send.asBoolean();
        return of(ref.asText(), utilities, address, sendEmail);
    }

    /** Validates and normalises (utilities upper-cased and de-duplicated, blank email = none). */
    public static ConnectLinkRequest of(String partnerReference, List<String> utilities, String customerEmail, boolean sendEmail) {
        String refProblem = referenceProblem(partnerReference);
        if (refProblem != null) {
            throw new Invalid("partner_reference: " + refProblem);
        }
        Set<String> normalised = new LinkedHashSet<>();
        for (String u : utilities == null ? List.<String>of() : utilities) {
            String name = u == null ? "" : u.trim().toUpperCase(java.util.Locale.ROOT);
            if (!UTILITY.matcher(name).matches()) {
                throw new Invalid("requested_utilities: '" + u + "' is not a Leap utility name (upper-case letters, digits and _, e.g. PGE)");
            }
            normalised.add(name);
        }
        if (normalised.size() > MAX_UTILITIES) {
            throw new Invalid("requested_utilities: at most " + MAX_UTILITIES + " utilities");
        }
        String email = customerEmail == null || customerEmail.isBlank() ? null : customerEmail.trim();
        if (email != null) {
            String emailProblem = emailProblem(email);
            if (emailProblem != null) {
                throw new Invalid("customer_email: " + emailProblem);
            }
        }
        return new ConnectLinkRequest(partnerReference, List.copyOf(normalised), email, email != null && sendEmail);
    }

    /** Why Leap would refuse this refId, or null when it is valid. */
    public static String referenceProblem(String reference) {
        if (reference == null || reference.isEmpty()) {
            return "required (Leap's refId)";
        }
        if (PARTNER_REFERENCE.matcher(reference).matches()) {
            return null;
        }
        if (reference.length() < 3 || reference.length() > 256) {
            return reference.length() + " characters; Leap's refId has 3 to 256";
        }
        for (char c : reference.toCharArray()) {
            if (FORBIDDEN.indexOf(c) >= 0) {
                return "contains '" + c + "', which Leap does not allow in a refId (none of / \\ ? [ ] { } ! # $ % ^ & * ( ) < > |)";
            }
        }
        return "does not match Leap's refId pattern " + PARTNER_REFERENCE.pattern();
    }

    static String emailProblem(String email) {
        if (email.length() > MAX_EMAIL_LENGTH) {
            return "longer than " + MAX_EMAIL_LENGTH + " characters";
        }
        for (char c : email.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                return "contains a control character";
            }
        }
        try {
            InternetAddress address = new InternetAddress(email, true);
            address.validate();
            String plain = address.getAddress();
            int at = plain.lastIndexOf('@');
            if (!plain.equals(email) || at < 1 || at == plain.length() - 1) {
                return "'" + email + "' is not a plain email address such as name@example.com";
            }
        } catch (AddressException e) {
            return "'" + email + "' is not a valid email address (" + e.getMessage() + ")";
        }
        return null;
    }
}
