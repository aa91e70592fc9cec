package dev.shipgate.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipgate.http.Caller;
import dev.shipgate.http.EventStreams;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.http.Responses;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * MCP over Streamable HTTP at {@code /mcp}, on the event loop. Revisions 2025-03-26 to 2025-11-25: sessions
 * start at initialize with an unguessable id, kept in PostgreSQL so any instance can serve them, and a request's
 * {@code MCP-Protocol-Version} header, when present, must name a revision sessions speak (2025-06-18 and
 * 2025-11-25 "Transports: Protocol Version Header": 400 for an invalid or unsupported one; the session's
 * negotiated revision governs, since clients only SHOULD repeat it, and the official conformance suite sends
 * 2025-03-26 in later sessions); 2025-03-26 sessions may send JSON-RPC batches. Revision 2026-07-28: no session, each request
 * self-contained ({@link ModernRequests}). POST is answered with JSON, or as an SSE stream when a tool call may
 * send notifications while it runs (the client sent a {@code progressToken} or chose a log level, and accepts
 * {@code text/event-stream}); GET (a
 * server-initiated stream) is 405; DELETE ends a session. Same bearer tokens as the API; a session belongs to
 * the token that opened it, and under any other token it does not exist (404). Requests from a browser origin
 * other than this service's own (or one configured) are refused, against DNS rebinding. Nothing a client
 * sends is answered with a 5xx: faults are JSON-RPC errors or tool errors.
 */
public final class McpEndpoint {

    /** What retention deletes for MCP: sessions older than a week (clients open a new one on 404). */
    public static final String EXPIRE_SESSIONS = McpSql.EXPIRE;
    /** Room for the JSON-RPC envelope around the largest bulk job's arguments. */
    public static final int ENVELOPE_BYTES = 64 * 1024;

    static final String SESSION = "Mcp-Session-Id";
    static final String VERSION = "MCP-Protocol-Version";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    private final McpSql sessions;
    private final McpMethods methods;
    private final McpOrigins origins;
    private final int maxBodyBytes;
    private final EventStreams streams;

    /**
     * @param maxBodyBytes the largest message accepted: the bulk API's body limit plus {@link #ENVELOPE_BYTES},
     *                     so a job as large as the bulk limit fits in one {@code start_bulk_job} call
     */
    public McpEndpoint(Vertx vertx, Pool pool, String host, int port, Set<String> allowedOrigins, int maxBodyBytes,
                       EventStreams streams) {
        this.sessions = new McpSql(pool);
        this.methods = new McpMethods(new ApiCall(vertx, host, port), vertx);
        this.origins = new McpOrigins(allowedOrigins);
        this.maxBodyBytes = maxBodyBytes;
        this.streams = streams;
    }

    /** Runs before the token check: a foreign origin is refused whatever it carries. */
    public void mountOriginCheck(Router router) {
        router.route("/mcp").handler(origins::check);
    }

    /** Mounts /mcp with its own body limit ({@code body}, the API's general one, is too small for bulk jobs). */
    public void mount(Router router, BodyHandler body) {
        router.post("/mcp").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(this::post);
        router.get("/mcp").handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.ALLOW, "POST, DELETE");
            Responses.problem(ctx, Problem.of(ProblemType.METHOD_NOT_ALLOWED, "this server sends no stream on GET; POST messages"));
        });
        router.delete("/mcp").handler(this::delete);
    }

    private void post(RoutingContext ctx) {
        String twice = dev.shipgate.http.Json.duplicateMember(ctx.body().buffer());
        if (twice != null) {
            // a member given twice would otherwise be read as its last value (a tool argument on a money path)
            write(ctx, 400, Rpc.error(null, McpSchema.ErrorCodes.PARSE_ERROR, "member " + twice + " is given more than once", null));
            return;
        }
        Object parsed;
        try {
            Buffer body = ctx.body().buffer();
            parsed = body == null ? null : io.vertx.core.json.Json.decodeValue(body);
        } catch (DecodeException e) {
            parsed = null;
        }
        if (parsed instanceof JsonArray batch) {
            batch(ctx, batch);
        } else if (parsed instanceof JsonObject message) {
            single(ctx, message);
        } else {
            // JSON-RPC answers an unparseable message with a null id.
            write(ctx, 400, Rpc.error(null, McpSchema.ErrorCodes.PARSE_ERROR, "not a JSON-RPC message: the body is not a JSON object or array", null));
        }
    }

    private void single(RoutingContext ctx, JsonObject message) {
        Rpc.Failure bad = Rpc.check(message);
        if (bad != null) {
            fail(ctx, message, bad);
            return;
        }
        String headerVersion = ctx.request().getHeader(VERSION);
        if (ModernRequests.claimsModern(message, headerVersion) && ctx.request().getHeader(SESSION) == null) {
            modern(ctx, message);
            return;
        }
        if (Rpc.isRequest(message) && McpSchema.METHOD_INITIALIZE.equals(message.getString("method"))) {
            initialize(ctx, message);
            return;
        }
        if (ctx.request().getHeader(SESSION) == null) {
            // Neither a session nor a 2026-07-28 envelope: a protocol mistake, answered in JSON-RPC's shape
            // like every other one, not as problem JSON a client of this endpoint does not read.
            fail(ctx, message, Rpc.Failure.of(400, McpSchema.ErrorCodes.INVALID_PARAMS, SESSION + " is required after initialize (or, in "
                    + "protocol revision " + McpMethods.MODERN + ", params._meta." + ModernRequests.PROTOCOL_VERSION + ")"));
            return;
        }
        session(ctx).onFailure(ctx::fail).onSuccess(found -> found.ifPresent(session -> {
            if (headerVersion != null && !McpMethods.VERSIONS.contains(headerVersion)) {
                fail(ctx, message, Rpc.Failure.of(400, McpSchema.ErrorCodes.INVALID_REQUEST, VERSION + " " + headerVersion
                        + " is not a revision a session can speak (this session negotiated " + session.version() + "; supported: "
                        + String.join(", ", McpMethods.VERSIONS) + ")"));
            } else if (!Rpc.isRequest(message)) {
                Responses.empty(ctx, 202);
            } else {
                answer(ctx, message, session);
            }
        }));
    }

    /** Revision 2026-07-28: no session; the request carries everything it needs. */
    private void modern(RoutingContext ctx, JsonObject message) {
        Rpc.Failure bad = ModernRequests.check(message, ctx.request().headers());
        if (bad != null) {
            fail(ctx, message, bad);
            return;
        }
        if (!Rpc.isRequest(message)) {
            Responses.empty(ctx, 202);
            return;
        }
        JsonObject meta = ModernRequests.envelope(message);
        JsonObject client = meta.getValue(ModernRequests.CLIENT_INFO) instanceof JsonObject c ? c : new JsonObject();
        ApiCall.Caller caller = ApiCall.Caller.of(ctx.request().getHeader(HttpHeaders.AUTHORIZATION),
                string(client.getValue("name")), string(client.getValue("version")));
        dispatch(ctx, message, McpMethods.MODERN, caller, McpMethods.LogLevel.of(meta.getValue(ModernRequests.LOG_LEVEL)));
    }

    private void answer(RoutingContext ctx, JsonObject message, McpSql.Session session) {
        ApiCall.Caller caller = ApiCall.Caller.of(ctx.request().getHeader(HttpHeaders.AUTHORIZATION), session.clientName(), session.clientVersion());
        if (McpSchema.METHOD_LOGGING_SET_LEVEL.equals(message.getString("method"))) {
            McpMethods.LogLevel level = McpMethods.LogLevel.of(params(message).getValue("level"));
            if (level != null) {
                sessions.setLevel(session.id(), level).onFailure(ctx::fail)
                        .onSuccess(set -> dispatch(ctx, message, session.version(), caller, level));
                return;
            }
        }
        dispatch(ctx, message, session.version(), caller, session.logLevel());
    }

    /** Answers one request as JSON, or as an SSE stream when it will send notifications while it runs. */
    private void dispatch(RoutingContext ctx, JsonObject message, String version, ApiCall.Caller caller, McpMethods.LogLevel level) {
        JsonObject params = params(message);
        Object progressToken = params.getValue("_meta") instanceof JsonObject meta ? meta.getValue("progressToken") : null;
        boolean wantsStream = "tools/call".equals(message.getString("method")) && (progressToken != null || level != null)
                && String.valueOf(ctx.request().getHeader(HttpHeaders.ACCEPT)).contains("text/event-stream");
        EventStreams.Stream stream = wantsStream ? streams.open(ctx) : null;
        McpMethods.Notifier notifier = stream == null ? null
                : (method, p) -> stream.send("message", new JsonObject().put("jsonrpc", "2.0").put("method", method).put("params", p).encode());
        McpMethods.Request request = new McpMethods.Request(version, caller, progressToken, level, notifier);
        respond(message, request).onComplete(ar -> {
            JsonObject response = ar.succeeded() ? ar.result() : Rpc.error(Rpc.id(message), McpSchema.ErrorCodes.INTERNAL_ERROR, "the call failed", null);
            if (stream != null) {
                stream.end("message", response.encode());
            } else {
                write(ctx, 200, response);
            }
        });
    }

    /** The JSON-RPC response to one request (a result or an in-band error); never a failed future for a client's fault. */
    private Future<JsonObject> respond(JsonObject message, McpMethods.Request request) {
        Object id = Rpc.id(message);
        String method = message.getString("method");
        Future<Object> result;
        try {
            result = methods.call(method, params(message).getMap(), request);
        } catch (McpMethods.RpcError e) {
            result = Future.failedFuture(e);
        }
        return result.map(value -> {
            JsonObject encoded = encode(value);
            return Rpc.result(id, request.modern() ? ModernRequests.decorate(method, encoded) : encoded);
        }).recover(failure -> {
            if (failure instanceof McpMethods.RpcError rpc) {
                return Future.succeededFuture(Rpc.error(id, request.modern() ? ModernRequests.code(rpc.code) : rpc.code, rpc.getMessage(), rpc.data));
            }
            return Future.succeededFuture(Rpc.error(id, McpSchema.ErrorCodes.INTERNAL_ERROR, "the call failed", null));
        });
    }

    /** A JSON-RPC batch: allowed by revision 2025-03-26 only (2025-06-18 removed batching); answered as an array. */
    private void batch(RoutingContext ctx, JsonArray batch) {
        if (batch.isEmpty()) {
            write(ctx, 400, Rpc.error(null, McpSchema.ErrorCodes.INVALID_REQUEST, "an empty batch", null));
            return;
        }
        session(ctx).onFailure(ctx::fail).onSuccess(found -> found.ifPresent(session -> {
            if (!ProtocolVersions.MCP_2025_03_26.equals(session.version())) {
                write(ctx, 400, Rpc.error(null, McpSchema.ErrorCodes.INVALID_REQUEST, "JSON-RPC batches are part of protocol revision "
                        + "2025-03-26 only; this session speaks " + session.version() + ": send one message per request", null));
                return;
            }
            ApiCall.Caller caller = ApiCall.Caller.of(ctx.request().getHeader(HttpHeaders.AUTHORIZATION), session.clientName(), session.clientVersion());
            List<Future<JsonObject>> answers = new ArrayList<>();
            for (Object element : batch) {
                if (!(element instanceof JsonObject message)) {
                    answers.add(Future.succeededFuture(Rpc.error(null, McpSchema.ErrorCodes.INVALID_REQUEST, "a batch element is not an object", null)));
                    continue;
                }
                Rpc.Failure bad = Rpc.check(message);
                if (bad != null) {
                    answers.add(Future.succeededFuture(Rpc.error(Rpc.id(message), bad.code(), bad.message(), bad.data())));
                } else if (Rpc.isRequest(message) && McpSchema.METHOD_INITIALIZE.equals(message.getString("method"))) {
                    answers.add(Future.succeededFuture(Rpc.error(Rpc.id(message), McpSchema.ErrorCodes.INVALID_REQUEST,
                            "initialize may not be part of a batch", null)));
                } else if (Rpc.isRequest(message)) {
                    answers.add(respond(message, new McpMethods.Request(session.version(), caller, null, session.logLevel(), null)));
                }
            }
            if (answers.isEmpty()) {
                Responses.empty(ctx, 202);
                return;
            }
            Future.join(answers).onComplete(done -> {
                JsonArray out = new JsonArray();
                answers.forEach(a -> out.add(a.result()));
                Responses.json(ctx, 200, out.toBuffer());
            });
        }));
    }

    /** The caller's session named by the header; answers 400 or 404 itself (and yields empty) when there is none. */
    private Future<Optional<McpSql.Session>> session(RoutingContext ctx) {
        String id = ctx.request().getHeader(SESSION);
        if (id == null) {
            Responses.problem(ctx, Problem.of(ProblemType.BAD_REQUEST, SESSION + " is required after initialize (or, in protocol "
                    + "revision " + McpMethods.MODERN + ", params._meta." + ModernRequests.PROTOCOL_VERSION + ")"));
            return Future.succeededFuture(Optional.empty());
        }
        return sessions.find(id).map(found -> {
            if (found.isEmpty() || !ownedByCaller(ctx, found.get().tokenDigest())) {
                Responses.problem(ctx, Problem.of(ProblemType.NOT_FOUND, "no such MCP session; initialize again"));
                return Optional.empty();
            }
            return found;
        });
    }

    private void initialize(RoutingContext ctx, JsonObject message) {
        McpSchema.InitializeRequest init;
        try {
            if (!(message.getValue("params") instanceof JsonObject params)) {
                throw new IllegalArgumentException("params are missing");
            }
            init = json.convertValue(params.getMap(), McpSchema.InitializeRequest.class);
        } catch (RuntimeException e) {
            write(ctx, 200, Rpc.error(Rpc.id(message), McpSchema.ErrorCodes.INVALID_PARAMS,
                    "initialize needs params with protocolVersion, capabilities and clientInfo", null));
            return;
        }
        String version = McpMethods.negotiate(init == null ? null : init.protocolVersion());
        McpSchema.Implementation client = init == null ? null : init.clientInfo();
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        String session = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        sessions.insert(session, version, Caller.of(ctx).tokenDigest(), client == null ? null : client.name(),
                        client == null ? null : client.version())
                .onFailure(ctx::fail)
                .onSuccess(stored -> {
                    ctx.response().putHeader(SESSION, session);
                    write(ctx, 200, Rpc.result(Rpc.id(message), encode(methods.initialize(version))));
                });
    }

    private void delete(RoutingContext ctx) {
        String session = ctx.request().getHeader(SESSION);
        if (session == null) {
            Responses.problem(ctx, Problem.of(ProblemType.NOT_FOUND, "no such MCP session"));
            return;
        }
        sessions.delete(session, Caller.of(ctx).tokenDigest()).onFailure(ctx::fail).onSuccess(deleted -> {
            if (deleted) {
                Responses.empty(ctx, 204);
            } else {
                Responses.problem(ctx, Problem.of(ProblemType.NOT_FOUND, "no such MCP session"));
            }
        });
    }

    private static boolean ownedByCaller(RoutingContext ctx, Buffer tokenDigest) {
        Caller caller = Caller.of(ctx);
        return caller != null && caller.holds(tokenDigest);
    }

    private static JsonObject params(JsonObject message) {
        return message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    }

    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }

    private void fail(RoutingContext ctx, JsonObject message, Rpc.Failure failure) {
        write(ctx, failure.httpStatus(), Rpc.error(Rpc.id(message), failure.code(), failure.message(), failure.data()));
    }

    /** An SDK result in its wire form (the SDK's mapper knows its records' JSON names). */
    private JsonObject encode(Object value) {
        try {
            return new JsonObject(Buffer.buffer(json.writeValueAsBytes(value)));
        } catch (IOException e) {
            throw new IllegalStateException("an MCP result could not be written as JSON", e);
        }
    }

    private static void write(RoutingContext ctx, int status, JsonObject body) {
        Responses.json(ctx, status, body.toBuffer());
    }
}
