package io.leapvpp.hub.onboarding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Leap Connect onboarding settings ({@code hub.onboarding.connect.*}, docs/onboarding.md). Wrong values stop the start
 * with the property named; an organisation that is not set only makes the link API answer 503 (not every partner
 * onboards through Connect).
 *
 * @param urlFormat          {@code onboarding}: https://onboarding.leap.energy/&lt;organization&gt;/&lt;flow&gt;/?requestedUtilities=&amp;refId=
 *                           (Leap's documented format); {@code connect}: https://connect.leap.energy?transmissionRegion=&amp;account=
 *                           &amp;variant=&amp;program=&amp;refId= (the newer format, GUIDE §3.1)
 * @param organization       Leap's name of the partner organisation (org-name / account)
 * @param flow               url-title of the Connect flow (onboarding format)
 * @param onboardingBaseUrl  host of the onboarding format
 * @param connectBaseUrl     host of the connect format
 * @param transmissionRegion transmissionRegion of the connect format
 * @param variant            variant of the connect format
 * @param program            program of the connect format (optional)
 * @param repeatWindow       the same link (reference, URL, email) asked again within this window answers the first one
 *                           and sends no second mail (a client retrying a timed-out request)
 * @param templatesDir       folder of connect-link*.txt and connect-reminder*.txt
 */
@ConfigurationProperties("hub.onboarding.connect")
public record ConnectProperties(
        @DefaultValue("onboarding") String urlFormat,
        String organization,
        String flow,
        @DefaultValue("https://onboarding.leap.energy") String onboardingBaseUrl,
        @DefaultValue("https://connect.leap.energy") String connectBaseUrl,
        String transmissionRegion,
        @DefaultValue("COMMERCIAL") String variant,
        String program,
        @DefaultValue("PT10M") Duration repeatWindow,
        @DefaultValue("config/templates") String templatesDir,
        @DefaultValue DropOff dropOff,
        @DefaultValue Reminders reminders,
        @DefaultValue Mail mail) {

    public static final String ONBOARDING = "onboarding";
    public static final String CONNECT = "connect";
    /** The connect format's documented values (GUIDE §3.1). */
    static final Set<String> TRANSMISSION_REGIONS = Set.of("CAISO", "NYISO", "PJM", "ERCOT", "WECC_PC", "WECC_SW");
    static final Set<String> VARIANTS = Set.of("RESIDENTIAL", "COMMERCIAL", "RESIDENTIAL_AGREEMENTS_ONLY", "COMMERCIAL_AGREEMENTS_ONLY");
    static final Set<String> PROGRAMS = Set.of("PSE-RPO", "SRP-RPO");

    public ConnectProperties {
        urlFormat = urlFormat == null || urlFormat.isBlank() ? ONBOARDING : urlFormat.trim().toLowerCase(Locale.ROOT);
        organization = blankToNull(organization);
        flow = blankToNull(flow);
        onboardingBaseUrl = onboardingBaseUrl == null || onboardingBaseUrl.isBlank() ? "https://onboarding.leap.energy" : onboardingBaseUrl.trim();
        connectBaseUrl = connectBaseUrl == null || connectBaseUrl.isBlank() ? "https://connect.leap.energy" : connectBaseUrl.trim();
        transmissionRegion = blankToNull(transmissionRegion);
        variant = blankToNull(variant);
        program = blankToNull(program);
        repeatWindow = repeatWindow == null ? Duration.ofMinutes(10) : repeatWindow;
        templatesDir = templatesDir == null || templatesDir.isBlank() ? "config/templates" : templatesDir;
        dropOff = dropOff == null ? new DropOff(null, true, null) : dropOff;
        reminders = reminders == null ? new Reminders(true, null, null) : reminders;
        mail = mail == null ? new Mail(true, null, 5, null) : mail;
        List<String> problems = new ArrayList<>();
        if (!ONBOARDING.equals(urlFormat) && !CONNECT.equals(urlFormat)) {
            problems.add("hub.onboarding.connect.url-format must be onboarding or connect, was " + urlFormat);
        }
        if (transmissionRegion != null && !TRANSMISSION_REGIONS.contains(transmissionRegion)) {
            problems.add("hub.onboarding.connect.transmission-region must be one of " + TRANSMISSION_REGIONS + ", was " + transmissionRegion);
        }
        if (variant != null && !VARIANTS.contains(variant)) {
            problems.add("hub.onboarding.connect.variant must be one of " + VARIANTS + ", was " + variant);
        }
        if (program != null && !PROGRAMS.contains(program)) {
            problems.add("hub.onboarding.connect.program must be blank or one of " + PROGRAMS + ", was " + program);
        }
        if (reminders.offsets().get(0).compareTo(dropOff.inactivity()) <= 0) {
            // reminders are measured from the customer's last event: one due before the drop-off is even noticed would
            // go out at once, and the next one would supersede it
            problems.add("hub.onboarding.connect.reminders.offsets: the first (" + reminders.offsets().get(0)
                    + ") must be longer than hub.onboarding.connect.drop-off.inactivity (" + dropOff.inactivity() + ")");
        }
        if (repeatWindow.isNegative()) {
            problems.add("hub.onboarding.connect.repeat-window must not be negative");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** What is missing before a link can be issued in the configured format; empty when links can be issued. */
    public List<String> missingForLinks() {
        List<String> missing = new ArrayList<>();
        if (organization == null) {
            missing.add("hub.onboarding.connect.organization (HUB_CONNECT_ORGANIZATION)");
        }
        if (ONBOARDING.equals(urlFormat) && flow == null) {
            missing.add("hub.onboarding.connect.flow (HUB_CONNECT_FLOW)");
        }
        if (CONNECT.equals(urlFormat)) {
            if (transmissionRegion == null) {
                missing.add("hub.onboarding.connect.transmission-region (HUB_CONNECT_TRANSMISSION_REGION)");
            }
            if (variant == null) {
                missing.add("hub.onboarding.connect.variant (HUB_CONNECT_VARIANT)");
            }
        }
        return missing;
    }

    /**
     * When a customer counts as dropped off (GUIDE §3.2): the session CLOSED, a utility authorization FAILED (when
     * {@code authorizationFailed}), or no COMPLETED within {@code inactivity} after the customer's last event.
     *
     * @param checkInterval how often the inactivity check runs
     */
    public record DropOff(@DefaultValue("PT20M") Duration inactivity,
                          @DefaultValue("true") boolean authorizationFailed,
                          @DefaultValue("30s") Duration checkInterval) {
        public DropOff {
            inactivity = inactivity == null ? Duration.ofMinutes(20) : inactivity;
            checkInterval = checkInterval == null ? Duration.ofSeconds(30) : checkInterval;
            if (inactivity.isZero() || inactivity.isNegative()) {
                throw new IllegalArgumentException("hub.onboarding.connect.drop-off.inactivity must be positive, was " + inactivity);
            }
        }
    }

    /**
     * Leap's re-engagement cadence, measured from the drop-off (GUIDE §3.2): first between 5 minutes and 1 hour, then
     * within 1 day, then within 3 days.
     *
     * @param offsets   one reminder per offset after the drop-off, strictly increasing
     * @param defaultTo recipient when no Connect link with a customer_email was issued for the reference (blank: none)
     */
    public record Reminders(@DefaultValue("true") boolean enabled,
                            @DefaultValue("PT30M,P1D,P3D") List<Duration> offsets,
                            String defaultTo) {
        public Reminders {
            offsets = offsets == null || offsets.isEmpty() ? List.of(Duration.ofMinutes(30), Duration.ofDays(1), Duration.ofDays(3)) : List.copyOf(offsets);
            defaultTo = blankToNull(defaultTo);
            Duration previous = Duration.ZERO;
            for (Duration d : offsets) {
                if (d.compareTo(previous) <= 0) {
                    throw new IllegalArgumentException("hub.onboarding.connect.reminders.offsets must be positive and strictly increasing, was " + offsets);
                }
                previous = d;
            }
        }
    }

    /**
     * The sender of customer mails (link mails and reminders).
     *
     * @param enabled       false holds every mail in connect_mail (maintenance); they go out once it is true again
     * @param checkInterval the timer backstop; a new link mail wakes the sender at once
     * @param maxAttempts   attempts before a mail is FAILED (SMTP refused it each time)
     * @param retryDelay    first wait after a failed attempt, doubled each time
     */
    public record Mail(@DefaultValue("true") boolean enabled,
                       @DefaultValue("15s") Duration checkInterval,
                       @DefaultValue("5") int maxAttempts,
                       @DefaultValue("PT1M") Duration retryDelay) {
        public Mail {
            checkInterval = checkInterval == null ? Duration.ofSeconds(15) : checkInterval;
            retryDelay = retryDelay == null ? Duration.ofMinutes(1) : retryDelay;
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("hub.onboarding.connect.mail.max-attempts must be at least 1, was " + maxAttempts);
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
