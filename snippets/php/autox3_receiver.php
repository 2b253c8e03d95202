<?php
// AutoX3 callback receiver. Run: CBTOOL_AUTOX3_SECRET=... php -S 127.0.0.1:$PORT autox3_receiver.php
// PHP 8.1+, standard library only (json is built in). Printed by `cbtool snippet php --vendor autox3`.
//
// Signature: sha1(msgId + msgType + staffInfo + createTime + content + appSecret), hex, where
// staffInfo and content are the EXACT TEXT of those members as they appear in the body.
// Never json_encode(json_decode($body)->content): by default that escapes "/" as "\/" and
// non-ASCII as \uXXXX, and the hash no longer matches. So the raw body (php://input) is
// kept and scanned below.
// `php -S` runs this file afresh for every request, so seen msgIds live in a file
// (SEEN_IDS_FILE, default in the temp directory); in production use a unique key in your database.

const NORMAL_RESPONSE = '{"data":null,"errorInfo":"","status":0}'; // the documented answer
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
        throw new BadMessage('the body is not a JSON object');
    }
    $members = [];
    $i = skip($text, skip($text, 0) + 1);
    while (($text[$i] ?? '') === '"') {
        $key_end = end_of_string($text, $i);
        $key = json_decode(substr($text, $i, $key_end - $i));
        $start = skip($text, skip($text, $key_end) + 1); // past the ':'
        $end = end_of_value($text, $start);
        // With two msgIds, sender and receiver could each sign another one.
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

function required(array $members, string $name): string
{
    if (!array_key_exists($name, $members)) {
        throw new BadMessage("missing $name");
    }
    return $members[$name];
}

function string_member(array $members, string $name): string
{
    $raw = required($members, $name);
    if ($raw[0] !== '"') {
        throw new BadMessage("$name is not a string");
    }
    return json_decode($raw);
}

/** The bytes AutoX3 hashes, from the members' exact text. */
function signed_string(array $members, string $secret): string
{
    $create_time = required($members, 'createTime');
    if ($create_time[0] === '"') {
        $create_time = json_decode($create_time); // sent as a string: its digits are signed
    }
    if (!preg_match('/\A[0-9]+\z/', $create_time)) {
        throw new BadMessage('createTime is not whole milliseconds (digits only)');
    }
    $content = required($members, 'content');
    if ($content[0] === '"') {
        $content = json_decode($content); // sent as a JSON string: its decoded text is signed
    }
    return string_member($members, 'msgId') . string_member($members, 'msgType')
        . required($members, 'staffInfo') // exact text, whatever its type
        . $create_time . $content . $secret;
}

/** Returns [valid, msgId or reason]; throws BadMessage for a body that is not a callback. */
function verify(string $body, string $secret): array
{
    $members = top_level_members($body);
    if (!array_key_exists('msgSignature', $members)) {
        return [false, 'no msgSignature'];
    }
    $received = strtolower(trim(string_member($members, 'msgSignature')));
    // Hex is compared case-insensitively (the vendor prints upper case), and in constant
    // time (hash_equals), so that response timing does not reveal how much of a guess matched.
    if (!hash_equals(sha1(signed_string($members, $secret)), $received)) {
        return [false, 'signature does not match'];
    }
    return [true, string_member($members, 'msgId')];
}

/** Records $id as seen; false when it was seen before. */
function claim(string $id): bool
{
    $path = getenv('SEEN_IDS_FILE') ?: sys_get_temp_dir() . "/autox3-seen-ids-{$_SERVER['SERVER_PORT']}.txt";
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

function refusal(string $reason): string
{
    return json_encode(['data' => null, 'errorInfo' => $reason, 'status' => 1], JSON_UNESCAPED_UNICODE);
}

/**
 * Verifies, then de-duplicates by msgId: the sender retries until it gets the normal
 * response, so a duplicate is answered normally and not processed again.
 * Returns [HTTP status, response body, log line].
 */
function handle(string $body, string $secret): array
{
    try {
        [$valid, $detail] = verify($body, $secret);
    } catch (BadMessage $e) {
        return [400, refusal($e->getMessage()), 'refused (400): ' . $e->getMessage()];
    }
    if (!$valid) {
        return [401, refusal($detail), "refused (401): $detail"];
    }
    if (!claim($detail)) {
        return [200, NORMAL_RESPONSE, "duplicate $detail"];
    }
    // Process the callback here (before answering: the answer tells AutoX3 it was taken).
    return [200, NORMAL_RESPONSE, "processed $detail"];
}

$secret = getenv('CBTOOL_AUTOX3_SECRET');
$body = file_get_contents('php://input', false, null, 0, MAX_BODY + 1);
[$status, $answer, $line] = match (true) {
    $secret === false || $secret === '' => [
        500, refusal('set CBTOOL_AUTOX3_SECRET'), 'error: set CBTOOL_AUTOX3_SECRET to the appSecret',
    ],
    $_SERVER['REQUEST_METHOD'] !== 'POST' => [405, refusal('POST a callback'), 'refused (405)'],
    strlen($body) > MAX_BODY => [413, refusal('body too large'), 'refused (413)'],
    default => handle($body, $secret),
};
file_put_contents('php://stderr', "$line\n");
http_response_code($status);
header('Content-Type: application/json');
echo $answer;
