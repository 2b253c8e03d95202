#!/usr/bin/env python3
"""The anchor: what a user would write instead of cbtool. Verifies AutoX3 JSON Lines
with json + hashlib, re-serializing staffInfo/content compactly (the corpus is compact,
so this is correct for it). Prints valid/invalid counts."""
import hashlib
import json
import sys

secret = open(sys.argv[1], "rb").read()
valid = invalid = 0
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        m = json.loads(line)
        s = (m["msgId"] + m["msgType"]
             + json.dumps(m["staffInfo"], ensure_ascii=False, separators=(",", ":"))
             + str(m["createTime"])
             + json.dumps(m["content"], ensure_ascii=False, separators=(",", ":"))).encode() + secret
        if hashlib.sha1(s).hexdigest().upper() == m["msgSignature"].upper():
            valid += 1
        else:
            invalid += 1
print(f"{valid} valid, {invalid} invalid")
