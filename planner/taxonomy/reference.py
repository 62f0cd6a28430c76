"""Loading the shipped reference data: ISIC Rev.4, HS 2022 and regions."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Product, Region, Sector


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _titles(path: Path, key: str) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    return {row[key]: row for row in _read_csv(path)}


def load_sectors(data_dir: Path) -> int:
    """Insert the ISIC Rev.4 hierarchy with fa/ru titles where shipped; returns rows added."""
    if db.session.scalar(select(func.count()).select_from(Sector)):
        return 0
    titles = _titles(data_dir / "isic4" / "isic4-titles.csv", "code")
    rows = []
    for row in _read_csv(data_dir / "isic4" / "isic4-en.csv"):
        extra = titles.get(row["code"], {})
        rows.append(
            {
                "code": row["code"],
                "level": row["level"],
                "parent_code": row["parent"] or None,
                "title_en": row["title"],
                "title_fa": extra.get("title_fa") or None,
                "title_ru": extra.get("title_ru") or None,
            }
        )
    db.session.execute(Sector.__table__.insert(), rows)
    return len(rows)


def load_products(data_dir: Path) -> int:
    """Insert the HS 2022 hierarchy (chapters, headings, subheadings); returns rows added."""
    if db.session.scalar(select(func.count()).select_from(Product)):
        return 0
    titles = _titles(data_dir / "hs2022" / "hs-titles.csv", "hscode")
    rows = []
    for row in _read_csv(data_dir / "hs2022" / "harmonized-system.csv"):
        code = row["hscode"]
        extra = titles.get(code, {})
        rows.append(
            {
                "code": code,
                "level": len(code),
                "section": row["section"],
                "parent_code": None if row["parent"] == "TOTAL" else row["parent"],
                "title_en": row["description"],
                "title_fa": extra.get("title_fa") or None,
                "title_ru": extra.get("title_ru") or None,
            }
        )
    db.session.execute(Product.__table__.insert(), rows)
    return len(rows)


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
