"""Fixtures for the pure-Python tests (no Odoo, no database).

The addon's ``__init__.py`` imports ``odoo``, so the repository root must not be
imported as a package here. Root-level helper modules that do not need Odoo
(for instance ``date_utils.py``) are loaded straight from their file with
:mod:`importlib`, under a private name, by the ``load_pure_module`` fixture::

    def test_something(load_pure_module):
        date_utils = load_pure_module("date_utils")
"""

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

ADDON_ROOT = Path(__file__).resolve().parent.parent


def load_pure_module(name):
    """Import ``<addon root>/<name>.py`` without importing the addon package."""
    path = ADDON_ROOT / f"{name}.py"
    if not path.is_file():
        raise FileNotFoundError(f"No pure module {name!r} at {path}")
    qualname = f"_cav_pure_{name}"
    if qualname in sys.modules:
        return sys.modules[qualname]
    spec = importlib.util.spec_from_file_location(qualname, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[qualname] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[qualname]
        raise
    return module


@pytest.fixture(name="load_pure_module")
def fixture_load_pure_module():
    """Return the loader: ``load_pure_module("date_utils")``."""
    return load_pure_module


@pytest.fixture(name="addon_root")
def fixture_addon_root():
    """Path of the addon (the repository root)."""
    return ADDON_ROOT


@pytest.fixture(name="manifest")
def fixture_manifest():
    """The manifest, parsed as a Python literal (it is never executed)."""
    return ast.literal_eval((ADDON_ROOT / "__manifest__.py").read_text(encoding="utf-8"))
