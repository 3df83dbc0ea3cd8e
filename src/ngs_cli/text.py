"""Text helpers that every part of ngs shares; nothing here imports ngs itself.

- ``fold``: text reduced for matching, so ``syriegangers`` finds "Syriëgangers", and
  ``fold_for_index``, the same letter by letter for the full-text index;
- ``printable`` and ``one_line``: the one escaping function for terminals;
- ``md_text``: literal text as inline Markdown;
- ``sentences``: the sentence split the fidelity checks use;
- ``json_encoder`` and ``json_decoder``: ``json.dumps`` and ``json.loads`` for many values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Patterns are kept as strings and compiled by ``re`` on first use (and cached there):
# compiling them all at import cost more than most commands spend on their work.

_PLAIN = {
    "’": "'",
    "‘": "'",
    "‚": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "–": "-",
    "—": "-",
    "\u00a0": " ",
}


def plain_quotes(text: str) -> str:
    """Typographic quotes, dashes and no-break spaces made plain."""
    # A few str.replace calls beat str.translate with a mapping several times over.
    for fancy, plain in _PLAIN.items():
        if fancy in text:
            text = text.replace(fancy, plain)
    return text


# The combining diacritical marks that NFKD splits off accented letters.
_COMBINING = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"


def fold(text: str) -> str:
    """Text reduced for matching: one form for what reads as one word.

    Compatibility forms as their plain letters (NFKC: "ﬁ" is "fi", "m²" is "m2"), no case
    (casefold: "Weiß" is "weiss"), no accents, and the dotless ı as i (casefold keeps it,
    so "YILDIZ" would miss "Yıldız"); typographic quotes and dashes made plain.
    """
    if text.isascii():
        return text.casefold()
    import unicodedata

    text = unicodedata.normalize("NFKC", plain_quotes(text)).casefold().replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", re.sub(_COMBINING, "", decomposed))


def fold_for_index(text: str) -> str:
    """Text for the full-text index: each letter or digit as ``fold`` has it, all else as is.

    Folded letter by letter, so the index's words and separators stand where the text's
    do: the index finds what ``fold`` makes of a query, and a snippet taken from the text
    itself still marks the word that matched. The index's own tokenizer lowers case and
    removes accents of what is left.
    """
    if text.isascii():
        return text
    if re.search(_MAY_NEED_INDEX_FOLD, text) is None:  # compiled on first use, cached
        return text  # letters the tokenizer folds itself, and punctuation: most text
    table = {}
    for char in set(text):
        if ord(char) > 127 and char.isalnum():
            folded = _INDEX_FOLDS.get(char)
            if folded is None:
                folded = _INDEX_FOLDS[char] = _index_fold(char)
            if folded:
                table[ord(char)] = folded
    # Most text needs nothing the tokenizer does not do itself: no copy is made then.
    return text.translate(table) if table else text


_INDEX_FOLDS: dict[str, str] = {}  # a letter and what the index needs of it ("" for itself)
# What may need more than the tokenizer's own folding: past Latin Extended-A, but for
# general punctuation (quotes, dashes), and within it the letters and numbers whose fold
# is another letter (ß, ı, ĳ, ſ, ª, ², ½, µ, ...). Text without any is indexed as it is.
_MAY_NEED_INDEX_FOLD = ("[\u00aa\u00b2\u00b3\u00b5\u00b9\u00ba\u00bc-\u00be\u00df"
                        "\u0131\u0132\u0133\u013f\u0140\u0149\u017f"
                        "\u0180-\u1fff\u2070-\U0010ffff]")  # fmt: skip


def _index_fold(char: str) -> str:
    """What the index needs for a letter: its fold, or "" where the tokenizer's own case
    and accent folding gives the same (é, ë, ç in Latin-1 and Latin Extended-A)."""
    import unicodedata

    folded = "".join(c for c in fold(char) if c.isalnum())
    if not folded or folded == char:
        return ""
    if "\u00c0" <= char <= "\u017f":
        base = re.sub(_COMBINING, "", unicodedata.normalize("NFD", char)).lower()
        if base == folded:
            return ""
    return folded


# A word as Python's patterns have it (\w: letters, digits and "_" of any script).
WORD = re.compile(r"\w+")

# The particles of a name that are no part of its surname's place in an index ("Patrick
# van den Brink" under B, "Jan in 't Veld" under V), lower case; "vd" is "van de(r)".
NAME_PARTICLES = frozenset(
    {"van", "de", "den", "der", "het", "ten", "ter", "te", "in", "'t", "’t", "vd", "von",
     "da", "di", "du", "le", "la", "d'", "d’"}
)  # fmt: skip


def is_word_char(char: str) -> bool:
    """Whether ``char`` is one that ``\\w`` matches."""
    return char.isalnum() or char == "_"


# C0 and C1 control characters (but tab and newline), DEL, the line and paragraph
# separators, and the bidirectional overrides that can make text display as something else.
_UNSAFE = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape_json(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str, *, json: bool = False) -> str:
    """Text safe to show on a terminal: control characters and escapes made visible.

    This is the one escaping function: every piece of data that reaches a terminal,
    whatever view or completion writes it, goes through here first. JSON text (``json``)
    is escaped as JSON escapes (``\\u0085``), so that it stays JSON: valid because JSON
    holds such characters only inside its strings, and its encoder escapes C0 controls.
    """
    if text.isprintable():
        return text
    return re.sub(_UNSAFE, _escape_json if json else _escape, text)


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` characters, the first after ``first`` and
    the others after ``rest``, broken at spaces (not hyphens), as ``textwrap`` does: a
    word longer than a line fills the rest of its line and the lines after it. In time
    linear in the text, where textwrap copies the rest of such a word for each line it
    fills (a word of 4 million characters took 7 s)."""
    import textwrap

    class Wrapper(textwrap.TextWrapper):
        def _handle_long_word(
            self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int
        ) -> None:
            chunk = reversed_chunks[-1]
            space_left = width - cur_len if width >= 1 else 1  # as textwrap counts it
            line = max(self.width - len(self.subsequent_indent), 1)
            if len(chunk) <= space_left + line or chunk.isspace():  # space: dropped whole
                super()._handle_long_word(reversed_chunks, cur_line, cur_len, width)
                return
            # What fills this line, then whole lines of it, cut once.
            cur_line.append(chunk[:space_left])
            pieces = [chunk[i : i + line] for i in range(space_left, len(chunk), line)]
            reversed_chunks[-1:] = pieces[::-1]

    wrapper = Wrapper(
        width=width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )
    return wrapper.wrap(text)


def one_line(text: str) -> str:
    """Printable text on one line (for table cells and tab-separated rows)."""
    # Printable text holds no white space but the plain space: with no run of spaces
    # and none at either end it is one line already (most text is).
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    # White space first (line and paragraph separators included), then what is left.
    return printable(" ".join(text.split()))


# Markdown's special characters, each escaped with a backslash (the backslash first).
_MD_SPECIAL = "\\`*_[]<>#|~&$"  # $ starts math on GitHub and in pandoc
# A number and "." or ")" at the start would begin a numbered list.
_MD_LIST_NUMBER = r"^(\d+)([.)])"
# What GitHub's Markdown turns into a link by itself: a scheme, "www.", an e-mail address.
_MD_AUTOLINK = r"(?i)\b(https?|ftp|mailto|www)([:.])|(@)"  # each match holds @, http...


def md_text(text: str) -> str:
    """Inline Markdown for literal text: nothing in it can become markup, a heading or a
    link (GitHub's autolinks included)."""
    text = one_line(text)
    # A str.replace per character present is ten times faster than str.translate.
    for special in _MD_SPECIAL:
        if special in text:
            text = text.replace(special, "\\" + special)
    low = text.lower()
    if "@" in low or "http" in low or "ftp" in low or "www" in low or "mailto" in low:
        text = re.sub(_MD_AUTOLINK, lambda m: f"{m[1]}\\{m[2]}" if m[1] else "\\@", text)
    # pandoc's Markdown reader sets "--" and "..." as a dash and an ellipsis (its smart
    # extension), which changes the text and the heading's identifier; one escaped
    # character in each keeps them as written, for GitHub too.
    if "--" in text:
        text = text.replace("--", "-\\-")
    if "..." in text:
        text = text.replace("...", "..\\.")
    if text[:1].isdigit():
        text = re.sub(_MD_LIST_NUMBER, r"\1\\\2", text)
    elif text.startswith(("-", "=", "+")):
        text = "\\" + text
    return text


# An address a page or a document may link to: http(s), printable, nothing that could
# end an attribute or a Markdown link.
_SAFE_URL = r"https?://[^\s<>\"'\\`\x00-\x1f\x7f]+"


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a printable http(s) address, else None (shown as text)."""
    if url and url.isprintable() and re.fullmatch(_SAFE_URL, url):
        return url
    return None


def normalise_space(text: str) -> str:
    """Runs of white space (no-break spaces included) as one space, ends trimmed."""
    # Printable, its only white space is the ASCII space (every other is a control or a
    # separator): a text with no two spaces together is as it is, but for its ends.
    if text.isprintable() and "  " not in text:
        return text.strip(" ")
    return " ".join(text.replace("\xa0", " ").split())


# Where a sentence ends in a text whose white space is normalised: a mark and a space.
_SENTENCE_ENDS = (". ", ": ", "? ", "! ")


def sentences(text: str, *, normalised: bool = False) -> list[str]:
    """The sentences of a text, white space normalised: split after . ! ? and :
    (``normalised``: the text's white space is already as ``normalise_space`` leaves it)."""
    if not normalised:
        text = normalise_space(text)
    # White space normalised is one space at a time, and no line break: a line break
    # takes the space's place to split at (string methods in C, faster than a pattern's
    # split on a page of many lines).
    for end in _SENTENCE_ENDS:
        text = text.replace(end, end[0] + "\n")
    return text.split("\n") if text else []


def dutch_stems(words: list[str]) -> list[str]:
    """The Dutch stems of folded words, by Snowball's classic Dutch stemmer
    (``dutch_porter``: gemeente and gemeenten -> gemeent, verward and verwarde ->
    verward), imported only here: search and the compile use it, no other command."""
    import Stemmer

    return list(Stemmer.Stemmer("dutch_porter").stemWords(words))


def json_encoder(
    *, ascii_only: bool = False, separators: tuple[str, str] = (", ", ": ")
) -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=ascii_only, separators=separators)`` for values
    of plain data, for many values: json's C encoder made once, where ``json.dumps`` and
    ``JSONEncoder.encode`` make a new one for every value, which costs more than encoding
    a short list. The pure-Python encoder where json has no C one."""
    import json
    from json import encoder as impl

    make = getattr(impl, "c_make_encoder", None)
    if make is None:  # pragma: no cover (CPython has it)
        return json.JSONEncoder(ensure_ascii=ascii_only, separators=separators).encode
    # The arguments of JSONEncoder.iterencode's one-shot call; no check for cycles, which
    # plain data cannot have.
    encode_str = impl.encode_basestring_ascii if ascii_only else impl.encode_basestring
    c_encode = make(
        None, json.JSONEncoder().default, encode_str, None, separators[1], separators[0],
        False, False, True,
    )  # fmt: skip

    def encode(value: Any) -> str:
        if isinstance(value, str):
            return encode_str(value)
        return "".join(c_encode(value, 0))

    return encode


def json_decoder() -> Callable[[str], Any]:
    """``json.loads``, for many short texts: json's C scanner made once, called without
    the two Python calls and the whitespace pattern ``json.loads`` adds to each text.
    Text that is not one JSON value alone is left to ``json.loads`` (and its errors)."""
    import json
    from json import scanner

    make = getattr(scanner, "c_make_scanner", None)
    if make is None:  # pragma: no cover (CPython has it)
        return json.loads
    scan = make(json.JSONDecoder())
    loads = json.loads

    def decode(text: str) -> Any:
        try:
            value, end = scan(text, 0)
        except StopIteration:
            return loads(text)
        return value if end == len(text) else loads(text)

    return decode
