"""Merge the fa/ru titles and search terms written per chapter range (data/hs2022/parts/*.csv,
columns hscode,title_fa,title_ru,terms_fa,terms_ru) into the shipped files:

- data/hs2022/hs-titles.csv   hscode,title_fa,title_ru   (every chapter and heading, and the
  subheadings of the chapters Karvan's industries trade in; earlier rows for other codes kept)
- data/hs2022/hs-terms.csv    hscode,terms_fa,terms_ru   (words people type, separated by "|")

Run from the repository root: python data/tools/merge_hs_titles.py. Idempotent.
"""
import csv
import sys
from pathlib import Path

HS = Path("data/hs2022")


def read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    order = [row["hscode"] for row in read(HS / "harmonized-system.csv")]
    titles = {row["hscode"]: row for row in read(HS / "hs-titles.csv")}
    terms = {row["hscode"]: row for row in read(HS / "hs-terms.csv")} if (HS / "hs-terms.csv").exists() else {}
    for part in sorted((HS / "parts").glob("*.csv")):
        if part.name.startswith("hs-isic"):
            continue
        for row in read(part):
            code = row["hscode"]
            titles[code] = {"hscode": code, "title_fa": row["title_fa"].strip(), "title_ru": row["title_ru"].strip()}
            if row.get("terms_fa") or row.get("terms_ru"):
                terms[code] = {"hscode": code, "terms_fa": row["terms_fa"].strip(), "terms_ru": row["terms_ru"].strip()}
    rank = {code: n for n, code in enumerate(order)}
    for name, rows, fields in (("hs-titles.csv", titles, ["hscode", "title_fa", "title_ru"]),
                               ("hs-terms.csv", terms, ["hscode", "terms_fa", "terms_ru"])):
        with open(HS / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\r\n")
            writer.writeheader()
            for code in sorted(rows, key=lambda c: rank.get(c, 10**9)):
                writer.writerow({key: rows[code][key] for key in fields})
        print(f"{name}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
