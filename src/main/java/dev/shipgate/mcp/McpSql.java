package dev.shipgate.mcp;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * The MCP sessions table: sessions live in PostgreSQL so any instance serves any session (revisions up to
 * 2025-11-25; 2026-07-28 has none). A session belongs to the token that opened it (its digest).
 */
final class McpSql {

    /** What retention deletes for MCP: sessions older than a week (clients open a new one on 404). */
    static final String EXPIRE = "DELETE FROM mcp_sessions WHERE created_at < now() - interval '7 days'";

    private static final String INSERT = """
            INSERT INTO mcp_sessions (id, protocol_version, token_digest, client_name, client_version)
            VALUES ($1, $2, $3, $4, $5)""";
    private static final String FIND = """
            SELECT protocol_version, token_digest, client_name, client_version, log_level
            FROM mcp_sessions WHERE id = $1""";
    private static final String SET_LEVEL = "UPDATE mcp_sessions SET log_level = $2 WHERE id = $1";
    private static final String DELETE = "DELETE FROM mcp_sessions WHERE id = $1 AND token_digest = $2";

    /** One stored session; {@code logLevel} is null until the client sets one. */
    record Session(String id, String version, Buffer tokenDigest, String clientName, String clientVersion,
                   McpMethods.LogLevel logLevel) {

        static Session of(String id, Row row) {
            return new Session(id, row.getString("protocol_version"), row.getBuffer("token_digest"), row.getString("client_name"),
                    row.getString("client_version"), McpMethods.LogLevel.of(row.getString("log_level")));
        }
    }

    private final Pool pool;

    McpSql(Pool pool) {
        this.pool = pool;
    }

    Future<Void> insert(String id, String version, Buffer tokenDigest, String clientName, String clientVersion) {
        return pool.preparedQuery(INSERT).execute(Tuple.of(id, version, tokenDigest, clientName, clientVersion)).mapEmpty();
    }

    Future<Optional<Session>> find(String id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Session.of(id, rows.iterator().next())));
    }

    Future<Void> setLevel(String id, McpMethods.LogLevel level) {
        return pool.preparedQuery(SET_LEVEL).execute(Tuple.of(id, level.wire())).mapEmpty();
    }

    /** True when the session existed and belonged to the token with this digest. */
    Future<Boolean> delete(String id, Buffer tokenDigest) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(id, tokenDigest)).map(deleted -> deleted.rowCount() > 0);
    }
}
