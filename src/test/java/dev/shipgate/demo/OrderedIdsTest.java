package dev.shipgate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("seed-demo's time-ordered ids")
class OrderedIdsTest {

    /** PostgreSQL orders uuid values by their bytes, unsigned: the order their indexes keep. */
    static int compareAsPostgres(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    @Test
    @DisplayName("are version 7 of RFC 9562, carry the seeding hour, and each is greater than the one before, across the counter's 30-bit carry")
    void increasing() {
        long hour = 1_764_547_200_000L;
        DemoSeeder.OrderedIds ids = new DemoSeeder.OrderedIds(hour, (1L << 30) - 5, new Random(7));
        List<UUID> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.next());
        }
        for (int i = 1; i < made.size(); i++) {
            assertThat(compareAsPostgres(made.get(i - 1), made.get(i))).as("id %d after id %d", i, i - 1).isNegative();
        }
        assertThat(made).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(id.getMostSignificantBits() >>> 16).as("Unix milliseconds").isEqualTo(hour);
        });
    }

    @Test
    @DisplayName("a later run (a later hour, or more rows already there in the same hour) starts above the earlier run's ids")
    void laterRunsStartAbove() {
        long hour = 1_764_547_200_000L;
        DemoSeeder.OrderedIds first = new DemoSeeder.OrderedIds(hour, 0, new Random(1));
        UUID last = null;
        for (int i = 0; i < 8 * 1_000; i++) {
            last = first.next();
        }
        UUID sameHour = new DemoSeeder.OrderedIds(hour, 1_000 * 8L, new Random(1)).next();
        UUID nextHour = new DemoSeeder.OrderedIds(hour + 3_600_000, 0, new Random(1)).next();
        assertThat(compareAsPostgres(last, sameHour)).isNegative();
        assertThat(compareAsPostgres(last, nextHour)).isNegative();
    }

    @Test
    @DisplayName("EasyPost ids made from them look like EasyPost's own: a prefix and 32 lowercase hex digits")
    void easypostIds() {
        UUID id = new DemoSeeder.OrderedIds(1_764_547_200_000L, 0, new Random(3)).next();
        assertThat(DemoSeeder.OrderedIds.easypostId("shp_", id)).matches("shp_[0-9a-f]{32}");
    }
}
