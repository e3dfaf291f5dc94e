package io.leapvpp.hub.sandbox.state;

import java.util.Set;

/** Leap's enum values as published in the OpenAPI definitions; kept as strings so new values are easy to add. */
public final class LeapEnums {
    private LeapEnums() {
    }

    public static final Set<String> TRANSMISSION_REGIONS = Set.of("CAISO", "ERCOT", "NYISO", "ISONE", "PJM", "SERC", "WECC_SW", "WECC_PC");
    public static final Set<String> CUSTOMER_CLASSIFICATIONS = Set.of("RESIDENTIAL", "COMMERCIAL");
    public static final Set<String> ENROLLMENT_STATUSES = Set.of("ACTIVE", "ELIGIBLE", "INELIGIBLE", "NOT_PARTICIPATING", "PENDING");
    public static final Set<String> METER_TYPES = Set.of("UTILITY_METER", "SUBMETER", "DEVICE");
    public static final Set<String> LOAD_TYPES = Set.of("HVAC", "EV_CHARGING", "BATTERY_STORAGE", "COLD_STORAGE", "PUMPING",
            "WATER_HEATING", "BUILDING_AUTOMATION", "GENERATION", "MANUFACTURING", "LIGHTING", "OTHER");
    public static final Set<String> ACTION_TYPES = Set.of("IS_AUTHORIZED", "DOCUMENTS_SIGNED", "HAS_AMI",
            "NOT_ENROLLED_IN_CONFLICTING_PROGRAM", "PARTICIPATING", "HAS_MARKET_REGISTRATION", "NO_MISSING_FIELDS", "GENERATOR",
            "ADDRESS", "HAS_NOMINATIONS", "HAS_BIDDING_STRATEGY", "IS_ELIGIBLE", "IS_ASSIGNED_TO_A_RESOURCE",
            "MEETS_EXTRA_PROGRAM_REQUIREMENTS");
    /** Dispatch v2 program enum (the enrollment enum additionally has CT_GB-ESS). */
    public static final Set<String> DISPATCH_PROGRAMS = Set.of("CAISO-CCA-SC_ONLY", "CCA", "CEC-DSGS-OPTION4", "CEC-DSGS",
            "CONED-CSRP", "CONED-DLRP", "DRAM", "ELRP", "ENERGY-ONLY", "ERCOT-ERS", "EVERSOURCE-CS", "MA_DOER-CPS", "NATGRID-CS",
            "NRG-REALTIME", "NRG-RED", "NYISO-SCR", "ONCOR-CLM", "PGE-ART", "PGE-CBP", "PJM-CAPACITY", "PSEGLI-CSRP",
            "PSEGLI-DLRP", "RIE-CS", "UNITIL-CS", "PSE-RPO", "SRP-RPO", "TVA-RPO", "CAISO-ELRP-A4", "CEC-DSGS-OPTION2",
            "ENERGYHUB-CS");
    public static final Set<String> DISPATCH_EVENT_TYPES = Set.of("hour-ahead", "day-ahead", "5m", "capacity-test", "standard");
    public static final Set<String> PERFORMANCE_COMPENSATION_CAPS = Set.of("grid-exports-allowed", "up-to-nomination", "up-to-site-load");
    public static final Set<String> WEBHOOK_EVENT_TYPES = Set.of("meter.created", "connect_session.updated",
            "connect_session.authorization_updated", "meter.enrollment.global-status.updated",
            "meter.enrollment.participation-status.updated", "meter.enrollment.required-actions.updated",
            "meter.enrollment.group.updated");
    public static final Set<String> PARTICIPATION_PREFERENCES = Set.of("PARTICIPATE", "IDLE", "DISENROLL");
    public static final Set<String> UTILITIES = Set.of("PGE", "SCE", "SDGE", "SMUD", "LADWP", "SVP", "CECONY", "ORU", "PSEGLI",
            "NYS", "RIE", "EVERSOURCE", "NATGRID", "UNITIL", "PPL", "CAPELIGHT", "UPLIGHT", "UNITED_ILLUMINATED", "SMT",
            "AEP_CENTRAL", "AEP_NORTH", "NUECES_ELECTRIC", "ONCOR", "CENTERPOINT", "ENTERGY_GULF", "SWEPCO", "TNMP", "DEMO",
            "DEMO2", "LEAP_TEST_CAISO", "LEAP_TEST_NYISO", "COMED", "BGE", "PECO", "METED", "PENELEC", "PSEG", "DOMINION",
            "WESTPENN", "PENNPOWER", "PEPCO", "PJM_DEMO", "OTHER", "NES", "MLGW", "KUB", "NPU", "MTEMC", "PRECC", "HSVU", "SRP",
            "PSE", "TVA");
}
