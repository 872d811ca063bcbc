"""Configuration lives in one place: every environment variable Dateline reads is read by
the settings and listed in docs/configuration.md, and a value that is not understood
stops the start with the variable's name."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dateline.settings.env import env_bool, env_float, env_int, env_list, env_path, env_str

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "dateline"
CONFIGURATION_DOC = ROOT / "docs" / "configuration.md"

ENV_HELPERS = {"env_str", "env_bool", "env_int", "env_float", "env_list", "env_path"}
# Files that may touch os.environ, and why (the same list is in settings/base.py).
ENVIRON_ALLOWED = {
    "settings/env.py": "the helpers through which settings/base.py reads every variable",
    "cli.py": "chooses DJANGO_SETTINGS_MODULE before Django starts",
    "wsgi.py": "chooses DJANGO_SETTINGS_MODULE before Django starts",
    "settings/test.py": "gives each test process its own data folder before the settings",
    "ops/backup.py": "hands the environment to pg_dump and pg_restore",
}
# Not scanned for names: the helpers take the name as a parameter, and the test settings
# read what the test runner sets (PYTEST_XDIST_WORKER), nothing for operators.
NOT_OPERATOR_FACING = {"settings/env.py", "settings/test.py"}


def source_files() -> dict[str, ast.Module]:
    return {
        path.relative_to(SOURCE).as_posix(): ast.parse(path.read_text(), filename=str(path))
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
    }


def is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr in {"environ", "environb", "getenv"}
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def reads_a_variable(function: ast.expr) -> bool:
    """env_*(NAME), os.getenv(NAME), os.environ.get/setdefault/pop(NAME)."""
    if isinstance(function, ast.Name):
        return function.id in ENV_HELPERS
    return is_os_environ(function) or (
        isinstance(function, ast.Attribute)
        and function.attr in {"get", "setdefault", "pop"}
        and is_os_environ(function.value)
    )


def environment_reads(tree: ast.Module) -> list[ast.expr]:
    """The name argument of every read, os.environ[NAME] included."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and reads_a_variable(node.func):
            names.append(node.args[0])
        elif isinstance(node, ast.Subscript) and is_os_environ(node.value):
            names.append(node.slice)
    return names


def variables_read() -> dict[str, str]:
    """Each variable read in src/dateline, with the first file that reads it."""
    found: dict[str, str] = {}
    for path, tree in source_files().items():
        if path in NOT_OPERATOR_FACING:
            continue
        for name in environment_reads(tree):
            assert isinstance(name, ast.Constant) and isinstance(name.value, str), (
                f"{path}:{name.lineno} reads an environment variable whose name is not "
                "written out; name it literally so that it can be checked against the docs"
            )
            found.setdefault(name.value, path)
    return found


def variables_documented() -> set[str]:
    """The variables in the first column of docs/configuration.md's tables."""
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", CONFIGURATION_DOC.read_text(), re.M))


def test_every_environment_variable_read_is_documented_in_configuration_md():
    read = variables_read()
    # The scan itself works: it sees the variables everyone sets.
    assert {"DATABASE_URL", "REDIS_URL", "DATELINE_SECRET_KEY", "DATELINE_PAGE_CACHE_DIR"} <= set(
        read
    )
    undocumented = sorted(
        f"{name} (read in {path})"
        for name, path in read.items()
        if name not in variables_documented()
    )
    assert not undocumented, "missing from docs/configuration.md: " + ", ".join(undocumented)


def test_configuration_md_documents_no_variable_that_nothing_reads():
    stale = sorted(variables_documented() - set(variables_read()))
    assert not stale, "docs/configuration.md lists variables nothing reads: " + ", ".join(stale)


def test_every_dateline_name_in_the_code_is_a_documented_variable_or_a_setting():
    """A variable read some other way than the scan above sees (an alias of os.environ, a
    library told the name) still shows up here as a DATELINE_* name nobody knows."""
    from django.conf import settings

    named, read_as_settings = set(), set()
    for path in SOURCE.rglob("*.py"):
        if path.relative_to(SOURCE).as_posix() in NOT_OPERATOR_FACING:
            continue
        text = path.read_text()
        named |= set(re.findall(r"\bDATELINE_[A-Z0-9_]*[A-Z0-9]\b", text))
        # Settings with a default in the code, which base.py need not set.
        read_as_settings |= set(
            re.findall(r"getattr\(settings, [\"'](DATELINE_[A-Z0-9_]+)[\"']", text)
        )
    unknown = sorted(
        name
        for name in named - variables_documented() - read_as_settings
        if not hasattr(settings, name)
    )
    assert not unknown, "neither documented variables nor settings: " + ", ".join(unknown)


def test_only_the_listed_files_touch_os_environ():
    offenders = []
    for path, tree in source_files().items():
        if path in ENVIRON_ALLOWED:
            continue
        for node in ast.walk(tree):
            imports_environ = (
                isinstance(node, ast.ImportFrom)
                and node.module == "os"
                and any(alias.name in {"environ", "environb", "getenv"} for alias in node.names)
            )
            if is_os_environ(node) or imports_environ:
                offenders.append(f"{path}:{node.lineno}")
    assert not offenders, (
        "read settings through django.conf.settings (settings/base.py reads the "
        "environment), not os.environ: " + ", ".join(offenders)
    )


def test_unset_variables_give_the_defaults(monkeypatch):
    monkeypatch.delenv("DATELINE_EXAMPLE", raising=False)
    assert env_str("DATELINE_EXAMPLE", "x") == "x"
    assert env_bool("DATELINE_EXAMPLE", True) is True
    assert env_int("DATELINE_EXAMPLE", 60) == 60
    assert env_float("DATELINE_EXAMPLE", 0.25) == 0.25
    assert env_list("DATELINE_EXAMPLE", "en,ru") == ["en", "ru"]
    assert env_path("DATELINE_EXAMPLE", Path("/srv")) == Path("/srv")


@pytest.mark.parametrize(
    ("value", "on"),
    [
        ("1", True),
        ("TRUE", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("no", False),
        ("", False),
    ],
)
def test_switches_are_on_only_for_the_documented_words(monkeypatch, value, on):
    monkeypatch.setenv("DATELINE_EXAMPLE", value)
    assert env_bool("DATELINE_EXAMPLE", not on) is on


def test_lists_ignore_spaces_and_empty_items(monkeypatch):
    monkeypatch.setenv("DATELINE_EXAMPLE", " news.example.org, ,www.example.org ")
    assert env_list("DATELINE_EXAMPLE") == ["news.example.org", "www.example.org"]


@pytest.mark.parametrize(
    ("read", "value", "message"),
    [
        (env_int, "eighty", "DATELINE_EXAMPLE must be a whole number, not 'eighty'"),
        (env_int, "", "DATELINE_EXAMPLE must be a whole number, not ''"),
        (env_float, "a quarter", "DATELINE_EXAMPLE must be a number, not 'a quarter'"),
    ],
)
def test_a_number_that_is_not_one_names_the_variable(monkeypatch, read, value, message):
    monkeypatch.setenv("DATELINE_EXAMPLE", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        read("DATELINE_EXAMPLE", 1)
    assert str(refused.value) == message
