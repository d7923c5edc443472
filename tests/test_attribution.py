"""Who speaks in each sentence: one small example per attribution rule, and each rule switchable."""

from __future__ import annotations

import pytest

from stanceclf.actors import ActorIndex, capitalised_spans, read_span
from stanceclf.attribution import RULES, attribute_sentences, quotation_mask
from stanceclf.places import government_of
from stanceclf.sentences import iter_sentences

pytest.importorskip("syntok")


def speakers(document: str, rules=None) -> list[str | None]:
    """The speaker of every sentence: an actor's name, 'author', or None (left out)."""
    sentences = [s.__dict__ for s in iter_sentences(document)]
    attributions, _ = attribute_sentences(document, sentences, rules)
    return [a.actor.name if a.actor is not None else "author" if a.author else None for a in attributions]


def without(rule: str) -> list[str]:
    return [r for r in RULES if r != rule]


# (rule, document, speaker of its last sentence); the rule is the only one that names it
EXAMPLES = [
    ("speech", '"The toll is unfair," said Maria Costa.', "Maria Costa"),
    ("speech", "The toll will hurt, Maria Costa, who chairs the drivers' group, warned on Monday.", "Maria Costa"),
    ("speech", "The toll, the Harbour Freight Union's office said, was a mistake.", "Harbour Freight Union"),
    ("speech", "A spokesperson for the Harbour Freight Union said the toll was a mistake.", "Harbour Freight Union"),
    ("according", "According to Maria Costa, the toll is unfair.", "Maria Costa"),
    ("quotes", 'Maria Costa spoke first.\n\n"We reject it. It is unfair, and costly, and late."', "Maria Costa"),
    ("quotes", 'Maria Costa said: "We reject it. It is unfair, and costly, and late."', "Maria Costa"),
    ("subject", "The Harbour Freight Union has rejected the toll.", "Harbour Freight Union"),
    ("possessive", "The talks stalled over Maria Costa's refusal to accept the toll.", "Maria Costa"),
]


@pytest.mark.parametrize(("rule", "document", "speaker"), EXAMPLES)
def test_each_rule_names_the_speaker_of_its_example(rule, document, speaker):
    assert speakers(document)[-1] == speaker


@pytest.mark.parametrize(("rule", "document", "speaker"), EXAMPLES)
def test_switching_a_rule_off_loses_its_example(rule, document, speaker):
    assert speakers(document, without(rule))[-1] != speaker


def test_the_subject_of_a_speech_verb_speaks():
    assert speakers("Maria Costa said the toll was unfair.") == ["Maria Costa"]
    assert speakers("Harbour Freight Union's office said the toll was a mistake.") == ["Harbour Freight Union"]


def test_a_quote_paragraph_takes_the_speaker_named_in_the_next_sentence():
    document = (
        "Ferry fares will rise in May.\n\n"
        '"Nobody asked the islanders. Nobody listened."\n\n'
        "Ana Ruiz, who speaks for the island councils, said the rise was unjust."
    )
    assert speakers(document) == ["author", "Ana Ruiz", "Ana Ruiz", "Ana Ruiz"]
    assert speakers(document, without("quotes"))[1:3] == ["author", "author"]


def test_a_quote_continuing_a_speakers_paraphrase_is_theirs():
    document = 'Ana Ruiz said the rise was unjust. "Nobody asked the islanders."'
    assert speakers(document) == ["Ana Ruiz", "Ana Ruiz"]


def test_names_inside_a_quotation_are_not_its_speaker():
    assert speakers('"Maria Costa said the toll was fine," the mayor of Porto Alto joked.')[0] != "Maria Costa"


def test_places_stand_for_their_government():
    document = "Rome has rejected the tariff. The Kremlin welcomed it. Italian officials said talks would go on."
    assert speakers(document) == ["Italy", "Russia", "Italy"]
    assert speakers(document, without("places"))[:2] == ["Rome", "Kremlin"]
    assert (government_of("Berlin"), government_of("French"), government_of("Lyon")) == ("Germany", "France", None)


def test_pronouns_mean_the_most_recent_compatible_actor():
    document = (
        "Maria Costa met the Harbour Freight Union on Monday. "
        "They said the toll was a mistake. She said it was overdue."
    )
    assert speakers(document)[1:] == ["Harbour Freight Union", "Maria Costa"]
    assert speakers(document, without("pronouns"))[1:] == [None, None]


def test_role_nouns_mean_the_actor_with_that_role():
    document = "Finance Minister Ana Ruiz spoke in Porto. The minister insisted the toll was fair."
    assert speakers(document)[1] == "Ana Ruiz"
    assert speakers(document, without("roles"))[1] is None


def test_a_role_nobody_named_is_its_own_actor():
    assert speakers("The union has rejected the toll.") == ["the union"]


def test_a_head_of_government_linked_to_the_country_is_one_actor_with_it():
    document = "Italian Prime Minister Giorgia Meloni backed the deal. Rome later said it had doubts."
    assert speakers(document) == ["Giorgia Meloni", "Giorgia Meloni"]
    assert speakers(document, without("link")) == ["Giorgia Meloni", "Italy"]


def test_an_apposition_links_a_leader_to_the_country():
    document = "Lucía Moreno, Spain's prime minister, said no. Madrid will veto the plan."
    assert speakers(document) == ["Lucía Moreno", "Lucía Moreno"]


def test_a_minister_is_not_merged_with_the_government():
    document = "Italian Finance Minister Marco Bianchi backed the deal. Rome has rejected it."
    assert speakers(document) == ["Marco Bianchi", "Italy"]


def test_a_short_name_is_the_person_named_in_full():
    document = "Maria Costa chairs the board. Costa said the toll was unfair."
    assert speakers(document)[1] == "Maria Costa"
    assert speakers(document, without("short_names"))[1] == "Costa"


def test_unnamed_speakers_are_left_out_and_plain_prose_is_the_author():
    assert speakers("Critics said the toll was unfair. The toll is a bad idea.") == [None, "author"]


def test_a_headline_is_not_the_authors_voice():
    assert speakers("Toll plan angers drivers\n\nThe toll is a bad idea.") == [None, "author"]


def test_i_and_we_outside_quotations_are_the_author():
    assert speakers("Maria Costa spoke. We think the toll is a bad idea.")[1] == "author"


def test_unknown_rules_are_refused():
    with pytest.raises(ValueError, match="unknown attribution rules"):
        attribute_sentences("A.", [{"paragraph": 1, "start": 0, "end": 2}], ["speech", "telepathy"])


def test_capitalised_spans_drop_words_capitalised_by_position():
    spans = [span for _, _, span in capitalised_spans("However, the Harbour Freight Union met Maria Costa on Monday.")]
    assert spans == ["Harbour Freight Union", "Maria Costa"]


@pytest.mark.parametrize(
    ("span", "reading"),
    [
        ("Finance Minister Ana Ruiz", ("Ana Ruiz", "person")),
        ("Harbour Freight Union", ("Harbour Freight Union", "organisation")),
        ("Kremlin", ("Russia", "government")),
        ("Prime Minister", ("prime minister", "role")),
        ("NATO", ("NATO", "organisation")),
    ],
)
def test_a_span_is_read_as_person_organisation_government_or_role(span, reading):
    assert read_span(span)[:2] == reading


def test_an_acronym_in_brackets_is_the_name_before_it():
    index = ActorIndex(RULES)
    index.read("The Harbour Freight Union (HFU) met. The HFU said no.")
    assert index.lookup("HFU") is index.lookup("Harbour Freight Union")


def test_quotation_mask_ends_an_open_quote_at_the_paragraph_end():
    document = '"Open quote here.\n\nNext paragraph.'
    mask = quotation_mask(document, [(0, 17), (19, 34)])
    assert all(mask[0:17]) and not any(mask[19:])


def test_a_quotation_running_over_paragraphs_takes_the_speaker_named_after_it():
    document = (
        "Maria Costa spoke first.\n\n"
        "\u201cEvery year we wait, the stocks shrink.\n\n"
        "\u201cNobody here can say otherwise.\u201d\n\n"
        "That warning came from Ana Ruiz, who spoke last."
    )
    assert speakers(document)[1:] == ["Ana Ruiz", "Ana Ruiz", "Ana Ruiz"]


def test_a_long_article_full_of_names_is_attributed_in_seconds_not_minutes():
    import random
    import time

    random.seed(0)
    words = ["Maria", "Costa", "said", "the", "Harbour", "Union", "of", "Porto", "backed", "Rome", "Kremlin"]
    words += ["officials", ",", "\u201c", "quote", "\u201d", "."]
    document = "\n\n".join(" ".join(random.choice(words) for _ in range(40)) + "." for _ in range(300))
    sentences = [s.__dict__ for s in iter_sentences(document)]
    started = time.perf_counter()
    attribute_sentences(document, sentences)
    assert time.perf_counter() - started < 60  # about 1 s alone; a quadratic pass took minutes


def test_actors_joined_by_and_share_the_sentence():
    document = "Poland, Hungary and Slovakia have rejected the quota. Ana Ruiz and Tomas Berg said it was unfair."
    sentences = [s.__dict__ for s in iter_sentences(document)]
    attributions, _ = attribute_sentences(document, sentences)
    assert [[actor.name for actor in a.actors] for a in attributions] == [
        ["Poland", "Hungary", "Slovakia"],
        ["Tomas Berg", "Ana Ruiz"],
    ]


def test_an_apposition_is_not_a_list_of_actors():
    document = "Maria Costa chairs the board. Its chairman, Paul Okafor, warned that the toll would hurt."
    sentences = [s.__dict__ for s in iter_sentences(document)]
    attributions, _ = attribute_sentences(document, sentences)
    assert [actor.name for actor in attributions[1].actors] == ["Paul Okafor"]


def test_the_short_name_of_an_international_body_is_that_body():
    assert speakers("The European Union met on Monday. The EU has rejected the toll.")[1] == "European Union"


def test_brussels_is_the_european_body_the_article_names():
    assert speakers("The European Commission met. Brussels has rejected the toll.")[1] == "European Commission"
    assert speakers("Brussels has rejected the toll.") == ["Brussels"]
