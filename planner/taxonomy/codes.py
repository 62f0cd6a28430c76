"""HS 2022 and ISIC Rev.4 codes as readers see them: a code's title in their language and the
code picker's search over every title. Reference data is read-only, so entries are cached on the app."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import Product, Sector
from planner.taxonomy.reference import hs_search_terms
from planner.text.i18n import _
from planner.text.search import fold, matches_all, query_words

CODE_KINDS = ("product", "sector")


@dataclass(frozen=True, slots=True)
class CodeEntry:
    kind: str
    code: str
    level: str
    titles: tuple[tuple[str, str], ...]  # ((lang, title), …)
    haystack: str  # every title and search term, folded (planner.text.search.fold)
    terms: frozenset[str]  # the folded search terms, for ranking exact hits first

    def title(self, locale: str) -> str:
        titles = dict(self.titles)
        return titles.get(locale) or titles.get("en", "")


@dataclass(frozen=True, slots=True)
class TreeNode:
    parent: str | None
    level: str
    titles: dict[str, str]  # {lang: its own title}, languages without one left out


def code_tree(kind: str) -> dict[str, TreeNode]:
    """Every HS code, or every ISIC node (sections too), with its parent and own titles: one
    query per process (reference data is read-only), so walking up the tree costs no query."""
    cache = current_app.extensions.setdefault("karvan_code_tree", {})
    if kind not in cache:
        model = Product if kind == "product" else Sector
        rows = db.session.execute(select(model.code, model.parent_code, model.level, model.title_en, model.title_fa,
                                         model.title_ru))
        cache[kind] = {code: TreeNode(parent, str(level), {lang: text for lang, text in
                                                          (("en", en), ("fa", fa), ("ru", ru)) if text})
                       for code, parent, level, en, fa, ru in rows}
    return cache[kind]


def lineage(kind: str, code: str) -> list[str]:
    """`code` and its ancestors' codes, from here up to the top (no query after the first)."""
    tree, codes = code_tree(kind), []
    while code is not None and code in tree and code not in codes:
        codes.append(code)
        code = tree[code].parent
    return codes


def is_under(kind: str, code: str, prefix: str) -> bool:
    """True when `code` is `prefix` (a section letter or a code) or below it."""
    return code.startswith(prefix) or prefix in lineage(kind, code)


def title_of(kind: str, code: str, locale: str) -> str | None:
    """The title `code_title` gives, by code; None for an unknown code."""
    tree = code_tree(kind)
    if code not in tree:
        return None
    node = tree[code]
    if locale == "en" or locale in node.titles:
        return node.titles.get(locale) or node.titles.get("en", "")
    for parent in lineage(kind, code)[1:]:
        title = tree[parent].titles.get(locale)
        if title:
            return f"{title} ({parent})"
    return node.titles.get("en", "")


def code_title(node, locale: str) -> str:
    """A code's title in `locale`. Where a code has none (most 6-digit HS subheadings in fa
    and ru), the closest translated parent's title with its code, '… (8708)'; English last.
    The parents come from `code_tree`: no query per level."""
    if locale == "en" or getattr(node, f"title_{locale}", None):
        return node.title(locale)
    return title_of("product" if isinstance(node, Product) else "sector", node.code, locale) or node.title_en


def _code_entries(kind: str) -> list[CodeEntry]:
    """Every HS code, or every ISIC division/group/class, cached on the app (reference data is read-only)."""
    cache = current_app.extensions.setdefault("karvan_codes", {})
    if kind not in cache:
        model = Product if kind == "product" else Sector
        query = select(model).order_by(model.code)
        if kind == "sector":
            query = query.where(Sector.level != "section")
        entries = []
        terms = hs_search_terms(Path(current_app.config["DATA_DIR"])) if kind == "product" else {}
        own: dict[str, dict[str, str]] = {}  # code -> {lang: its own title}; parents come first by code
        for node in db.session.scalars(query):
            titles = {lang: text for lang in ("en", "fa", "ru") if (text := getattr(node, f"title_{lang}"))}
            own[node.code] = titles
            shown = dict(titles)
            for lang in ("fa", "ru"):
                parent = node.parent_code
                while lang not in shown and parent in own:
                    if own[parent].get(lang):
                        shown[lang] = f"{own[parent][lang]} ({parent})"
                    parent = _parent_code(kind, parent)
            words = terms.get(node.code, {})
            entries.append(CodeEntry(kind, node.code, str(node.level), tuple(shown.items()),
                                     fold(" ".join([*titles.values(), *words.values()])),
                                     frozenset(fold(" ".join(words.values())).split())))
        cache[kind] = entries
    return cache[kind]


def _parent_code(kind: str, code: str) -> str | None:
    if kind == "product":
        return code[:-2] if len(code) > 2 else None
    return code[:-1] if len(code) > 2 else None


def search_codes(query: str, kind: str, locale: str, limit: int = 15) -> list[dict]:
    """Codes whose number starts with the digits typed (ASCII, Persian or Arabic-Indic), or
    whose titles (fa, ru or en) and search terms hold every word typed, on any keyboard
    (`planner.text.search.fold`). Codes whose search terms are the words typed come first,
    then the broader codes. Returns [{"kind", "code", "level", "title"}] in `locale`.
    Raises ServiceError for an unknown kind."""
    if kind not in CODE_KINDS:
        raise ServiceError(_("Unknown kind of code."), field="kind")
    words = query_words((query or "").replace(".", ""))
    digits = [word for word in words if word.isdigit()]
    texts = [word for word in words if not word.isdigit()]
    if not words:
        return []
    found = []
    for entry in _code_entries(kind):
        if digits and not any(entry.code.startswith(number) for number in digits):
            continue
        if texts and not matches_all(texts, entry.haystack):
            continue
        found.append(entry)
    found.sort(key=lambda entry: (not (texts and set(texts) <= entry.terms), len(entry.code), entry.code))
    return [{"kind": entry.kind, "code": entry.code, "level": entry.level, "title": entry.title(locale)}
            for entry in found[:limit]]
