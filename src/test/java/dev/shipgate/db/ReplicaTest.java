package dev.shipgate.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The replica's lag in bytes of WAL")
class ReplicaTest {

    @Test
    @DisplayName("an LSN's text X/Y is the byte position X * 2^32 + Y, both in hexadecimal")
    void lsnPositions() {
        assertThat(Replica.lsn("0/0")).isZero();
        assertThat(Replica.lsn("0/3000060")).isEqualTo(0x3000060L);
        assertThat(Replica.lsn("16/B374D848")).isEqualTo(0x16L * (1L << 32) + 0xB374D848L);
    }

    @Test
    @DisplayName("the lag is the WAL from the standby's replay position up to the primary's, across a 4 GiB boundary too")
    void lagBytes() {
        assertThat(Replica.lagBytes("0/3000160", "0/3000060")).isEqualTo(0x100L);
        assertThat(Replica.lagBytes("1/10", "0/FFFFFFF0")).isEqualTo(0x20L);
    }

    @Test
    @DisplayName("a standby read after the primary moved on is not a negative lag; a missing reading is no figure")
    void noNegativeOrMadeUpLag() {
        assertThat(Replica.lagBytes("0/100", "0/200")).isZero();
        assertThat(Replica.lagBytes(null, "0/200")).isNull();
        assertThat(Replica.lagBytes("0/100", null)).isNull();
    }
}
