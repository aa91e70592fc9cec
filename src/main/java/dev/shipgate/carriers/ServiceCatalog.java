package dev.shipgate.carriers;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The service levels each carrier sells, spelled as EasyPost's rates spell them ({@code rate.service}), so a
 * service filter can be checked before anything is created or bought: a bulk job with
 * {@code services=NoSuchService} would otherwise create every shipment at EasyPost and then fail each one
 * with "no rate matches". The lists are EasyPost's carrier metadata ({@code GET /v2/metadata/carriers},
 * {@code service_levels}, https://docs.easypost.com/docs/carrier-metadata) for the carriers Shipgate's users
 * connect; the simulator offers only services listed here ({@code easypost.SimulatorState}). Keys are the
 * carrier names rates carry (EasyPost's {@code readable}); names compare ignoring case, as the buy filter does.
 * A carrier missing here is not judged: its services are whatever EasyPost rates it with.
 */
public final class ServiceCatalog {

    private static final Map<String, List<String>> SERVICES = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    static {
        SERVICES.put("USPS", List.of("First", "Priority", "Express", "GroundAdvantage", "LibraryMail", "MediaMail",
                "FirstClassMailInternational", "FirstClassPackageInternationalService", "PriorityMailInternational",
                "ExpressMailInternational"));
        SERVICES.put("UPS", List.of("Ground", "UPSStandard", "UPSSaver", "Express", "ExpressPlus", "Expedited", "NextDayAir",
                "NextDayAirSaver", "NextDayAirEarlyAM", "2ndDayAir", "2ndDayAirAM", "3DaySelect"));
        List<String> fedex = List.of("FEDEX_2_DAY", "FEDEX_2_DAY_AM", "FEDEX_EXPRESS_SAVER", "FEDEX_GROUND",
                "FEDEX_INTERNATIONAL_CONNECT_PLUS", "FIRST_OVERNIGHT", "GROUND_HOME_DELIVERY", "INTERNATIONAL_ECONOMY",
                "INTERNATIONAL_FIRST", "INTERNATIONAL_PRIORITY", "PRIORITY_OVERNIGHT", "SMART_POST", "STANDARD_OVERNIGHT");
        SERVICES.put("FedEx", fedex);
        SERVICES.put("FedExDefault", fedex);
        SERVICES.put("DHLExpress", List.of("BreakBulkEconomy", "BreakBulkExpress", "DomesticEconomySelect", "DomesticExpress",
                "DomesticExpress1030", "DomesticExpress1200", "EconomySelect", "EconomySelectNonDoc", "EuroPack",
                "EuropackNonDoc", "Express1030", "Express1030NonDoc", "Express1200NonDoc", "Express1200", "Express900",
                "Express900NonDoc", "ExpressEasy", "ExpressEasyNonDoc", "ExpressEnvelope", "ExpressWorldwide",
                "ExpressWorldwideB2C", "ExpressWorldwideB2CNonDoc", "ExpressWorldwideECX", "ExpressWorldwideNonDoc",
                "FreightWorldwide", "GlobalmailBusiness", "JetLine", "JumboBox", "LogisticsServices", "SameDay",
                "SecureLine", "SprintLine"));
        SERVICES.put("CanadaPost", List.of("RegularParcel", "ExpeditedParcel", "Xpresspost", "Priority", "ExpeditedParcelUSA",
                "SmallPacketUSAAir", "TrackedPacketUSA", "TrackedPacketUSALVM", "XpresspostUSA", "XpresspostInternational",
                "InternationalParcelAir", "InternationalParcelSurface", "SmallPacketInternationalAir",
                "SmallPacketInternationalSurface", "TrackedPacketInternational", "ExpeditedParcelPlus"));
    }

    private ServiceCatalog() {
    }

    /** Whether the catalog lists {@code carrier}'s services at all. */
    public static boolean knows(String carrier) {
        return carrier != null && SERVICES.containsKey(carrier);
    }

    /** Whether {@code carrier} sells {@code service} by the catalog; false for a carrier it does not know. */
    public static boolean sells(String carrier, String service) {
        return knows(carrier) && SERVICES.get(carrier).stream().anyMatch(s -> s.equalsIgnoreCase(service));
    }

    /**
     * The services {@code carriers} sell together, sorted ignoring case, or null when any of them is not in the
     * catalog (then no service can be called unknown).
     */
    public static Set<String> servicesOf(Collection<String> carriers) {
        Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String carrier : carriers) {
            if (!knows(carrier)) {
                return null;
            }
            all.addAll(SERVICES.get(carrier));
        }
        return all;
    }
}
