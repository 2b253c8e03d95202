// Dayu (大鱼) callback receiver. Run: CBTOOL_DAYU_PUBLIC_KEY=public.pem PORT=8080 node dayu-receiver.js
// Node.js 20+, standard library only. Printed by `cbtool snippet node --vendor dayu`.
//
// Signature: SHA1withRSA (RSASSA-PKCS1-v1_5) over `orderId=<orderId>&serviceProgessTimeNum=<n>`,
// standard base64 in the `Dayu-Sign` header. `Progess` is the vendor's spelling: signing
// "serviceProgressTimeNum" gives a signature that never verifies.
// The key file: PEM "PUBLIC KEY" (SubjectPublicKeyInfo) or Java's bare base64 X.509 form.
// The two numbers are taken as the text they were sent as: JSON.parse turns a long orderId
// into a float that loses digits, and would accept 5577.0 as 5577.
// Express: app.post('/callback', express.raw({ type: '*/*' }), (req, res) => ...) gives
// req.body as a Buffer of the raw bytes; the signature is req.get('Dayu-Sign').
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');

const MAX_BODY = 1 << 20;

class BadMessage extends Error {}

function skip(text, i) {
  while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  return i;
}

function endOfString(text, i) {
  for (i++; i < text.length; i++) {
    if (text[i] === '\\') i++; // an escaped character, `\"` included
    else if (text[i] === '"') return i + 1;
  }
  throw new BadMessage('unterminated string');
}

// Where the value starting at i ends. The body was validated by JSON.parse first, so
// tracking strings (with their escapes) and nesting is enough.
function endOfValue(text, i) {
  if (text[i] === '"') return endOfString(text, i);
  if (text[i] !== '{' && text[i] !== '[') {
    while (i < text.length && !',}] \t\n\r'.includes(text[i])) i++; // number, true, false, null
    return i;
  }
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = endOfString(text, i) - 1;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
  }
  throw new BadMessage('unterminated value');
}

/** Each top-level key of a JSON object, mapped to the exact text of its value. */
function topLevelMembers(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new BadMessage(`not valid JSON: ${e.message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadMessage('not a JSON object');
  }
  const members = new Map();
  let i = skip(text, skip(text, 0) + 1);
  while (text[i] === '"') {
    const keyEnd = endOfString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd));
    const start = skip(text, skip(text, keyEnd) + 1); // past the ':'
    const end = endOfValue(text, start);
    // With two orderIds, sender and receiver could each sign another one.
    if (members.has(key)) throw new BadMessage(`duplicate key ${JSON.stringify(key)}`);
    members.set(key, text.slice(start, end));
    i = skip(text, end);
    if (text[i] === ',') i = skip(text, i + 1);
  }
  return members;
}

/** An integer member as Java's string concatenation writes it: its decimal digits. */
function integerText(members, name) {
  if (!members.has(name)) throw new BadMessage(`missing ${name}`);
  const raw = members.get(name);
  const text = raw.startsWith('"') ? JSON.parse(raw) : raw;
  if (!/^-?[0-9]+$/.test(text)) throw new BadMessage(`${name} is not an integer`);
  return text;
}

/** [orderId, serviceProgessTimeNum] as text: what is signed, and the de-duplication key. */
function messageId(body) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw new BadMessage('invalid UTF-8'); // refused, never replaced
  }
  const top = topLevelMembers(text);
  const record = top.get('orderRecord');
  if (record === undefined || !record.startsWith('{')) {
    throw new BadMessage('orderRecord is missing or not an object');
  }
  return [integerText(top, 'orderId'), integerText(topLevelMembers(record), 'serviceProgessTimeNum')];
}

/** A public key from a PEM PUBLIC KEY or Java's base64 X509EncodedKeySpec, wrapped or not. */
function loadPublicKey(text) {
  const pem = /-----BEGIN PUBLIC KEY-----([^-]*)-----END PUBLIC KEY-----/.exec(text);
  if (!pem && text.includes('-----')) {
    throw new Error('expected a PEM PUBLIC KEY or bare base64 (X509EncodedKeySpec)');
  }
  const b64 = (pem ? pem[1] : text).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error('the key is not base64');
  const key = crypto.createPublicKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
  return key;
}

/** Returns [valid, "orderId/serviceProgessTimeNum" or reason]. */
function verify(key, body, signature) {
  const [orderId, progress] = messageId(body);
  if (!signature) return [false, 'no Dayu-Sign header'];
  // Java encoders wrap base64 at 76 columns: whitespace and line breaks are not data.
  const cleaned = signature.replace(/\s+/g, '');
  // Buffer.from(…, 'base64') also takes URL-safe `-_` and skips junk: check the alphabet first.
  if (cleaned.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(cleaned)) {
    return [false, 'Dayu-Sign is not standard base64'];
  }
  const signed = Buffer.from(`orderId=${orderId}&serviceProgessTimeNum=${progress}`, 'utf8');
  if (!crypto.verify('sha1', signed, key, Buffer.from(cleaned, 'base64'))) {
    return [false, 'signature does not verify with this public key'];
  }
  return [true, `${orderId}/${progress}`];
}

function answer(ok, note) {
  if (!ok) return JSON.stringify({ ok: false, error: note });
  return JSON.stringify(note ? { ok: true, note } : { ok: true });
}

/**
 * Verifies, then de-duplicates by orderId/serviceProgessTimeNum (one step of one order).
 * Dayu documents no answer; any 2xx is taken as received, so duplicates get 200 too.
 * Returns [HTTP status, response body, log line].
 */
function handle(key, body, signature, seen) {
  let valid, detail;
  try {
    [valid, detail] = verify(key, body, signature);
  } catch (e) {
    if (!(e instanceof BadMessage)) throw e;
    return [400, answer(false, e.message), `refused (400): ${e.message}`];
  }
  if (!valid) return [401, answer(false, detail), `refused (401): ${detail}`];
  if (seen.has(detail)) {
    return [200, answer(true, 'duplicate: already processed'), `duplicate ${detail}`];
  }
  seen.add(detail); // in production: a unique key in your database
  // Process the callback here (before answering: a 2xx tells Dayu it was taken).
  return [200, answer(true), `processed ${detail}`];
}

function main() {
  const path = process.env.CBTOOL_DAYU_PUBLIC_KEY;
  if (!path) {
    console.error("error: set CBTOOL_DAYU_PUBLIC_KEY to the path of Dayu's public key");
    process.exit(2);
  }
  let key;
  try {
    key = loadPublicKey(fs.readFileSync(path, 'ascii'));
  } catch (e) {
    console.error(`error: ${path}: cannot read the public key: ${e.message}`);
    process.exit(2);
  }
  const port = Number(process.env.PORT || 8080);
  const seen = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      const [status, body, line] = size > MAX_BODY
        ? [413, answer(false, 'body too large'), 'refused (413)']
        : handle(key, Buffer.concat(chunks), req.headers['dayu-sign'], seen);
      console.log(line);
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
    });
  });
  server.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
}

main();
