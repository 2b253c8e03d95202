// Dayu (大鱼) callback receiver. Run: CBTOOL_DAYU_PUBLIC_KEY=public.pem PORT=8080 java DayuReceiver.java
// Java 17+, standard library only (com.sun.net.httpserver). Printed by `cbtool snippet java --vendor dayu`.
//
// Signature: SHA1withRSA (RSASSA-PKCS1-v1_5) over `orderId=<orderId>&serviceProgessTimeNum=<n>`,
// standard base64 in the `Dayu-Sign` header. `Progess` is the vendor's spelling: signing
// "serviceProgressTimeNum" gives a signature that never verifies.
// The key file: PEM "PUBLIC KEY" (SubjectPublicKeyInfo) or Java's bare base64 X.509 form
// (what X509EncodedKeySpec takes), one line or wrapped.
// The two numbers are taken as the text they were sent as, as Java's string concatenation
// of a long writes them; a JSON library's double would accept 5577.0 as 5577.
// Spring: take `@RequestBody String body` and `@RequestHeader("Dayu-Sign") String sign`,
// and call verify(key, body, sign) below.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class DayuReceiver {
    static final int MAX_BODY = 1 << 20;
    static final Pattern PEM = Pattern.compile("-----BEGIN PUBLIC KEY-----([^-]*)-----END PUBLIC KEY-----");

    /** The body is not a usable Dayu callback (answered 400). */
    static final class BadMessage extends Exception {
        BadMessage(String message) {
            super(message);
        }
    }

    /** The outcome of a check: valid with "orderId/serviceProgessTimeNum", or not with the reason. */
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
                    // With two orderIds, sender and receiver could each sign another one.
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

    /** An integer member as Java's string concatenation writes it: its decimal digits. */
    static String integerText(Map<String, String> members, String name) throws BadMessage {
        String raw = members.get(name);
        if (raw == null) {
            throw new BadMessage("missing " + name);
        }
        String text = raw.startsWith("\"") ? Json.decode(raw) : raw;
        if (!text.matches("-?[0-9]+")) {
            throw new BadMessage(name + " is not an integer");
        }
        return text;
    }

    /** {orderId, serviceProgessTimeNum} as text: what is signed, and the de-duplication key. */
    static String[] messageId(String body) throws BadMessage {
        Map<String, String> top = Json.topLevelMembers(body);
        String record = top.getOrDefault("orderRecord", "");
        if (!record.startsWith("{")) {
            throw new BadMessage("orderRecord is missing or not an object");
        }
        String progress = integerText(Json.topLevelMembers(record), "serviceProgessTimeNum");
        return new String[] {integerText(top, "orderId"), progress};
    }

    /** A public key from a PEM PUBLIC KEY or Java's base64 X509EncodedKeySpec, wrapped or not. */
    static PublicKey loadPublicKey(String text) throws GeneralSecurityException {
        Matcher pem = PEM.matcher(text);
        if (pem.find()) {
            text = pem.group(1);
        } else if (text.contains("-----")) {
            throw new GeneralSecurityException("expected a PEM PUBLIC KEY or bare base64 (X509EncodedKeySpec)");
        }
        try {
            byte[] der = Base64.getDecoder().decode(text.replaceAll("\\s+", ""));
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the key is not base64", e);
        }
    }

    /** Checks a raw body and its Dayu-Sign header; throws BadMessage for a body that is not a callback. */
    static Verdict verify(PublicKey key, String body, String signature) throws BadMessage {
        String[] id = messageId(body);
        if (signature == null || signature.isEmpty()) {
            return new Verdict(false, "no Dayu-Sign header");
        }
        // Java encoders wrap base64 at 76 columns: whitespace and line breaks are not data.
        String cleaned = signature.replaceAll("\\s+", "");
        if (cleaned.length() % 4 != 0 || !cleaned.matches("[A-Za-z0-9+/]*={0,2}")) {
            return new Verdict(false, "Dayu-Sign is not standard base64");
        }
        String signed = "orderId=" + id[0] + "&serviceProgessTimeNum=" + id[1];
        try {
            Signature verifier = Signature.getInstance("SHA1withRSA");
            verifier.initVerify(key);
            verifier.update(signed.getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(Base64.getDecoder().decode(cleaned))) {
                return new Verdict(false, "signature does not verify with this public key");
            }
        } catch (GeneralSecurityException e) {
            return new Verdict(false, "signature does not verify with this public key");
        }
        return new Verdict(true, id[0] + "/" + id[1]);
    }

    /** What one request gets, and the line logged for it. */
    record Answer(int status, String body, String line) {}

    /**
     * Verifies, then de-duplicates by orderId/serviceProgessTimeNum (one step of one order).
     * Dayu documents no answer; any 2xx is taken as received, so duplicates get 200 too.
     */
    static Answer handle(PublicKey key, byte[] body, String signature, Set<String> seen) {
        Verdict verdict;
        try {
            // Strict UTF-8: invalid bytes are refused, never replaced.
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
            verdict = verify(key, text, signature);
        } catch (CharacterCodingException e) {
            return new Answer(400, answer(false, "invalid UTF-8"), "refused (400): invalid UTF-8");
        } catch (BadMessage e) {
            return new Answer(400, answer(false, e.getMessage()), "refused (400): " + e.getMessage());
        }
        if (!verdict.valid()) {
            return new Answer(401, answer(false, verdict.detail()), "refused (401): " + verdict.detail());
        }
        // In production: a unique key in your database.
        if (!seen.add(verdict.detail())) {
            String note = "duplicate: already processed";
            return new Answer(200, answer(true, note), "duplicate " + verdict.detail());
        }
        // Process the callback here (before answering: a 2xx tells Dayu it was taken).
        return new Answer(200, answer(true, null), "processed " + verdict.detail());
    }

    static String answer(boolean ok, String note) {
        if (!ok) {
            return "{\"ok\":false,\"error\":" + quote(note) + "}";
        }
        return note == null ? "{\"ok\":true}" : "{\"ok\":true,\"note\":" + quote(note) + "}";
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

    static void serve(HttpExchange exchange, PublicKey key, Set<String> seen) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
        Answer answer;
        if (!exchange.getRequestMethod().equals("POST")) {
            answer = new Answer(405, answer(false, "POST a callback"), "refused (405)");
        } else if (body.length > MAX_BODY) {
            answer = new Answer(413, answer(false, "body too large"), "refused (413)");
        } else {
            answer = handle(key, body, exchange.getRequestHeaders().getFirst("Dayu-Sign"), seen);
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
        String path = System.getenv("CBTOOL_DAYU_PUBLIC_KEY");
        if (path == null || path.isEmpty()) {
            System.err.println("error: set CBTOOL_DAYU_PUBLIC_KEY to the path of Dayu's public key");
            System.exit(2);
        }
        PublicKey key = null;
        try {
            key = loadPublicKey(Files.readString(Path.of(path), StandardCharsets.US_ASCII));
        } catch (IOException | GeneralSecurityException e) {
            System.err.println("error: " + path + ": cannot read the public key: " + e.getMessage());
            System.exit(2);
        }
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        PublicKey verifyingKey = key;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        HttpServer server = HttpServer.create(address, 0);
        server.createContext("/", exchange -> serve(exchange, verifyingKey, seen));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("listening on http://127.0.0.1:" + port);
    }
}
