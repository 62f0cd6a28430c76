"""Sector (ISIC Rev.4) and Product (HS 2022) hierarchies with titles in en, fa and ru."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.base import Shown, in_language


class _Titled:
    title_en: Mapped[str]
    title_fa: Mapped[str | None]
    title_ru: Mapped[str | None]

    def title(self, locale: str) -> str:
        """Title in `locale`; English where no translation is shipped."""
        return in_language(self, "title", locale)


class Sector(_Titled, Shown, db.Model):
    """An ISIC Rev.4 node: section (A), division (2 digits), group (3) or class (4)."""

    __tablename__ = "sector"
    __repr_attrs__ = ("code",)

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    level: Mapped[str] = mapped_column(String(10))  # section | division | group | class
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("sector.code"), index=True)
    title_en: Mapped[str] = mapped_column(String(300))
    title_fa: Mapped[str | None] = mapped_column(String(300))
    title_ru: Mapped[str | None] = mapped_column(String(300))

    parent: Mapped[Sector | None] = relationship(remote_side=[code])

    def lineage(self) -> list[Sector]:
        """This node and its ancestors, from here up to the section."""
        nodes, node = [], self
        while node is not None:
            nodes.append(node)
            node = node.parent
        return nodes

    def is_under(self, prefix: str) -> bool:
        """True when this node is `prefix` (a section letter or a code) or below it."""
        return self.code.startswith(prefix) or any(node.code == prefix for node in self.lineage())


class Product(_Titled, Shown, db.Model):
    """An HS 2022 node: chapter (2 digits), heading (4) or subheading (6)."""

    __tablename__ = "product"
    __repr_attrs__ = ("code",)

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    level: Mapped[int]  # 2, 4 or 6
    section: Mapped[str] = mapped_column(String(5))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("product.code"), index=True)
    title_en: Mapped[str] = mapped_column(String(400))
    title_fa: Mapped[str | None] = mapped_column(String(400))
    title_ru: Mapped[str | None] = mapped_column(String(400))

    parent: Mapped[Product | None] = relationship(remote_side=[code])
