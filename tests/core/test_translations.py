"""The reader site's UI strings are translated into every site language, and the committed
.mo files match the .po files they were compiled from.

No database and no gettext tools are needed: the .po files are read with a small parser
below, the .mo files with the standard library's `gettext`, and the runtime lookups go
through Django's own translation machinery.

When a check here fails after a template or model change, regenerate and translate:
    cd src/dateline
    ../../.venv/bin/dateline manage makemessages -l ru -l hy -l az -l en --no-obsolete \\
        --ignore "demo/*" --ignore "*/migrations/*"
    (translate the new entries, drop the `#, fuzzy` flags)
    ../../.venv/bin/dateline manage compilemessages
"""

from __future__ import annotations

import ast
import gettext as stdlib_gettext
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation.template import templatize

import dateline

PACKAGE_DIR = Path(dateline.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

TRANSLATED = ["ru", "hy", "az"]
NPLURALS = {"ru": 3, "hy": 2, "az": 2}

# Names that stay as they are in every language.
BRAND_NAMES = {
    "X (Twitter)",
    "YouTube",
    "Instagram",
    "Facebook",
    "Telegram",
    "App Store",
    "Google Play",
}

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
ARMENIAN = re.compile(r"[\u0531-\u058F]")
AZERBAIJANI_LETTERS = re.compile(r"[əƏğĞıİşŞçÇöÖüÜ]")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")

GETTEXT_FUNCTIONS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


# --- reading the catalogues -------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    plural_msgstrs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.plural_msgstrs[i] for i in sorted(self.plural_msgstrs)]


@dataclass
class Catalogue:
    header: dict[str, str]
    header_flags: set[str]
    entries: list[Entry]


def _parse_po(path: Path) -> Catalogue:
    blocks = [block for block in path.read_text(encoding="utf-8").split("\n\n") if block.strip()]
    header: dict[str, str] = {}
    header_flags: set[str] = set()
    entries: list[Entry] = []
    for block in blocks:
        flags: set[str] = set()
        references: list[str] = []
        fields: dict[str, str] = {}
        current: str | None = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~"):  # obsolete entry: not part of the catalogue
                fields, current = {}, None
                break
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#:"):
                references += line[2:].split()
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                assert current is not None, f"{path}: continuation without a keyword: {line}"
                fields[current] += ast.literal_eval(line)
            else:
                current, value = line.split(" ", 1)
                fields[current] = ast.literal_eval(value)
        if "msgid" not in fields:
            continue
        if fields["msgid"] == "" and "msgctxt" not in fields:
            header_flags = flags
            for header_line in fields.get("msgstr", "").splitlines():
                name, _, value = header_line.partition(":")
                header[name.strip()] = value.strip()
            continue
        plural_msgstrs = {
            int(match.group(1)): value
            for name, value in fields.items()
            if (match := re.fullmatch(r"msgstr\[(\d+)\]", name))
        }
        entries.append(
            Entry(
                msgid=fields["msgid"],
                msgctxt=fields.get("msgctxt"),
                msgid_plural=fields.get("msgid_plural"),
                msgstr=fields.get("msgstr", ""),
                plural_msgstrs=plural_msgstrs,
                flags=flags,
                references=references,
            )
        )
    return Catalogue(header=header, header_flags=header_flags, entries=entries)


@cache
def catalogue(language: str) -> Catalogue:
    return _parse_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"


# --- reading the sources, the way `makemessages` does -------------------------------------


def _string_args(call: ast.Call) -> list[str] | None:
    args = []
    for arg in call.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            args.append(arg.value)
        else:
            break
    return args or None


def _message_key(name: str, strings: list[str]) -> tuple[str | None, str]:
    if name.startswith(("pgettext", "npgettext")):
        return (strings[0], strings[1])
    return (None, strings[0])


def _calls_in_template(path: Path) -> set[tuple[str | None, str]]:
    """The messages of one template: Django turns it into gettext() calls, as for xgettext."""
    text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    keys = set()
    for match in re.finditer(r"\b(n?p?gettext)\(", text):
        end = match.end()
        while (end := text.find(")", end) + 1) > 0:
            try:
                node = ast.parse(text[match.start() : end], mode="eval").body
            except SyntaxError:
                continue
            strings = _string_args(node)
            if strings:
                keys.add(_message_key(match.group(1), strings))
            break
    return keys


def _calls_in_python(path: Path) -> set[tuple[str | None, str]]:
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in GETTEXT_FUNCTIONS and (strings := _string_args(node)):
            keys.add(_message_key(name, strings))
    return keys


def _skipped(path: Path) -> bool:
    parts = path.relative_to(PACKAGE_DIR).parts
    return parts[0] == "demo" or "migrations" in parts


@cache
def source_messages() -> dict[str, set[tuple[str | None, str]]]:
    templates: set[tuple[str | None, str]] = set()
    for path in sorted(TEMPLATES_DIR.rglob("*")):
        if path.suffix in {".html", ".txt"} and not _skipped(path):
            templates |= _calls_in_template(path)
    python: set[tuple[str | None, str]] = set()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if not _skipped(path):
            python |= _calls_in_python(path)
    return {"templates": templates, "python": python}


def _describe(keys) -> str:
    return "\n".join(sorted(f"  {msgid!r}" + (f" [{ctx}]" if ctx else "") for ctx, msgid in keys))


# --- the checks ---------------------------------------------------------------------------


def test_sources_have_strings_in_templates_and_python():
    found = source_messages()
    assert "What are you looking for?" in {msgid for _, msgid in found["templates"]}
    assert "There is no such page." in {msgid for _, msgid in found["python"]}


@pytest.mark.parametrize("language", [*TRANSLATED, "en"])
def test_catalogue_matches_the_sources(language):
    found = source_messages()
    in_sources = found["templates"] | found["python"]
    in_catalogue = {entry.key for entry in catalogue(language).entries}
    missing = in_sources - in_catalogue
    stale = in_catalogue - in_sources
    assert not missing, f"{language}: not in the catalogue, run makemessages:\n" + _describe(
        missing
    )
    assert not stale, f"{language}: no longer in the sources, run makemessages:\n" + _describe(
        stale
    )
    references = [ref for entry in catalogue(language).entries for ref in entry.references]
    assert any(ref.startswith("templates/") for ref in references)
    assert any(".py:" in ref for ref in references)


@pytest.mark.parametrize("language", TRANSLATED)
def test_header(language):
    cat = catalogue(language)
    assert "fuzzy" not in cat.header_flags
    assert cat.header["Language"] == language
    assert "charset=UTF-8" in cat.header["Content-Type"]
    assert re.match(rf"nplurals={NPLURALS[language]};", cat.header["Plural-Forms"])


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated(language):
    problems = []
    for entry in catalogue(language).entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        if entry.msgid_plural is not None and sorted(entry.plural_msgstrs) != list(
            range(NPLURALS[language])
        ):
            problems.append(f"wrong number of plural forms: {entry.msgid!r}")
        if not all(text.strip() for text in entry.translations):
            problems.append(f"empty: {entry.msgid!r}")
        elif entry.msgid not in BRAND_NAMES and entry.msgstr == entry.msgid:
            problems.append(f"left in English: {entry.msgid!r}")
    assert not problems, f"{language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_kept(language):
    problems = []
    for entry in catalogue(language).entries:
        source = entry.msgid_plural if entry.msgid_plural is not None else entry.msgid
        expected = sorted(PLACEHOLDER.findall(source))
        for text in entry.translations:
            if sorted(PLACEHOLDER.findall(text)) != expected:
                problems.append(f"{entry.msgid!r} -> {text!r}")
    assert not problems, f"{language}: placeholders differ:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("language", "script", "foreign"),
    [
        ("ru", CYRILLIC, ARMENIAN),
        ("hy", ARMENIAN, CYRILLIC),
        ("az", None, re.compile(f"{CYRILLIC.pattern}|{ARMENIAN.pattern}")),
    ],
    ids=["ru", "hy", "az"],
)
def test_translations_are_in_the_right_script(language, script, foreign):
    problems = []
    for entry in catalogue(language).entries:
        for text in entry.translations:
            if foreign.search(text):
                problems.append(f"foreign script: {text!r}")
            if script is not None and entry.msgid not in BRAND_NAMES and not script.search(text):
                problems.append(f"not in {language} script: {text!r}")
    assert not problems, f"{language}:\n" + "\n".join(problems)
    if language == "az":
        everything = " ".join(t for e in catalogue(language).entries for t in e.translations)
        assert AZERBAIJANI_LETTERS.search(everything)


@pytest.mark.parametrize("language", TRANSLATED)
def test_mo_file_matches_po_file(language):
    """The committed .mo is compiled from the current .po: every message and plural form."""
    cat = catalogue(language)
    with mo_path(language).open("rb") as mo_file:
        mo = stdlib_gettext.GNUTranslations(mo_file)
    assert mo.info().get("language") == language
    assert mo.info().get("plural-forms") == cat.header["Plural-Forms"]
    problems = []
    for entry in cat.entries:
        if entry.msgid_plural is None:
            if entry.msgctxt is None:
                compiled = mo.gettext(entry.msgid)
            else:
                compiled = mo.pgettext(entry.msgctxt, entry.msgid)
            if compiled != entry.msgstr:
                problems.append(f"{entry.msgid!r}: .mo has {compiled!r}")
            continue
        compiled_forms = set()
        for n in range(200):
            if entry.msgctxt is None:
                compiled_forms.add(mo.ngettext(entry.msgid, entry.msgid_plural, n))
            else:
                compiled_forms.add(mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n))
        if compiled_forms != set(entry.translations):
            problems.append(f"{entry.msgid!r}: .mo has {sorted(compiled_forms)!r}")
    assert not problems, f"{language}: run compilemessages:\n" + "\n".join(problems)


def _po_translation(language: str, msgid: str) -> Entry:
    return next(entry for entry in catalogue(language).entries if entry.msgid == msgid)


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize(
    "msgid",
    ["Views:", "What are you looking for?", "Link copied", "Skip to content", "Text size"],
)
def test_django_serves_the_translation(language, msgid):
    expected = _po_translation(language, msgid).msgstr
    with translation.override(language):
        assert translation.gettext(msgid) == expected != msgid


@pytest.mark.parametrize("language", TRANSLATED)
def test_django_serves_the_plural_forms(language):
    entry = _po_translation(language, "%(counter)s story found")
    with translation.override(language):
        assert translation.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.translations[0]
        assert translation.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.translations[-1]


def test_russian_plural_forms_follow_the_numeral():
    entry = _po_translation("ru", "%(counter)s story found")
    one, few, many = entry.translations
    with translation.override("ru"):
        for n, form in [(1, one), (21, one), (2, few), (23, few), (5, many), (11, many), (0, many)]:
            assert translation.ngettext(entry.msgid, entry.msgid_plural, n) == form, n
