// AutoX3 callback receiver. Run: CBTOOL_AUTOX3_SECRET=... PORT=8080 node autox3-receiver.js
// Node.js 20+, standard library only. Printed by `cbtool snippet node --vendor autox3`.
//
// Signature: sha1(msgId + msgType + staffInfo + createTime + content + appSecret), hex, where
// staffInfo and content are the EXACT TEXT of those members as they appear in the body.
// Never JSON.stringify(JSON.parse(body).content): that writes 67000.0 as 67000 and changes
// spacing, and the hash no longer matches. So the raw body is kept and scanned below.
// Express: app.post('/callback', express.raw({ type: '*/*' }), (req, res) => ...) gives
// req.body as a Buffer of the raw bytes (express.json() would throw them away).
'use strict';
const crypto = require('node:crypto');
const http = require('node:http');

const NORMAL_RESPONSE = '{"data":null,"errorInfo":"","status":0}'; // the documented answer
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
    throw new BadMessage('the body is not a JSON object');
  }
  const members = new Map();
  let i = skip(text, skip(text, 0) + 1);
  while (text[i] === '"') {
    const keyEnd = endOfString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd));
    const start = skip(text, skip(text, keyEnd) + 1); // past the ':'
    const end = endOfValue(text, start);
    // With two msgIds, sender and receiver could each sign another one.
    if (members.has(key)) throw new BadMessage(`duplicate key ${JSON.stringify(key)}`);
    members.set(key, text.slice(start, end));
    i = skip(text, end);
    if (text[i] === ',') i = skip(text, i + 1);
  }
  return members;
}

function required(members, name) {
  if (!members.has(name)) throw new BadMessage(`missing ${name}`);
  return members.get(name);
}

function string(members, name) {
  const raw = required(members, name);
  if (!raw.startsWith('"')) throw new BadMessage(`${name} is not a string`);
  return JSON.parse(raw);
}

/** The text AutoX3 hashes, from the members' exact text. */
function signedString(members, secret) {
  let createTime = required(members, 'createTime');
  if (createTime.startsWith('"')) createTime = JSON.parse(createTime); // its digits are signed
  if (!/^[0-9]+$/.test(createTime)) {
    throw new BadMessage('createTime is not whole milliseconds (digits only)');
  }
  let content = required(members, 'content');
  if (content.startsWith('"')) content = JSON.parse(content); // a JSON string: decoded text
  return string(members, 'msgId') + string(members, 'msgType') +
    required(members, 'staffInfo') + // exact text, whatever its type
    createTime + content + secret;
}

/** Returns [valid, msgId or reason]; throws BadMessage for a body that is not a callback. */
function verify(body, secret) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw new BadMessage('invalid UTF-8'); // refused, never replaced
  }
  const members = topLevelMembers(text);
  if (!members.has('msgSignature')) return [false, 'no msgSignature'];
  const received = Buffer.from(string(members, 'msgSignature').trim().toLowerCase());
  const expected = Buffer.from(
    crypto.createHash('sha1').update(signedString(members, secret), 'utf8').digest('hex'));
  // Hex is compared case-insensitively (the vendor prints upper case), and in constant
  // time, so that response timing does not reveal how much of a guess matched.
  if (received.length !== expected.length || !crypto.timingSafeEqual(received, expected)) {
    return [false, 'signature does not match'];
  }
  return [true, string(members, 'msgId')];
}

function refusal(reason) {
  return JSON.stringify({ data: null, errorInfo: reason, status: 1 });
}

/**
 * Verifies, then de-duplicates by msgId: the sender retries until it gets the normal
 * response, so a duplicate is answered normally and not processed again.
 * Returns [HTTP status, response body, log line].
 */
function handle(body, secret, seen) {
  let valid, detail;
  try {
    [valid, detail] = verify(body, secret);
  } catch (e) {
    if (!(e instanceof BadMessage)) throw e;
    return [400, refusal(e.message), `refused (400): ${e.message}`];
  }
  if (!valid) return [401, refusal(detail), `refused (401): ${detail}`];
  if (seen.has(detail)) return [200, NORMAL_RESPONSE, `duplicate ${detail}`];
  seen.add(detail); // in production: a unique key in your database
  // Process the callback here (before answering: the answer tells AutoX3 it was taken).
  return [200, NORMAL_RESPONSE, `processed ${detail}`];
}

function main() {
  const secret = process.env.CBTOOL_AUTOX3_SECRET;
  if (!secret) {
    console.error('error: set CBTOOL_AUTOX3_SECRET to the appSecret');
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
        ? [413, refusal('body too large'), 'refused (413)']
        : handle(Buffer.concat(chunks), secret, seen);
      console.log(line);
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
    });
  });
  server.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
}

main();
