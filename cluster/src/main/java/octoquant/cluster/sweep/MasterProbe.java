package octoquant.cluster.sweep;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a standalone master ({@code spark://host:port[,host:port…]}) accepts connections before the driver
 * starts: Spark itself would retry registering for a minute and then leave the job waiting. Other masters
 * (yarn, k8s://…, local) are not probed.
 */
final class MasterProbe {
    private MasterProbe() {}

    /** Returns normally when one of the masters accepted a TCP connection within {@code timeoutMillis}. */
    static void check(String master, int timeoutMillis) {
        if (master == null || !master.startsWith("spark://")) return;
        List<String> problems = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
            int port;
            try {
                port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : 7077;
            } catch (NumberFormatException e) {
                throw new SweepException(ExitCode.USAGE, "--master " + master + ": '" + hostPort.substring(colon + 1)
                        + "' is not a port number");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), timeoutMillis);
                return;
            } catch (IOException e) {
                problems.add(host + ":" + port + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
        throw new SweepException(ExitCode.MASTER, "cannot reach the Spark master " + master + ": "
                + String.join(", ", problems) + "; start it (sbin/start-master.sh) or check --master");
    }
}
