#!/usr/bin/env python3
"""Writes benchmark corpora: N signed AutoX3 callbacks of ~1 KB as JSON Lines, and
M Dayu order-progress bodies as JSON Lines (signed later by `cbtool sign --embed`).

Signatures are computed here with hashlib, independently of cbtool.
usage: make_corpus.py OUT_DIR [N_AUTOX3] [M_DAYU]
"""
import hashlib
import json
import os
import random
import sys

SECRET = b"cbtool-test-only-secret"


def autox3_line(i, rnd):
    staff = {"areaCode": "+44", "brandId": 114, "mobile": "1766616%04d" % (i % 10000),
             "staffId": 380 + i % 50, "staffName": "A梦 哆啦", "storeId": 84}
    content = {
        "carInfo": {"carBrandName": "BMW", "carNum": "京A·%05d" % (i % 100000),
                    "carOwnerFirstName": "xiaohaha", "carOwnerGender": "FEMALE",
                    "carOwnerLastName": "Brown", "carOwnerMobile": "",
                    "carProductionDate": 1325347200000, "carStyleName": "5",
                    "carVin": "LSVAU2180N2%06d" % i},
        "preCheckInfo": {"lightInfo": ["20_Engine Malfunction", "16_insufficient engine oil",
                                       "1_Open Window", "15_Abnormal fluid Tempreture"],
                         "odograph": 67000.0 + rnd.randrange(1000), "oilGauge": 100,
                         "paintsInfo": [{"describe": "Damp", "images": ["https://img.example.com/%d.jpg" % i],
                                         "position": "sys_feature_0013_01",
                                         "positionName": "Front Passenger Door"}],
                         "personalItemList": ["Golf Bag", "Bottle"], "remark": "Old Customer"},
        "receiveBaseId": 6482 + i,
        "staffInfo": {"areaCode": "+44", "brandId": 1, "mobile": "15010524574",
                      "storeId": 3, "userId": 18, "userName": "yang xing xingxing2"},
    }
    staff_text = json.dumps(staff, ensure_ascii=False, separators=(",", ":"))
    content_text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    msg_id = "%08x-0b8b-24e7-cb26-%012x" % (i, i)
    msg_type = "event.autox3.order.receivebase.create"
    create_time = 1616502610117 + i
    signed = (msg_id + msg_type + staff_text + str(create_time) + content_text).encode() + SECRET
    sig = hashlib.sha1(signed).hexdigest().upper()
    return ('{"content":%s,"createTime":%d,"msgType":"%s","msgSignature":"%s","msgId":"%s","staffInfo":%s}'
            % (content_text, create_time, msg_type, sig, msg_id, staff_text))


def dayu_line(i):
    body = {"createTime": "2024-10-11 10:31:09", "orderId": 5577 + i,
            "orderRecord": {"commentName": "查看位置", "createTime": "2024-10-11 10:31:09",
                            "latitude": 40.03554, "longitude": 116.303276, "operation": "开始服务",
                            "operationComment": "师傅李缘圆  开始服务", "serviceProgessTimeNum": 5},
            "status": 4}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    m = int(sys.argv[3]) if len(sys.argv) > 3 else 2_000
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(7)
    with open(os.path.join(out, "autox3.jsonl"), "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(autox3_line(i, rnd) + "\n")
    with open(os.path.join(out, "dayu-bodies.jsonl"), "w", encoding="utf-8") as f:
        for i in range(m):
            f.write(dayu_line(i) + "\n")


if __name__ == "__main__":
    main()
