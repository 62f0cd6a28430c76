"""The public firm directory: filters by region, sector and text over public fields only, a
page at a time."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.extensions import db
from planner.models import Firm, Region, Sector
from planner.models.firms import firm_sectors
from planner.taxonomy.codes import is_under, lineage
from planner.text.i18n import current_locale
from planner.text.scripts import name_key
from planner.text.search import fold, matches_all, query_words

PER_PAGE = 48


def search_firms(region_key: str | None = None, sector_prefix: str | None = None, text: str | None = None,
                 include_private: bool = False, locale: str | None = None) -> list[Firm]:
    """Firms in the alphabetical order of the names the reader sees (`locale`). Sector filter
    matches a code prefix or an ISIC section letter; `text` finds every word in the firm's names
    and cities as typed on any keyboard (`planner.text.search.fold`). Sectors are not loaded
    (`load_page` loads them for the firms shown)."""
    locale = locale or current_locale()
    query = select(Firm).join(Region, Firm.region_id == Region.id).options(selectinload(Firm.region))
    if not include_private:
        query = query.where(Firm.public.is_(True))
    if region_key:
        query = query.where(Region.key == region_key)
    firms = sorted(db.session.scalars(query), key=lambda firm: name_key(firm, locale))
    words = query_words(text)
    if words:
        # Folded in Python, the same on SQLite and PostgreSQL: a '%word%' pattern could not use an
        # index anyway, and the page loads these rows to sort them by the reader's alphabet.
        firms = [firm for firm in firms if matches_all(words, fold(" ".join(
            filter(None, (firm.name_native, firm.name_latin, firm.city, firm.city_latin)))))]
    if sector_prefix:
        # one query for the (firm, sector) pairs; the ISIC tree is walked in the cached code tree
        inside = {firm_id for firm_id, code in db.session.execute(select(firm_sectors.c.firm_id, firm_sectors.c.sector_code))
                  if is_under("sector", code, sector_prefix)}
        firms = [firm for firm in firms if firm.id in inside]
    return firms


def load_page(firms: list[Firm]) -> list[Firm]:
    """The firms of one page with their sectors, in one query."""
    if firms:
        db.session.scalars(select(Firm).where(Firm.id.in_([firm.id for firm in firms]))
                           .options(selectinload(Firm.sectors))).all()
    return firms


def directory_sections() -> list[Sector]:
    """ISIC sections that at least one public firm works in, for the filter."""
    used = db.session.scalars(select(firm_sectors.c.sector_code).distinct()
                              .join(Firm, Firm.id == firm_sectors.c.firm_id).where(Firm.public.is_(True)))
    codes = {code for used_code in used for code in lineage("sector", used_code) if not code.isdigit()}
    return list(db.session.scalars(select(Sector).where(Sector.code.in_(codes)).order_by(Sector.code)))
