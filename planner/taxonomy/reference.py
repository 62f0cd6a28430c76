"""Loading the shipped reference data: ISIC Rev.4, HS 2022 and regions, and reading the HS
search terms and the HS → ISIC concordance that are used straight from `data/` (read-only)."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from sqlalchemy import bindparam, func, select, update

from planner.extensions import db
from planner.models import Product, Region, Sector


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _titles(path: Path, key: str) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    return {row[key]: row for row in _read_csv(path)}


def _refresh_titles(model, key: str, titles: dict[str, dict[str, str]]) -> int:
    """Update the fa/ru titles that differ from the shipped ones (an upgrade ships more); returns rows changed."""
    stored = {code: (fa, ru) for code, fa, ru in db.session.execute(select(model.code, model.title_fa, model.title_ru))}
    changed = [{"k": code, "fa": row.get("title_fa") or None, "ru": row.get("title_ru") or None}
               for code, row in titles.items()
               if code in stored and stored[code] != (row.get("title_fa") or None, row.get("title_ru") or None)]
    if changed:
        table = model.__table__
        db.session.execute(update(table).where(table.c.code == bindparam("k"))
                           .values(title_fa=bindparam("fa"), title_ru=bindparam("ru")), changed)
    return len(changed)


def _load_tree(model, rows_path: Path, titles_path: Path, key: str, fields) -> int:
    """Insert a code hierarchy from `rows_path` with the fa/ru titles of `titles_path` (rows by
    their `key` column), each row's other columns given by `fields(row)`; returns rows added.
    When the hierarchy is already there, refresh its fa/ru titles from the shipped file."""
    titles = _titles(titles_path, key)
    if db.session.scalar(select(func.count()).select_from(model)):
        _refresh_titles(model, key, titles)
        return 0
    rows = []
    for row in _read_csv(rows_path):
        extra = titles.get(row[key], {})
        rows.append({**fields(row), "title_fa": extra.get("title_fa") or None, "title_ru": extra.get("title_ru") or None})
    db.session.execute(model.__table__.insert(), rows)
    return len(rows)


def load_sectors(data_dir: Path) -> int:
    """Insert the ISIC Rev.4 hierarchy with fa/ru titles where shipped (`_load_tree`)."""
    return _load_tree(Sector, data_dir / "isic4" / "isic4-en.csv", data_dir / "isic4" / "isic4-titles.csv", "code",
                      lambda row: {"code": row["code"], "level": row["level"], "parent_code": row["parent"] or None,
                                   "title_en": row["title"]})


def load_products(data_dir: Path) -> int:
    """Insert the HS 2022 hierarchy (chapters, headings, subheadings) with fa/ru titles where
    shipped (`_load_tree`)."""
    return _load_tree(Product, data_dir / "hs2022" / "harmonized-system.csv", data_dir / "hs2022" / "hs-titles.csv",
                      "hscode", lambda row: {"code": row["hscode"], "level": len(row["hscode"]), "section": row["section"],
                                             "parent_code": None if row["parent"] == "TOTAL" else row["parent"],
                                             "title_en": row["description"]})


def load_regions(data_dir: Path) -> int:
    added = 0
    existing = set(db.session.scalars(select(Region.key)))
    for row in _read_csv(data_dir / "regions.csv"):
        if row["key"] in existing:
            continue
        db.session.add(
            Region(
                key=row["key"],
                name_fa=row["name_fa"],
                name_ru=row["name_ru"],
                name_en=row["name_en"],
                country=row["country"],
                timezone=row["timezone"],
                native_locale=row["native_locale"],
            )
        )
        added += 1
    db.session.flush()
    return added


def load_reference_data(data_dir: Path) -> dict[str, int]:
    """Everything matching needs; safe to call again (adds only what is missing)."""
    counts = {
        "sectors": load_sectors(data_dir),
        "products": load_products(data_dir),
        "regions": load_regions(data_dir),
    }
    db.session.flush()
    return counts


@lru_cache(maxsize=4)
def hs_search_terms(data_dir: Path) -> dict[str, dict[str, str]]:
    """HS code -> {"fa": words, "ru": words}: the words people type for a product
    (data/hs2022/hs-terms.csv, "|"-separated there, space-joined here)."""
    path = data_dir / "hs2022" / "hs-terms.csv"
    if not path.exists():
        return {}
    return {row["hscode"]: {"fa": row["terms_fa"].replace("|", " "), "ru": row["terms_ru"].replace("|", " ")}
            for row in _read_csv(path)}


@lru_cache(maxsize=4)
def hs_makers(data_dir: Path) -> dict[str, tuple[str, ...]]:
    """HS 2022 heading (4 digits) -> the ISIC Rev.4 classes whose firms make such goods, most
    frequent first (data/hs2022/hs-isic4.csv; UNSD's HS–ISIC correlation, see data/README.md)."""
    path = data_dir / "hs2022" / "hs-isic4.csv"
    if not path.exists():
        return {}
    makers: dict[str, list[str]] = {}
    for row in _read_csv(path):
        makers.setdefault(row["hs_heading"], []).append(row["isic_class"])
    return {heading: tuple(classes) for heading, classes in makers.items()}
