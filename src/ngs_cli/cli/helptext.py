"""Help drawn in the user's language: the help, usage line and options' help of every
command (Typer and its Click write them in English), the names of values, long lists of
choices said in words, and ``search``'s words that start with a dash."""

import re
from typing import Any

from typer.core import TyperCommand

from ..i18n import N_, _
from . import shim

# The names of values in help and usage lines, which the help texts quote.
METAVARS = (N_("TEXT"), N_("CITY"), N_("YEAR"), N_("NAME"), N_("DATE"), N_("FILE"), N_("PATH"),
            N_("PAGE"), N_("QUERY"), N_("QUERY..."), N_("ID"), N_("FORMAT"), N_("SORT"),
            N_("STYLE"), N_("URL"), N_("DIR"), N_("SECONDS"), N_("HOST"), N_("PORT"),
            N_("[OPTIONS]"),
            N_("COMMAND [ARGS]..."))  # fmt: skip
# A list of choices this long as an option's metavar would be folded inside a word in an
# 80-column help: it is named instead (FORMAT), and the choices are said in its help.
_CHOICES = re.compile(r"\[[\w-]+(?:\|[\w-]+)+\]")
LONGEST_CHOICES = 16
_OPTIONAL = re.compile(r"\[[A-Z]+(?:\|-)?\]")


class Speaks:
    """What a command and the group share: their help, usage line and the help of every
    option in the user's language (Typer and its Click write them in English)."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if getattr(param, "_ngs_translated", False):
                continue
            if getattr(param, "help", None):
                param.help = _(param.help)
            metavar = getattr(param, "metavar", None)
            opts = getattr(param, "opts", None)
            if metavar and opts and _CHOICES.fullmatch(metavar) and len(metavar) > LONGEST_CHOICES:
                param.metavar = _(opts[0].lstrip("-").upper())
                choices = _("Choices: {choices}.").format(
                    choices=", ".join(metavar[1:-1].split("|"))
                )
                param.help = f"{param.help} {choices}" if param.help else choices
            elif metavar in METAVARS:
                param.metavar = _(metavar)
            elif (
                metavar and _OPTIONAL.fullmatch(metavar) and metavar[1:-1].split("|")[0] in METAVARS
            ):
                # An optional argument, "[NAME]" or "[FILE|-]": its name translated.
                name, *rest = metavar[1:-1].split("|")
                param.metavar = "[" + "|".join([_(name), *rest]) + "]"
            if param.param_type_name == "argument":
                # An argument's type is a string: "<str>" beside it says nothing.
                shim.unnamed_argument_type(param)
            param._ngs_translated = True
        return params  # type: ignore[no-any-return]

    def get_usage(self, ctx: Any) -> str:
        usage: str = super().get_usage(ctx)  # type: ignore[misc]
        # Typer puts a required argument in braces ({REF}), which no usage line does.
        usage = re.sub(r"\{([^{}\s]+)\}", r"\1", usage)
        usage = usage.replace("Usage: ", _("Usage: "), 1)
        return usage.replace("[OPTIONS]", _("[OPTIONS]")).replace(
            "COMMAND [ARGS]...", _("COMMAND [ARGS]...")
        )


class NgsCommand(Speaks, TyperCommand):
    """A command of ngs."""

    words_may_start_with_dash = False  # search: -corona is a word to leave out

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if self.words_may_start_with_dash:
            args = _dash_words_last(self, ctx, args)
        return super().parse_args(ctx, args)  # type: ignore[no-any-return]


def _is_option(arg: str, shorts: set[str]) -> bool:
    """Whether ``-x…`` is one of the command's short options: the option alone, or a
    one-letter option with its number attached (``-n5``); ``-nood`` is a word."""
    return arg == "-" or arg in shorts or (arg[:2] in shorts and arg[2:].isdigit())


def _dash_words_last(command: Any, ctx: Any, args: list[str]) -> list[str]:
    """The arguments with each ``-word`` that is no option of the command moved behind
    ``--``, where it is read as a word: ``ngs search veiligheid -corona`` as typed in a
    web search, not as ``-c orona``."""
    options = [param for param in command.get_params(ctx) if getattr(param, "opts", None)]
    shorts = {opt for param in options for opt in param.opts if len(opt) == 2}
    takes_value = {
        opt for param in options if not getattr(param, "is_flag", True) for opt in param.opts
    }
    end = args.index("--") if "--" in args else len(args)
    kept, words = [], []
    value_next = False
    for arg in args[:end]:
        dash = arg.startswith("-") and not arg.startswith("--")
        if dash and not value_next and not _is_option(arg, shorts):
            words.append(arg)
            continue
        kept.append(arg)
        value_next = not value_next and arg in takes_value  # its value may start with '-'
    return [*kept, "--", *words, *args[end + 1 :]] if words else args


def paragraphs(text: str) -> str:
    """Help text with its paragraphs' lines joined: a source line's break is no break on
    the screen, which wraps the text itself (blank lines and indented examples stay)."""
    return re.sub(r"(?<=\S)\n(?=\S)", " ", text)
