"""Dutch for Dutch users: the language from the locale, every message and help text in
the catalog, and machine formats that never change with the language."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from ngs_cli.cli import _MODULES

from .conftest import REPO
from .process import needs_ngs, run, user_env

sys.path.insert(0, str(REPO / "tools"))
import catalog  # noqa: E402


def test_every_message_has_a_dutch_translation_and_the_mo_is_compiled():
    template = catalog.extract()
    assert len(template) > 150
    assert catalog.missing(catalog.load(), template) == []
    assert catalog.MO.read_bytes() == catalog.compiled(catalog.load())


def test_a_new_untranslated_message_is_a_gap(monkeypatch):
    template = catalog.extract()
    template.add("A message nobody translated yet.", locations=[("src/ngs_cli/x.py", 1)])
    assert catalog.missing(catalog.load(), template) == ["A message nobody translated yet."]


@pytest.mark.parametrize(
    ("variables", "language"),
    [
        ({"LANGUAGE": "nl"}, "nl"),
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LC_ALL": "nl_NL.UTF-8", "LANG": "C.UTF-8"}, "nl"),
        ({"LC_MESSAGES": "nl_NL.UTF-8"}, "nl"),
        ({"LANGUAGE": "en", "LANG": "nl_NL.UTF-8"}, "en"),
        ({"LANGUAGE": "en:nl", "LANG": "nl_NL.UTF-8"}, "en"),  # English first: English
        ({"LANGUAGE": "en_GB:nl"}, "en"),
        ({"LANGUAGE": "de:nl:en"}, "nl"),  # no German: the next one ngs speaks
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_the_language_comes_from_the_locale(monkeypatch, variables, language):
    from ngs_cli import i18n
    from ngs_cli.cli import settings

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    i18n.use(settings.languages(os.environ))  # as the command line reads it
    try:
        assert i18n.language() == language
    finally:
        monkeypatch.undo()
        i18n.use(None)


# English words that a Dutch sentence of ngs never holds (the data is not in these).
ENGLISH = re.compile(
    r"\b(the|and|with|this|Usage|Options|Commands|Invalid|value|meetings?|Show|Try|"
    r"exit|matches|which|every|Output|format|Did you mean|No such|Examples|Nobody|spoke|"
    r"file|such|not|found|expected|allowed|here|but|got|line|column|unknown|page|none|"
    r"introduction|changed|removed|new|date|city|year|people|topics|words)\b",
    re.IGNORECASE,
)
# Dutch words that an English sentence of ngs never holds ("verslag" it borrows).
DUTCH = re.compile(
    r"\b(het|een|niet|geen|gevonden|bijeenkomsten?|ongeldige|bedoelt|regel|kolom|pagina|"
    r"voor|zijn|waarde|Gebruik|Typ|hulp|onbekend|nieuwe|gewijzigde|woorden|onderwerpen|"
    r"sprekers|datum|stad|jaar)\b",
    re.IGNORECASE,
)
# What a message names rather than says: quoted values and sentences, options, commands,
# file names, and the data's lines a report quotes after a meeting's id.
NAMED = re.compile(
    r"'[^'\n]*'|\"[^\"\n]*\"|“[^”\n]*”|--?[\w-]+|\bngs(?: [a-z]+)?\b|\b(?:AND|OR|NOT)\b"
    r"|[\w./-]+\.(?:csv|html|pdf|yaml|txt)\b"
    r"|^\s*\d{4}[\w-]*(?:: .*)?$"  # a meeting's id, and what a report quotes after it
    r"|/[\w./-]+|\w+(?:\.\w+|\[\d+\])+"  # paths, and fields as data.field[0].name
    r"|(?:Keuze uit|Choose from|standaard|default): [\w, ]+"  # an option's values
    r"|^│ \w+ {2,}"  # a command's name in the table of commands
    r"|\b\w+(?:,\w+)+\b"  # a list of fields
    # BibTeX's and RIS's fields, all but the words of the note
    r"|^\s*(?!note)\w+ = .*$|^(?!N1)[A-Z][A-Z0-9]  - .*$|^\s*note = |^N1  - ",
    re.MULTILINE,
)

SCREENS = [
    ["--help"],
    *[[c, "--help"] for c in _MODULES],
    ["list", "--limit", "x"],
    ["show", "utrech"],
    ["show", "2015"],
    ["list", "--city", "Utrech"],
    ["lst"],
    ["list", "--thema", "x"],
    ["search", "jeugd jeugdbende"],
    ["search", "--", "-corona"],
    ["export", "-o", "/nonexistent/x.csv"],
    ["export", "-o", "report.pdf"],
    ["people", "--role", "astronaut"],
    ["list", "--data", "/nonexistent.yaml"],
    ["list", "x", "y"],
    ["list", "--nope"],
    ["list", "--theme", "undermining2"],
    ["show", "9999"],
    ["export", "-o", "noext"],
    ["draft", "empty.txt"],
    ["draft", "/dev/null"],
    ["draft", "nonexist.txt"],
    ["validate", "bad.yaml"],
    ["validate", "tab.yaml"],
    ["validate", "--source", "page.txt"],
    ["check", "--source", "page.txt"],
    ["cite", "2023", "--format", "bibtex"],
    ["cite", "2016-amersfoort", "--style", "bibtex"],
    ["cite", "2013-eindhoven", "--style", "ris"],
    ["cite", "2023", "--accessed", "gisteren"],
    ["search", "NOT"],
    ["search", "burgemeestre"],
    ["related", "9999"],
    ["timeline", "--theme", "nope"],
]  # fmt: skip
FILES = {
    "empty.txt": "",
    "bad.yaml": "meetings: [\n",
    "tab.yaml": "meetings:\n\t- a\n",
    "page.txt": "Een zin die nergens staat.\n",
}


@needs_ngs
@pytest.mark.parametrize("args", SCREENS, ids=" ".join)
def test_a_dutch_user_meets_no_english_sentence_and_an_english_one_no_dutch(tmp_path, args):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    english = run(*args, env=user_env(tmp_path, LANGUAGE="en"), cwd=tmp_path)
    dutch = run(*args, env=user_env(tmp_path, LANGUAGE="nl"), cwd=tmp_path)
    assert english.returncode == dutch.returncode
    assert ENGLISH.search(english.stdout + english.stderr), "the English run is English"
    assert english.stdout + english.stderr != dutch.stdout + dutch.stderr
    # Commands, options and the data's words are the API and the content: not the language.
    for run_, words, language in ((dutch, ENGLISH, "English"), (english, DUTCH, "Dutch")):
        text = run_.stdout + run_.stderr
        found = sorted(set(words.findall(NAMED.sub("", text))))
        assert not found, f"{language} words in the other language's run: {found}\n{text}"


@needs_ngs
@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("people", "[NAAM]"),
        ("validate", "[PAD]"),
        ("draft", "[BESTAND|-]"),
        ("search", "ZOEKOPDRACHT"),
    ],
)
def test_a_usage_line_names_its_arguments_in_dutch(tmp_path, command, usage):
    shown = run(command, "--help", env=user_env(tmp_path, LANGUAGE="nl")).stdout
    line = next(line for line in shown.splitlines() if "Gebruik:" in line)
    assert f"ngs {command} [OPTIES] {usage}" in line, line


@needs_ngs
def test_show_speaks_dutch_with_dutch_dates(tmp_path):
    shown = run("show", "2023", env=user_env(tmp_path, LANGUAGE="nl")).stdout
    assert re.search(r"^Datum:\s+16 maart 2023$", shown, re.MULTILINE), shown
    assert "\nProgramma\n" in shown and "\nSprekers\n" in shown
    two_days = run("show", "2015-leeuwarden", env=user_env(tmp_path, LANGUAGE="nl")).stdout
    assert "19–20 november 2015" in two_days
    autumn = run("list", "--year", "2013", env=user_env(tmp_path, LANG="nl_NL.UTF-8"))
    assert autumn.returncode == 0
    english = run("show", "2023", env=user_env(tmp_path, LANGUAGE="en", LANG="nl_NL.UTF-8"))
    assert re.search(r"^Date:\s+2023-03-16$", english.stdout, re.MULTILINE)


MACHINE = [
    ["list"], ["list", "--format", "csv"], ["list", "--format", "json"],
    ["list", "--format", "ndjson"], ["search", "burgemeesters"],
    ["search", "carbid", "--format", "json"], ["related", "2014-rotterdam"],
    ["people"], ["people", "--format", "csv"], ["people", "--format", "json"],
    ["topics"], ["cities"], ["timeline"], ["timeline", "--format", "json"],
    ["export", "--format", "csv"], ["export", "--format", "csv", "--excel"],
    ["export", "--format", "json"], ["export", "--format", "ndjson"],
    ["show", "2023", "--format", "json"], ["cite", "2023", "--style", "bibtex"],
    ["cite", "2023", "--style", "csl-json"], ["list", "--city", "Utrech"],
]  # fmt: skip


@needs_ngs
@pytest.mark.parametrize("args", MACHINE, ids=" ".join)
def test_machine_formats_never_change_with_the_language(tmp_path, args):
    c = run(*args, env=user_env(tmp_path, LANG="C.UTF-8"))
    nl = run(*args, env=user_env(tmp_path, LANG="nl_NL.UTF-8", LANGUAGE="nl"))
    assert c.stdout == nl.stdout and c.returncode == nl.returncode
    # Every case writes something, but a filter matching nothing (its hint is on stderr).
    assert bool(c.stdout) is (args[-1] != "Utrech")


@needs_ngs
def test_the_sqlite_export_is_the_same_in_either_language(tmp_path):
    for lang in ("C.UTF-8", "nl_NL.UTF-8"):
        out = tmp_path / f"{lang}.db"
        r = run("export", "--format", "sqlite", "-o", str(out), env=user_env(tmp_path, LANG=lang))
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "C.UTF-8.db").read_bytes() == (tmp_path / "nl_NL.UTF-8.db").read_bytes()


def test_json_keys_are_english_in_either_language(tmp_path):
    rows = json.loads(run("list", "--format", "json",
                          env=user_env(tmp_path, LANGUAGE="nl")).stdout)  # fmt: skip
    assert set(rows[0]) >= {"id", "date", "city", "title", "themes"}


def test_the_catalog_ships_in_the_package():
    import ngs_cli.i18n as i18n

    assert (Path(i18n.LOCALE_DIR) / "nl" / "LC_MESSAGES" / "ngs.mo").is_file()


def test_apa_in_the_reader_s_language_and_lang_to_choose(ngs, bundled, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "nl")
    dutch = ngs("cite", "2016-amersfoort", "--accessed", "2026-11-30").stdout
    assert "([2016], 7 april)." in dutch
    assert "Geraadpleegd op 30 november 2026, van https://" in dutch
    assert "(2013, najaar)." in ngs("cite", "2013-eindhoven").stdout
    assert "([2015], 19–20 november)." in ngs("cite", "2015-leeuwarden").stdout
    english = ngs("cite", "2016-amersfoort", "--accessed", "2026-11-30", "--lang", "en")
    assert (
        "([2016], April 7)." in english.stdout and "Retrieved November 30, 2026" in english.stdout
    )
    monkeypatch.setenv("LANGUAGE", "en")
    assert "7 april" in ngs("cite", "2016-amersfoort", "--lang", "nl").stdout
    assert ngs("cite", "2016-amersfoort", "--lang", "de").exit_code == 2


def test_bibtex_and_csl_name_the_verslag_s_language(ngs, bundled):
    assert "  language = {dutch}\n" in ngs("cite", "2023", "--style", "bibtex").stdout
    (item,) = json.loads(ngs("cite", "2023", "--style", "csl-json").stdout)
    assert item["language"] == "nl"


@needs_ngs
@pytest.mark.parametrize("ref", ["2023", "2020-corona-online"])
def test_show_gives_the_note_in_the_reader_s_language(tmp_path, ref):
    dutch = run("show", ref, env=user_env(tmp_path, LANGUAGE="nl")).stdout
    english = run("show", ref, env=user_env(tmp_path, LANGUAGE="en")).stdout
    assert "Over de datum:" in dutch and "Date note:" in english
    note_nl = dutch.split("Over de datum:")[1].split("\n")[0]
    note_en = english.split("Date note:")[1].split("\n")[0]
    assert re.search(r"\b(Vermeld|afgeleid|vermeld)\b", note_nl), note_nl
    assert re.search(r"\b(Stated|inferred)\b", note_en), note_en
    if ref == "2020-corona-online":
        assert "De pagina noemt geen stad" in dutch and "The page gives no city" in english


@pytest.mark.parametrize(
    ("fields", "dutch", "english"),
    [
        ({"date": "2015-11-19", "end_date": "2015-11-20"}, "19–20 november 2015", "2015-11-19/20"),
        ({"date": "2016-06-30", "end_date": "2016-07-01"}, "30 juni – 1 juli 2016",
         "2016-06-30/2016-07-01"),
        ({"season": "autumn", "year": 2013}, "najaar 2013", "autumn 2013"),
        ({"year": 2017}, "2017", "2017"),
        ({}, "onbekend", "unknown"),
    ],
)  # fmt: skip
def test_a_date_in_words_in_the_language_asked_whatever_the_interface_speaks(
    fields, dutch, english
):
    from ngs_cli import i18n
    from ngs_cli.calendar import in_words

    meeting = {"date": None, "end_date": None, "season": None, "year": None, **fields}
    for interface in ("en", "nl"):
        i18n.use(interface)
        try:
            assert (in_words(meeting, "nl"), in_words(meeting, "en")) == (dutch, english)
            assert in_words(meeting) == (dutch if interface == "nl" else english)
        finally:
            i18n.use(None)


PLANTED = """
from .errors import BadValue, NgsError
from .i18n import N_, _


class PlantedError(BadValue):
    pass


def marked(key):
    raise BadValue(N_("cannot sort by {key}"), key=key)


def translated_now(key):
    raise PlantedError(_("cannot sort by {key}").format(key=key))


def a_field_name():
    raise PlantedError("field", N_("the city must be a name, such as Zwolle"))


def plain(key):
    raise PlantedError(f"cannot sort by {key}")


def plain_format(key):
    raise NgsError("cannot sort by {key}".format(key=key))


def made_and_returned(key):
    return PlantedError(N_("cannot sort by {key}").format(key=key))


def as_a_keyword(key):
    raise NgsError(message=f"cannot sort by {key}")
"""


def test_the_catalog_check_fails_on_an_error_raised_with_a_message_not_marked():
    # Beside ngs's own modules, which raise none (their errors.py says what BadValue is).
    found = catalog.untranslatable({**catalog.sources(), "planted.py": PLANTED})
    assert [place.split(":")[:2] for place in found] == [
        ["planted.py", "23"],  # an f-string
        ["planted.py", "27"],  # a string formatted
        ["planted.py", "31"],  # marked, but formatted before it could be translated
        ["planted.py", "35"],  # a keyword's
    ]


def test_the_catalog_check_fails_on_a_translation_that_names_other_placeholders():
    from babel.messages.catalog import Catalog

    planted = Catalog(locale="nl")
    planted.add(
        "cannot sort by {key}", "kan niet sorteren op {sleutel}", flags=["python-brace-format"]
    )
    planted.add("{n} meeting", "{n} bijeenkomst", flags=["python-brace-format"])
    (found,) = catalog.mismatched(planted)
    assert "{sleutel}" in found or "sleutel" in found
    assert catalog.mismatched(catalog.load()) == []


def test_a_library_error_is_english_for_a_program_and_translated_where_it_is_shown():
    from ngs_cli import i18n
    from ngs_cli.errors import BadValue
    from ngs_cli.i18n import N_

    error = BadValue(N_("cannot sort by {key}"), key="'x'")
    i18n.use("nl")
    try:
        assert (str(error), error.translated()) == (
            "cannot sort by 'x'",
            "kan niet sorteren op 'x'",
        )
    finally:
        i18n.use(None)


def test_the_page_check_reports_in_dutch_under_a_dutch_locale(tmp_path):
    page = tmp_path / "pagina.txt"
    page.write_text("Een zin die nergens staat.\n", encoding="utf-8")
    env = user_env(tmp_path, LANG="nl_NL.UTF-8")
    result = run("validate", "--source", str(page), env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("De pagina en de gegevens verschillen in ")
    assert "paginaregel 1 hoort bij geen enkele bijeenkomst" in result.stderr
    assert ": niet op de pagina: " in result.stderr
    assert "disagree" not in result.stderr and "page line" not in result.stderr


def test_dutch_suggestions_and_click_errors_stay_dutch(tmp_path):
    env = user_env(tmp_path, LANG="nl_NL.UTF-8")
    extra = run("list", "x", "y", env=env)
    assert extra.returncode == 2 and "Te veel argumenten: x y" in extra.stderr
    theme = run("list", "--theme", "radicalizatoin", env=env)
    assert "bedoelt u 'radicalisering'?" in theme.stderr and "radicalization" not in theme.stderr
    english = run("list", "--theme", "radicalizatoin", env=user_env(tmp_path))
    assert "'radicalization'" in english.stderr  # the English alias, for an English reader


def test_the_catalog_check_fails_on_a_message_inside_an_f_string_it_never_extracts():
    planted = "from .i18n import _\n\ndef heading(h):\n    return f\"{h} {_('Nowhere else')}\"\n"
    (found,) = catalog.in_fstrings({"planted.py": planted}, catalog.extract())
    assert found.startswith("planted.py:4:") and "Nowhere else" in found
    assert catalog.in_fstrings(catalog.sources(), catalog.extract()) == []


# What hand edits of a data file get wrong most: a value missing, a tab, "a: b: c", an
# indent, an unclosed quote, an undefined alias, a bad escape, unclosed brackets, two
# documents, a list where a mapping goes on.
BROKEN_YAML = [
    "meetings: [\n", "meetings:\n\t- a\n", "a: b: c\n", "a:\n  - b\n c: d\n", "a: 'open\n",
    "a: *nope\n", 'a: "\\q"\n', "a: [1, 2\nb: 3\n", "a: {b: 1\n", "a: 1\n---\nb: 2\n",
    "- a\nb: c\n", "a: @x\n",
]  # fmt: skip


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
@pytest.mark.parametrize("text", BROKEN_YAML)
def test_what_the_yaml_parsers_say_of_a_broken_file_is_said_in_dutch(text, loader):
    import yaml

    from ngs_cli import i18n
    from ngs_cli.yamlio import _problem

    if not hasattr(yaml, loader):
        pytest.skip(f"this PyYAML is built without libyaml ({loader})")
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.load(text, Loader=getattr(yaml, loader))  # noqa: S506 (safe loaders only)
    problem = caught.value.problem or caught.value.context
    assert problem
    i18n.use("en")
    try:
        assert _problem(problem) == problem  # English: as the parser words it
        i18n.use("nl")
        dutch = _problem(problem)
    finally:
        i18n.use(None)
    assert dutch != problem and not ENGLISH.search(NAMED.sub("", dutch)), (problem, dutch)
