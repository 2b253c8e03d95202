#!/usr/bin/env python3
"""A callback receiver written the way a user would write one: Python's http.server,
hashlib for AutoX3, `cryptography` for Dayu. The tests of `cbtool listen --forward` put it
behind the forwarder; --mode makes it right or wrong in the ways real receivers are.

usage: callback_app.py --mode MODE [--secret-file F] [--public-key P] [--delay S]
Prints `listening on PORT` on stdout once it accepts connections (port 0: a free port).

modes:
  correct            verifies, de-duplicates by id, answers as each vendor documents
  acks-forged        acknowledges everything without verifying
  rejects-valid      verifies over re-serialized JSON (the classic bug): 401 for real callbacks
  code0              verifies, then answers AutoX3 with {"code":0} (not the normal response)
  rejects-duplicates verifies, but answers a repeat with 409
  slow               correct, after sleeping --delay seconds
  echo               answers what it received (method, path, header lines, body SHA-256);
                     POST /fixed gets a fixed answer with odd headers instead
"""

import argparse
import base64
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NORMAL = b'{"data":null,"errorInfo":"","status":0}'


def raw_members(text):
    """The top-level members of a JSON object as the exact text of each value: AutoX3
    signs `staffInfo` and `content` as they appear in the body, not re-serialized."""
    decoder = json.JSONDecoder()
    members = {}
    i = text.index("{") + 1
    while True:
        while text[i] in " \t\r\n,":
            i += 1
        if text[i] == "}":
            return members
        key, i = json.decoder.scanstring(text, i + 1)
        i = text.index(":", i) + 1
        while text[i] in " \t\r\n":
            i += 1
        _, end = decoder.raw_decode(text, i)
        members[key] = text[i:end]
        i = end


def autox3_valid(body, secret, reserialize=False):
    text = body.decode("utf-8")
    doc = json.loads(text)
    raw = raw_members(text)
    if reserialize:
        # The bug: json.dumps(...) is not the text that was signed.
        staff, content = json.dumps(doc["staffInfo"]), json.dumps(doc["content"])
    else:
        staff, content = raw["staffInfo"], raw["content"]
    signed = doc["msgId"] + doc["msgType"] + staff + str(doc["createTime"]) + content + secret
    digest = hashlib.sha1(signed.encode("utf-8")).hexdigest()
    return digest.lower() == str(doc.get("msgSignature", "")).lower()


def dayu_valid(body, signature, public_key):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    doc = json.loads(body)
    signed = "orderId={}&serviceProgessTimeNum={}".format(
        doc["orderId"], doc["orderRecord"]["serviceProgessTimeNum"]
    )
    try:
        sig = base64.b64decode("".join(signature.split()))
        public_key.verify(sig, signed.encode("utf-8"), padding.PKCS1v15(), hashes.SHA1())
        return True
    except (InvalidSignature, ValueError):
        return False


class App:
    def __init__(self, args):
        self.mode = args.mode
        self.delay = args.delay
        self.secret = None
        if args.secret_file:
            with open(args.secret_file, encoding="utf-8") as f:
                self.secret = f.read().rstrip("\n")
        self.public_key = None
        if args.public_key:
            from cryptography.hazmat.primitives.serialization import load_pem_public_key

            with open(args.public_key, "rb") as f:
                self.public_key = load_pem_public_key(f.read())
        self.seen = set()
        self.lock = threading.Lock()

    def handle(self, headers, body):
        """(status, content type, body) for one callback."""
        if self.mode == "slow":
            time.sleep(self.delay)
        doc = json.loads(body)
        dayu = "orderId" in doc
        if self.mode == "acks-forged":
            return (200, NORMAL) if not dayu else (200, b'{"ok":true}')
        if dayu:
            valid = dayu_valid(body, headers.get("Dayu-Sign", ""), self.public_key)
            key = "dayu:{}/{}".format(doc["orderId"], doc["orderRecord"]["serviceProgessTimeNum"])
        else:
            valid = autox3_valid(body, self.secret, reserialize=self.mode == "rejects-valid")
            key = "autox3:" + doc["msgId"]
        if not valid:
            return 401, b'{"data":null,"errorInfo":"bad signature","status":1}'
        with self.lock:
            repeat = key in self.seen
            self.seen.add(key)
        if repeat and self.mode == "rejects-duplicates":
            return 409, b'{"data":null,"errorInfo":"already processed","status":1}'
        if self.mode == "code0" and not dayu:
            return 200, b'{"code":0}'
        return (200, NORMAL) if not dayu else (200, b'{"ok":true}')


def handler_for(app):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def do_GET(self):
            if app.mode == "echo":
                return self.echo(b"")
            self.answer(200, b'{"app":"up"}')

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if app.mode == "echo":
                return self.echo(body)
            try:
                status, answer = app.handle(self.headers, body)
            except (ValueError, KeyError, TypeError) as e:
                status, answer = 400, json.dumps({"error": str(e)}).encode()
            self.answer(status, answer)

        def echo(self, body):
            if self.path == "/fixed":
                self.send_response(201, "Made It")
                self.send_header("X-Mixed-Case", "Value  with  spaces")
                self.send_header("set-cookie", "a=1")
                self.send_header("Set-Cookie", "b=2")
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", "12")
                self.end_headers()
                self.wfile.write(b"fixed\x00\xff\r\nend")
                return
            seen = {
                "method": self.command,
                "path": self.path,
                "version": self.request_version,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body_sha256": hashlib.sha256(body).hexdigest(),
                "body_len": len(body),
            }
            self.answer(200, json.dumps(seen).encode())

        def answer(self, status, body):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", required=True)
    parser.add_argument("--secret-file")
    parser.add_argument("--public-key")
    parser.add_argument("--delay", type=float, default=2.0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(App(args)))
    server.daemon_threads = True
    print("listening on {}".format(server.server_address[1]), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
