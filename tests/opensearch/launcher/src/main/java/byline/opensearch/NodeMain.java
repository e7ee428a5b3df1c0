package byline.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.join.ParentJoinPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node of byline's test cluster, in its own JVM: loopback only, HTTP and
 * transport over Netty4, analysis-common for the whitespace tokenizer byline's analysis is
 * carried by. Usage: NodeMain HOME NUMBER COUNT (node NUMBER of COUNT: HTTP 9200+NUMBER,
 * transport 9300+NUMBER). Runs until killed; SIGTERM closes the node cleanly.
 */
public final class NodeMain {
    private NodeMain() {}

    /** A node with plugins from the classpath (Node's own constructor for that is protected). */
    static final class EmbeddedNode extends Node {
        EmbeddedNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: NodeMain HOME NUMBER COUNT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int number = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        String name = "node-" + number;
        Path dir = home.resolve(name);
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("config"));
        List<String> seeds = new ArrayList<>();
        List<String> managers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            seeds.add("127.0.0.1:" + (9300 + i));
            managers.add("node-" + i);
        }
        Settings settings = Settings.builder()
            .put("cluster.name", "byline-test")
            .put("node.name", name)
            .put("path.home", dir.toString())
            .put("path.data", dir.resolve("data").toString())
            .put("path.logs", dir.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", 9200 + number)
            .put("transport.port", 9300 + number)
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            .putList("discovery.seed_hosts", seeds)
            .putList("cluster.initial_cluster_manager_nodes", managers)
            // A small test machine: nothing refused for a full disk, no memory lock.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("bootstrap.memory_lock", false)
            .build();
        List<Class<? extends Plugin>> plugins = List.of(
            Netty4Plugin.class, CommonAnalysisPlugin.class, ParentJoinPlugin.class);
        Environment environment =
            InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> name);
        Node node = new EmbeddedNode(environment, plugins);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println(name + ": closing: " + e);
            }
            closed.countDown();
        }));
        node.start();
        System.out.println(name + " started: http://127.0.0.1:" + (9200 + number) + "/");
        System.out.flush();
        closed.await();
    }
}
