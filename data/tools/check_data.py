#!/usr/bin/env python3
"""Validate everything under data/ (standard library only).

    python3 data/tools/check_data.py            # check data/, exit 1 on any error
    python3 data/tools/check_data.py -v         # also print statistics

Checks: encodings (UTF-8, no BOM), CSV headers, reference copies, ISIC/HS title coverage and
script (Persian ی/ک, Cyrillic), the exhibition calendar (Jalali <-> Gregorian, sectors, hours),
that sample-bad.csv fails in exactly the four intended ways, demo firms (codes, keys, e-mails,
languages, participants), cross-region match depths, delegation, event and regions.
"""
import csv
import datetime as dt
import io
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
REFERENCE = os.environ.get("KARVAN_REFERENCE", "/work/shared/reference")

errors = []
stats = []


def err(msg):
    errors.append(msg)


def stat(msg):
    stats.append(msg)


# ---------------------------------------------------------------- Jalali calendar
# Borkowski / jalaali-js algorithm (33-year cycles with break years); matches jdatetime
# and the `holidays` package for 1300-1500 SH.
_BREAKS = [-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097,
           2192, 2262, 2324, 2394, 2456, 3178]


def _div(a, b):
    return int(a / b)


def _mod(a, b):
    return a - _div(a, b) * b


def jal_cal(jy):
    """Return (leap, gregorian_year, march_day_of_nowruz); leap == 0 means a leap year."""
    if jy < _BREAKS[0] or jy >= _BREAKS[-1]:
        raise ValueError("Jalali year out of range: %r" % jy)
    gy = jy + 621
    leap_j = -14
    jp = _BREAKS[0]
    jump = 0
    for jm in _BREAKS[1:]:
        jump = jm - jp
        if jy < jm:
            break
        leap_j += _div(jump, 33) * 8 + _div(_mod(jump, 33), 4)
        jp = jm
    n = jy - jp
    leap_j += _div(n, 33) * 8 + _div(_mod(n, 33) + 3, 4)
    if _mod(jump, 33) == 4 and jump - n == 4:
        leap_j += 1
    leap_g = _div(gy, 4) - _div((_div(gy, 100) + 1) * 3, 4) - 150
    march = 20 + leap_j - leap_g
    if jump - n < 6:
        n = n - jump + _div(jump + 4, 33) * 33
    leap = _mod(_mod(n + 1, 33) - 1, 4)
    if leap == -1:
        leap = 4
    return leap, gy, march


def jalali_month_length(jy, jm):
    if 1 <= jm <= 6:
        return 31
    if 7 <= jm <= 11:
        return 30
    if jm == 12:
        return 30 if jal_cal(jy)[0] == 0 else 29
    raise ValueError("bad Jalali month %r" % jm)


def jalali_to_gregorian(text):
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text or "")
    if not m:
        raise ValueError("not YYYY-MM-DD: %r" % text)
    jy, jm, jd = map(int, m.groups())
    if not 1 <= jd <= jalali_month_length(jy, jm):
        raise ValueError("day out of range: %r" % text)
    _, gy, march = jal_cal(jy)
    offset = (jm - 1) * 31 - (jm // 7) * (jm - 7) + jd - 1
    return dt.date(gy, 3, march) + dt.timedelta(days=offset)


def _self_test_calendar():
    known = {"1403-12-30": "2025-03-20", "1404-01-01": "2025-03-21", "1404-09-01": "2025-11-22",
             "1405-01-01": "2026-03-21", "1405-12-29": "2027-03-20", "1402-06-09": "2023-08-31",
             "1404-09-24": "2025-12-15", "1403-05-25": "2024-08-15"}
    for j, g in known.items():
        got = jalali_to_gregorian(j).isoformat()
        if got != g:
            err("calendar self-test: %s -> %s, expected %s" % (j, got, g))
    if jalali_month_length(1405, 12) != 29:
        err("calendar self-test: 1405 must not be a leap year")
    if jalali_month_length(1403, 12) != 30:
        err("calendar self-test: 1403 must be a leap year")


# ---------------------------------------------------------------- helpers
def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def check_text_file(path):
    raw = read_bytes(path)
    rel = os.path.relpath(path, DATA)
    if raw.startswith(b"\xef\xbb\xbf"):
        err("%s: starts with a UTF-8 BOM" % rel)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err("%s: not UTF-8 (%s)" % (rel, e))


def read_csv(rel, header):
    path = os.path.join(DATA, rel)
    if not os.path.exists(path):
        err("%s: missing" % rel)
        return []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, strict=True)
        rows = list(reader)
    if not rows or rows[0] != header:
        err("%s: header %r, expected %r" % (rel, rows[0] if rows else None, header))
        return []
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            err("%s line %d: %d fields, expected %d" % (rel, i, len(r), len(header)))
            continue
        out.append(dict(zip(header, r)))
    return out


def read_json(rel):
    path = os.path.join(DATA, rel)
    if not os.path.exists(path):
        err("%s: missing" % rel)
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


ARABIC_YEH_KAF = re.compile("[\u064a\u0643\u0649]")   # ي ك ى must be Persian ی ک
PERSIAN = re.compile("[\u0600-\u06ff]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
LATIN_WORD = re.compile("[A-Za-z]{4,}")


def _check_native(where, text, language, letters, script):
    """A non-empty text with letters of its script and no stray whitespace; False when empty."""
    if not text or not text.strip():
        err("%s: empty %s text" % (where, language))
        return False
    if not letters.search(text):
        err("%s: no %s letters in %r" % (where, script, text))
    if text != text.strip() or "  " in text:
        err("%s: stray whitespace in %r" % (where, text))
    return True


def check_fa(where, text, allow_latin=True):
    if _check_native(where, text, "Persian", PERSIAN, "Persian") and ARABIC_YEH_KAF.search(text):
        err("%s: Arabic ي/ك/ى instead of Persian ی/ک in %r" % (where, text))


def check_ru(where, text):
    _check_native(where, text, "Russian", CYRILLIC, "Cyrillic")


def check_en(where, text):
    if not text or not text.strip():
        err("%s: empty English text" % where)
    elif CYRILLIC.search(text) or PERSIAN.search(text):
        err("%s: English text contains Persian/Cyrillic: %r" % (where, text))


# ---------------------------------------------------------------- reference tables
def load_reference():
    isic_rows = read_csv("isic4/isic4-en.csv", ["code", "level", "parent", "title"])
    isic = {r["code"]: r for r in isic_rows}
    levels = Counter(r["level"] for r in isic_rows)
    expected = {"section": 21, "division": 88, "group": 238, "class": 419}
    if dict(levels) != expected:
        err("isic4-en.csv: level counts %r, expected %r" % (dict(levels), expected))
    for r in isic_rows:
        if r["parent"] and r["parent"] not in isic:
            err("isic4-en.csv: %s has unknown parent %s" % (r["code"], r["parent"]))

    hs_rows = read_csv("hs2022/harmonized-system.csv", ["section", "hscode", "description", "parent", "level"])
    hs = {r["hscode"]: r for r in hs_rows}
    chapters = [c for c, r in hs.items() if r["level"] == "2"]
    if len(chapters) != 97:
        err("harmonized-system.csv: %d chapters, expected 97" % len(chapters))
    sections = read_csv("hs2022/sections.csv", ["section", "name"])
    if len(sections) != 21:
        err("sections.csv: %d sections, expected 21" % len(sections))
    known_sections = {s["section"] for s in sections} | {"TOTAL"}  # UN Comtrade aggregates 99, 9999, TOTAL
    for r in hs_rows:
        if r["section"] not in known_sections:
            err("harmonized-system.csv: %s has unknown section %s" % (r["hscode"], r["section"]))

    # verbatim copies of the shared reference, when it is available
    pairs = [("isic4/isic4-en.csv", "isic4/isic4-en.csv", False),
             ("hs2022/harmonized-system.csv", "hs2022/harmonized-system.csv", False),
             ("hs2022/sections.csv", "hs2022/sections.csv", True)]
    if os.path.isdir(REFERENCE):
        for ours, theirs, strip_bom in pairs:
            a = read_bytes(os.path.join(DATA, ours))
            b = read_bytes(os.path.join(REFERENCE, theirs))
            if strip_bom and b.startswith(b"\xef\xbb\xbf"):
                b = b[3:]
            if a != b:
                err("%s: differs from the reference copy %s" % (ours, theirs))
        stat("reference copies compared with %s" % REFERENCE)
    else:
        stat("reference directory not found; copies not compared")
    return isic, hs


def isic_classes(isic):
    return {c for c, r in isic.items() if r["level"] == "class"}


def hs_valid_product(hs, code):
    return code in hs and re.fullmatch(r"\d{2}|\d{4}|\d{6}", code) is not None


# ---------------------------------------------------------------- exhibitions
EXH_HEADER = ["key", "title_fa", "title_ru", "title_en", "venue", "venue_fa", "venue_ru", "halls", "start_jalali", "end_jalali",
              "start_date", "end_date", "opening_time", "closing_time", "sectors", "status", "mark", "basis"]
KNOWN_HALLS = {"Mafakher", "Attar", "Khalij-e Fars"}
STATUSES = {"planned", "confirmed", "postponed", "cancelled"}
MARKS = {"verified", "illustrative"}


def validate_exhibitions(rows, classes):
    """Return a list of (kind, key, message). kind in bad-date, unknown-sector,
    duplicate-key, end-before-start, other."""
    problems = []
    seen = set()
    for r in rows:
        k = r["key"]
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k):
            problems.append(("other", k, "key is not a slug"))
        if k in seen:
            problems.append(("duplicate-key", k, "duplicate key"))
        seen.add(k)
        dates = {}
        for f in ("start_jalali", "end_jalali"):
            try:
                dates[f] = jalali_to_gregorian(r[f])
            except ValueError as e:
                problems.append(("bad-date", k, "%s: %s" % (f, e)))
        for f in ("start_date", "end_date"):
            try:
                dates[f] = dt.date.fromisoformat(r[f])
            except ValueError as e:
                problems.append(("bad-date", k, "%s: %s" % (f, e)))
        for j, g in (("start_jalali", "start_date"), ("end_jalali", "end_date")):
            if j in dates and g in dates and dates[j] != dates[g]:
                problems.append(("bad-date", k, "%s %s is %s, but %s is %s"
                                 % (j, r[j], dates[j], g, dates[g])))
        if "start_date" in dates and "end_date" in dates and dates["end_date"] < dates["start_date"]:
            problems.append(("end-before-start", k, "end_date before start_date"))
        elif "start_jalali" in dates and "end_jalali" in dates and dates["end_jalali"] < dates["start_jalali"]:
            problems.append(("end-before-start", k, "end_jalali before start_jalali"))
        for s in r["sectors"].split(";"):
            if s not in classes:
                problems.append(("unknown-sector", k, "sector %r is not an ISIC Rev.4 class" % s))
        times = []
        for f in ("opening_time", "closing_time"):
            if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", r[f]):
                problems.append(("other", k, "%s %r is not HH:MM" % (f, r[f])))
            else:
                times.append(r[f])
        if len(times) == 2 and times[0] >= times[1]:
            problems.append(("other", k, "opening_time not before closing_time"))
        if r["halls"]:
            for h in r["halls"].split(";"):
                if h not in KNOWN_HALLS:
                    problems.append(("other", k, "unknown hall %r" % h))
        if r["status"] not in STATUSES:
            problems.append(("other", k, "status %r" % r["status"]))
        if r["mark"] not in MARKS:
            problems.append(("other", k, "mark %r" % r["mark"]))
        if not r["venue"]:
            problems.append(("other", k, "empty venue"))
    return problems


def check_exhibitions(classes):
    rows = read_csv("exhibitions/mashhad-1405.csv", EXH_HEADER)
    if len(rows) != 13:
        err("mashhad-1405.csv: %d rows, expected 13" % len(rows))
    for kind, key, msg in validate_exhibitions(rows, classes):
        err("mashhad-1405.csv %s: %s" % (key, msg))
    for r in rows:
        where = "mashhad-1405.csv %s" % r["key"]
        check_fa(where + " title_fa", r["title_fa"])
        check_ru(where + " title_ru", r["title_ru"])
        check_en(where + " title_en", r["title_en"])
        if r["mark"] != "illustrative" or r["status"] != "planned":
            err(where + ": every §1.3 row is illustrative and planned")
        if not r["basis"]:
            err(where + ": empty basis")
    # calendar must avoid overlaps between shows
    spans = sorted((r["start_date"], r["end_date"], r["key"]) for r in rows)
    for a, b in zip(spans, spans[1:]):
        if b[0] <= a[1]:
            err("mashhad-1405.csv: %s overlaps %s" % (a[2], b[2]))

    bad = read_csv("exhibitions/sample-bad.csv", EXH_HEADER)
    if len(bad) != 4:
        err("sample-bad.csv: %d rows, expected 4" % len(bad))
    kinds = Counter(kind for kind, _, _ in validate_exhibitions(bad, classes))
    for kind in ("bad-date", "unknown-sector", "duplicate-key", "end-before-start"):
        if not kinds.get(kind):
            err("sample-bad.csv: expected a %s error, none found" % kind)
    if kinds.get("other"):
        err("sample-bad.csv: unexpected other errors: %d" % kinds["other"])
    stat("sample-bad.csv problems found: %s" % dict(kinds))
    return {r["key"]: r for r in rows}


# ---------------------------------------------------------------- titles
def read_titles(path, key, known):
    """Rows of a fa/ru titles file (`path`, codes in column `key`): each code once, known, with a
    Persian and a Russian title; returns the rows and the set of codes."""
    name = path.rsplit("/", 1)[-1]
    rows = read_csv(path, [key, "title_fa", "title_ru"])
    codes = [r[key] for r in rows]
    for c, n in Counter(codes).items():
        if n > 1:
            err("%s: duplicate %s" % (name, c))
    for r in rows:
        if r[key] not in known:
            err("%s: unknown code %s" % (name, r[key]))
        check_fa("%s %s" % (name, r[key]), r["title_fa"])
        check_ru("%s %s" % (name, r[key]), r["title_ru"])
    return rows, set(codes)


def check_titles(isic, hs, used_isic, used_hs):
    rows, have = read_titles("isic4/isic4-titles.csv", "code", isic)
    for r in rows:
        if r["title_ru"] == isic.get(r["code"], {}).get("title"):
            err("isic4-titles.csv %s: Russian title is the English one" % r["code"])
    for c, r in isic.items():
        if r["level"] in ("section", "division") and c not in have:
            err("isic4-titles.csv: missing %s %s" % (r["level"], c))
    for c in sorted(used_isic):
        if c not in have:
            err("isic4-titles.csv: missing class %s used in data" % c)
        g = isic.get(c, {}).get("parent")
        if g and g not in have:
            err("isic4-titles.csv: missing group %s (parent of %s)" % (g, c))
    stat("isic4-titles.csv: %d rows" % len(rows))

    rows, have = read_titles("hs2022/hs-titles.csv", "hscode", hs)
    for c, r in hs.items():
        if r["level"] == "2" and c not in have:
            err("hs-titles.csv: missing chapter %s" % c)
    for c in sorted(used_hs):
        for p in {c, c[:4] if len(c) == 6 else c}:
            if p not in have:
                err("hs-titles.csv: missing %s used in data" % p)
    stat("hs-titles.csv: %d rows" % len(rows))


# ---------------------------------------------------------------- firms
SIZES = {"micro", "small", "medium", "large"}
LANGS = {"fa", "ru", "en", "tk", "az"}
REGION_PREFIX = {"kr-": "khorasan-razavi", "ch-": "chelyabinsk"}


def check_firms(isic, hs):
    firms = read_json("demo/firms.json")
    if not isinstance(firms, list):
        err("firms.json: not a list")
        return [], set(), set()
    classes = isic_classes(isic)
    used_isic, used_hs = set(), set()
    keys, emails = Counter(), Counter()
    regions = Counter()
    for f in firms:
        k = f.get("key", "?")
        keys[k] += 1
        where = "firms.json %s" % k
        expected = {"key", "name_native", "name_latin", "region", "city", "city_latin", "website", "size",
                    "founded", "description", "sectors", "languages", "public", "capabilities", "needs",
                    "participants"}
        if set(f) != expected:
            err("%s: fields %s" % (where, sorted(set(f) ^ expected)))
            continue
        prefix = k[:3]
        region = REGION_PREFIX.get(prefix)
        if region is None or f["region"] != region:
            err("%s: key prefix and region %r disagree" % (where, f["region"]))
        regions[f["region"]] += 1
        native_script = PERSIAN if f["region"] == "khorasan-razavi" else CYRILLIC
        if not native_script.search(f["name_native"]) or not native_script.search(f["city"]):
            err("%s: name/city not in native script" % where)
        if f["region"] == "khorasan-razavi":
            check_fa(where + " name_native", f["name_native"])
        if not re.fullmatch(r"[A-Za-z0-9' .\-]+", f["name_latin"]) or not re.fullmatch(r"[A-Za-z' .\-]+", f["city_latin"]):
            err("%s: name_latin/city_latin not plain Latin" % where)
        domain = k[3:] + ".example"
        if f["website"] != "https://" + domain:
            err("%s: website %r, expected https://%s" % (where, f["website"], domain))
        if f["size"] not in SIZES:
            err("%s: size %r" % (where, f["size"]))
        if not isinstance(f["founded"], int) or not 1850 <= f["founded"] <= 2026:
            err("%s: founded %r" % (where, f["founded"]))
        if f["public"] is not True:
            err("%s: public must be true in the demo" % where)
        d = f["description"]
        check_fa(where + " description.fa", d.get("fa"))
        check_ru(where + " description.ru", d.get("ru"))
        check_en(where + " description.en", d.get("en"))
        if not f["sectors"]:
            err("%s: no sectors" % where)
        for s in f["sectors"]:
            if s not in classes:
                err("%s: sector %r is not an ISIC class" % (where, s))
            used_isic.add(s)
        if not set(f["languages"]) <= LANGS or not f["languages"]:
            err("%s: languages %r" % (where, f["languages"]))
        home = "fa" if f["region"] == "khorasan-razavi" else "ru"
        if home not in f["languages"]:
            err("%s: firm does not list %s" % (where, home))
        for list_name in ("capabilities", "needs"):
            for i, it in enumerate(f[list_name]):
                w = "%s %s[%d]" % (where, list_name, i)
                if set(it) != {"kind", "code", "note", "volume", "certification"}:
                    err("%s: fields %r" % (w, sorted(it)))
                    continue
                if it["kind"] == "product":
                    if not hs_valid_product(hs, it["code"]):
                        err("%s: %r is not an HS 2022 code" % (w, it["code"]))
                    used_hs.add(it["code"])
                elif it["kind"] == "sector":
                    if it["code"] not in classes:
                        err("%s: %r is not an ISIC class" % (w, it["code"]))
                    used_isic.add(it["code"])
                else:
                    err("%s: kind %r" % (w, it["kind"]))
                if it["note"] is not None:
                    check_fa(w + " note.fa", it["note"].get("fa"))
                    check_ru(w + " note.ru", it["note"].get("ru"))
                    check_en(w + " note.en", it["note"].get("en"))
                for opt in ("volume", "certification"):
                    if it[opt] is not None and not isinstance(it[opt], str):
                        err("%s: %s must be a string or null" % (w, opt))
        if not f["capabilities"]:
            err("%s: no capabilities" % where)
        ps = f["participants"]
        if not 1 <= len(ps) <= 3:
            err("%s: %d participants" % (where, len(ps)))
        for i, p in enumerate(ps):
            w = "%s participant %d" % (where, i)
            emails[p.get("email")] += 1
            if not re.fullmatch(r"[a-z0-9.]+@" + re.escape(domain), p.get("email", "")):
                err("%s: email %r not at %s" % (w, p.get("email"), domain))
            if not native_script.search(p["first_name"] + p["last_name"]):
                err("%s: name not in native script" % w)
            if not re.fullmatch(r"[A-Za-z' \-]+", p["first_name_latin"] + p["last_name_latin"]):
                err("%s: Latin name %r" % (w, p["first_name_latin"] + " " + p["last_name_latin"]))
            if f["region"] == "khorasan-razavi":
                check_fa(w + " name", p["first_name"] + " " + p["last_name"])
                if not re.fullmatch(r"\+98 (51 3\d{3} \d{4}|9\d{2} \d{3} \d{4})", p["phone"]):
                    err("%s: phone %r" % (w, p["phone"]))
            else:
                if not re.fullmatch(r"\+7 \d{3,5} [\d\-]+", p["phone"]) or len(re.sub(r"\D", "", p["phone"])) != 11:
                    err("%s: phone %r" % (w, p["phone"]))
            role = p.get("role") or {}
            check_fa(w + " role.fa", role.get("fa"))
            check_ru(w + " role.ru", role.get("ru"))
            check_en(w + " role.en", role.get("en"))
            if not set(p["languages"]) <= LANGS or home not in p["languages"]:
                err("%s: languages %r" % (w, p["languages"]))
            days = p["attending_days"]
            if days is not None and (not days or sorted(set(days)) != days or not set(days) <= {0, 1, 2, 3}):
                err("%s: attending_days %r" % (w, days))
    for k, n in keys.items():
        if n > 1:
            err("firms.json: duplicate key %s" % k)
    for e, n in emails.items():
        if n > 1:
            err("firms.json: duplicate email %s" % e)
    if regions["khorasan-razavi"] < 44 or regions["chelyabinsk"] < 32:
        err("firms.json: %r firms, need at least 44 Khorasan Razavi and 32 Chelyabinsk" % dict(regions))
    both = sum(1 for f in firms if {"fa", "ru"} <= set(f["languages"]))
    if not 1 <= both <= len(firms) // 4:
        err("firms.json: %d firms speak both fa and ru; expected only a few" % both)
    stat("firms.json: %d firms %r, %d participants, %d speak fa+ru"
         % (len(firms), dict(regions), sum(emails.values()), both))
    return firms, used_isic, used_hs


def match_depth(cap, need):
    if cap["kind"] != need["kind"]:
        return None
    a, b = cap["code"], need["code"]
    if cap["kind"] == "sector":
        return "isic" if a == b else None
    n = min(len(a), len(b))
    if a[:n] != b[:n]:
        return None
    return "hs%d" % n


def check_matches(firms):
    pairs = {}
    depths = Counter()
    for s in firms:
        for b in firms:
            if s["region"] == b["region"]:
                continue
            for c in s["capabilities"]:
                for n in b["needs"]:
                    d = match_depth(c, n)
                    if d:
                        depths[d] += 1
                        pairs.setdefault((s["key"], b["key"]), set()).add(d)
    mutual = {tuple(sorted(p)) for p in pairs if (p[1], p[0]) in pairs}
    degree = Counter()
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    lonely = [f["key"] for f in firms if degree[f["key"]] == 0]
    for d in ("hs6", "hs4", "hs2", "isic"):
        if depths[d] < 5:
            err("matches: only %d cross-region matches at depth %s" % (depths[d], d))
    if len(mutual) < 5:
        err("matches: only %d mutual pairs" % len(mutual))
    if not lonely:
        err("matches: expected a few firms without any match")
    if len(lonely) > len(firms) // 8:
        err("matches: %d firms without any match" % len(lonely))
    stat("matches: %d directed firm pairs, %d mutual, depths %r, unmatched %r"
         % (len(pairs), len(mutual), dict(depths), lonely))


# ---------------------------------------------------------------- delegation, event, regions
def check_delegation(firms):
    d = read_json("demo/delegation.json")
    if not d:
        return
    ch_emails = {p["email"] for f in firms if f["region"] == "chelyabinsk" for p in f["participants"]}
    if d.get("key") != "chelyabinsk-2026" or d.get("region") != "chelyabinsk":
        err("delegation.json: key/region")
    name = d.get("name", {})
    check_fa("delegation.json name.fa", name.get("fa"))
    check_ru("delegation.json name.ru", name.get("ru"))
    check_en("delegation.json name.en", name.get("en"))
    members = d.get("member_emails", [])
    if len(set(members)) != len(members):
        err("delegation.json: duplicate member emails")
    for e in members:
        if e not in ch_emails:
            err("delegation.json: member %s is not a Chelyabinsk participant" % e)
    if d.get("head_email") not in members:
        err("delegation.json: head_email is not a member")
    try:
        ts, te = dt.date.fromisoformat(d["travel_start"]), dt.date.fromisoformat(d["travel_end"])
        if te < ts:
            err("delegation.json: travel_end before travel_start")
    except (KeyError, ValueError) as e:
        err("delegation.json: travel dates: %s" % e)
    interp = d.get("interpreters", [])
    pairs = sorted("-".join(sorted(i.get("languages", []))) for i in interp)
    if pairs != sorted(["fa-ru", "en-fa-ru", "en-fa"]):
        err("delegation.json: interpreter language sets %r" % pairs)
    if len({i.get("email") for i in interp}) != len(interp):
        err("delegation.json: duplicate interpreter email")
    stat("delegation.json: %d members of %d Chelyabinsk participants" % (len(members), len(ch_emails)))
    return d


def check_event(firms, exhibitions, delegation):
    e = read_json("demo/event.json")
    if not e:
        return
    ex = exhibitions.get(e.get("exhibition_key"))
    if ex is None:
        err("event.json: unknown exhibition_key %r" % e.get("exhibition_key"))
        return
    start, end = dt.date.fromisoformat(e["start_date"]), dt.date.fromisoformat(e["end_date"])
    if (start.isoformat(), end.isoformat()) != (ex["start_date"], ex["end_date"]):
        err("event.json: dates differ from the exhibition %s" % ex["key"])
    ndays = (end - start).days + 1
    name = e.get("name", {})
    check_fa("event.json name.fa", name.get("fa"))
    check_ru("event.json name.ru", name.get("ru"))
    check_en("event.json name.en", name.get("en"))
    try:
        from zoneinfo import ZoneInfo
        ZoneInfo(e["timezone"])
    except Exception as x:  # noqa: BLE001
        err("event.json: timezone %r: %s" % (e.get("timezone"), x))
    days = sorted(s["day"] for s in e["sessions"])
    if days != list(range(ndays)):
        err("event.json: sessions must be one per day 0..%d, got %r" % (ndays - 1, days))
    for s in e["sessions"]:
        if not (s["start"] < s["end"] <= ex["opening_time"]):
            err("event.json: session %r must end before the show opens (%s)" % (s, ex["opening_time"]))
    if not (0 < e["slot_minutes"] and 0 <= e["break_minutes"] and 0 < e["min_meetings"] <= e["max_meetings"]):
        err("event.json: slot/break/min/max values")
    keys = {f["key"]: f for f in firms}
    for h in e["host_tables"]:
        f = keys.get(h["firm_key"])
        if f is None:
            err("event.json: host table for unknown firm %r" % h["firm_key"])
        elif f["size"] != "large":
            err("event.json: host table firm %s is not large" % f["key"])
    if len(e["host_tables"]) != 2 or len(e["host_tables"]) > e["tables"]:
        err("event.json: host_tables count")
    if e.get("who_can_meet") != "cross-region" or e.get("request_mode") != "mutual-accept":
        err("event.json: who_can_meet / request_mode")
    if delegation:
        ts, te = dt.date.fromisoformat(delegation["travel_start"]), dt.date.fromisoformat(delegation["travel_end"])
        if not (ts <= start and end <= te):
            err("event.json: event days are outside the delegation's travel dates")
    slots = 0
    for s in e["sessions"]:
        h1, m1 = map(int, s["start"].split(":"))
        h2, m2 = map(int, s["end"].split(":"))
        mins = (h2 * 60 + m2) - (h1 * 60 + m1)
        slots += (mins + e["break_minutes"]) // (e["slot_minutes"] + e["break_minutes"])
    stat("event.json: %d days, %d slots per table, %d tables" % (ndays, slots, e["tables"]))


def check_regions():
    rows = read_csv("regions.csv", ["key", "name_fa", "name_ru", "name_en", "country", "timezone", "native_locale"])
    keys = {r["key"]: r for r in rows}
    want = {"khorasan-razavi": "Asia/Tehran", "chelyabinsk": "Asia/Yekaterinburg",
            "tehran": "Asia/Tehran", "sverdlovsk": "Asia/Yekaterinburg"}
    for k, tz in want.items():
        if k not in keys:
            err("regions.csv: missing %s" % k)
        elif keys[k]["timezone"] != tz:
            err("regions.csv: %s timezone %r" % (k, keys[k]["timezone"]))
    for r in rows:
        check_fa("regions.csv %s" % r["key"], r["name_fa"])
        check_ru("regions.csv %s" % r["key"], r["name_ru"])
        if r["country"] not in ("IR", "RU"):
            err("regions.csv %s: country %r" % (r["key"], r["country"]))
        if r["native_locale"] != {"IR": "fa", "RU": "ru"}.get(r["country"]):
            err("regions.csv %s: native_locale %r" % (r["key"], r["native_locale"]))


def main():
    verbose = "-v" in sys.argv[1:]
    _self_test_calendar()
    for root, _, files in os.walk(DATA):
        for name in files:
            if name.endswith((".csv", ".json", ".md", ".py")):
                check_text_file(os.path.join(root, name))
    isic, hs = load_reference()
    exhibitions = check_exhibitions(isic_classes(isic))
    firms, used_isic, used_hs = check_firms(isic, hs)
    for r in exhibitions.values():
        used_isic.update(r["sectors"].split(";"))
    check_titles(isic, hs, used_isic, used_hs)
    check_matches(firms)
    delegation = check_delegation(firms)
    check_event(firms, exhibitions, delegation)
    check_regions()
    if verbose or errors:
        for s in stats:
            print("  " + s)
    for e in errors:
        print("ERROR: " + e)
    print("%s: %d errors" % ("FAILED" if errors else "OK", len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
