"""The benchmark's corpora: the real article plus deterministic distractor articles, and one book-sized file."""

from __future__ import annotations

import random
import shutil
import statistics
from pathlib import Path

from assistant.evaluation.bench.common import REAL_CORPUS

SEED = 20250124
BIG_FILE_BYTES = 5_000_000  # the re-ingest benchmark's one large text file

# Synthetic distractors: business news about made-up companies, in the article's own format.

_SYLLABLES = ["vel", "tor", "nix", "ar", "qua", "lum", "zen", "bri", "cor", "dal", "mir", "sol", "tek", "var",
              "hal", "nor", "ost", "pra", "rue", "syl", "tan", "ul", "wex", "yar", "kin", "lo", "fen", "gra"]
_SUFFIXES = ["Systems", "Labs", "Analytics", "Cloud", "Networks", "Robotics", "Holdings", "Dynamics", "AI",
             "Computing", "Media", "Energy", "Semiconductors", "Health", "Logistics", "Capital"]
_TAGS = ["Analytics", "Artificial Intelligence", "Business", "Cloud", "Data", "Enterprise", "FinTech", "Hardware",
         "Infrastructure", "Media", "Platform", "Research", "Security", "Software", "Telecom"]
_PLACES = [("United States", "Washington", "Seattle"), ("United States", "New York", "New York"),
           ("United States", "Massachusetts", "Boston"), ("United Kingdom", "England", "Manchester"),
           ("Germany", "Bavaria", "Munich"), ("France", "Ile-de-France", "Paris"), ("Canada", "Ontario", "Toronto"),
           ("Japan", "Kanto", "Tokyo"), ("India", "Karnataka", "Bengaluru"), ("Sweden", "Stockholm", "Stockholm"),
           ("Singapore", "Central", "Singapore"), ("Brazil", "Sao Paulo", "Sao Paulo")]
_FIRST = ["Amara", "Bruno", "Chen", "Dana", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Keira", "Luca",
          "Maya", "Nikhil", "Olga", "Pavel", "Rosa", "Soren", "Tala", "Viktor"]
_LAST = ["Albers", "Brandt", "Castillo", "Duarte", "Eklund", "Fischer", "Grant", "Haddad", "Ivanova", "Jensen",
         "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rahman", "Silva", "Tanaka"]
_ROLES = ["chief executive", "chief financial officer", "head of infrastructure", "chief technology officer",
          "general counsel", "head of partnerships"]
_ASSETS = ["data centres", "GPU clusters", "cloud capacity", "custom chips", "fibre networks", "storage arrays"]
_TEMPLATES = [
    "{a} and {b} signed a multi-year agreement that makes {b} the preferred supplier of {asset} to {a}.",
    "Under the deal, {a} keeps a right of first offer on any new {asset} that {b} builds before {year}.",
    "The partnership between {a} and {b} is expected to run until {year}, according to people familiar with the terms.",
    "{a} raised {amount} in a round led by {c}, valuing the company at roughly {amount2}.",
    "Analysts said the arrangement ends years of exclusivity, letting {a} buy {asset} from rival providers.",
    "{person}, the {role} of {a}, said the company would double its spending on {asset} in {year}.",
    "Revenue-sharing terms between {a} and {b} were revised, with {b} now taking a smaller cut of licensing income.",
    "{b} will retain access to {a}'s intellectual property until {year}, the filing shows.",
    "Regulators in {city} opened a review of the tie-up between {a} and {b} over competition concerns.",
    "{a} was founded in {founded} and employs between {lo} and {hi} people at its {city} headquarters.",
    "Shares of {b} rose {pct} percent after it confirmed that {a} had approved a joint venture with {c}.",
    "The venture, code-named {codename}, aims to build {asset} worth {amount} over the next {n} years.",
    "{person} told investors that demand for {asset} was growing faster than {a} could supply it.",
    "Critics argue that the new terms give {b} too much leverage over the future of {a}'s models.",
    "{a} said it would move part of its workloads away from {b} if capacity could not be guaranteed by {year}.",
    "A spokesperson for {c} declined to comment on the negotiations with {a}.",
]


def _company(rng: random.Random) -> str:
    name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{name} {rng.choice(_SUFFIXES)}"


def _profile(rng: random.Random, name: str) -> str:
    country, region, city = rng.choice(_PLACES)
    lo = rng.choice([1, 11, 51, 201, 501, 1001])
    hi = {1: 10, 11: 50, 51: 200, 201: 500, 501: 1000, 1001: 5000}[lo]
    tags = "".join(rng.sample(_TAGS, rng.randint(3, 6))).replace(" ", "")
    return (f"{name}\n{name}\n{tags}\nLocation: {country}, {region}, {city}\nEmployees: {lo}-{hi}\n"
            f"Founded date: {rng.randint(1950, 2022)}\nTotal raised: ${rng.randint(1, 400) / 10:.2f}B\n")


def _sentence(rng: random.Random, companies: list[str]) -> str:
    a, b, c = rng.sample(companies, 3)
    _, _, city = rng.choice(_PLACES)
    lo = rng.choice([11, 51, 201, 501])
    return rng.choice(_TEMPLATES).format(
        a=a, b=b, c=c, city=city, asset=rng.choice(_ASSETS), year=rng.randint(2024, 2040),
        founded=rng.randint(1950, 2022), amount=f"${rng.randint(2, 900)} million", amount2=f"${rng.randint(1, 90)} billion",
        person=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", role=rng.choice(_ROLES), pct=rng.randint(2, 19),
        codename=rng.choice(_SYLLABLES).capitalize() + rng.choice(["gate", "bridge", "forge", "harbor"]),
        n=rng.randint(2, 10), lo=lo, hi=lo * 4 - 4,
    )


def synthetic_document(seed: int, index: int) -> str:
    """The `index`-th distractor article for `seed`: front matter, profile block, then prose. Deterministic."""
    rng = random.Random(f"{seed}:{index}")
    companies = [_company(rng) for _ in range(rng.randint(4, 6))]
    a, b = companies[:2]
    title = f"{a} and {b}: {rng.choice(['A New Deal', 'Terms Revised', 'Talks Stall', 'A Wider Alliance'])}"
    date = f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    parts = [f'---\ntitle: "{title}"\ndate: {date}\nsource: synthetic benchmark distractor\n---\n{title}\n\n',
             f"{date}, {rng.randint(1, 12)}:{rng.randint(0, 59):02d} am\n"]
    parts += [_profile(rng, name) for name in companies[: rng.randint(2, 3)]]
    for _ in range(rng.randint(6, 10)):
        parts.append(" ".join(_sentence(rng, companies) for _ in range(rng.randint(3, 6))) + "\n\n")
    return "".join(parts)


def count_chunks(text: str, source: str = "doc.md") -> int:
    """How many chunks the assistant's chunker makes of one document, with the default settings."""
    from assistant.ingest.chunking import chunk_document
    from assistant.config import Settings
    from assistant.ingest.corpus import parse_document

    settings = Settings()
    return len(chunk_document(parse_document(source, Path(source), text), settings.chunk_size, settings.chunk_overlap))


def write_corpus(target: Path, chunks: int, seed: int = SEED) -> int:
    """The real corpus plus enough distractor files for about `chunks` chunks; returns the distractor count."""
    real = sum(count_chunks(p.read_text(encoding="utf-8"), p.name) for p in REAL_CORPUS.glob("*.md"))
    sample = [count_chunks(synthetic_document(seed, i)) for i in range(40)]
    docs = max(0, round((chunks - real) / statistics.mean(sample)))
    shutil.copytree(REAL_CORPUS, target, dirs_exist_ok=True)
    for i in range(docs):
        folder = target / "synthetic" / f"{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"doc-{i:06d}.md").write_text(synthetic_document(seed, i), encoding="utf-8")
    return docs


def write_big_file(path: Path, size: int = BIG_FILE_BYTES, seed: int = SEED) -> int:
    """One long plain-text file of distractor prose (a book-sized report), paragraphs apart; returns its size."""
    paragraphs: list[str] = []
    total = index = 0
    while total < size:
        for paragraph in synthetic_document(seed, index).split("\n\n"):
            if len(paragraph) > 200 and not paragraph.startswith("---"):
                paragraphs.append(paragraph)
                total += len(paragraph) + 2
        index += 1
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path.stat().st_size


def insert_line(path: Path, line: str, at: float) -> None:
    """Insert one line as a paragraph of its own at fraction `at` of the file."""
    text = path.read_text(encoding="utf-8")
    cut = text.index("\n\n", int(len(text) * at))
    path.write_text(text[:cut] + "\n\n" + line + text[cut:], encoding="utf-8")
