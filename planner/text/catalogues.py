"""The gettext catalogues under `planner/translations/<domain>/`: re-extract and merge, compile.

The same steps as `make translations-update DOMAIN=…` and `make translations`, through Babel's
own command-line interface so that `flask translate` needs no shell.
"""
from __future__ import annotations

from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "planner" / "translations"
LANGUAGES = ("fa", "ru", "en")


def domains() -> list[str]:
    """Every catalogue folder that has a babel.cfg, e.g. ["core", "matching", …]."""
    return sorted(path.parent.name for path in CATALOGUES.glob("*/babel.cfg"))


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def update_catalogue(domain: str) -> None:
    """Extract `domain`'s messages (files named by its babel.cfg) into messages.pot and merge
    them into its fa, ru and en .po files, creating a missing one. Raises ValueError for an
    unknown domain."""
    folder = CATALOGUES / domain
    if not (folder / "babel.cfg").is_file():
        raise ValueError(f"no catalogue {domain!r}; known: {', '.join(domains())}")
    pot = folder / "messages.pot"
    _pybabel("extract", "-F", str(folder / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2",
             "--ignore-dirs=.* .venv", "-o", str(pot), "--no-location", "--sort-output", "--omit-header", str(ROOT))
    for language in LANGUAGES:
        if (folder / language / "LC_MESSAGES" / "messages.po").is_file():
            _pybabel("update", "-i", str(pot), "-d", str(folder), "-l", language, "--no-fuzzy-matching", "--ignore-obsolete")
        else:
            _pybabel("init", "-i", str(pot), "-d", str(folder), "-l", language)
            _clear_fuzzy_header(folder / language / "LC_MESSAGES" / "messages.po")


def _clear_fuzzy_header(path: Path) -> None:
    """`pybabel init` marks the new catalogue's header fuzzy, and `compile` then skips the whole
    catalogue silently; the header is ours, so the mark goes."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('#, fuzzy\nmsgid ""\n', 'msgid ""\n', 1), encoding="utf-8")


def compile_catalogues() -> list[str]:
    """Compile every domain's .po files; returns the domains compiled."""
    done = []
    for domain in domains():
        _pybabel("compile", "-d", str(CATALOGUES / domain))
        done.append(domain)
    return done
