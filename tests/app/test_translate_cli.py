"""`flask translate update|compile` work on the per-feature catalogues (they crashed before)."""
from __future__ import annotations

import shutil

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from planner.text import catalogues


def _copy_tree(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    shutil.copytree(catalogues.ROOT / "planner", root / "planner", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copytree(catalogues.ROOT / "templates", root / "templates")
    monkeypatch.setattr(catalogues, "ROOT", root)
    monkeypatch.setattr(catalogues, "CATALOGUES", root / "planner" / "translations")
    return root


def test_compile_writes_every_catalogue(app, tmp_path, monkeypatch):
    root = _copy_tree(tmp_path, monkeypatch)
    result = app.test_cli_runner().invoke(args=["translate", "compile"])
    assert result.exit_code == 0, result.output
    for domain in ("core", "matching", "scheduling", "timetables"):
        assert f"{domain}: compiled" in result.output
        with open(root / "planner" / "translations" / domain / "ru" / "LC_MESSAGES" / "messages.mo", "rb") as handle:
            assert len(read_mo(handle)) > 10


def test_update_picks_up_a_new_message_in_its_own_catalogue(app, tmp_path, monkeypatch):
    root = _copy_tree(tmp_path, monkeypatch)
    module = root / "planner" / "timetables" / "cli.py"
    module.write_text(module.read_text() + '\n\ndef _probe():\n    return _("A brand-new sentence for the probe")\n')
    result = app.test_cli_runner().invoke(args=["translate", "update", "timetables"])
    assert result.exit_code == 0, result.output
    with open(root / "planner" / "translations" / "timetables" / "fa" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        ids = {message.id for message in read_po(handle)}
    assert "A brand-new sentence for the probe" in ids
    with open(root / "planner" / "translations" / "core" / "fa" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        assert "A brand-new sentence for the probe" not in {message.id for message in read_po(handle)}


def test_update_refuses_an_unknown_catalogue(app):
    result = app.test_cli_runner().invoke(args=["translate", "update", "nonsense"])
    assert result.exit_code != 0
    assert "no catalogue 'nonsense'" in str(result.exception)


def test_no_catalogue_is_skipped_by_compile():
    """A fuzzy header makes `pybabel compile` skip the whole catalogue without an error."""
    for po in catalogues.CATALOGUES.glob("*/*/LC_MESSAGES/messages.po"):
        with open(po, "rb") as handle:
            assert not read_po(handle).fuzzy, po
