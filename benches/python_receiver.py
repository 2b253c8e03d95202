#!/usr/bin/env python3
"""The listen anchor: the AutoX3 receiver a user would write with the standard library
(http.server, json, hashlib), verifying like benches/python_verify.py. Keep-alive
(HTTP/1.1) and one thread per connection, so that wrk's connections are served at once.
usage: python_receiver.py SECRET_FILE PORT"""
import hashlib
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = open(sys.argv[1], "rb").read()
OK = b'{"data":null,"errorInfo":"","status":0}'
BAD = b'{"data":null,"errorInfo":"signature does not match","status":1}'


def valid(body):
    m = json.loads(body)
    s = (m["msgId"] + m["msgType"]
         + json.dumps(m["staffInfo"], ensure_ascii=False, separators=(",", ":"))
         + str(m["createTime"])
         + json.dumps(m["content"], ensure_ascii=False, separators=(",", ":"))).encode() + SECRET
    return hashlib.sha1(s).hexdigest().upper() == m["msgSignature"].upper()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            status, answer = (200, OK) if valid(body) else (401, BAD)
        except (ValueError, KeyError, TypeError):
            status, answer = 400, BAD
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # wrk resets its connections when it stops


Server(("127.0.0.1", int(sys.argv[2])), Handler).serve_forever()
