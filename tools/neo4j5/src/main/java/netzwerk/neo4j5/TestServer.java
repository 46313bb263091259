package netzwerk.neo4j5;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import picocli.CommandLine;

/**
 * A throw-away Neo4j 5 Community DBMS (embedded) with Bolt on 127.0.0.1, for tests and CI.
 *
 * <p>Usage: {@code TestServer <home-dir> <bolt-port> [--watch-stdin]}. The password of user
 * {@code neo4j} comes from the environment variable {@code NEO4J_TESTSERVER_PASSWORD} (at
 * least 8 characters; empty or unset = authentication off). Prints
 * {@code NEO4J5_BEREIT bolt://127.0.0.1:<port>} on stdout once Bolt accepts connections.
 * Stops cleanly on SIGTERM/SIGINT and, with {@code --watch-stdin}, when stdin is closed.
 */
public final class TestServer {
    /** The line a launcher waits for (followed by a space and the Bolt URI). */
    public static final String READY = "NEO4J5_BEREIT";

    private TestServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("Aufruf: TestServer <home-verzeichnis> <bolt-port> [--watch-stdin]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        boolean watchStdin = args.length > 2 && "--watch-stdin".equals(args[2]);
        String password = System.getenv().getOrDefault("NEO4J_TESTSERVER_PASSWORD", "");
        boolean auth = !password.isEmpty();

        long started = System.nanoTime();
        boolean fresh = !Files.exists(home.resolve("data/databases/system"));
        if (auth && fresh) {
            // What "neo4j-admin dbms set-initial-password" does: data/dbms/auth.ini, read when the
            // system database is created. Cheaper than ALTER USER (no Cypher warm-up before ready).
            int rc = new CommandLine(new SetInitialPasswordCommand(new ExecutionContext(home, home.resolve("conf"))))
                    .execute(password);
            if (rc != 0) {
                System.err.println("Initiales Passwort konnte nicht gesetzt werden (Code " + rc + ")");
                System.exit(1);
            }
        }
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(64))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                // a test server: stop in about a second instead of Netty's graceful 15 s
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Neo4j wird beendet …");
            System.out.flush();
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j5-shutdown"));

        if (auth && !fresh) {
            // A home started before: auth.ini is no longer read, so set the password in the system
            // database (costs a few seconds of Cypher warm-up before the ready line).
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        }

        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println(READY + " bolt://127.0.0.1:" + port + " (Neo4j " + neo4jVersion() + ", "
                + (auth ? "Anmeldung als neo4j" : "ohne Anmeldung") + ", " + millis + " ms)");
        System.out.flush();

        if (watchStdin) {
            Thread watcher = new Thread(() -> {
                drain(System.in);
                System.exit(0); // runs the shutdown hook
            }, "neo4j5-stdin");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }

    private static String neo4jVersion() {
        String v = DatabaseManagementService.class.getPackage().getImplementationVersion();
        return v == null ? "5" : v;
    }

    private static void drain(InputStream in) {
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // ignore input; end of stream means the launcher is gone
            }
        } catch (IOException ignored) {
            // treat like end of stream
        }
    }
}
