"""People and programme: the speakers a verslag names, with their role and organisation
as far as the words tell, and the programme, read from a list the text introduces as one.

``read_programme`` gives the programme and its people; ``speakers_of_sections`` names
each section's speakers, from the people known and the heading's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..calendar import MONTHS_NL, WEEKDAYS_NL
from ..i18n import _
from ..text import NAME_PARTICLES, WORD, fold
from .findings import Findings
from .page import Section, list_items, shorten, split_statements

# Read between the words of a name: "in", "het" and "vd" are far more often a word of
# the sentence than of a name ("Jan Jansen in Utrecht").
_PARTICLES = NAME_PARTICLES - {"in", "het", "vd"}
_ACADEMIC = frozenset({"dr.", "dr", "prof.", "prof", "drs.", "drs", "mr.", "mr", "ir.", "ir"})
_ACADEMIC |= {"ing.", "ing", "ds."}
_ROLE_WORDS = frozenset(
    [
        "dagvoorzitter",
        "voorzitter",
        "burgemeester",
        "wethouder",
        "minister",
        "staatssecretaris",
        "directeur",
        "hoogleraar",
        "lector",
        "gedeputeerde",
        "commissaris",
        "korpschef",
        "hoofdcommissaris",
        "programmamanager",
        "adviseur",
        "onderzoeker",
        "officier",
        "projectleider",
        "coordinator",
        "gemeentesecretaris",
        "raadslid",
        "teamleider",
    ]
)
# Words that open a programme item before a speaker's name: "Inleiding Hubert Bruls, ...".
_PROGRAMME_WORDS = frozenset(
    [
        "inleiding",
        "presentatie",
        "opening",
        "welkom",
        "welkomstwoord",
        "welkomstvoorwoord",
        "afsluiting",
        "lezing",
        "keynote",
        "toespraak",
        "interview",
        "workshop",
        "discussie",
        "gesprek",
    ]
)
# Capitalised words that start no name: sentence openers, organisations, the calendar.
NOT_NAMES = (
    frozenset(
        [
            "de",
            "het",
            "een",
            "in",
            "op",
            "met",
            "van",
            "voor",
            "over",
            "na",
            "bij",
            "en",
            "door",
            "uit",
            "aan",
            "tijdens",
            "namens",
            "universiteit",
            "rijksuniversiteit",
            "hogeschool",
            "gemeente",
            "ministerie",
            "centrum",
            "instituut",
            "leger",
            "politie",
            "politieacademie",
            "stichting",
            "vereniging",
            "thema",
            "netwerk",
            "grote",
            "steden",
            "nederland",
            "europa",
            "corona",
            "agenda",
            "programma",
            "leerstoel",
        ]
    )
    | _ROLE_WORDS
    | _PROGRAMME_WORDS
    | set(WEEKDAYS_NL)
    | set(MONTHS_NL)
)
_ORG_WORDS = (
    "gemeente",
    "universiteit",
    "ministerie",
    "hogeschool",
    "politie",
    "provincie",
    "stichting",
    "vereniging",
    "directie",
)
_TOKEN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“\"(])")


def _name_token(word: str) -> bool:
    # The capital first: most words of a sentence have none, and folding is slow.
    if len(word) < 2 or not word[0].isupper() or fold(word) in NOT_NAMES:
        return False
    rest = word[1:]
    letters = [c for c in rest if c.isalpha()]
    return (
        bool(letters)
        and all(c.isalpha() or c in "-'’" for c in rest)
        and any(c.islower() for c in letters)
    )


def _take_name(text: str, pos: int, *, single: bool) -> tuple[str, int] | None:
    """The name that starts at ``pos``, and where it ends; None when none starts there."""
    words: list[tuple[int, str, bool]] = []  # start, word without punctuation, is a name word
    for m in _TOKEN.finditer(text, pos):
        token = m.group()
        word = token.rstrip(",.;:")
        if token[0] in "(‘“\"'":
            break
        if _name_token(word):
            words.append((m.start(), word, True))
        elif word in _PARTICLES and words:
            words.append((m.start(), word, False))
        else:
            break
        if word != token or len(words) >= 6:
            break  # punctuation ends a name
    while words and not words[-1][2]:
        words.pop()
    count = sum(1 for w in words if w[2])
    if count >= 2 or (single and count == 1):
        start, last = words[0][0], words[-1]
        return text[start : last[0] + len(last[1])], last[0] + len(last[1])
    return None


def _describe(desc: str) -> tuple[str | None, str | None]:
    """A speaker's description split into role and organisation, as far as the words tell."""
    d = desc.strip().rstrip(".").strip()
    if not d:
        return None, None
    paren = re.fullmatch(r"(.+?)\s*\((?:vanuit |namens )?([^()]+)\)?", d)
    if paren:  # "coördinator ... (vanuit gemeente Utrecht)": the organisation in brackets
        return paren[1], paren[2].strip() or None
    org_start = rf"(?=[A-Z]|(?:{'|'.join(_ORG_WORDS)})\b)"
    if " bij " in d:
        role, org = d.rsplit(" bij ", 1)
        return role or None, org or None
    m = re.search(rf" van (de|het) {org_start}", d)
    if m:
        org = d[m.end() :]
        return d[: m.start()] or None, f"het {org}" if m[1] == "het" else org
    m = re.search(r"(?:^| )(gemeente [A-Z].*)$", d)
    if m:
        org = re.split(r" over | met | voor ", m[1])[0]
        return d[: m.start()].strip() or None, org
    if d[0].isupper() or re.match(rf"(?:het|de) [A-Z]|(?:{'|'.join(_ORG_WORDS)})\b", d):
        return None, d
    words = d.split()
    for k in range(1, len(words)):
        before = " ".join(words[:k])
        if before.count("‘") > before.count("’"):
            break  # inside a quoted title: "schrijfster van het boek ‘Schuld & Boete’"
        if words[k][0].isupper() and words[k - 1] not in ("van", "uit", "voor", "over", "in"):
            return before, " ".join(words[k:])
    return d, None


def _role_prefix(text: str, pos: int) -> tuple[list[str], int]:
    """Role words and titles before a name ("dagvoorzitter", "dr."), and where they end."""
    prefix: list[str] = []
    for m in _TOKEN.finditer(text, pos):
        word = m.group()
        if len(prefix) == 2 or (
            fold(word.rstrip(",")) not in _ROLE_WORDS and word.lower() not in _ACADEMIC
        ):
            break
        prefix.append(word)
        pos = m.end()
    return prefix, pos


def _speakers_at(text: str, pos: int) -> tuple[list[dict[str, Any]], int] | None:
    """The speakers named from ``pos``: "[role] Name[, description | (description)] [en ...]".

    Returns the people and where their mention ends, or None when no name starts there.
    """
    people: list[dict[str, Any]] = []
    end = pos
    while True:
        prefix, at = _role_prefix(text, pos)
        titled = any(fold(w) in _ROLE_WORDS for w in prefix)
        name = _take_name(text, at, single=titled)
        if name is None:
            break
        person: dict[str, Any] = {"name": name[0], "prefix": " ".join(prefix), "desc": None}
        pos = name[1]
        paren = re.match(r"\s*\(([^()]*)\)?", text[pos:])
        if paren:
            person["desc"] = paren[1]
            pos += paren.end()
        elif text.startswith(",", pos):
            stop = _SENTENCE_END.search(text, pos)
            person["desc"] = text[pos + 1 : stop.start() if stop else len(text)]
            pos = stop.start() if stop else len(text)
        people.append(person)
        end = pos
        more = re.match(r"\s+(?:en|&)\s+", text[pos:])
        if more is None or text.startswith(",", name[1]):
            break  # a description after a comma runs to the end of the sentence
        pos += more.end()
    if not people:
        return None
    shared = None
    for person in reversed(people):  # "A en B (X)": both are of X
        if person["desc"] is not None:
            shared = person["desc"]
        else:
            person["desc"] = shared
    return [_person(p) for p in people], end


def _person(found: dict[str, Any]) -> dict[str, Any]:
    role, organisation = _describe(found["desc"] or "")
    prefix = found["prefix"]
    if prefix and fold(prefix.split()[0]) in _ROLE_WORDS:
        prefix = prefix[0].lower() + prefix[1:]
    name = found["name"]
    place = re.fullmatch(r"(.+ .+?) (van [A-Z][\w’'-]+)", name)
    if place and prefix and fold(prefix.split()[-1]) in {"burgemeester", "wethouder"}:
        # "Burgemeester Wim Cornelis van Gouda": the mayor of Gouda, not Mr van Gouda.
        name, prefix = place[1], f"{prefix} {place[2]}"
    return {
        "name": name,
        "role": ", ".join(p for p in (prefix, role) if p) or None,
        "organisation": organisation,
    }


def title_of(text: str) -> str | None:
    """The text's first sentence as a title, without its full stop; None for no text."""
    first = _SENTENCE_END.split(text.strip())[0] if text.strip() else ""
    first = first.strip().rstrip(" –-,")
    if first.endswith(".") and not first.endswith(".."):
        first = first[:-1]
    return first or None


def _programme_item(text: str) -> tuple[str | None, list[dict[str, Any]]]:
    """A programme line as (title, speakers); title None when the line only names people."""
    for m in re.finditer(r"\bdoor\s+", text):
        found = _speakers_at(text, m.end())
        if found:
            return title_of(text[: m.start()]), found[0]
    first, _space, rest = text.partition(" ")
    if rest and fold(first.rstrip(":,")) in _PROGRAMME_WORDS:
        found = _speakers_at(text, len(first) + 1)
        if found:
            return first.rstrip(":,"), found[0]
    # A line that opens with a name and says who they are names a person, not a session.
    found = _speakers_at(text, 0)
    name = _take_name(text, 0, single=False)
    if found and (fold(first) in _ROLE_WORDS or name and re.match(r",|\s*\(", text[name[1] :])):
        return None, found[0]
    for m in re.finditer(r",\s+", text):
        found = _speakers_at(text, m.end())
        if found:
            return title_of(text[: m.start()]), found[0]
    return title_of(text), []


_PROGRAMME_LEAD = re.compile(
    r"\bprogramma|\bagenda\b|\bsprekers\b|\bpresentaties\b|\bworkshops?\b", re.IGNORECASE
)
# "Na de presentaties gingen de deelnemers uiteen ...:" leads into what was discussed.
_NOT_PROGRAMME_LEAD = re.compile(r"^Na\s+(?:de|het|afloop)\b", re.IGNORECASE)
_PROGRAMME_LEAD_WEAK = re.compile(r"aan bod|aan de orde", re.IGNORECASE)


def _is_programme(section: Section, index: int) -> bool:
    """Whether the list at ``index`` of the section is the meeting's programme."""
    if section.heading and re.match(r"(?:het )?(?:programma|agenda)\b", fold(section.heading)):
        return True
    before = section.elements[index - 1] if index else None
    if before is None or before.kind != "paragraph" or not before.text.endswith(":"):
        return False
    lead = before.text
    if _NOT_PROGRAMME_LEAD.match(lead):
        return False
    if _PROGRAMME_LEAD.search(lead):
        return True
    items = [i if isinstance(i, str) else i["text"] for i in list_items(section.elements[index])]
    # "Kwamen aan de orde:" also leads into lists of points made; those run long.
    return bool(_PROGRAMME_LEAD_WEAK.search(lead)) and all(
        len(split_statements(i)) == 1 and len(i.split()) < 20 for i in items
    )


def read_programme(
    sections: list[Section], f: Findings
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The programme, from the lists the text introduces as one, and the people it names."""
    programme: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    named: list[dict[str, Any]] = []  # merged once, in order: a merge an item is quadratic
    sources: list[str] = []
    for section in sections:
        for index, element in enumerate(section.elements):
            if element.kind != "list" or not _is_programme(section, index):
                continue
            sources.append(section.heading or section.elements[index - 1].text)
            for item in list_items(element):
                title, speakers = _programme_item(item if isinstance(item, str) else item["text"])
                if title:
                    entry: dict[str, Any] = {"title": title}
                    if speakers:
                        entry["speakers"] = speakers
                    programme.append(entry)
                named += speakers
    _add_people(people, named)
    if sources:
        where = "; ".join(f'"{shorten(s, 60)}"' for s in sources)
        f.remark(
            "programme",
            _("read from the list under {where}: check titles and speakers").format(where=where),
        )
    return programme, people


def _add_people(people: list[dict[str, Any]], new: Iterable[dict[str, Any]]) -> None:
    known = {fold(p["name"]): p for p in people}
    for person in new:
        same = known.get(fold(person["name"]))
        if same is None:
            people.append(dict(person))
            known[fold(person["name"])] = people[-1]
        else:
            for key in ("role", "organisation"):
                same[key] = same[key] or person[key]


def _endings(name: str) -> list[str]:
    """What a folded name ends with after each of its spaces: the surnames it may be
    called by alone ("van der berg", "der berg", "berg")."""
    return [name[i + 1 :] for i, c in enumerate(name) if c == " "]


def speakers_of_sections(sections: list[Section], people: list[dict[str, Any]]) -> None:
    """Name each section's speakers, from the people known and the heading's own words."""
    # The people by the first word of their name: a heading is compared with those whose
    # first word it has, not with everyone (which takes sections x people).
    by_word: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    by_surname: dict[str, dict[str, Any]] = {}  # the first person each ending names
    indexed = 0
    for section in sections:
        heading = section.heading
        if not heading:
            continue
        for p in people[indexed:]:
            name = fold(p["name"])
            first = WORD.search(name)
            by_word.setdefault(first[0] if first else "", []).append((name, p))
            for ending in _endings(name):
                by_surname.setdefault(ending, p)
        indexed = len(people)
        folded = fold(heading)
        words = dict.fromkeys(["", *WORD.findall(folded)])
        named = sorted(
            (folded.find(name), p["name"])
            for word in words
            for name, p in by_word.get(word, ())
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded)
        )
        found: list[dict[str, Any]] = []
        if not named:
            door = re.search(r"\bdoor\s+", heading)
            got = _speakers_at(heading, door.end()) if door else None
            if got is None:
                got = _speakers_at(heading, 0)
                whole = got is not None and got[1] >= len(heading.rstrip())
                titled = got is not None and fold(heading.split()[0]) in _ROLE_WORDS
                plain = got is not None and (section.level == 3 or "(" in heading)
                if not (whole and (titled or plain)):
                    got = None
            found = got[0] if got else []
            for person in found:
                if " " not in person["name"]:  # a surname alone: the person known by it
                    known = by_surname.get(fold(person["name"]))
                    if known is not None:
                        person["name"] = known["name"]
            _add_people(people, found)
            named = [(0, p["name"]) for p in found]
        section.speakers = list(dict.fromkeys(name for _, name in named))


# Where a name may start in running text: the sentence's start, after "door" (onder
# meer), "van" or "met", or at a role word ("burgemeester Crone").
# Each word is first looked at for its first letter: the pattern is tried at every
# character of a verslag, and a set of letters is quicker to rule out than its words.
_PROSE_START = re.compile(
    r"(?:^|\b(?=[bdgilmpt])(?:door|met|(?:presentaties?|inleidingen?|gastoptredens?"
    r"|toespraak|lezing|bijdragen?|interview)\s+van)\s+(?:onder\s+(?:meer|andere)\s+)?)"
    r"(?=\S)"
    # Not a role after a comma: "Kees Hulstein, programmamanager Almere" describes him.
    rf"|\b(?<!, )(?=[{''.join(sorted({w[0] for w in _ROLE_WORDS}))}])"
    rf"(?=(?:{'|'.join(sorted(_ROLE_WORDS))})\s)",
    re.IGNORECASE,
)
_ORG_AFTER = re.compile(r"\s+van\s+((?:het\s+|de\s+)?(?:bureau\s+|gemeente\s+)?[A-Z][\w’'&-]*)")
_DESC_AFTER = re.compile(
    r",\s+([a-z][\w’'-]*(?:\s+[\w’'-]+)*?)(?=,\s|\s+en\s|\s+over\s|\s+gaf\s|[.;:]|$)"
)
_JOIN = re.compile(r"(?:\s+over(?:\s+[a-z][\w’'-]*)+)?(?:,\s+|\s+en\s+)")


def _prose_chain(text: str, pos: int) -> tuple[list[dict[str, Any]], int]:
    """The people named from ``pos`` in running text: "[role] Name [van Org | , desc]",
    joined by commas and "en"; and where the mention ends."""
    people: list[dict[str, Any]] = []
    group: list[dict[str, Any]] = []  # joined by "en", sharing an organisation after them
    while True:
        prefix, at = _role_prefix(text, pos)
        titled = any(fold(w.rstrip(",")) in _ROLE_WORDS for w in prefix)
        name = _take_name(text, at, single=titled)
        if name is None:
            break
        role = " ".join(prefix).lower() or None
        person: dict[str, Any] = {"name": name[0], "role": role, "organisation": None}
        pos = name[1]
        place = re.fullmatch(r"(.+?) van ([A-Z][\w’'-]+)", name[0])
        if place and role and role.split()[-1] in {"burgemeester", "wethouder"}:
            # "Burgemeester Crone van Leeuwarden": the mayor of Leeuwarden.
            person["name"], person["role"] = place[1], f"{role} van {place[2]}"
        org = _ORG_AFTER.match(text, pos)
        desc = None if org else _DESC_AFTER.match(text, pos)
        if org and titled and not org[1].startswith(("het", "de", "bureau", "gemeente")):
            # "burgemeester Crone van Leeuwarden": of the city, as the data writes it.
            person["role"] = f"{role} van {org[1]}"
            pos = org.end()
        elif org:
            person["organisation"] = re.sub(r"^(?:het|de)\s+", "", org[1])
            for other in group:
                other["organisation"] = other["organisation"] or person["organisation"]
            pos, group = org.end(), []
        elif desc:
            said, organisation = _describe(desc[1])
            person["role"] = ", ".join(p for p in (role, said) if p) or None
            person["organisation"] = organisation
            pos, group = desc.end(), []
        people.append(person)
        group.append(person)
        joined = _JOIN.match(text, pos)
        if joined is None:
            break
        if joined.group().startswith(","):
            group = []
        pos = joined.end()
    return people, pos


def read_prose_people(statements: list[str], people: list[dict[str, Any]], f: Findings) -> None:
    """Add the people that running text names ("Burgemeester Crone van Leeuwarden stelt",
    "presentaties door onder meer A, lid van X, B en C van het COA"), as far as its words
    say who they are; each is left to the curator to check."""
    found: list[dict[str, Any]] = []
    for statement in statements:
        end = 0
        for m in _PROSE_START.finditer(statement):
            if m.end() < end:
                continue
            chain, stop = _prose_chain(statement, m.end())
            # At a sentence's start two capitalised words are as often a subject as a
            # name: taken only when the words say more (another name, a role, where from).
            opening = m.end() == 0 and not (
                len(chain) > 1 or any(p["role"] or p["organisation"] for p in chain)
            )
            if chain and not opening:
                found += chain
                end = stop
    known = {fold(p["name"]) for p in people}
    # A surname alone ("burgemeester Bruls") is the person known by it, if one is.
    endings = {ending for k in known for ending in _endings(k)}
    found = [p for p in found if " " in p["name"] or fold(p["name"]) not in endings]
    new = [p for p in found if fold(p["name"]) not in known]
    _add_people(people, found)
    if new:
        names = ", ".join(dict.fromkeys(p["name"] for p in new))
        f.decide(
            "people",
            _(
                "named in running text, read by rule: {names}; check who spoke, and each role "
                "and organisation"
            ).format(names=names),
        )
