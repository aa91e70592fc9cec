package dev.shipgate.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipgate.http.Caller;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.http.Responses;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * MCP over Streamable HTTP at {@code /mcp}, on the event loop: POST carries one JSON-RPC message and is
 * answered with JSON; GET (server-initiated stream) is 405; DELETE ends the session. Sessions start at
 * initialize with an unguessable id, kept in PostgreSQL so any instance can serve it. Same bearer tokens as the API;
 * a session belongs to the token that opened it (its digest is stored with it), and under any other token
 * it does not exist (404), so a leaked session id is worth nothing without its token. Requests from a
 * browser origin other than this service's own (or one configured) are refused, against DNS rebinding.
 */
public final class McpEndpoint {

    /** What retention deletes for MCP: sessions older than a week (clients open a new one on 404). */
    public static final String EXPIRE_SESSIONS = "DELETE FROM mcp_sessions WHERE created_at < now() - interval '7 days'";


    static final String SESSION = "Mcp-Session-Id";
    static final String VERSION = "MCP-Protocol-Version";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    private final Pool pool;
    private final McpMethods methods;
    private final Set<String> allowedOrigins;

    public McpEndpoint(Vertx vertx, Pool pool, String host, int port, Set<String> allowedOrigins) {
        this.pool = pool;
        this.methods = new McpMethods(new ApiCall(vertx, host, port));
        this.allowedOrigins = allowedOrigins;
    }

    /** Runs before the token check: a foreign origin is refused whatever it carries. */
    public void mountOriginCheck(Router router) {
        router.route("/mcp").handler(this::checkOrigin);
    }

    public void mount(Router router, BodyHandler body) {
        router.post("/mcp").handler(body).handler(this::post);
        router.get("/mcp").handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.ALLOW, "POST, DELETE");
            Responses.problem(ctx, Problem.of(ProblemType.METHOD_NOT_ALLOWED, "this server sends no stream on GET; POST messages"));
        });
        router.delete("/mcp").handler(this::delete);
    }

    private void checkOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || allowedOrigins.contains(origin) || loopback(origin)
                || sameHost(origin, ctx.request().getHeader(HttpHeaders.HOST))) {
            ctx.next();
            return;
        }
        Responses.problem(ctx, Problem.of(ProblemType.FORBIDDEN, "origin " + origin + " may not use this MCP endpoint"));
    }

    /** A page on this machine itself; a rebinding attack shows its own (non-loopback) origin instead. */
    private static boolean loopback(String origin) {
        try {
            String host = URI.create(origin).getHost();
            return "localhost".equalsIgnoreCase(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host != null && host.equalsIgnoreCase(authority);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void post(RoutingContext ctx) {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, ctx.body().asString());
        } catch (IOException | RuntimeException e) {
            // JSON-RPC answers an unparseable message with a null id, which the SDK's model does not allow.
            ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new io.vertx.core.json.JsonObject().put("jsonrpc", "2.0").putNull("id")
                            .put("error", new io.vertx.core.json.JsonObject().put("code", McpSchema.ErrorCodes.PARSE_ERROR)
                                    .put("message", "not a JSON-RPC message")).toBuffer());
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest request && McpSchema.METHOD_INITIALIZE.equals(request.method())) {
            initialize(ctx, request);
            return;
        }
        String session = ctx.request().getHeader(SESSION);
        if (session == null) {
            Responses.problem(ctx, Problem.of(ProblemType.BAD_REQUEST, SESSION + " is required after initialize"));
            return;
        }
        String requested = ctx.request().getHeader(VERSION);
        if (requested != null && !McpMethods.VERSIONS.contains(requested)) {
            Responses.problem(ctx, Problem.of(ProblemType.BAD_REQUEST, "unsupported " + VERSION + ": " + requested));
            return;
        }
        pool.preparedQuery("SELECT token_digest FROM mcp_sessions WHERE id = $1").execute(Tuple.of(session)).onFailure(ctx::fail)
                .onSuccess(found -> {
                    if (found.size() == 0 || !ownedByCaller(ctx, found.iterator().next().getBuffer(0))) {
                        Responses.problem(ctx, Problem.of(ProblemType.NOT_FOUND, "no such MCP session; initialize again"));
                    } else if (!(message instanceof McpSchema.JSONRPCRequest request)) {
                        ctx.response().setStatusCode(202).end();
                    } else {
                        answer(ctx, request);
                    }
                });
    }

    private void answer(RoutingContext ctx, McpSchema.JSONRPCRequest request) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        Future<Object> result;
        try {
            result = methods.call(request.method(), request.params(), authorization);
        } catch (McpMethods.RpcError e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> reply(ctx, 200, ar.succeeded()
                ? new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), ar.result(), null)
                : new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), null, error(ar.cause()))));
    }

    private void initialize(RoutingContext ctx, McpSchema.JSONRPCRequest request) {
        McpSchema.InitializeRequest init;
        try {
            init = json.convertValue(request.params(), McpSchema.InitializeRequest.class);
        } catch (RuntimeException e) {
            reply(ctx, 200, new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), null,
                    new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS, "bad initialize params", null)));
            return;
        }
        String version = McpMethods.negotiate(init == null ? null : init.protocolVersion());
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        String session = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        pool.preparedQuery("INSERT INTO mcp_sessions (id, protocol_version, token_digest) VALUES ($1, $2, $3)")
                .execute(Tuple.of(session, version, Caller.of(ctx).tokenDigest()))
                .onFailure(ctx::fail)
                .onSuccess(stored -> {
                    ctx.response().putHeader(SESSION, session);
                    reply(ctx, 200, new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(),
                            methods.initialize(version), null));
                });
    }

    private void delete(RoutingContext ctx) {
        String session = ctx.request().getHeader(SESSION);
        if (session == null) {
            Responses.problem(ctx, Problem.of(ProblemType.NOT_FOUND, "no such MCP session"));
            return;
        }
        pool.preparedQuery("DELETE FROM mcp_sessions WHERE id = $1 AND token_digest = $2")
                .execute(Tuple.of(session, Caller.of(ctx).tokenDigest())).onFailure(ctx::fail)
                .onSuccess(deleted -> {
                    if (deleted.rowCount() == 0) {
                        Responses.problem(ctx, Problem.of(ProblemType.NOT_FOUND, "no such MCP session"));
                    } else {
                        ctx.response().setStatusCode(204).end();
                    }
                });
    }

    private static boolean ownedByCaller(RoutingContext ctx, Buffer tokenDigest) {
        Caller caller = Caller.of(ctx);
        return caller != null && caller.holds(tokenDigest);
    }

    private static McpSchema.JSONRPCResponse.JSONRPCError error(Throwable failure) {
        if (failure instanceof McpMethods.RpcError rpc) {
            return new McpSchema.JSONRPCResponse.JSONRPCError(rpc.code, rpc.getMessage(), null);
        }
        return new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR, "the call failed", null);
    }

    private void reply(RoutingContext ctx, int status, McpSchema.JSONRPCResponse response) {
        try {
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(Buffer.buffer(json.writeValueAsBytes(response)));
        } catch (IOException e) {
            ctx.fail(e);
        }
    }
}
