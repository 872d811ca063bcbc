"""Every module of Dateline imports: a module moved between apps leaves no import behind
pointing at its old place (the import contracts in pyproject.toml ignore imports of
modules that no longer exist)."""

from __future__ import annotations

import importlib
import pkgutil

import dateline


def test_every_module_imports():
    names = [
        module.name
        for module in pkgutil.walk_packages(dateline.__path__, "dateline.")
        if ".migrations" not in module.name and module.name != "dateline.wsgi"
    ]
    assert len(names) > 50
    for name in names:
        importlib.import_module(name)
