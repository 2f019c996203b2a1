package dev.tidemark.internal.sql;

import dev.tidemark.testdb.TestDatabase;
import org.opentest4j.TestAbortedException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A minimal PostgreSQL wire-protocol client that sends a whole script as one simple-query message and counts the
 * CommandComplete messages the server answers with.
 *
 * <p>This is the oracle for the splitter: given a multi-statement query string, the server's own parser splits it
 * into statements and executes each, sending one CommandComplete per statement (empty statements send none). No
 * client-side splitting is involved, unlike psql (which splits with its own lexer) or pgjdbc (which splits the text
 * before sending it).
 */
final class SimpleQueryClient implements AutoCloseable {

    /** What the server did with one query string. */
    record Outcome(int commands, String error) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private SimpleQueryClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    static SimpleQueryClient connect(TestDatabase db) throws IOException {
        SimpleQueryClient client = new SimpleQueryClient(new Socket(db.host(), db.port()));
        client.startup(db.user(), db.password(), db.name());
        return client;
    }

    Outcome execute(String script) throws IOException {
        byte[] sql = script.getBytes(StandardCharsets.UTF_8);
        out.writeByte('Q');
        out.writeInt(4 + sql.length + 1);
        out.write(sql);
        out.writeByte(0);
        out.flush();
        int commands = 0;
        String error = null;
        while (true) {
            char type = (char) in.readUnsignedByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            switch (type) {
                case 'C' -> commands++;
                case 'E' -> error = errorMessage(body);
                case 'Z' -> {
                    return new Outcome(commands, error);
                }
                default -> {
                    // RowDescription, DataRow, EmptyQueryResponse, NoticeResponse, ParameterStatus: not counted
                }
            }
        }
    }

    private void startup(String user, String password, String database) throws IOException {
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        for (String s : new String[] {"user", user, "database", database, "client_encoding", "UTF8"}) {
            params.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            params.write(0);
        }
        params.write(0);
        out.writeInt(8 + params.size());
        out.writeInt(196608);
        params.writeTo(out);
        out.flush();
        while (true) {
            char type = (char) in.readUnsignedByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            if (type == 'E') {
                throw new IOException("Startup failed: " + errorMessage(body));
            }
            if (type == 'Z') {
                return;
            }
            if (type == 'R') {
                int code = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8)
                        | (body[3] & 0xff);
                if (code == 3) {
                    sendPassword(password == null ? "" : password);
                } else if (code == 5) {
                    String inner = md5Hex((password == null ? "" : password) + user);
                    ByteArrayOutputStream salted = new ByteArrayOutputStream();
                    salted.writeBytes(inner.getBytes(StandardCharsets.US_ASCII));
                    salted.write(body, 4, 4);
                    sendPassword("md5" + md5Hex(salted.toByteArray()));
                } else if (code != 0) {
                    throw new TestAbortedException("The server asks for authentication method " + code + " (SCRAM?),"
                            + " which this test's minimal protocol client does not speak; use trust, password or md5"
                            + " for the test server");
                }
            }
        }
    }

    private void sendPassword(String password) throws IOException {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        out.writeByte('p');
        out.writeInt(4 + bytes.length + 1);
        out.write(bytes);
        out.writeByte(0);
        out.flush();
    }

    private static String md5Hex(String s) {
        return md5Hex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String md5Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String errorMessage(byte[] body) {
        StringBuilder message = new StringBuilder();
        int i = 0;
        while (i < body.length && body[i] != 0) {
            char field = (char) body[i++];
            int end = i;
            while (body[end] != 0) {
                end++;
            }
            String value = new String(body, i, end - i, StandardCharsets.UTF_8);
            if (field == 'C' || field == 'M' || field == 'P') {
                message.append(field == 'C' ? "SQLSTATE " : field == 'P' ? " at position " : ": ").append(value);
            }
            i = end + 1;
        }
        return message.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            out.writeByte('X');
            out.writeInt(4);
            out.flush();
        } finally {
            socket.close();
        }
    }
}
