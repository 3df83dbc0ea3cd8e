"""Write a synthetic ngs data file of N meetings that passes validation.

    python benchmarks/generate.py 5000 /tmp/ngs-5000.yaml

Each meeting is built from sentences of the bundled verslagen, so text lengths, word
frequencies and accents are those of the real data (a few sections of paragraphs and
lists, about 3 KB a meeting); a rare word stays rare, a common one common.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "reports.yaml"
CITIES = [
    "Utrecht",
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Leeuwarden",
    "Maastricht",
    "Zwolle",
]
TOPICS = ["ondermijning", "radicalisering", "jeugd", "zorg-en-veiligheid", "handhaving"]


def _sentences() -> list[str]:
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    texts: list[str] = []
    for m in data["meetings"]:
        for section in m["sections"]:
            for block in section.get("blocks", []):
                items = block.get("bullets") or block.get("numbered") or []
                texts += (
                    [block["paragraph"]]
                    if "paragraph" in block
                    else [i if isinstance(i, str) else i["text"] for i in items]
                )
    return [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s) > 20]


SENTENCES = _sentences()


def sentence(rng: random.Random, n: int) -> str:
    """A real sentence of about ``n`` words or more."""
    return rng.choice(SENTENCES) if n > 5 else " ".join(rng.choice(SENTENCES).split()[:n])


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def meeting(rng: random.Random, i: int) -> str:
    year = 2000 + i % 24
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    lines = [
        f"- id: m{i:06d}",
        f"  title: {q(sentence(rng, 6))}",
        f"  date: '{date}'",
        f"  year: {year}",
        "  date_precision: day",
        f"  city: {rng.choice(CITIES)}",
        "  format: in_person",
        f"  themes: [{q(sentence(rng, 3))}]",
        f"  topics: [{rng.choice(TOPICS)}]",
        "  people:",
        f"  - {{name: {q('Spreker ' + str(i))}, role: burgemeester}}",
        "  sections:",
    ]
    for _ in range(4):
        lines += [f"  - heading: {q(sentence(rng, 4))}", "    blocks:"]
        lines += [f"    - paragraph: {q(' '.join(sentence(rng, 14) for _ in range(2)))}"]
        lines += ["    - bullets:"] + [f"      - {q(sentence(rng, 12))}" for _ in range(3)]
    return "\n".join(lines)


def write_dataset(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    head = ["schema_version: 1", "collection:", "  title: Synthetic", "topics:"]
    head += [f"- {{id: {t}, label: {t.capitalize()}}}" for t in TOPICS]
    head.append("meetings:")
    body = "\n".join(meeting(rng, i) for i in range(n))
    Path(path).write_text("\n".join(head) + "\n" + body + "\n", encoding="utf-8")
    return Path(path)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write a synthetic data file of N meetings.")
    parser.add_argument("count", type=int, help="how many meetings")
    parser.add_argument("target", type=Path, help="the YAML file to write")
    args = parser.parse_args()
    count, target = args.count, args.target
    write_dataset(target, count)
    print(f"wrote {count} meetings to {target} ({target.stat().st_size / 1e6:.1f} MB)")
