package dev.shipgate;

import dev.shipgate.config.ConfigException;
import dev.shipgate.config.ConfigLoader;
import dev.shipgate.config.ShipgateConfig;
import dev.shipgate.db.Database;
import dev.shipgate.demo.DemoSeeder;
import dev.shipgate.ops.Logging;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar shipgate.jar [serve|migrate|seed-demo|rebuild-rollups|token create]}. Settings come from
 * {@code conf/shipgate.properties} and the environment; a bad one ends the process with exit code 2 and
 * a one-line message naming it.
 */
@Command(name = "shipgate", mixinStandardHelpOptions = true, version = "shipgate 0.1.0",
        description = "Shipping gateway: labels, tracking and shipping analytics through EasyPost.",
        subcommands = {Main.Serve.class, Main.Migrate.class, Main.SeedDemo.class, Main.RebuildRollups.class, Main.Token.class})
public final class Main implements Callable<Integer> {

    static final int CONFIG_ERROR = 2;

    private final Map<String, String> env;

    Main(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        Logging.ownProcess();
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** An argument of a command is wrong; exit code 2 with a message naming the command and the argument. */
    static final class CommandRefused extends RuntimeException {
        final String command;

        CommandRefused(String command, String message) {
            super(message);
            this.command = command;
        }
    }

    /** Runs a command as the CLI would, with the given environment; returns the exit code. */
    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        Main main = new Main(env);
        CommandLine cli = new CommandLine(main, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type.getEnclosingClass() == Main.class && !type.isInterface()) {
                    return type.getDeclaredConstructor(Main.class).newInstance(main);
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        cli.setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (Shutdown.requested()) {
                return 1; // the shutdown hook stopped the start and said so; the JVM exits with the signal's status
            }
            if (e instanceof CommandRefused refusedCommand) {
                // A wrong argument, not a service that failed to start: say what was wrong with the command.
                org.slf4j.LoggerFactory.getLogger(Main.class).atError().addKeyValue("event", "command_refused")
                        .log("{} refused: {}", refusedCommand.command, e.getMessage());
                err.println("shipgate " + refusedCommand.command + ": " + e.getMessage());
                err.flush();
                return CONFIG_ERROR;
            }
            if (e instanceof ConfigException) {
                refuse(e.getMessage(), env, err);
                return CONFIG_ERROR;
            }
            if (e instanceof dev.shipgate.db.DatabaseUnreachable) {
                Logging.configure(ConfigLoader.logFormatOrDefault(env));
                org.slf4j.LoggerFactory.getLogger(Main.class).atError()
                        .addKeyValue("event", "startup_failed")
                        .addKeyValue("exit_code", 1)
                        .log("startup failed: {}", e.getMessage());
                err.println("shipgate: " + e.getMessage());
                err.flush();
                return 1;
            }
            // The plain line is for the person at the terminal: the first line of the message (some tools' messages
            // run to many lines); the log event keeps all of it and the stack trace.
            err.println("shipgate: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            org.slf4j.LoggerFactory.getLogger(Main.class).error("command failed", e);
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * A setting the operator must fix: one log event in the service's log format (JSON lines by default,
     * the same stream as every other log line, so a log collector sees why the service did not start), and
     * one plain line on standard error for the person at the terminal. No stack trace: the message names the
     * setting and what it accepts.
     */
    static void refuse(String reason, Map<String, String> env, PrintWriter err) {
        Logging.configure(ConfigLoader.logFormatOrDefault(env));
        org.slf4j.LoggerFactory.getLogger(Main.class).atError()
                .addKeyValue("event", "startup_refused")
                .addKeyValue("exit_code", CONFIG_ERROR)
                .log("startup refused: {}", reason);
        err.println("shipgate: " + reason);
        err.flush();
    }

    @Override
    public Integer call() throws Exception {
        return new Serve().call();
    }

    ShipgateConfig config() {
        ShipgateConfig config = ConfigLoader.load(env);
        Logging.configure(config.logFormat());
        return config;
    }

    @Command(name = "serve", description = "Start the service (the default).")
    final class Serve implements Callable<Integer> {

        @Override
        public Integer call() throws Exception {
            ShipgateConfig config = config();
            Shutdown shutdown = new Shutdown(config).register();
            ShipgateApp app;
            try {
                app = ShipgateApp.start(config);
            } catch (RuntimeException e) {
                shutdown.failed();
                throw e;
            }
            if (!shutdown.started(app)) {
                app.close();
                shutdown.awaitStopped();
                return 0;
            }
            System.out.print(app.banner());
            System.out.flush();
            shutdown.awaitStopped();
            return 0;
        }
    }

    @Command(name = "migrate", description = "Bring the database schema up to date, then exit.")
    final class Migrate implements Callable<Integer> {

        @Override
        public Integer call() {
            try (Database db = Database.forCommand(config())) {
                System.out.println("schema up to date on " + db.describe());
            }
            return 0;
        }
    }

    /**
     * Rebuilds the daily analytics rollup from the shipments on days of {@code BUSINESS_TIMEZONE}, in one
     * transaction (writers of shipments wait for it, readers see the old rollup until it commits). The
     * service does this by itself when it starts with another zone than the rollup's; this command is for
     * doing it ahead of a restart, or to repair a rollup edited by hand.
     */
    /**
     * {@code rebuild-rollups [--time-zone ZONE]}: rebuilds the daily rollup from the shipments. Without
     * {@code --time-zone} it keeps the zone stored in the database, the one the service was last started with
     * (a repair that can never disagree with a running service; the shell's {@code BUSINESS_TIMEZONE} is not
     * consulted, since a command run from another shell would otherwise re-bucket a running service's days
     * under its feet). {@code --time-zone} moves the rollup to another zone: for a stopped service, which must
     * then start with the same {@code BUSINESS_TIMEZONE} (a service started with another zone rebuilds again).
     */
    @Command(name = "rebuild-rollups", description = "Rebuild the daily analytics rollup on the days of the zone it is "
            + "built with (the service's BUSINESS_TIMEZONE at its last start), or of --time-zone, then exit.")
    final class RebuildRollups implements Callable<Integer> {

        @Option(names = "--time-zone", description = "An IANA zone such as America/Los_Angeles: move the rollup to its "
                + "days (stop the service first and start it with the same BUSINESS_TIMEZONE).")
        String timeZone;

        @Override
        public Integer call() {
            ShipgateConfig config = config();
            java.time.ZoneId zone = null;
            if (timeZone != null) {
                try {
                    zone = java.time.ZoneId.of(timeZone);
                } catch (java.time.DateTimeException e) {
                    throw new CommandRefused("rebuild-rollups", "--time-zone: not an IANA time zone name: " + timeZone);
                }
                if (!zone.getId().contains("/") && !zone.getId().equals("UTC")) {
                    throw new CommandRefused("rebuild-rollups", "--time-zone: give an IANA name such as America/Los_Angeles, "
                            + "not an abbreviation or offset: " + timeZone);
                }
            }
            try (Database db = Database.forCommand(config)) {
                java.time.ZoneId target = zone != null ? zone : java.time.ZoneId.of(dev.shipgate.analytics.Rollups.storedZone(db.url()));
                System.out.println(dev.shipgate.analytics.Rollups.rebuild(db.url(), target));
            }
            return 0;
        }
    }

    @Command(name = "token", description = "Manage API tokens.", subcommands = Token.Create.class)
    final class Token implements Callable<Integer> {

        @Override
        public Integer call() {
            new CommandLine(this).usage(System.err);
            return CONFIG_ERROR;
        }

        @Command(name = "create", description = "Create an API token and print it once.")
        static final class Create implements Callable<Integer> {

            @CommandLine.ParentCommand
            private Token parent;

            @Option(names = "--name", required = true, description = "Who or what the token is for.")
            String name;

            @Option(names = "--scopes", required = true, split = ",",
                    description = "What it may do: read, ship, buy, admin (required, as on POST /tokens: least privilege).")
            java.util.List<String> scopes;

            @Option(names = "--max-label-cost", description = "No label above this many USD (e.g. 25.00).")
            java.math.BigDecimal maxLabelCost;

            @Option(names = "--daily-spend", description = "At most this many USD of labels per UTC day.")
            java.math.BigDecimal dailySpend;

            @Option(names = "--approval-above", description = "Labels above this many USD wait for an admin's approval.")
            java.math.BigDecimal approvalAbove;

            @Override
            public Integer call() {
                var parsed = dev.shipgate.auth.Tokens.parseScopes(scopes)
                        .orElseThrow(() -> new CommandRefused("token create", "--scopes: each must be one of read, ship, buy, admin"));
                var spec = new dev.shipgate.auth.Tokens.Spec(name.trim(), parsed,
                        new dev.shipgate.auth.Limits(maxLabelCost, dailySpend, approvalAbove));
                var problems = spec.problems();
                if (!problems.isEmpty()) {
                    throw new CommandRefused("token create", "--" + problems.get(0)[0].replace('_', '-') + " " + problems.get(0)[1]);
                }
                try (Database db = Database.forCommand(parent.outer().config())) {
                    System.out.println(dev.shipgate.auth.Tokens.create(db.url(), spec));
                }
                return 0;
            }
        }

        Main outer() {
            return Main.this;
        }
    }

    @Command(name = "seed-demo", description = "Fill the database with realistic, deterministic demo shipments. "
            + "Appends to what is there: --shipments N adds N, --up-to N adds what is missing up to N in all (a run "
            + "stopped midway keeps the chunks it committed, and --up-to finishes it).")
    final class SeedDemo implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--shipments", description = "How many shipments to add (10000 when neither option is given).")
        Integer shipments;

        @Option(names = "--up-to", description = "Add shipments until the database holds this many in all.")
        Integer upTo;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            if (shipments != null && upTo != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give --shipments (how many to add) or --up-to"
                        + " (how many in all), not both");
            }
            Integer asked = upTo != null ? upTo : shipments;
            if (asked != null && (asked < 1 || asked > 20_000_000)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        (upTo != null ? "--up-to" : "--shipments") + " must be from 1 to 20000000, not " + asked);
            }
            try (Database db = Database.forCommand(config())) {
                PrintWriter out = spec.commandLine().getOut();
                DemoSeeder seeder = new DemoSeeder(db.url(), seed, line -> {
                    out.println(line);
                    out.flush();
                });
                DemoSeeder.Result result = upTo != null ? seeder.seedUpTo(upTo) : seeder.seed(shipments == null ? 10_000 : shipments);
                out.println(result);
                out.flush();
            }
            return 0;
        }
    }
}
