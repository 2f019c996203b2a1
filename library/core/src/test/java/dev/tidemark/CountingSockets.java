package dev.tidemark;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.SocketFactory;

/**
 * A pgjdbc {@code socketFactory} that records, per connection, its startup parameters and every SQL text it sends
 * (Parse and Query messages of the wire protocol), so that a test can count connections and statements of code that
 * opens its own connections from a URL. Use with {@code sslmode=disable}: the parser reads the plain protocol.
 */
public final class CountingSockets extends SocketFactory {

    /** One connection: its startup parameters (database, search_path, ...) and the SQL it sent, in order. */
    public record Recorded(Map<String, String> startup, List<String> sql) {
    }

    private static final List<Recorded> CONNECTIONS = Collections.synchronizedList(new ArrayList<>());

    /** The connections opened to {@code database} so far, in the order they sent their startup packet. */
    public static List<Recorded> to(String database) {
        synchronized (CONNECTIONS) {
            return CONNECTIONS.stream().filter(c -> database.equals(c.startup().get("database"))).toList();
        }
    }

    /** Forgets the connections to {@code database}. */
    public static void clear(String database) {
        synchronized (CONNECTIONS) {
            CONNECTIONS.removeIf(c -> database.equals(c.startup().get("database")));
        }
    }

    @Override
    public Socket createSocket() {
        return new CountingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host.getHostAddress(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return createSocket(address, port);
    }

    private static final class CountingSocket extends Socket {
        private OutputStream out;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new Parser(super.getOutputStream());
            }
            return out;
        }
    }

    /** Splits the frontend byte stream into messages: untyped ones until the startup packet, typed ones after. */
    private static final class Parser extends FilterOutputStream {
        private final List<String> sql = Collections.synchronizedList(new ArrayList<>());
        private boolean started;
        private int type = -1;
        private final byte[] length = new byte[4];
        private int lengthRead;
        private int remaining = -1;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Parser(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            parse((byte) b);
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            for (int i = offset; i < offset + count; i++) {
                parse(bytes[i]);
            }
            out.write(bytes, offset, count);
        }

        private void parse(byte b) {
            if (started && type < 0) {
                type = b & 0xff;
                return;
            }
            if (remaining < 0) {
                length[lengthRead++] = b;
                if (lengthRead == 4) {
                    remaining = ((length[0] & 0xff) << 24 | (length[1] & 0xff) << 16 | (length[2] & 0xff) << 8
                            | (length[3] & 0xff)) - 4;
                    lengthRead = 0;
                    if (remaining == 0) {
                        message();
                    }
                }
                return;
            }
            body.write(b);
            if (--remaining == 0) {
                message();
            }
        }

        private void message() {
            byte[] bytes = body.toByteArray();
            body.reset();
            remaining = -1;
            if (!started) {
                int code = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
                if (code == 196608) { // protocol 3.0: the startup packet; SSL and GSS requests come before it
                    started = true;
                    CONNECTIONS.add(new Recorded(startup(bytes), sql));
                }
                return;
            }
            if (type == 'P') {
                sql.add(strings(bytes, 0).get(1));
            } else if (type == 'Q') {
                sql.add(strings(bytes, 0).get(0));
            }
            type = -1;
        }

        private static Map<String, String> startup(byte[] bytes) {
            List<String> parts = strings(bytes, 4);
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i + 1 < parts.size(); i += 2) {
                params.put(parts.get(i), parts.get(i + 1));
            }
            return params;
        }

        private static List<String> strings(byte[] bytes, int from) {
            List<String> parts = new ArrayList<>();
            int start = from;
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    parts.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return parts;
        }
    }
}
