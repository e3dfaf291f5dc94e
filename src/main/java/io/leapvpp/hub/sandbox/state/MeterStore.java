package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/** All meters and market groups, indexed for O(1) lookups and an O(n) ordered search. */
public final class MeterStore {

    private final ConcurrentSkipListMap<MeterSortKey, Meter> ordered = new ConcurrentSkipListMap<>();
    private final Map<UUID, Meter> byId = new ConcurrentHashMap<>();
    private final Map<String, Meter> byPartnerReference = new ConcurrentHashMap<>();
    private final Map<UUID, MarketGroup> marketGroups = new ConcurrentHashMap<>();
    private final List<MarketGroup> marketGroupOrder = new ArrayList<>();
    private Instant lastCreatedAt = Instant.EPOCH;

    public synchronized void load(MeterSeeder.Seed seed) {
        ordered.clear();
        byId.clear();
        byPartnerReference.clear();
        marketGroups.clear();
        marketGroupOrder.clear();
        lastCreatedAt = Instant.EPOCH;
        seed.marketGroups().forEach(g -> {
            marketGroups.put(g.id(), g);
            marketGroupOrder.add(g);
        });
        seed.meters().forEach(this::index);
    }

    private void index(Meter m) {
        ordered.put(m.sortKey(), m);
        byId.put(m.meterId, m);
        byPartnerReference.put(m.partnerReference, m);
        if (m.createdAt.isAfter(lastCreatedAt)) lastCreatedAt = m.createdAt;
    }

    public int size() {
        return byId.size();
    }

    public Optional<Meter> find(UUID meterId) {
        return Optional.ofNullable(byId.get(meterId));
    }

    public Optional<Meter> findByPartnerReference(String partnerReference) {
        return Optional.ofNullable(byPartnerReference.get(partnerReference));
    }

    public Collection<Meter> all() {
        return ordered.values();
    }

    public List<MarketGroup> marketGroups() {
        synchronized (this) {
            return List.copyOf(marketGroupOrder);
        }
    }

    public Optional<MarketGroup> marketGroup(UUID id) {
        return Optional.ofNullable(marketGroups.get(id));
    }

    public List<Meter> membersOf(UUID marketGroupId) {
        List<Meter> members = new ArrayList<>();
        for (Meter m : ordered.values()) if (m.isInMarketGroup(marketGroupId)) members.add(m);
        return members;
    }

    /** Walks the stable order from the filter's cursor, so the cost is the number of meters skipped or returned. */
    public MeterPage search(MeterFilter filter) {
        Map<MeterSortKey, Meter> tail = filter.after == null ? ordered : ordered.tailMap(filter.after, false);
        List<Meter> page = new ArrayList<>(Math.min(filter.pageSize, 64));
        for (Map.Entry<MeterSortKey, Meter> e : tail.entrySet()) {
            if (!filter.matches(e.getValue())) continue;
            if (page.size() == filter.pageSize) {
                return new MeterPage(page, page.get(page.size() - 1).sortKey().toPageToken());
            }
            page.add(e.getValue());
        }
        return new MeterPage(page, null);
    }

    /** Creates a meter from a validated CreateMeter body; created_at is kept strictly increasing so new meters sort last. */
    public synchronized Meter create(ObjectNode createMeter, String createdBy) {
        Instant now = Instant.now();
        Instant createdAt = now.isAfter(lastCreatedAt) ? now : lastCreatedAt.plusNanos(1000);
        Meter m = new Meter(UUID.randomUUID(), createdAt);
        m.createdBy = createdBy;
        m.archived = false;
        m.connectionReferences = List.of();
        m.tags = List.of();
        m.globalEnrollmentStatus = "PENDING";
        m.programEnrollment = List.of();
        m.partnerActions = List.of();
        m.leapActions = List.of();
        m.participationPreferences = List.of();
        applyCreateMeter(m, createMeter);
        m.updatedAt = createdAt;
        index(m);
        return m;
    }

    /** {@code update_existing=true}: Leap overwrites the meter's data with the new upload, keeping its id. */
    public synchronized Meter overwrite(Meter m, ObjectNode createMeter) {
        byPartnerReference.remove(m.partnerReference);
        applyCreateMeter(m, createMeter);
        byPartnerReference.put(m.partnerReference, m);
        m.updatedAt = Instant.now();
        return m;
    }

    private static void applyCreateMeter(Meter m, ObjectNode in) {
        m.partnerReference = in.path("partner_reference").asText();
        m.transmissionRegion = in.path("transmission_region").asText();
        m.customerClassification = in.path("customer_classification").asText();
        List<String> loadTypes = new ArrayList<>();
        in.path("load_types").forEach(n -> loadTypes.add(n.asText()));
        m.loadTypes = List.copyOf(loadTypes);
        m.meterType = in.path("meter_type").asText();
        m.customerGroup = in.hasNonNull("customer_group") ? in.get("customer_group").asText() : null;
        ObjectNode profile = Json.object();
        for (String section : List.of("customer", "device", "site", "caiso", "isone", "nyiso", "utility")) {
            if (in.path(section).isObject()) profile.set(section, in.get(section).deepCopy());
        }
        ObjectNode customer = (ObjectNode) profile.get("customer");
        if (customer != null && !customer.hasNonNull("country_code")) customer.put("country_code", "US");
        m.profile = profile;
    }

    /** Applies a change to a meter under the store lock and stamps updated_at. */
    public synchronized Meter update(UUID meterId, Consumer<MeterChange> change) {
        Meter m = byId.get(meterId);
        if (m == null) throw new IllegalArgumentException("unknown meter " + meterId);
        change.accept(new MeterChange(m));
        m.updatedAt = Instant.now();
        return m;
    }

    /** The mutations the control API may make. */
    public static final class MeterChange {
        private final Meter meter;

        MeterChange(Meter meter) {
            this.meter = meter;
        }

        public Meter meter() { return meter; }
        public void globalEnrollmentStatus(String s) { meter.globalEnrollmentStatus = s; }
        public void programEnrollment(List<ProgramEnrollment> p) { meter.programEnrollment = List.copyOf(p); }
        public void partnerActions(List<RequiredAction> a) { meter.partnerActions = List.copyOf(a); }
        public void participationPreferences(List<ParticipationPreference> p) { meter.participationPreferences = List.copyOf(p); }
        public void archived(boolean a) { meter.archived = a; }
        public void connectionReferences(List<String> r) { meter.connectionReferences = List.copyOf(r); }
    }
}
