package dev.shipgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a client may take to send a request: its headers within {@code headerMillis} of its
 * first byte (or of connecting), all of it, body included, within {@code requestMillis}. Past that the
 * client gets a 408 problem and the connection is closed; a connection that sent nothing is just closed.
 * Vert.x 4.5 has only idle timeouts, which a client sending a byte every few seconds never trips, so
 * four hundred such clients held four hundred connections. An idle keep-alive connection is not timed
 * here (the server's idle timeout closes it): the clock starts at a request's first byte.
 * <p>
 * Vert.x has no public hook on the connection's bytes, so this watches its Netty pipeline through
 * {@link ConnectionBase#channel()}: one handler before the HTTP decoder sees bytes arrive and answers
 * leave, one after it sees where each request's headers and end are.
 */
final class RequestDeadline {

    private static final String DECODER = "httpDecoder";

    private final long headerNanos;
    private final long requestNanos;

    RequestDeadline(long headerMillis, long requestMillis) {
        this.headerNanos = TimeUnit.MILLISECONDS.toNanos(headerMillis);
        this.requestNanos = TimeUnit.MILLISECONDS.toNanos(requestMillis);
    }

    void watch(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base) || base.channel().pipeline().get(DECODER) == null) {
            return;
        }
        ChannelPipeline pipeline = base.channel().pipeline();
        Watch watch = new Watch(base.channel());
        pipeline.addBefore(DECODER, "shipgate-request-bytes", watch.bytes);
        pipeline.addAfter(DECODER, "shipgate-request-parts", watch.parts);
        watch.begin(false);
    }

    private enum Phase { IDLE, HEADERS, BODY }

    /** One connection's clock; every method runs on the connection's event loop. */
    private final class Watch {

        private final Channel channel;
        private Phase phase = Phase.IDLE;
        private long started;
        private boolean bytesSeen;
        private boolean answered;
        private ScheduledFuture<?> timer;
        private ChannelHandlerContext bytesContext;

        private final ChannelDuplexHandler bytes = new ChannelDuplexHandler() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                bytesContext = ctx;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf buf && buf.isReadable()) {
                    if (phase == Phase.IDLE) {
                        begin(true);
                    }
                    bytesSeen = true;
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                answered = true;
                ctx.write(msg, promise);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };

        private final ChannelInboundHandlerAdapter parts = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    if (phase == Phase.IDLE) {
                        begin(true);
                    }
                    phase = Phase.BODY;
                    arm(started + requestNanos);
                }
                if (msg instanceof LastHttpContent) {
                    phase = Phase.IDLE;
                    cancel();
                }
                ctx.fireChannelRead(msg);
            }
        };

        Watch(Channel channel) {
            this.channel = channel;
        }

        void begin(boolean withBytes) {
            phase = Phase.HEADERS;
            started = System.nanoTime();
            bytesSeen = withBytes;
            answered = false;
            arm(started + headerNanos);
        }

        private void arm(long deadline) {
            cancel();
            timer = channel.eventLoop().schedule(this::expire, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        private void cancel() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void expire() {
            timer = null;
            if (phase == Phase.IDLE || !channel.isActive()) {
                return;
            }
            if (!bytesSeen || answered) {
                channel.close();
                return;
            }
            String detail = phase == Phase.HEADERS
                    ? "the request headers did not arrive within " + TimeUnit.NANOSECONDS.toSeconds(headerNanos) + " s"
                    : "the request did not arrive in full within " + TimeUnit.NANOSECONDS.toSeconds(requestNanos) + " s";
            byte[] body = Problem.of(ProblemType.REQUEST_TIMEOUT, detail).toJson().toBuffer().getBytes();
            String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: " + Problem.CONTENT_TYPE + "\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n";
            answered = true;
            bytesContext.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}
