"""Write a synthetic ngs data file of N meetings that passes validation.

    python benchmarks/generate.py 5000 /tmp/ngs-5000.yaml

Text lengths follow the bundled verslagen (a few sections of paragraphs and lists, about
3 KB a meeting); the words are drawn from the real vocabulary so that searches hit.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = ("veiligheid gemeente burgemeester politie ondermijning radicalisering polarisatie "
         "jongeren handhaving toezicht wijkaanpak maatschappelijke onrust zorg verwarde "
         "personen vluchtelingen carbid vuurwerk jaarwisseling coffeeshops intelligence "
         "regierol netwerkdag deelnemers presentatie workshop Syriëgangers OOV’ers "
         "beïnvloeden samenwerking aanpak bestuurlijke informatie analyse").split()
CITIES = ["Utrecht", "Amsterdam", "Rotterdam", "Den Haag", "Eindhoven", "Groningen",
          "Tilburg", "Almere", "Breda", "Nijmegen", "Leeuwarden", "Maastricht", "Zwolle"]
TOPICS = ["ondermijning", "radicalisering", "jeugd", "zorg-en-veiligheid", "handhaving"]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def meeting(rng: random.Random, i: int) -> str:
    year = 2000 + i % 24
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    lines = [f"- id: m{i:06d}", f"  title: {q(sentence(rng, 6))}", f"  date: '{date}'",
             f"  year: {year}", "  date_precision: day", f"  city: {rng.choice(CITIES)}",
             "  format: in_person", f"  themes: [{q(sentence(rng, 3))}]",
             f"  topics: [{rng.choice(TOPICS)}]", "  people:",
             f"  - {{name: {q('Spreker ' + str(i))}, role: burgemeester}}", "  sections:"]
    for s in range(4):
        lines += [f"  - heading: {q(sentence(rng, 4))}", "    blocks:"]
        lines += [f"    - paragraph: {q(' '.join(sentence(rng, 14) for _ in range(3)))}"]
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
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    write_dataset(target, count)
    print(f"wrote {count} meetings to {target} ({target.stat().st_size / 1e6:.1f} MB)")
