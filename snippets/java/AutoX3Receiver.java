// AutoX3 callback receiver. Run: CBTOOL_AUTOX3_SECRET=... PORT=8080 java AutoX3Receiver.java
// Java 17+, standard library only (com.sun.net.httpserver). Printed by `cbtool snippet java --vendor autox3`.
//
// Signature: sha1(msgId + msgType + staffInfo + createTime + content + appSecret), hex, where
// staffInfo and content are the EXACT TEXT of those members as they appear in the body.
// Never bind the body to a DTO or JsonNode and write the parts back with Jackson/fastjson:
// that drops the sender's spacing, can reorder keys (fastjson sorts them) and rewrite
// numbers and escapes, and the hash no longer matches.
// Spring: take `@RequestBody String body` (the raw text) and call verify(body, secret) below.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class AutoX3Receiver {
    /** The documented answer: the sender retries until it gets exactly this. */
    static final String NORMAL_RESPONSE = "{\"data\":null,\"errorInfo\":\"\",\"status\":0}";
    static final int MAX_BODY = 1 << 20;

    /** The body is not a usable AutoX3 callback (answered 400). */
    static final class BadMessage extends Exception {
        BadMessage(String message) {
            super(message);
        }
    }

    /** The outcome of a check: valid with the msgId, or not with the reason. */
    record Verdict(boolean valid, String detail) {}

    /**
     * A strict JSON reader over the body text. Java has no JSON parser in its standard
     * library, and a general one would hand back parsed values, not the text they came from.
     */
    static final class Json {
        private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        private final String text;
        private int pos;

        private Json(String text) {
            this.text = text;
        }

        /** Each top-level key of a JSON object, mapped to the exact text of its value. */
        static Map<String, String> topLevelMembers(String text) throws BadMessage {
            Json json = new Json(text);
            Map<String, String> members = new LinkedHashMap<>();
            json.skip();
            json.expect('{');
            json.skip();
            if (!json.accept('}')) {
                do {
                    json.skip();
                    String key = json.string();
                    json.skip();
                    json.expect(':');
                    json.skip();
                    int start = json.pos;
                    json.value(0);
                    // With two msgIds, sender and receiver could each sign another one.
                    if (members.put(key, text.substring(start, json.pos)) != null) {
                        throw new BadMessage("duplicate key \"" + key + "\"");
                    }
                    json.skip();
                } while (json.accept(','));
                json.expect('}');
            }
            json.skip();
            if (json.pos != text.length()) {
                throw json.error("extra data");
            }
            return members;
        }

        /** The decoded value of a JSON string literal (a member's raw text). */
        static String decode(String literal) throws BadMessage {
            return new Json(literal).string();
        }

        private BadMessage error(String what) {
            return new BadMessage("not valid JSON: " + what + " at offset " + pos);
        }

        private void skip() {
            while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private boolean accept(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) throws BadMessage {
            if (!accept(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private void value(int depth) throws BadMessage {
            if (depth > 128 || pos >= text.length()) {
                throw error(depth > 128 ? "nested too deeply" : "unexpected end");
            }
            switch (text.charAt(pos)) {
                case '{' -> container('}', depth, true);
                case '[' -> container(']', depth, false);
                case '"' -> string();
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> {
                    Matcher m = NUMBER.matcher(text).region(pos, text.length());
                    if (!m.lookingAt()) {
                        throw error("expected a value");
                    }
                    pos = m.end();
                }
            }
        }

        private void container(char close, int depth, boolean object) throws BadMessage {
            pos++;
            skip();
            if (accept(close)) {
                return;
            }
            do {
                skip();
                if (object) {
                    string();
                    skip();
                    expect(':');
                    skip();
                }
                value(depth + 1);
                skip();
            } while (accept(','));
            expect(close);
        }

        private void literal(String word) throws BadMessage {
            if (!text.startsWith(word, pos)) {
                throw error("expected a value");
            }
            pos += word.length();
        }

        private String string() throws BadMessage {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                } else if (c < 0x20) {
                    throw error("control character in a string");
                } else if (c != '\\') {
                    out.append(c);
                } else if (pos < text.length()) {
                    char e = text.charAt(pos++);
                    switch (e) {
                        case '"', '\\', '/' -> out.append(e);
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'u' -> {
                            String hex = text.substring(pos, Math.min(pos + 4, text.length()));
                            if (!hex.matches("[0-9a-fA-F]{4}")) {
                                throw error("bad \\u escape");
                            }
                            out.append((char) Integer.parseInt(hex, 16));
                            pos += 4;
                        }
                        default -> throw error("bad escape");
                    }
                }
            }
            throw error("unterminated string");
        }
    }

    static String required(Map<String, String> members, String name) throws BadMessage {
        String raw = members.get(name);
        if (raw == null) {
            throw new BadMessage("missing " + name);
        }
        return raw;
    }

    static String string(Map<String, String> members, String name) throws BadMessage {
        String raw = required(members, name);
        if (!raw.startsWith("\"")) {
            throw new BadMessage(name + " is not a string");
        }
        return Json.decode(raw);
    }

    /** The text AutoX3 hashes, from the members' exact text. */
    static String signedString(Map<String, String> members, String secret) throws BadMessage {
        String createTime = required(members, "createTime");
        if (createTime.startsWith("\"")) {
            createTime = Json.decode(createTime); // sent as a string: its digits are signed
        }
        if (!createTime.matches("[0-9]+")) {
            throw new BadMessage("createTime is not whole milliseconds (digits only)");
        }
        String content = required(members, "content");
        if (content.startsWith("\"")) {
            content = Json.decode(content); // sent as a JSON string: its decoded text is signed
        }
        return string(members, "msgId") + string(members, "msgType")
                + required(members, "staffInfo") // exact text, whatever its type
                + createTime + content + secret;
    }

    /** Checks a raw body; throws BadMessage for a body that is not a callback. */
    static Verdict verify(String body, String secret) throws BadMessage {
        Map<String, String> members = Json.topLevelMembers(body);
        if (!members.containsKey("msgSignature")) {
            return new Verdict(false, "no msgSignature");
        }
        String received = string(members, "msgSignature").strip().toLowerCase(Locale.ROOT);
        String expected = HexFormat.of().formatHex(sha1(signedString(members, secret)));
        // Hex is compared case-insensitively (the vendor prints upper case), and in constant
        // time (MessageDigest.isEqual), so response timing does not reveal how much of a guess matched.
        byte[] got = received.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(got, expected.getBytes(StandardCharsets.UTF_8))) {
            return new Verdict(false, "signature does not match");
        }
        return new Verdict(true, string(members, "msgId"));
    }

    static byte[] sha1(String text) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-1", e);
        }
    }

    /** What one request gets, and the line logged for it. */
    record Answer(int status, String body, String line) {}

    /**
     * Verifies, then de-duplicates by msgId: the sender retries until it gets the normal
     * response, so a duplicate is answered normally and not processed again.
     */
    static Answer handle(byte[] body, String secret, Set<String> seen) {
        Verdict verdict;
        try {
            // Strict UTF-8: invalid bytes are refused, never replaced.
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
            verdict = verify(text, secret);
        } catch (CharacterCodingException e) {
            return new Answer(400, refusal("invalid UTF-8"), "refused (400): invalid UTF-8");
        } catch (BadMessage e) {
            return new Answer(400, refusal(e.getMessage()), "refused (400): " + e.getMessage());
        }
        if (!verdict.valid()) {
            return new Answer(401, refusal(verdict.detail()), "refused (401): " + verdict.detail());
        }
        // In production: a unique key in your database.
        if (!seen.add(verdict.detail())) {
            return new Answer(200, NORMAL_RESPONSE, "duplicate " + verdict.detail());
        }
        // Process the callback here (before answering: the answer tells AutoX3 it was taken).
        return new Answer(200, NORMAL_RESPONSE, "processed " + verdict.detail());
    }

    static String refusal(String reason) {
        return "{\"data\":null,\"errorInfo\":" + quote(reason) + ",\"status\":1}";
    }

    /** A JSON string literal of text. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static void serve(HttpExchange exchange, String secret, Set<String> seen) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
        Answer answer;
        if (!exchange.getRequestMethod().equals("POST")) {
            answer = new Answer(405, refusal("POST a callback"), "refused (405)");
        } else if (body.length > MAX_BODY) {
            answer = new Answer(413, refusal("body too large"), "refused (413)");
        } else {
            answer = handle(body, secret, seen);
        }
        System.out.println(answer.line());
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public static void main(String[] args) throws IOException {
        String secret = System.getenv("CBTOOL_AUTOX3_SECRET");
        if (secret == null || secret.isEmpty()) {
            System.err.println("error: set CBTOOL_AUTOX3_SECRET to the appSecret");
            System.exit(2);
        }
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        HttpServer server = HttpServer.create(address, 0);
        server.createContext("/", exchange -> serve(exchange, secret, seen));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("listening on http://127.0.0.1:" + port);
    }
}
