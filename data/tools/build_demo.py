#!/usr/bin/env python3
"""Build the fictional demo data set: data/demo/firms.json, delegation.json, event.json.

All firms and people are fictional. Run from anywhere:  python3 data/tools/build_demo.py
The firm definitions live in demo_firms_kr.py and demo_firms_ch.py (same folder).
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from demo_common import CITIES, ROLES  # noqa: E402
import demo_firms_kr  # noqa: E402
import demo_firms_ch  # noqa: E402

rng = random.Random(1405)


def phone(region, city):
    if region == "khorasan-razavi":
        if rng.random() < 0.5:
            return "+98 51 3%03d %04d" % (rng.randint(0, 999), rng.randint(0, 9999))
        return "+98 915 %03d %04d" % (rng.randint(100, 999), rng.randint(0, 9999))
    code = CITIES[city][2]
    if rng.random() < 0.45:
        return "+7 9%02d %03d-%02d-%02d" % (rng.choice([12, 22, 51, 90, 8, 68]), rng.randint(100, 999),
                                             rng.randint(0, 99), rng.randint(0, 99))
    local_len = 10 - len(code.split()[1])  # national number has 10 digits
    digits = "%0*d" % (local_len, rng.randint(2 * 10 ** (local_len - 1), 10 ** local_len - 1))
    if local_len == 7:
        local = "%s-%s-%s" % (digits[:3], digits[3:5], digits[5:])
    elif local_len == 6:
        local = "%s-%s-%s" % (digits[:2], digits[2:4], digits[4:])
    else:
        local = "%s-%s-%s" % (digits[:1], digits[1:3], digits[3:])
    return "%s %s" % (code, local)


def note(t, order=("fa", "ru", "en")):
    if t is None:
        return None
    d = dict(zip(order, t))
    return {"fa": d["fa"], "ru": d["ru"], "en": d["en"]}


def item(entry, order):
    kind, code, t = entry[0], entry[1], entry[2]
    volume = entry[3] if len(entry) > 3 else None
    cert = entry[4] if len(entry) > 4 else None
    return {"kind": {"p": "product", "s": "sector"}[kind], "code": code, "note": note(t, order),
            "volume": volume, "certification": cert}


def build_firm(d, used_emails, order):
    key = d["key"]
    domain = key.split("-", 1)[1] + ".example"
    region = "khorasan-razavi" if key.startswith("kr-") else "chelyabinsk"
    city = CITIES[d["city"]]
    people = []
    for p in d["people"]:
        first, last, first_l, last_l, role, langs = p[:6]
        days = p[6] if len(p) > 6 else None
        local = (first_l[0] + "." + last_l).lower().replace(" ", "").replace("'", "").replace("-", "")
        email = "%s@%s" % (local, domain)
        n = 2
        while email in used_emails:
            email = "%s%d@%s" % (local, n, domain)
            n += 1
        used_emails.add(email)
        people.append({
            "first_name": first, "last_name": last,
            "first_name_latin": first_l, "last_name_latin": last_l,
            "role": dict(zip(("fa", "ru", "en"), ROLES[role])),
            "email": email, "phone": phone(region, d["city"]),
            "languages": langs, "attending_days": days,
        })
    return {
        "key": key,
        "name_native": d["name"],
        "name_latin": d["latin"],
        "region": region,
        "city": city[0],
        "city_latin": city[1],
        "website": "https://" + domain,
        "size": d["size"],
        "founded": d["founded"],
        "description": note(d["desc"], order),
        "sectors": d["sectors"],
        "languages": d["langs"],
        "public": d.get("public", True),
        "capabilities": [item(e, order) for e in d["caps"]],
        "needs": [item(e, order) for e in d["needs"]],
        "participants": people,
    }, d.get("stay_home", ())


def main():
    used = set()
    firms = []
    non_travelling = set()
    for mod in (demo_firms_kr, demo_firms_ch):
        for d in mod.FIRMS:
            firm, stay = build_firm(d, used, mod.TEXT_ORDER)
            firms.append(firm)
            for i in stay:
                non_travelling.add(firm["participants"][i]["email"])
    os.makedirs(os.path.join(DATA, "demo"), exist_ok=True)

    def dump(name, obj):
        with open(os.path.join(DATA, "demo", name), "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=2)
            f.write("\n")

    dump("firms.json", firms)

    ch = [f for f in firms if f["region"] == "chelyabinsk"]
    members = [p["email"] for f in ch for p in f["participants"] if p["email"] not in non_travelling]
    head = demo_firms_ch.HEAD_EMAIL
    assert head in members, head
    delegation = {
        "key": "chelyabinsk-2026",
        "region": "chelyabinsk",
        "name": {
            "fa": "هیئت تجاری استان چلیابینسک — آبان ۱۴۰۵",
            "ru": "Деловая делегация Челябинской области — ноябрь 2026",
            "en": "Chelyabinsk Oblast business delegation — November 2026",
        },
        "head_email": head,
        "member_emails": members,
        "travel_start": "2026-11-07",
        "travel_end": "2026-11-12",
        "interpreters": [
            {"name": "Елена Садыкова", "name_latin": "Elena Sadykova",
             "languages": ["fa", "ru"], "email": "e.sadykova@karvan-interpreters.example"},
            {"name": "سیدعلی موسوی", "name_latin": "Seyed Ali Mousavi",
             "languages": ["fa", "ru", "en"], "email": "a.mousavi@karvan-interpreters.example"},
            {"name": "نازنین فرهادی", "name_latin": "Nazanin Farhadi",
             "languages": ["fa", "en"], "email": "n.farhadi@karvan-interpreters.example"},
        ],
    }
    dump("delegation.json", delegation)

    event = {
        "slug": "demo",
        "name": {
            "fa": "ملاقات‌های تجاری B2B خراسان رضوی و چلیابینسک — نمایشگاه معدن ۱۴۰۵",
            "ru": "B2B-встречи Хорасан-Резави — Челябинская область на выставке «Горное дело» 2026",
            "en": "Khorasan Razavi – Chelyabinsk B2B meetings at the Mining show 1405",
        },
        "exhibition_key": "mining-1405",
        "start_date": "2026-11-08",
        "end_date": "2026-11-11",
        "timezone": "Asia/Tehran",
        "sessions": [{"day": i, "start": "09:00", "end": "12:30"} for i in range(4)],
        "slot_minutes": 25,
        "break_minutes": 5,
        "tables": 24,
        "host_tables": [
            {"firm_key": demo_firms_kr.HOST_TABLE[0], "name": demo_firms_kr.HOST_TABLE[1]},
            {"firm_key": demo_firms_ch.HOST_TABLE[0], "name": demo_firms_ch.HOST_TABLE[1]},
        ],
        "who_can_meet": "cross-region",
        "min_meetings": 3,
        "max_meetings": 10,
        "request_mode": "mutual-accept",
    }
    dump("event.json", event)
    print("firms: %d (kr %d, ch %d); delegation members %d"
          % (len(firms), len(firms) - len(ch), len(ch), len(members)))


if __name__ == "__main__":
    main()
