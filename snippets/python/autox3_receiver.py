# AutoX3 callback receiver. Run: CBTOOL_AUTOX3_SECRET=... PORT=8080 python3 autox3_receiver.py
# Python 3.11+, standard library only. Printed by `cbtool snippet python --vendor autox3`.
#
# Signature: sha1(msgId + msgType + staffInfo + createTime + content + appSecret), hex, where
# staffInfo and content are the EXACT TEXT of those members as they appear in the body.
# Never json.loads() the body and json.dumps() the parts back: that writes ", " and ": "
# and \uXXXX escapes where the sender did not, and the hash no longer matches.
# Flask: request.get_data() gives the raw bytes; FastAPI: `await request.body()`.
import hashlib
import hmac
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NORMAL_RESPONSE = b'{"data":null,"errorInfo":"","status":0}'  # the documented answer
MAX_BODY = 1 << 20


class BadMessage(ValueError):
    """The body is not a usable AutoX3 callback (answered 400)."""


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


# raw_decode parses one value at an offset and says where it ends: the standard
# library's way to find a value's exact text without re-serialising it.
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
    if key in members:  # with two msgIds, sender and receiver could each sign another
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


def _required(members, name):
    if name not in members:
        raise BadMessage(f"missing {name}")
    return members[name]


def _string(members, name):
    raw = _required(members, name)
    if not raw.startswith('"'):
        raise BadMessage(f"{name} is not a string")
    return json.loads(raw)


def signed_string(members, secret):
    """The bytes AutoX3 hashes, from the members' exact text."""
    create_time = _required(members, "createTime")
    if create_time.startswith('"'):  # sent as a string: its digits are signed
        create_time = json.loads(create_time)
    if not re.fullmatch(r"[0-9]+", create_time):
        raise BadMessage("createTime is not whole milliseconds (digits only)")
    content = _required(members, "content")
    if content.startswith('"'):  # sent as a JSON string: its decoded text is signed
        content = json.loads(content)
    parts = [
        _string(members, "msgId"),
        _string(members, "msgType"),
        _required(members, "staffInfo"),  # exact text, whatever its type
        create_time,
        content,
    ]
    return "".join(parts).encode("utf-8") + secret


def verify(body, secret):
    """Returns (valid, msgId or reason). Raises BadMessage for a body that is not a callback."""
    try:
        text = body.decode("utf-8")  # strict: invalid UTF-8 is refused, never replaced
    except UnicodeDecodeError as e:
        raise BadMessage(f"invalid UTF-8 at byte {e.start}") from None
    members = top_level_members(text)
    if "msgSignature" not in members:
        return False, "no msgSignature"
    received = _string(members, "msgSignature").strip()
    expected = hashlib.sha1(signed_string(members, secret)).hexdigest()
    # Hex is compared case-insensitively (the vendor prints upper case), and in
    # constant time, so that response timing does not reveal how much of a guess matched.
    if not hmac.compare_digest(received.lower().encode(), expected.encode()):
        return False, "signature does not match"
    return True, _string(members, "msgId")


class Receiver:
    """Verifies, then de-duplicates by msgId: the sender retries until it gets the normal
    response, so a duplicate is answered normally and not processed again."""

    def __init__(self, secret):
        self.secret = secret
        self.seen = set()  # in production: a unique key in your database
        self.lock = threading.Lock()

    def handle(self, body):
        """Returns (HTTP status, response body, log line)."""
        try:
            valid, detail = verify(body, self.secret)
        except BadMessage as e:
            return 400, refusal(str(e)), f"refused (400): {e}"
        if not valid:
            return 401, refusal(detail), f"refused (401): {detail}"
        with self.lock:
            duplicate = detail in self.seen
            self.seen.add(detail)
        if duplicate:
            return 200, NORMAL_RESPONSE, f"duplicate {detail}"
        # Process the callback here (before answering: the answer tells AutoX3 it was taken).
        return 200, NORMAL_RESPONSE, f"processed {detail}"


def refusal(reason):
    body = {"data": None, "errorInfo": reason, "status": 1}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def handler_for(receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return self.answer(413, refusal("body too large"), "refused (413)")
            self.answer(*receiver.handle(self.rfile.read(length)))

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
    secret = os.environ.get("CBTOOL_AUTOX3_SECRET")
    if not secret:
        sys.exit("error: set CBTOOL_AUTOX3_SECRET to the appSecret")
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(Receiver(secret.encode())))
    print(f"listening on http://127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
