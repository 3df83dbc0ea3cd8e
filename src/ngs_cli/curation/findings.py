"""What a draft collects besides the record, stage by stage: the decisions left to the
curator, remarks on where each field's value was read, and notes for the record."""

from __future__ import annotations


class Findings:
    """What a draft collects besides the record: decisions left, remarks, notes."""

    def __init__(self) -> None:
        self.undecided: list[str] = []
        self.remarks: dict[str, str] = {}
        self.notes: list[str] = []  # in Dutch, the dataset's language
        self.notes_en: list[str] = []  # the same, in English, item for item

    def decide(self, name: str, why: str) -> None:
        self.undecided.append(f"{name}: {why}")

    def remark(self, name: str, text: str) -> None:
        self.remarks[name] = f"{self.remarks[name]}; {text}" if name in self.remarks else text

    def note(self, nl: str, en: str, *, first: bool = False) -> None:
        """A note for the record, in Dutch with its English beside it."""
        at = 0 if first else len(self.notes)
        self.notes.insert(at, nl)
        self.notes_en.insert(at, en)

    def decided(self) -> set[str]:
        """The fields with a decision left to the curator."""
        return {u.split(":", 1)[0] for u in self.undecided}
