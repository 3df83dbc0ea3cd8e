"""What a verslag is about: its title and themes, read from the theme sentence ("Het
thema was ...") or, failing that, from other wording, and topics suggested from the
vocabulary by the words of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..i18n import N_, _
from ..text import WORD, fold, is_word_char
from .findings import Findings
from .page import DraftError, Element, shorten, split_statements
from .people import title_of

_QUOTES = " ‘’“”\"'"
_THEME_SENTENCES = [
    (
        re.compile(
            r"^Het\s+(?:centrale\s+|overkoepelende\s+)?thema\b[^.!?]*?\b(?:was|is|luidde|luidt)\b"
            r"\s*:?\s*(?P<t>.+?)[.!?]?$",
            re.IGNORECASE,
        ),
        False,
    ),
    (
        re.compile(
            r"^(?:De\s+)?thema['’]s\b[^.!?]*?\b(?:waren|zijn)\b\s*:?\s*(?P<t>.+?)[.!?]?$",
            re.IGNORECASE,
        ),
        True,
    ),
    (re.compile(r"\bmet\s+als\s+thema\s*:?\s*(?P<t>.+?)[.!?]?$", re.IGNORECASE), False),
    (re.compile(r"\bmet\s+als\s+thema['’]s\s*:?\s*(?P<t>.+?)[.!?]?$", re.IGNORECASE), True),
    (re.compile(r"^Thema\s*:\s*(?P<t>.+?)[.!?]?$", re.IGNORECASE), False),
    (re.compile(r"^Thema['’]s\s*:\s*(?P<t>.+?)[.!?]?$", re.IGNORECASE), True),
    (
        re.compile(
            r"\b(?:aan\s+bod\s+kwamen|kwamen\s+aan\s+bod)\s+de\s+thema['’]s\s*:?\s*(?P<t>.+?)"
            r"[.!?]?$",
            re.IGNORECASE,
        ),
        True,
    ),
]
_SUBJECTS = re.compile(r"\bstonden\s+de\s+onderwerpen\s+(?P<t>.+?)[.!?]?$", re.IGNORECASE)
_WEAK_THEMES = [
    re.compile(r"\bin\s+het\s+teken\s+van\s+(?P<t>[^:;]+?)(?:[:;].*)?[.!?]?$", re.IGNORECASE),
    re.compile(r"\bgewijd\s+aan\s+(?P<t>[^:;]+?)(?:[:;].*)?[.!?]?$", re.IGNORECASE),
    # At most 20 words to "centraal": from each "stond de" unbounded, the search would
    # read on to the sentence's end, which a sentence saying it many times makes slow.
    re.compile(
        r"\bstond(?:en)?\s+(?P<t>(?:de|het)(?:\s+[^\s:;]+){1,20}?)\s+centraal\b", re.IGNORECASE
    ),
]


def _unquote(text: str) -> str:
    return text.strip(_QUOTES).strip()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _split_themes(phrase: str, *, on_and: bool) -> list[str]:
    quoted = re.findall(r"[‘“\"]([^’”\"]+)[’”\"]", phrase)
    if len(quoted) >= 2:
        return [q.strip() for q in quoted]
    parts = [p.strip() for p in re.split(r",\s*(?:en\s+)?", phrase) if p.strip()]
    if on_and and " en " in parts[-1]:
        parts[-1:] = parts[-1].split(" en ", 1)
    return [_unquote(p) for p in parts if _unquote(p)]


def _theme_sentences(paragraphs: list[Element]) -> list[tuple[int, str, re.Match[str], bool]]:
    found = []
    for element in paragraphs:
        for s in split_statements(element.text):
            for pattern, plural in _THEME_SENTENCES:
                m = pattern.search(s)
                if m:
                    found.append((element.line, s, m, plural))
                    break
    return found


def read_title(paragraphs: list[Element], f: Findings) -> tuple[str, list[str]]:
    """The title and themes, from the theme sentence or, failing that, other wording."""
    strong = _theme_sentences(paragraphs)
    if len(strong) > 1:
        lines = ", ".join(str(line) for line, *_ in strong[:5])
        if len(strong) > 5:
            lines += f", … {strong[-1][0]}"
        raise DraftError(
            N_(
                "the text has {count} theme sentences (lines {lines}): it looks like more "
                "than one verslag, or the whole page. Copy one verslag at a time."
            ),
            count=len(strong),
            lines=lines,
        )
    if strong and _unquote(strong[0][2]["t"]):
        sentence, m, plural = strong[0][1:]
        phrase = _unquote(m["t"])
        themes = _split_themes(phrase, on_and=True) if plural else [phrase]
        quoted = re.findall(r"[‘“\"]([^’”\"]+)[’”\"]", phrase)
        title = " en ".join(themes) if plural and len(quoted) >= 2 else phrase
        f.remark("title", _('from the theme sentence "{text}"').format(text=shorten(sentence, 90)))
        f.remark("themes", _("as the theme sentence states them"))
        return _capital(title), themes
    statements = [s for p in paragraphs for s in split_statements(p.text)]
    for s in statements:
        subjects = _SUBJECTS.search(s)
        if subjects:
            themes = _split_themes(subjects["t"], on_and=True)
            f.remark("title", _('made from "{text}"').format(text=shorten(s, 90)))
            f.decide("title", _("made from the subjects the text lists; shorten or reword it"))
            return _capital(" en ".join(themes)), themes
    phrases: list[str] = []
    for s in statements:
        for pattern in _WEAK_THEMES:
            weak = pattern.search(s)
            if weak:
                phrase = re.sub(r"^(?:de|het)\s+(?=[A-Z])", "", _unquote(weak["t"]))
                phrases.append(phrase)
                break
    if phrases:
        themes = list(dict.fromkeys(t for p in phrases for t in _split_themes(p, on_and=False)))
        joined = " en ".join(phrases)
        title = shorten(joined if len(joined) <= 100 else phrases[0], 100)
        f.remark("title", _('made from what the text says the day was about ("in het teken van")'))
        f.decide("title", _("no theme sentence; the title is made from what the day was about"))
        f.decide("themes", _("no theme sentence; read from what the day was about"))
        return _capital(title), themes
    first = next((s for s in statements), None)
    if first is None:
        first = next(iter(paragraphs), Element("paragraph", 0, "Verslag")).text
    f.remark("title", _("the first sentence stands in for a title"))
    f.decide("title", _("no theme sentence: the first sentence stands in; give a short title"))
    f.decide("themes", _("no theme sentence: add the themes the text names, if any"))
    return _capital(shorten(title_of(first) or first, 100)), []


def suggest_topics(
    topics: Iterable[Mapping[str, Any]], title_text: str, body_text: str, f: Findings
) -> list[str]:
    """Topic ids whose label, id or aliases occur: in the title or themes, or twice anywhere."""
    head, body = _Occurrences(fold(title_text)), _Occurrences(fold(body_text))
    scored: list[tuple[int, int, str, str]] = []
    mentioned: list[str] = []
    for order, topic in enumerate(topics):
        tid = topic.get("id")
        if not isinstance(tid, str):
            continue
        terms = {fold(t) for t in [topic.get("label") or "", tid.replace("-", " ")]}
        terms |= {fold(a) for a in topic.get("aliases") or () if isinstance(a, str)}
        terms.discard("")
        in_head = in_body = 0
        words: list[str] = []
        for term in terms:
            h, b = head.count(term), body.count(term)
            in_head, in_body = in_head + h, in_body + b
            if h or b:
                words.append(term)
        if in_head or in_body >= 2:
            scored.append((-(3 * in_head + in_body), order, tid, ", ".join(sorted(words))))
        elif in_body:
            mentioned.append(tid)
    scored.sort()
    chosen = [tid for _, _, tid, _ in scored]
    if chosen:
        why = "; ".join(f"{tid} ({words})" for _, _, tid, words in scored)
        f.remark("topics", _("suggested from the vocabulary: {why}").format(why=why))
        f.decide("topics", _("suggested by the words of the text; keep those the verslag is about"))
    else:
        f.decide("topics", _("no topic of the vocabulary is named twice; choose them"))
    if mentioned:
        f.remark("topics", _("named once: {topics}").format(topics=", ".join(mentioned)))
    return chosen


_CHUNK = 1 << 20  # characters of text counted at a time


class _Occurrences:
    """How often terms stand in a text as words of their own (``(?<!\\w)term(?!\\w)``),
    in time linear in the text however many terms are asked for: the text's words are
    counted once, and a term of more than one word is looked for only in a text that
    has its first word."""

    def __init__(self, text: str):
        from collections import Counter

        self.text = text
        self.words: Counter[str] = Counter()
        start = 0
        while start < len(text):
            end = min(len(text), start + _CHUNK)
            while end < len(text) and is_word_char(text[end]):
                end += 1  # a chunk ends between words: a word is counted whole
            self.words.update(WORD.findall(text, start, end))
            start = end

    def count(self, term: str) -> int:
        if WORD.fullmatch(term):
            return self.words[term]
        first = WORD.search(term)
        if first is not None and not self.words[first[0]]:
            return 0
        # As re.findall(r"(?<!\w)TERM(?!\w)") counts, with str.find's fast search: a
        # pattern that starts with a look-behind is tried at every position of the text.
        text, size, count, pos = self.text, len(term), 0, 0
        while (found := text.find(term, pos)) >= 0:
            end = found + size
            if not (found and is_word_char(text[found - 1])) and not (
                end < len(text) and is_word_char(text[end])
            ):
                count, pos = count + 1, end
            else:
                pos = found + 1
        return count
