from pathlib import Path

from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import load_corpus

from tests.conftest import CORPUS, REPO

SHARED = REPO.parent / "shared" / "corpus" / "microsoft-openai-partnership.txt"


def test_article_is_kept_verbatim_after_its_front_matter():
    text = (CORPUS / "microsoft-openai-partnership.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle:")
    body = text.split("\n---\n", 1)[1]
    if SHARED.exists():
        assert body == SHARED.read_text(encoding="utf-8")
    assert "Total raised: $18.21B" in body


def test_organisation_profiles_are_sections_of_their_own():
    doc = load_corpus(CORPUS).documents[0]
    profiles = {s.name: doc.text[s.start : s.end] for s in doc.sections if s.kind == "profile"}
    assert set(profiles) == {"Profile: OpenAI", "Profile: Oracle", "Profile: Financial Times", "Profile: The Information"}
    assert "Total raised: $18.21B" in profiles["Profile: OpenAI"]
    assert "Total raised" not in profiles["Profile: Oracle"]
    assert doc.title == "Microsoft and OpenAI: A New Chapter in Their Partnership"


def test_every_chunk_is_an_exact_span_of_its_file():
    doc = load_corpus(CORPUS).documents[0]
    for size, overlap in [(200, 40), (700, 100), (1000, 200)]:
        chunks = chunk_document(doc, size, overlap)
        assert chunks
        for chunk in chunks:
            assert doc.text[chunk.start : chunk.end] == chunk.text
            # A chunk is whole units: within the size, or one sentence longer than it (never cut in two).
            within = len(chunk.text) <= (2 * size if chunk.kind != "prose" else size)
            assert within or len(chunk.units) == 1, chunk.text
            assert (chunk.units[0].start, chunk.units[-1].end) == (chunk.start, chunk.end)


def test_bad_files_are_skipped_with_their_reason(tmp_path: Path):
    (tmp_path / "good.txt").write_text("OpenAI and Microsoft signed a new agreement.\n")
    (tmp_path / "empty.md").write_text("   \n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "notes.odt").write_bytes(b"ignored: unsupported suffix")
    report = load_corpus(tmp_path)
    assert [d.source for d in report.documents] == ["good.txt"]
    skipped = dict(report.skipped)
    assert set(skipped) == {"empty.md", "binary.txt", "latin1.txt"}
    assert "empty" in skipped["empty.md"] and "binary" in skipped["binary.txt"]


def test_headings_become_sections_and_the_title_heads_the_whole_text(tmp_path: Path):
    (tmp_path / "doc.md").write_text("# Guide\nFirst part here.\n\n## Terms\nThe term ends in 2030.\n\n"
                                     "Payment\n-------\nFees are due monthly.\n")
    doc = load_corpus(tmp_path).documents[0]
    assert doc.title == "Guide"
    assert [s.name for s in doc.sections] == ["Article", "Terms", "Payment"]


def test_a_sentence_that_points_back_keeps_its_antecedent():
    from assistant.models import Passage
    from assistant.index.sentences import points_back, sentence_units

    text = "Microsoft hired a new AI chief. This move upset OpenAI. OpenAI has a profile."
    passage = Passage(chunk_id="c", source="s.md", title="T", section="Article", text=text, start=100, end=100 + len(text), score=0.0)
    units = sentence_units(passage)
    assert [u.antecedent for u in units] == ["", "Microsoft hired a new AI chief.", ""]
    assert units[1].embedded == "Microsoft hired a new AI chief. This move upset OpenAI."
    assert points_back("While it provides an edge, it ties OpenAI down.")
    assert not points_back("Thistle farms are not in the article.")
    assert points_back("In simpler terms, the first shot goes to Microsoft.")  # a restatement continues its sentence
    assert points_back("With this option, symbolic links are treated specially.")  # a preposition before "this"
    assert not points_back("Within these walls the rules differ.")
    assert not points_back("In this guide, we explain the rules.")  # the document, not the sentence before


def test_stems_that_extend_each_other_are_one_corpus_term():
    from assistant.index.files import CorpusStats
    from assistant.answer.calibration import fitted
    from assistant.index.lexicon import Lexicon

    lexicon = Lexicon(CorpusStats({"deliv": 1, "comput": 1, "partnership": 1}, 2, [], {}), embedder=None,
                      soft_match_min=fitted().soft_match_min)
    assert lexicon.canonical("deliveri") == "deliv"  # "delivery" and "delivering" stem differently
    assert lexicon.canonical("partner") == "partnership"
    assert lexicon.canonical("budget") == "budget"  # unknown, and no corpus term extends it
    assert lexicon.canonical("com") == "com"  # too short to guess


def test_acronyms_the_corpus_spells_out_are_spelled_out_in_a_question():
    from assistant.index.lexicon import defined_acronyms, spell_out

    texts = ["Reaching artificial general intelligence (AGI) matters.", "A long-term plan (LTP) and a light transport pod (LTP)."]
    acronyms = defined_acronyms(texts, ["Financial Times", "OpenAI"])
    assert acronyms == {"agi": "artificial general intelligence", "ft": "Financial Times"}  # LTP is ambiguous
    assert spell_out("Where is the FT based?", acronyms, known=set()) == "Where is the FT (Financial Times) based?"
    assert spell_out("Is the ft based in feet?", acronyms, known=set()) == "Is the ft based in feet?"  # capitals only
    assert spell_out("What is AGI?", acronyms, known={"agi"}) == "What is AGI?"  # the corpus uses it as it is
    assert spell_out("Is the FT the Financial Times?", acronyms, known=set()) == "Is the FT the Financial Times?"


def test_a_currency_sign_reads_as_its_word():
    from assistant.text import words

    assert words("over $100 billion, or €5") == ["over", "dollars", "100", "billion", "or", "euros", "5"]
