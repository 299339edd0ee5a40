"""Layout checks that need neither Odoo nor a database."""

import ast

import pytest


def test_manifest_is_a_literal_dict(addon_root):
    tree = ast.parse((addon_root / "__manifest__.py").read_text(encoding="utf-8"))
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr)
    assert isinstance(tree.body[0].value, ast.Dict)
    assert isinstance(ast.literal_eval(tree.body[0].value), dict)


def test_manifest_version_and_license(manifest):
    assert manifest["version"].startswith("19.0.")
    assert len(manifest["version"].split(".")) == 5
    assert manifest["license"] == "LGPL-3"


@pytest.mark.parametrize("key", ["data", "demo"])
def test_manifest_files_exist(addon_root, manifest, key):
    missing = [name for name in manifest.get(key, []) if not (addon_root / name).is_file()]
    assert not missing, f"files listed in {key!r} but missing: {missing}"


def test_pure_loader_does_not_import_odoo(load_pure_module, addon_root, tmp_path, monkeypatch):
    """The loader imports a root-level file without the addon package."""
    import sys

    import conftest

    monkeypatch.setattr(conftest, "ADDON_ROOT", tmp_path)
    (tmp_path / "cav_probe.py").write_text("VALUE = 42\n", encoding="utf-8")
    try:
        module = load_pure_module("cav_probe")
        assert module.VALUE == 42
    finally:
        sys.modules.pop("_cav_pure_cav_probe", None)


def test_odoo_is_not_imported():
    """These tests must run where Odoo is not installed."""
    import sys

    assert "odoo" not in sys.modules
