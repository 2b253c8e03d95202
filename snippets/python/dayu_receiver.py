# Dayu (大鱼) callback receiver. Run: CBTOOL_DAYU_PUBLIC_KEY=public.pem PORT=8080 python3 dayu_receiver.py
# Python 3.11+, standard library only. Printed by `cbtool snippet python --vendor dayu`.
#
# Signature: SHA1withRSA (RSASSA-PKCS1-v1_5) over `orderId=<orderId>&serviceProgessTimeNum=<n>`,
# standard base64 in the `Dayu-Sign` header. `Progess` is the vendor's spelling: signing
# "serviceProgressTimeNum" gives a signature that never verifies.
# The standard library has no RSA, so the check below is the textbook one (RFC 8017 8.2.2):
# s^e mod n must equal the PKCS#1 v1.5 encoding of the SHA-1 digest, compared whole.
# The key file: PEM "PUBLIC KEY" (SubjectPublicKeyInfo) or Java's bare base64 X.509 form.
# Flask: request.get_data() / request.headers["Dayu-Sign"]; FastAPI: `await request.body()`.
import base64
import hashlib
import hmac
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 1 << 20
RSA_OID = bytes.fromhex("2a864886f70d010101")  # 1.2.840.113549.1.1.1 rsaEncryption
SHA1_DIGEST_INFO = bytes.fromhex("3021300906052b0e03021a05000414")  # DER prefix of a SHA-1 hash
INTEGER = re.compile(r"-?[0-9]+")
BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


class BadMessage(ValueError):
    """The body is not a usable Dayu callback (answered 400)."""


def _der(data, i, tag):
    """One DER element of `tag` at i: returns (contents start, contents end)."""
    if i + 2 > len(data) or data[i] != tag:
        raise ValueError("not an RSA SubjectPublicKeyInfo")
    length, i = data[i + 1], i + 2
    if length & 0x80:
        count = length & 0x7F
        length, i = int.from_bytes(data[i : i + count], "big"), i + count
    if i + length > len(data):
        raise ValueError("truncated key")
    return i, i + length


def load_public_key(text):
    """(n, e) from a PEM PUBLIC KEY or Java's base64 X509EncodedKeySpec, wrapped or not."""
    pem = re.search(r"-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", text, re.S)
    if not pem and "-----" in text:
        raise ValueError("expected a PEM PUBLIC KEY or bare base64 (X509EncodedKeySpec)")
    der = base64.b64decode("".join((pem.group(1) if pem else text).split()), validate=True)
    start, end = _der(der, 0, 0x30)  # SubjectPublicKeyInfo
    alg_start, alg_end = _der(der, start, 0x30)
    oid_start, oid_end = _der(der, alg_start, 0x06)
    if der[oid_start:oid_end] != RSA_OID:
        raise ValueError("not an RSA key")
    bits_start, _ = _der(der, alg_end, 0x03)
    seq_start, _ = _der(der, bits_start + 1, 0x30)  # after the unused-bits byte
    n_start, n_end = _der(der, seq_start, 0x02)
    e_start, e_end = _der(der, n_end, 0x02)
    return int.from_bytes(der[n_start:n_end], "big"), int.from_bytes(der[e_start:e_end], "big")


def rsa_sha1_verify(key, message, signature):
    n, e = key
    k = (n.bit_length() + 7) // 8
    s = int.from_bytes(signature, "big")
    if len(signature) != k or s >= n:
        return False
    digest_info = SHA1_DIGEST_INFO + hashlib.sha1(message).digest()
    expected = b"\x00\x01" + b"\xff" * (k - 3 - len(digest_info)) + b"\x00" + digest_info
    return hmac.compare_digest(pow(s, e, n).to_bytes(k, "big"), expected)


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


# raw_decode parses one value at an offset and says where it ends, so numbers keep the
# text they were sent as (a long orderId must not pass through a float).
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _skip(text, i):
    while i < len(text) and text[i] in " \t\n\r":
        i += 1
    return i


def _member(text, i, members):
    """Reads `"key": value` at i into members; returns the offset after the value."""
    if not text.startswith('"', i):
        raise ValueError(f"expected a key at offset {i}")
    key, i = _DECODER.raw_decode(text, i)
    i = _skip(text, i)
    if not text.startswith(":", i):
        raise ValueError(f"expected ':' at offset {i}")
    start = _skip(text, i + 1)
    _, end = _DECODER.raw_decode(text, start)
    if key in members:  # with two orderIds, sender and receiver could each sign another
        raise ValueError(f"duplicate key {key!r}")
    members[key] = text[start:end]
    return _skip(text, end)


def top_level_members(text):
    """Each top-level key of a JSON object, mapped to the exact text of its value."""
    members = {}
    try:
        i = _skip(text, 0)
        if not text.startswith("{", i):
            raise ValueError("expected a JSON object")
        i = _skip(text, i + 1)
        if not text.startswith("}", i):
            i = _member(text, i, members)
            while text.startswith(",", i):
                i = _member(text, _skip(text, i + 1), members)
        if not text.startswith("}", i):
            raise ValueError(f"expected ',' or '}}' at offset {i}")
        if _skip(text, i + 1) != len(text):
            raise ValueError(f"extra data at offset {i + 1}")
    except ValueError as e:
        raise BadMessage(f"not valid JSON: {e}") from None
    return members


def integer_text(members, name):
    """An integer member as Java's string concatenation writes it: its decimal digits."""
    if name not in members:
        raise BadMessage(f"missing {name}")
    raw = members[name]
    text = json.loads(raw) if raw.startswith('"') else raw
    if not INTEGER.fullmatch(text):
        raise BadMessage(f"{name} is not an integer")
    return text


def message_id(body):
    """(orderId, serviceProgessTimeNum) as text: what is signed, and the de-duplication key."""
    try:
        text = body.decode("utf-8")  # strict: invalid UTF-8 is refused, never replaced
    except UnicodeDecodeError as e:
        raise BadMessage(f"invalid UTF-8 at byte {e.start}") from None
    top = top_level_members(text)
    record = top.get("orderRecord")
    if record is None or not record.startswith("{"):
        raise BadMessage("orderRecord is missing or not an object")
    progress = integer_text(top_level_members(record), "serviceProgessTimeNum")
    return integer_text(top, "orderId"), progress


def verify(key, body, signature):
    """Returns (valid, "orderId/serviceProgessTimeNum" or reason)."""
    order_id, progress = message_id(body)
    if not signature:
        return False, "no Dayu-Sign header"
    # Java encoders wrap base64 at 76 columns: whitespace and line breaks are not data.
    cleaned = "".join(signature.split())
    # Standard alphabet, padded: b64decode alone lets stray padding through.
    if len(cleaned) % 4 or not BASE64.fullmatch(cleaned):
        return False, "Dayu-Sign is not standard base64"
    raw = base64.b64decode(cleaned, validate=True)
    signed = f"orderId={order_id}&serviceProgessTimeNum={progress}".encode("utf-8")
    if not rsa_sha1_verify(key, signed, raw):
        return False, "signature does not verify with this public key"
    return True, f"{order_id}/{progress}"


def answer(ok, note=None):
    if not ok:
        body = {"ok": False, "error": note}
    else:
        body = {"ok": True, "note": note} if note else {"ok": True}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Receiver:
    """Verifies, then de-duplicates by orderId/serviceProgessTimeNum (one step of one order).
    Dayu documents no answer; any 2xx is taken as received, so duplicates get 200 too."""

    def __init__(self, key):
        self.key = key
        self.seen = set()  # in production: a unique key in your database
        self.lock = threading.Lock()

    def handle(self, body, signature):
        """Returns (HTTP status, response body, log line)."""
        try:
            valid, detail = verify(self.key, body, signature)
        except BadMessage as e:
            return 400, answer(False, str(e)), f"refused (400): {e}"
        if not valid:
            return 401, answer(False, detail), f"refused (401): {detail}"
        with self.lock:
            duplicate = detail in self.seen
            self.seen.add(detail)
        if duplicate:
            return 200, answer(True, "duplicate: already processed"), f"duplicate {detail}"
        # Process the callback here (before answering: a 2xx tells Dayu it was taken).
        return 200, answer(True), f"processed {detail}"


def handler_for(receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return self.answer(413, answer(False, "body too large"), "refused (413)")
            body = self.rfile.read(length)
            self.answer(*receiver.handle(body, self.headers.get("Dayu-Sign")))

        def answer(self, status, body, line):
            print(line, flush=True)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass  # one line per callback is printed by answer()

    return Handler


def main():
    path = os.environ.get("CBTOOL_DAYU_PUBLIC_KEY")
    if not path:
        sys.exit("error: set CBTOOL_DAYU_PUBLIC_KEY to the path of Dayu's public key")
    try:
        with open(path, encoding="ascii") as f:
            key = load_public_key(f.read())
    except (OSError, ValueError) as e:
        sys.exit(f"error: {path}: cannot read the public key: {e}")
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(Receiver(key)))
    print(f"listening on http://127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
