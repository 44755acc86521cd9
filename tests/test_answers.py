import pytest

from assistant import Assistant, EmptyQuestionError, QuestionTooLongError, Turn, UserInputError
from assistant.answer.conversation import condense

from tests.conftest import CORPUS, one_document_bot, quoted_exactly, source_text

QUESTIONS = [
    "Until when does the partnership last?",
    "Who has the right of first refusal?",
    "How much has OpenAI raised?",
    "Where is Oracle located?",
    "How many employees does the Financial Times have?",
    "When was The Information founded?",
    "What is Stargate?",
    "Where is OpenAI's API hosted?",
    "What happens if Microsoft cannot meet OpenAI's computing demands?",
    "Who did Microsoft hire to lead its consumer AI work?",
    "What did some OpenAI shareholders complain about?",
    "What added strain to the partnership?",
    "What could cost Microsoft access to OpenAI's most powerful technologies?",
    "Was Microsoft the only cloud provider for OpenAI before?",
]


def test_answer_cites_the_term_of_the_partnership(bot):
    answer = bot.ask("Until when does the partnership last?")
    assert not answer.abstained
    assert "2030" in answer.text and "[1]" in answer.text
    assert any("2030" in c.quote for c in answer.citations)
    assert answer.provenance.backend == "extractive"
    assert answer.provenance.index_fingerprint and answer.provenance.embedding_model
    assert all(s.origin == "document" and s.citations for s in answer.provenance.sentences)


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_citation_quotes_its_exact_span(bot, question):
    answer = bot.ask(question)
    assert not answer.abstained, answer.text
    assert answer.citations
    for citation in answer.citations:
        assert quoted_exactly(citation)
        assert f"[{citation.n}]" in answer.text
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


@pytest.mark.parametrize("question", [
    "Apart from Oracle, which other cloud firms are in the Stargate project?",  # the article names no other
    "What is the capital of Australia?",
    "How much revenue did OpenAI book in 2024?",
    "In what year was Oracle founded?",
    "Who is the CEO of Oracle?",
    "What is a good recipe for banana bread?",
    "How much has Oracle put into OpenAI so far?",  # a profile field of one party does not answer for two
    "Other than Oracle, which firms belong to Stargate?",
    "stargate spending $",  # an amount, typed as keywords
    "Who succeeded Suleyman as Inflection's CEO?",  # "Mustafa Suleyman" is the man asked about, "AI" no one
])
def test_abstains_when_the_documents_do_not_say(bot, question):
    answer = bot.ask(question)
    assert answer.abstained
    assert answer.citations == []
    assert "don't say" in answer.text


def test_same_question_gives_byte_identical_answers(bot, shared_store):
    first = bot.ask("Who has the right of first refusal?")
    again = Assistant(store_dir=shared_store, corpus_dir=CORPUS).ask("Who has the right of first refusal?")
    assert first.model_dump_json() == again.model_dump_json()


def test_follow_up_is_read_with_the_conversation(bot):
    history = [
        {"role": "user", "content": "What are the terms of the Microsoft and OpenAI partnership?"},
        {"role": "assistant", "content": "Microsoft has a right of first refusal on new compute. [1]"},
    ]
    answer = bot.ask("And until when will it run?", history=history)
    assert "2030" in answer.text
    located = bot.ask("What about Oracle?", history=[{"role": "user", "content": "Where is OpenAI located?"}])
    assert "Austin" in located.text


def test_a_possessive_that_points_at_a_name_in_the_question_is_not_a_follow_up(bot):
    history = [{"role": "user", "content": "Who has the right of first refusal?"},
               {"role": "assistant", "content": "Microsoft. [1]"}]
    question = "Which city is Oracle's profile giving as its home?"
    assert bot.ask(question, history=history).model_dump_json() == bot.ask(question).model_dump_json()
    turns = [Turn(**turn) for turn in history]
    assert condense("Where are its headquarters?", turns).is_follow_up
    assert condense("And what did Oracle say about it?", turns).is_follow_up


def test_retrieve_returns_ranked_passages(bot):
    passages = bot.retrieve("Who has the right of first refusal?", k=3)
    assert len(passages) == 3
    assert "right of first refusal" in passages[0].text
    assert passages[0].score >= passages[1].score >= passages[2].score
    assert source_text(passages[0].source)[passages[0].start : passages[0].end] == passages[0].text


def test_stream_yields_text_then_citations_then_the_answer(bot):
    events = list(bot.stream("Until when does the partnership last?"))
    kinds = [e.type for e in events]
    assert kinds[-2:] == ["citations", "answer"] and set(kinds[:-2]) == {"text"}
    answer = events[-1].answer
    assert "".join(e.text for e in events if e.type == "text") == answer.text
    assert events[-2].citations == answer.citations


def test_answer_serialises_to_json(bot):
    answer = bot.ask("Who has the right of first refusal?")
    from assistant import Answer

    assert Answer.model_validate_json(answer.model_dump_json()) == answer


@pytest.mark.parametrize("bad, error", [
    ("", EmptyQuestionError), ("   \n\t ", EmptyQuestionError), ("\x00\x07", EmptyQuestionError),
    ("x" * 2001, QuestionTooLongError), (None, EmptyQuestionError),
])
def test_bad_questions_raise_a_value_error(bot, bad, error):
    with pytest.raises(error) as info:
        bot.ask(bad)
    assert isinstance(info.value, ValueError) and isinstance(info.value, UserInputError)


def test_control_characters_are_stripped(bot):
    answer = bot.ask("Until when\x00 does the\x1b partnership last?\x07")
    assert answer.question == "Until when does the partnership last?"
    assert "2030" in answer.text


def test_bad_history_is_a_clear_error(bot):
    with pytest.raises(UserInputError, match="role"):
        bot.ask("And then?", history=[{"speaker": "me"}])


# The answerer's behaviours, each checked on a short invented document whose sentences the test defines: none
# depends on the wording of the shipped article. LIBRARY is plain prose (no title line, so that its first sentence
# is where it opens); CLUB_NEWS is laid out as a scraped news page: headline, date line, organisation profiles.
OPENS = "Running a small-town library can be as unpredictable as spring weather."
TERM = 'The new agreement gives the Harbor Trust a "first offer" on each new book order.'
RESTATED = "In simpler terms, when the library wants new books, the Harbor Trust gets the first chance to supply them."
CONDITIONAL = ("However, if the Harbor Trust cannot deliver an order within a month, the library can buy the books "
               "elsewhere.")
DATED = "The deal is set to run until 2031, and the library's reading rooms stay open on weekends throughout."
NAMED = "The library's joint reading program with the town schools, dubbed Bookbridge, began last autumn."
MAPS = "The Harbor Trust remains the library's exclusive supplier of rare maps."
RESTATES = "This arrangement is a mixed blessing."
EXPLAINS = ("While it keeps the map collection consistent, it also ties the library to one seller, which could raise "
            "its costs.")
HIRE = "The library hired Dana Whitlock, former head of the county archive, to lead its digital lending."
REACTION = "This move has reportedly upset several long-serving volunteers at the Harbor Trust."
ENDS = "The town hopes its children will grow up with more books than ever before."
LIBRARY = "\n\n".join([
    f"{OPENS} Millbrook Library and the Harbor Trust, once bound by a single-supplier contract, are now charting a "
    "new route. Their recent agreement changes how books reach the town's readers.",
    "Previously, the library was tied exclusively to the Harbor Trust for every new book it bought. Now the library "
    "is free to order from other booksellers as well.",
    f"{TERM} {RESTATED} {CONDITIONAL}",
    DATED,
    f"{NAMED} Volunteers read with younger pupils every Thursday afternoon. Running a small library, one volunteer "
    "says, is like conducting a small and cheerful orchestra.",  # an image too, away from the introduction
    f"{MAPS} {RESTATES} {EXPLAINS}",
    f"{HIRE} {REACTION}",
    f"In conclusion, the new deal marks a fresh start for reading in Millbrook. {ENDS}",
]) + "\n"


@pytest.fixture(scope="module")
def library_bot(tmp_path_factory):
    return one_document_bot(tmp_path_factory, "library.txt", LIBRARY)


def _quotes(answer, text: str) -> list[str]:
    """The answer's quotes, each checked to be the exact span of `text` its citation names."""
    assert all(text[c.start : c.end] == c.quote for c in answer.citations)
    return [c.quote for c in answer.citations]


def test_how_a_text_opens_and_ends_is_its_first_and_last_sentence(library_bot):
    assert _quotes(library_bot.ask("How does the piece begin?"), LIBRARY) == [OPENS]
    assert _quotes(library_bot.ask("What are the article's closing words?"), LIBRARY) == [ENDS]


def test_a_question_naming_the_introduction_is_answered_where_the_text_opens(library_bot):
    # Two sentences liken running a library to something: the introduction's is the one asked for.
    answer = library_bot.ask("What image does the introduction use for running a library?")
    assert _quotes(answer, LIBRARY) == [OPENS]


def test_the_words_saying_where_to_look_are_not_what_to_find(library_bot):
    answer = library_bot.ask("What does the ending say about reading?")  # no sentence holds "ending"
    assert not answer.abstained, answer.text
    assert "reading" in answer.text


def test_a_why_question_gets_the_sentence_that_explains_the_one_it_restates(library_bot):
    answer = library_bot.ask("Why is the map arrangement a mixed blessing?")
    quotes = _quotes(answer, LIBRARY)
    assert RESTATES in quotes
    assert EXPLAINS in quotes  # the next sentence, "While it ..., it also ..."


@pytest.mark.parametrize(("question", "expected"), [
    pytest.param("What could raise costs?", EXPLAINS,
                 id="a sentence holding every word of the question answers it"),  # though far in meaning
    pytest.param("Could you put the first offer in simple terms?", TERM,
                 id="asking for plain English is not asking about English"),
    pytest.param("Which long-serving helpers are unhappy?", REACTION,
                 id="a clear winner answers just under the dense floor"),
])
def test_answered_not_abstained(library_bot, question, expected):
    answer = library_bot.ask(question)
    assert not answer.abstained, answer.text
    assert expected in _quotes(answer, LIBRARY)


def test_asked_to_explain_a_term_the_answer_goes_on_to_its_restatement(library_bot):
    answer = library_bot.ask("Could you explain what the first offer is?")
    assert _quotes(answer, LIBRARY) == [TERM, RESTATED, CONDITIONAL]  # the term, "In simpler terms, ...", "However"


def test_a_downside_question_gets_the_sentences_that_continue_the_best_one(library_bot):
    answer = library_bot.ask(
        "What is the disadvantage for the library of the Harbor Trust being its exclusive supplier of rare maps?")
    assert _quotes(answer, LIBRARY) == [MAPS, RESTATES, EXPLAINS]  # two sentences on: "This ...", "While it ..."


def test_a_follow_up_to_a_follow_up_leans_on_the_whole_chain(library_bot):
    history = [{"role": "user", "content": "Who did the library hire to lead its digital lending?"},
               {"role": "assistant", "content": "Dana Whitlock."},
               {"role": "user", "content": "Where was she before?"},
               {"role": "assistant", "content": "She was head of the county archive."}]
    # "How" asks for a manner of its own: not the place "Where was she before?" asked for.
    quotes = _quotes(library_bot.ask("How did the Harbor Trust take it?", history=history), LIBRARY)
    assert REACTION in quotes and HIRE not in quotes
    assert "hire" in condense("How did the trust take that?", [Turn(**turn) for turn in history]).search_text
    named = [{"role": "user", "content": "When was OpenAI founded?"}, {"role": "assistant", "content": "2015."},
             {"role": "user", "content": "And the Financial Times?"}, {"role": "assistant", "content": "1888."}]
    assert "OpenAI" not in condense("And who owns it?", [Turn(**turn) for turn in named]).search_text  # "the Financial Times" is its own subject


def test_asked_what_something_is_called_the_sentence_naming_it_answers(library_bot):
    assert _quotes(library_bot.ask("What is the reading program with the schools known as?"), LIBRARY) == [NAMED]


def test_a_conditional_follow_up_is_answered_by_the_conditional_sentence(library_bot):
    history = [{"role": "user", "content": "What does the first offer give the Harbor Trust?"},
               {"role": "assistant", "content": "The first chance to supply the library's new books."}]
    answer = library_bot.ask("And if it cannot supply them?", history=history)
    assert _quotes(answer, LIBRARY) == [CONDITIONAL]


@pytest.mark.parametrize(("question", "history"), [
    ("So when is it over?",
     [{"role": "user", "content": "Who gets the first chance to supply the library's new books?"}]),
])
def test_a_date_question_in_other_words_is_answered_by_the_sentence_holding_the_date(library_bot, question, history):
    answer = library_bot.ask(question, history=history)
    assert not answer.abstained, answer.text
    assert DATED in _quotes(answer, LIBRARY)


HEADLINE = "Riverside Garden Club Opens a Seed Library"
DATE_LINE = "March 3, 2024, 9:15 am"
CLUB_NEWS = f"""{HEADLINE}

{DATE_LINE}
Riverside Garden Club
Riverside Garden Club
Location: United States, Oregon, Salem
Employees: 11-50
Founded date: 1962
Total raised: $0.35M
Northfield Botanical Society
Northfield Botanical Society
Location: Canada, Ontario, Kingston
Employees: 51-200
Founded date: 1921
Harbor Seed Bank
Harbor Seed Bank
Location: United States, Maine, Portland
Employees: 1-10
The Riverside Garden Club has opened a seed library in the hall of its community garden. Members may borrow up to \
ten packets of seeds each spring and return seeds from their own harvest in the autumn.

The Northfield Botanical Society donated the first four hundred packets, mostly heirloom beans and tomatoes. The \
Harbor Seed Bank will test the returned seeds for germination before they go back on the shelves.

Volunteers hope the library will keep rare local varieties in the gardens of the valley for years to come.
"""


@pytest.fixture(scope="module")
def club_news_bot(tmp_path_factory):
    return one_document_bot(tmp_path_factory, "club-news.md", CLUB_NEWS)


@pytest.mark.parametrize(("question", "organisation", "field"), [
    ("How much money has the Riverside Garden Club raised in total?", "Riverside Garden Club", "Total raised: $0.35M"),
    ("When was the Northfield Botanical Society founded?", "Northfield Botanical Society", "Founded date: 1921"),
    ("Where is the Harbor Seed Bank based?", "Harbor Seed Bank", "Location: United States, Maine, Portland"),
    ("What town is the Harbor Seed Bank headquartered in?", "Harbor Seed Bank",  # "town" names the kind of answer
     "Location: United States, Maine, Portland"),
])
def test_profile_facts_are_answerable(club_news_bot, question, organisation, field):
    answer = club_news_bot.ask(question)
    assert _quotes(answer, CLUB_NEWS)[:1] == [field]
    assert answer.text.startswith(f"{organisation} — {field}")  # a field is shown with the organisation it is of


def test_a_question_asked_again_gets_the_same_answer_again(club_news_bot):
    question = "How much money has the Riverside Garden Club raised in total?"
    first = club_news_bot.ask(question)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": first.text}]
    assert club_news_bot.ask(f"  {question.lower()} ", history=history).text == first.text
    follow_up = [{"role": "user", "content": "What is the Harbor Seed Bank's role?"},
                 {"role": "assistant", "content": "It tests the returned seeds."}]
    asked_on = club_news_bot.ask("And where is it based?", history=follow_up)
    # A follow-up that is answered, so that its repeat is not an abstention repeated.
    assert _quotes(asked_on, CLUB_NEWS) == ["Location: United States, Maine, Portland"]
    again = follow_up + [{"role": "user", "content": "And where is it based?"},
                         {"role": "assistant", "content": asked_on.text}]
    assert club_news_bot.ask("And where is it based?", history=again).text == asked_on.text


def test_a_follow_up_is_not_answered_with_the_field_it_just_gave(club_news_bot):
    history = [{"role": "user", "content": "When was the Northfield Botanical Society founded?"},
               {"role": "assistant", "content": "In 1921."}]
    answer = club_news_bot.ask("And how many staff does it have?", history=history)
    assert "51-200" in answer.text and "1921" not in answer.text


@pytest.mark.parametrize(("question", "expected"), [
    ("What date is on the piece?", DATE_LINE),
    ("What is the story called?", HEADLINE),
    ("When did the story go live?", DATE_LINE),
    ("When did the piece come out?", DATE_LINE),  # "come" is a word of the text ("years to come"), not near the date
])
def test_a_question_about_the_document_itself_is_answered_from_its_header(club_news_bot, question, expected):
    answer = club_news_bot.ask(question)
    assert _quotes(answer, CLUB_NEWS)[:1] == [expected]
    assert expected in answer.text.split("[1]")[0]


@pytest.mark.parametrize(("question", "expected"), [
    ("riverside garden club headquarters", "Location: United States, Oregon, Salem"),
    ("piece pub date", DATE_LINE),
])
def test_a_question_typed_as_keywords_is_answered(club_news_bot, question, expected):
    answer = club_news_bot.ask(question)
    assert _quotes(answer, CLUB_NEWS)[:1] == [expected]


@pytest.mark.parametrize(("question", "field"), [
    ("Which country is the NBS in?", "Location: Canada, Ontario, Kingston"),
    ("How many people work at the NBS?", "Employees: 51-200"),
])
def test_an_organisation_named_by_its_initials_is_answered_from_its_profile(club_news_bot, question, field):
    answer = club_news_bot.ask(question)
    assert answer.text.startswith("Northfield Botanical Society —"), answer.text
    assert _quotes(answer, CLUB_NEWS)[:1] == [field]


FAQ = """# Frequently asked questions

Q: Does the viewer run on Windows?

A: Yes. It runs on Windows 10 and later, and on most Linux desktops.

Q: Can the viewer open PDF files?

A: No. Convert them to images first with the export tool.

## Use or lose

Vacation days left at the end of the year are forfeited, unless a manager approves carrying them over.
"""


@pytest.fixture(scope="module")
def faq_bot(tmp_path_factory):
    return one_document_bot(tmp_path_factory, "faq.md", FAQ)


@pytest.mark.parametrize(("question", "expected"), [
    ("Does the viewer run on Windows?", "Windows 10"),
    ("Can the viewer open PDF files?", "Convert them"),
])
def test_a_question_in_the_text_is_answered_by_what_follows_it(faq_bot, question, expected):
    answer = faq_bot.ask(question)
    assert expected in answer.text
    assert not any(c.quote.rstrip().endswith("?") for c in answer.citations)  # the text's question is not cited


def test_a_heading_is_cited_with_the_text_under_it(faq_bot):
    answer = faq_bot.ask("What is use or lose?")
    assert "forfeited" in answer.text
    assert [c.quote for c in answer.citations][:1] == ["## Use or lose"]


NEWS = """frobnicate NEWS

* Noteworthy changes in release 3.6 (2017-05-21)

** Bug fixes

  frob no longer crashes on an empty input file.

* Noteworthy changes in release 3.4 (2016-08-08)

** Performance changes

  The sorting algorithm is now twice as fast; it was last tweaked in frobnicate-2.6 (1993).
"""


@pytest.fixture(scope="module")
def news_bot(tmp_path_factory):
    return one_document_bot(tmp_path_factory, "NEWS.txt", NEWS)


def test_a_sentence_under_the_release_asked_about_answers(news_bot):
    answer = news_bot.ask("Before release 3.4, in which version and year was the sorting algorithm last tweaked?")
    assert "frobnicate-2.6 (1993)" in answer.text, answer.text  # it names 2.6, but sits under release 3.4


ROUNDS = """# Seed funding

In February, the program awarded a first round of seed funding to 11 teams.

A third round of seed funding will be awarded this summer, to teams chosen in the spring.
"""


def test_a_sentence_about_another_round_does_not_say_how_many(tmp_path_factory):
    bot = one_document_bot(tmp_path_factory, "rounds.md", ROUNDS)
    answer = bot.ask("How many teams will receive awards in the third round of seed funding?")
    assert "11 teams" not in answer.text, answer.text  # 11 is the first round's count
    assert "11" in bot.ask("How many teams received seed funding in the first round?").text


GRANTS = """# Grants

The program awarded seed funding to 11 teams at community colleges this year.

Each team of the program received $250,000 for two years of work.
"""


def test_how_much_asks_for_an_amount_not_a_count(tmp_path_factory):
    bot = one_document_bot(tmp_path_factory, "grants.md", GRANTS)
    answer = bot.ask("How much seed funding did the program award to community colleges?")
    assert "11 teams" not in answer.text, answer.text  # a count of teams is no amount of funding
    assert "$250,000" in bot.ask("How much money did each team receive?").text


GARDEN = """# Community garden rules

Members of the garden may use the tool shed for:

- Storing hand tools and gloves
- Drying seeds between seasons
- Keeping a small first-aid kit

The shed is locked every night.

## Watering

- Water your own plot as needed. Shared beds are watered by a rota that covers:
    - the herb spiral
    - the berry hedge
- Hoses must be coiled after use.
"""


@pytest.fixture(scope="module")
def garden_bot(tmp_path_factory):
    return one_document_bot(tmp_path_factory, "garden.md", GARDEN)


def test_a_lead_in_is_cited_with_the_list_it_introduces(garden_bot):
    answer = garden_bot.ask("What may members use the tool shed for?")
    assert "Drying seeds between seasons" in answer.text, answer.text
    [citation] = answer.citations  # the lead-in and its items: one quote, one span
    assert citation.quote.startswith("Members of the garden") and citation.quote.endswith("first-aid kit")
    assert GARDEN[citation.start : citation.end] == citation.quote
    assert "locked" not in answer.text


def test_an_item_that_leads_in_takes_the_items_under_it_not_its_siblings(garden_bot):
    answer = garden_bot.ask("Which shared beds does the watering rota cover?")
    [citation] = answer.citations
    assert citation.quote.startswith("Shared beds") and citation.quote.endswith("the berry hedge"), citation.quote
    assert GARDEN[citation.start : citation.end] == citation.quote
    assert "Hoses" not in answer.text


def _lead_in_candidate(text: str, start: int, lead_in: str, kind: str):
    from assistant.answer.candidates import Candidate
    from assistant.models import Passage

    passage = Passage(chunk_id="c", source="s.md", title="T", section="S", text=text, start=start,
                      end=start + len(text), score=0.0)
    at = start + text.index(lead_in)
    return Candidate(passage, lead_in, at, at + len(lead_in), kind=kind)


def test_an_item_lead_in_at_the_start_of_its_chunk_takes_nothing_it_cannot_place():
    from assistant.answer.compose import introducing
    from assistant.ingest.segmentation import ITEM

    # The chunk opens at the item's text, after its indent and marker: how deep the item sits cannot be read.
    text = "Keep these:\n  - Tools\n  - Seeds\n"
    lead_in = _lead_in_candidate(text, 400, "Keep these:", ITEM)
    assert introducing(lead_in) is lead_in


def test_a_lead_in_shows_its_list_with_the_marker_on_its_own_line():
    from assistant.answer.compose import cite, introducing
    from assistant.ingest.segmentation import SENTENCE

    text = "Members may use the shed for:\n\n- Storing tools\n- Drying seeds\n\nThe shed is locked at night."
    answer = cite("q", [introducing(_lead_in_candidate(text, 0, "Members may use the shed for:", SENTENCE))])
    assert answer.text == "Members may use the shed for: [1]\n- Storing tools\n- Drying seeds"
    assert answer.citations[0].quote == text[: text.index("Drying seeds") + len("Drying seeds")]
