<?php
// Dayu (大鱼) callback receiver. Run: CBTOOL_DAYU_PUBLIC_KEY=public.pem php -S 127.0.0.1:$PORT dayu_receiver.php
// PHP 8.1+ with its bundled json and openssl extensions. Printed by `cbtool snippet php --vendor dayu`.
//
// Signature: SHA1withRSA (RSASSA-PKCS1-v1_5) over `orderId=<orderId>&serviceProgessTimeNum=<n>`,
// standard base64 in the `Dayu-Sign` header. `Progess` is the vendor's spelling: signing
// "serviceProgressTimeNum" gives a signature that never verifies.
// The key file: PEM "PUBLIC KEY" (SubjectPublicKeyInfo) or Java's bare base64 X.509 form.
// The two numbers are taken as the text they were sent as: json_decode would turn a long
// orderId into a float that loses digits, and accept 5577.0 as an id.
// `php -S` runs this file afresh for every request, so seen ids live in a file
// (SEEN_IDS_FILE, default in the temp directory); in production use a unique key in your database.

const MAX_BODY = 1 << 20;

final class BadMessage extends Exception {}

function skip(string $text, int $i): int
{
    return $i + strspn($text, " \t\n\r", $i);
}

function end_of_string(string $text, int $i): int
{
    for ($i++, $n = strlen($text); $i < $n; $i++) {
        if ($text[$i] === '\\') {
            $i++; // an escaped character, `\"` included
        } elseif ($text[$i] === '"') {
            return $i + 1;
        }
    }
    throw new BadMessage('unterminated string');
}

// Where the value starting at $i ends. The body was validated by json_decode first, so
// tracking strings (with their escapes) and nesting is enough.
function end_of_value(string $text, int $i): int
{
    if ($text[$i] === '"') {
        return end_of_string($text, $i);
    }
    if ($text[$i] !== '{' && $text[$i] !== '[') {
        return $i + strcspn($text, ",}] \t\n\r", $i); // number, true, false, null
    }
    for ($depth = 0, $n = strlen($text); $i < $n; $i++) {
        $c = $text[$i];
        if ($c === '"') {
            $i = end_of_string($text, $i) - 1;
        } elseif ($c === '{' || $c === '[') {
            $depth++;
        } elseif (($c === '}' || $c === ']') && --$depth === 0) {
            return $i + 1;
        }
    }
    throw new BadMessage('unterminated value');
}

/** Each top-level key of a JSON object, mapped to the exact text of its value. */
function top_level_members(string $text): array
{
    try {
        $parsed = json_decode($text, false, 512, JSON_THROW_ON_ERROR); // also checks UTF-8
    } catch (JsonException $e) {
        throw new BadMessage('not valid JSON: ' . $e->getMessage());
    }
    if (!is_object($parsed)) {
        throw new BadMessage('not a JSON object');
    }
    $members = [];
    $i = skip($text, skip($text, 0) + 1);
    while (($text[$i] ?? '') === '"') {
        $key_end = end_of_string($text, $i);
        $key = json_decode(substr($text, $i, $key_end - $i));
        $start = skip($text, skip($text, $key_end) + 1); // past the ':'
        $end = end_of_value($text, $start);
        // With two orderIds, sender and receiver could each sign another one.
        if (array_key_exists($key, $members)) {
            throw new BadMessage('duplicate key ' . json_encode($key, JSON_UNESCAPED_UNICODE));
        }
        $members[$key] = substr($text, $start, $end - $start);
        $i = skip($text, $end);
        if (($text[$i] ?? '') === ',') {
            $i = skip($text, $i + 1);
        }
    }
    return $members;
}

/** An integer member as Java's string concatenation writes it: its decimal digits. */
function integer_text(array $members, string $name): string
{
    if (!array_key_exists($name, $members)) {
        throw new BadMessage("missing $name");
    }
    $raw = $members[$name];
    $text = $raw[0] === '"' ? json_decode($raw) : $raw;
    if (!preg_match('/\A-?[0-9]+\z/', $text)) {
        throw new BadMessage("$name is not an integer");
    }
    return $text;
}

/** [orderId, serviceProgessTimeNum] as text: what is signed, and the de-duplication key. */
function message_id(string $body): array
{
    $top = top_level_members($body);
    $record = $top['orderRecord'] ?? '';
    if (($record[0] ?? '') !== '{') {
        throw new BadMessage('orderRecord is missing or not an object');
    }
    return [integer_text($top, 'orderId'), integer_text(top_level_members($record), 'serviceProgessTimeNum')];
}

/** A public key from a PEM PUBLIC KEY or Java's base64 X509EncodedKeySpec, wrapped or not. */
function load_public_key(string $text): OpenSSLAsymmetricKey
{
    if (preg_match('/-----BEGIN PUBLIC KEY-----([^-]*)-----END PUBLIC KEY-----/', $text, $pem)) {
        $text = $pem[1];
    } elseif (str_contains($text, '-----')) {
        throw new RuntimeException('expected a PEM PUBLIC KEY or bare base64 (X509EncodedKeySpec)');
    }
    $b64 = preg_replace('/\s+/', '', $text);
    $pem = "-----BEGIN PUBLIC KEY-----\n" . chunk_split($b64, 64, "\n") . "-----END PUBLIC KEY-----\n";
    $key = openssl_pkey_get_public($pem);
    if ($key === false || openssl_pkey_get_details($key)['type'] !== OPENSSL_KEYTYPE_RSA) {
        throw new RuntimeException('not an RSA public key');
    }
    return $key;
}

/** Returns [valid, "orderId/serviceProgessTimeNum" or reason]. */
function verify(OpenSSLAsymmetricKey $key, string $body, ?string $signature): array
{
    [$order_id, $progress] = message_id($body);
    if ($signature === null || $signature === '') {
        return [false, 'no Dayu-Sign header'];
    }
    // Java encoders wrap base64 at 76 columns: whitespace and line breaks are not data.
    $cleaned = preg_replace('/\s+/', '', $signature);
    if (strlen($cleaned) % 4 !== 0 || !preg_match('#\A[A-Za-z0-9+/]*={0,2}\z#', $cleaned)) {
        return [false, 'Dayu-Sign is not standard base64'];
    }
    $signed = "orderId=$order_id&serviceProgessTimeNum=$progress";
    if (openssl_verify($signed, base64_decode($cleaned, true), $key, OPENSSL_ALGO_SHA1) !== 1) {
        return [false, 'signature does not verify with this public key'];
    }
    return [true, "$order_id/$progress"];
}

/** Records $id as seen; false when it was seen before. */
function claim(string $id): bool
{
    $path = getenv('SEEN_IDS_FILE') ?: sys_get_temp_dir() . "/dayu-seen-ids-{$_SERVER['SERVER_PORT']}.txt";
    $file = fopen($path, 'c+');
    flock($file, LOCK_EX); // php -S may run requests in several workers
    $line = rawurlencode($id) . "\n";
    $new = !in_array($line, file($path) ?: [], true);
    if ($new) {
        fseek($file, 0, SEEK_END);
        fwrite($file, $line);
    }
    flock($file, LOCK_UN);
    fclose($file);
    return $new;
}

function answer(bool $ok, ?string $note = null): string
{
    if (!$ok) {
        return json_encode(['ok' => false, 'error' => $note], JSON_UNESCAPED_UNICODE);
    }
    $body = $note === null ? ['ok' => true] : ['ok' => true, 'note' => $note];
    return json_encode($body, JSON_UNESCAPED_UNICODE);
}

/**
 * Verifies, then de-duplicates by orderId/serviceProgessTimeNum (one step of one order).
 * Dayu documents no answer; any 2xx is taken as received, so duplicates get 200 too.
 * Returns [HTTP status, response body, log line].
 */
function handle(string $key_path, string $body, ?string $signature): array
{
    try {
        $key = load_public_key((string) @file_get_contents($key_path));
    } catch (RuntimeException $e) {
        $why = "error: $key_path: cannot read the public key: {$e->getMessage()}";
        return [500, answer(false, 'cannot read the public key'), $why];
    }
    try {
        [$valid, $detail] = verify($key, $body, $signature);
    } catch (BadMessage $e) {
        return [400, answer(false, $e->getMessage()), 'refused (400): ' . $e->getMessage()];
    }
    if (!$valid) {
        return [401, answer(false, $detail), "refused (401): $detail"];
    }
    if (!claim($detail)) {
        return [200, answer(true, 'duplicate: already processed'), "duplicate $detail"];
    }
    // Process the callback here (before answering: a 2xx tells Dayu it was taken).
    return [200, answer(true), "processed $detail"];
}

$key_path = getenv('CBTOOL_DAYU_PUBLIC_KEY');
$body = file_get_contents('php://input', false, null, 0, MAX_BODY + 1);
[$status, $reply, $line] = match (true) {
    $key_path === false || $key_path === '' => [
        500,
        answer(false, 'set CBTOOL_DAYU_PUBLIC_KEY'),
        "error: set CBTOOL_DAYU_PUBLIC_KEY to the path of Dayu's public key",
    ],
    $_SERVER['REQUEST_METHOD'] !== 'POST' => [405, answer(false, 'POST a callback'), 'refused (405)'],
    strlen($body) > MAX_BODY => [413, answer(false, 'body too large'), 'refused (413)'],
    default => handle($key_path, $body, $_SERVER['HTTP_DAYU_SIGN'] ?? null),
};
file_put_contents('php://stderr', "$line\n");
http_response_code($status);
header('Content-Type: application/json');
echo $reply;
