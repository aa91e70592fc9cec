package dev.shipgate.db;

/** What {@link Replica} asks the standby and the primary about replication (PostgreSQL's WAL functions). */
final class ReplicaSql {

    /**
     * On the standby: whether it is one, how far it has received and replayed the primary's WAL, and how
     * old the last replayed transaction is. The lag is 0 while everything received is replayed: a quiet
     * primary sends no transactions, and the age of the last one would read as a growing lag. A standby that
     * has just restarted reports a receive position behind its replay position (its WAL receiver starts again
     * at the beginning of a segment) until the primary next writes: that is caught up too, not lag. Replay
     * pausing ({@code pg_wal_replay_pause()}) is only asked of a server in recovery, where it is defined.
     */
    static final String STANDBY = """
            SELECT pg_is_in_recovery() AS in_recovery,
                   CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END AS replay_paused,
                   pg_last_wal_receive_lsn()::text AS receive_lsn,
                   pg_last_wal_replay_lsn()::text AS replay_lsn,
                   pg_last_xact_replay_timestamp() AS replayed_at,
                   CASE WHEN NOT pg_is_in_recovery()
                             OR pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
                             OR pg_last_wal_receive_lsn() < pg_last_wal_replay_lsn() THEN 0
                        ELSE greatest(0, extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()))
                   END::float8 AS lag_seconds""";

    /** On the primary: how far it has written WAL, for the standby's lag in bytes. */
    static final String PRIMARY_LSN = "SELECT pg_current_wal_lsn()::text AS lsn";

    private ReplicaSql() {
    }
}
