package dev.shipgate.carriers;

import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.EasyPostGateway.Repeat;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The carrier accounts connected to the EasyPost account (EasyPost {@code carrierAccount.all()},
 * https://docs.easypost.com/docs/carrier-accounts), kept for {@link #TTL} because they change when an
 * operator connects a carrier in EasyPost's dashboard, not per request; {@code refresh} asks again.
 * A purchase or bulk job restricted to carriers none of which is connected can only fail, one EasyPost
 * call at a time: {@link #requireConnected} refuses it up front, naming the connected carriers.
 */
public final class CarrierAccounts {

    /** How long the list is reused before EasyPost is asked again. */
    public static final Duration TTL = Duration.ofMinutes(10);

    /** One connected account; {@code carrier} is the name rates carry (EasyPost's {@code readable}). */
    public record Account(String id, String carrier, String type, String description, String billingType) {
    }

    /** The accounts, the distinct carrier names, and when EasyPost was asked. */
    public record Listing(List<Account> accounts, Set<String> carriers, Instant fetchedAt) {
    }

    private final EasyPostGateway gateway;
    private final AtomicReference<Future<Listing>> cached = new AtomicReference<>();

    public CarrierAccounts(EasyPostGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * The connected accounts, from the cache unless it is older than {@link #TTL} or {@code refresh} is
     * set. Concurrent callers share one EasyPost call; a failed call is not cached. Fails with the
     * gateway's problem (502/503/504) when EasyPost cannot be asked.
     */
    public Future<Listing> list(boolean refresh) {
        Future<Listing> current = cached.get();
        if (!refresh && current != null && (!current.isComplete()
                || current.succeeded() && current.result().fetchedAt().plus(TTL).isAfter(Instant.now()))) {
            return current;
        }
        Future<Listing> fresh = gateway.call("list carrier accounts", Repeat.SAFE, c -> c.carrierAccount.all())
                .map(all -> {
                    List<Account> accounts = all.stream().map(a -> new Account(a.getId(), a.getReadable(), a.getType(),
                            a.getDescription(), a.getBillingType())).toList();
                    Set<String> carriers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                    accounts.stream().map(Account::carrier).filter(c -> c != null && !c.isBlank()).forEach(carriers::add);
                    return new Listing(accounts, carriers, Instant.now());
                });
        cached.set(fresh);
        fresh.onFailure(e -> cached.compareAndSet(fresh, null));
        return fresh;
    }

    /**
     * Succeeds when {@code requested} is null or empty or every carrier in it is connected (names compared
     * ignoring case); otherwise a 422 {@link ProblemType#CARRIER_NOT_CONNECTED} naming {@code field} and
     * listing the connected carriers in {@code connected_carriers}.
     */
    public Future<Void> requireConnected(String field, Collection<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return Future.succeededFuture();
        }
        return list(false).compose(listing -> {
            List<String> missing = requested.stream().filter(c -> !listing.carriers().contains(c)).toList();
            if (missing.isEmpty()) {
                return Future.succeededFuture();
            }
            String connected = String.join(", ", listing.carriers());
            String reason = (missing.size() == 1 ? "names a carrier" : "names carriers") + " not connected to this EasyPost account: "
                    + String.join(", ", missing) + "; the connected carriers are " + connected;
            return Future.failedFuture(new Problem(ProblemType.CARRIER_NOT_CONNECTED, 422, field + " " + reason,
                    List.of(new Problem.InvalidParam(field, reason)), new io.vertx.core.json.JsonObject())
                    .with("connected_carriers", new JsonArray(List.copyOf(listing.carriers())))
                    .with("not_connected", new JsonArray(missing.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList()))
                    .exception());
        });
    }

    /**
     * Succeeds when {@code services} is null or empty, or every service in it is sold (by {@link ServiceCatalog})
     * by one of {@code carriers} (when given) or of the connected carriers; otherwise a 422 naming {@code field},
     * listing the valid services in {@code valid_services}. A carrier the catalog does not list makes every
     * service acceptable: only EasyPost's rates know what it sells. Runs before anything is created or bought.
     */
    public Future<Void> requireServices(String field, Collection<String> carriers, Collection<String> services) {
        if (services == null || services.isEmpty()) {
            return Future.succeededFuture();
        }
        Future<Collection<String>> among = carriers != null && !carriers.isEmpty() ? Future.succeededFuture(carriers)
                : list(false).map(Listing::carriers);
        return among.compose(names -> {
            Set<String> valid = ServiceCatalog.servicesOf(names);
            if (valid == null) {
                return Future.succeededFuture();
            }
            List<String> unknown = services.stream().filter(s -> !valid.contains(s)).toList();
            if (unknown.isEmpty()) {
                return Future.succeededFuture();
            }
            String reason = (unknown.size() == 1 ? "names a service" : "names services") + " that "
                    + String.join(", ", names) + (names.size() == 1 ? " does" : " do") + " not sell: " + String.join(", ", unknown)
                    + "; the valid services are " + String.join(", ", valid);
            return Future.failedFuture(new Problem(ProblemType.UNKNOWN_SERVICE, 422, field + " " + reason,
                    List.of(new Problem.InvalidParam(field, reason)), new io.vertx.core.json.JsonObject())
                    .with("valid_services", new JsonArray(List.copyOf(valid)))
                    .with("unknown_services", new JsonArray(unknown))
                    .exception());
        });
    }
}
