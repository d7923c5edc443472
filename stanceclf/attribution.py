"""Who speaks in each sentence of an article: the rules, in the order they are tried.

Every rule is a few regular expressions over the sentence with its quotations blanked out
(a name inside a quote is what the speaker talks about, not who speaks), and each can be
switched off by leaving its name out of ``rules`` (``experiments/actors.py`` measures what each
adds). A sentence gets the first answer of:

``speech``
    Reported speech: ``X said / told / warned / insisted / argued / added ...`` (``X``
    before the verb, perhaps with an apposition ``X, the finance minister, said``; or after it,
    ``"...," said X``), ``X's office said``, ``a spokesperson for X said``.
``according``
    ``according to X``.
``quotes``
    A sentence that is mostly quotation takes the speaker of its quotation: named in another
    sentence of the same quotation, in the sentence before it (``X said:``, or X's paraphrase
    just before in the same paragraph), in the sentence after it (a quote paragraph attributed
    in the next one), or, for a quotation opening a paragraph, the speaker or subject of the
    sentence before.
``subject``
    The subject of a stance verb or an auxiliary at the head of the sentence, after openers such
    as ``But`` or ``On Tuesday,``: ``The union has rejected ...``, ``Germany would back ...``.
``possessive``
    ``X's refusal / support / opposition / veto / conditions ...``.

Subjects joined by "and" or commas (``Poland, Hungary and Slovakia have rejected ...``,
``X and Y said``) all carry the sentence's stance.

Names are read by :class:`stanceclf.actors.ActorIndex`; two more rules decide what a subject
may be. ``pronouns``: ``he / she / they / it`` mean the most recent compatible actor (a person
for he and she, a government or organisation for they and it); ``I`` and ``we`` outside
quotations are the author. ``roles``: ``the minister``, ``the prime minister``, ``the union``,
``the government`` mean the most recent actor with that role or that word in its name.

A sentence with a speaker nobody can name (``critics said``, ``analysts warned``, or a pronoun
with the pronoun rule off) belongs to no actor and is left out, and so is a headline (a first
paragraph of one sentence with no full stop) that names nobody; a sentence with no cue of a
speaker at all is the author's own voice. A role nobody named (``the union`` in an article that
names no union) is an actor of its own, called by that role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stanceclf.actors import Actor, ActorIndex, capitalised_spans, read_span
from stanceclf.cues import (
    AND,
    ANY_ORGANISATION,
    AUXILIARIES,
    DESCRIPTOR,
    FILLER,
    GENERIC,
    GENERIC_GROUP,
    GROUP,
    GROUP_IN,
    LEADING_CLAUSE,
    OPENERS,
    PERSON_ROLES,
    PRONOUN,
    ROLE,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    STANCE_NOUNS,
    STANCE_VERBS,
    SUBJECT_GAP,
)
from stanceclf.places import ADJECTIVES

RULES = ("speech", "according", "quotes", "subject", "possessive", "pronouns", "roles", "places", "link", "short_names")
"""Every rule's name; ``rules=`` takes any subset (the default is all of them)."""

AUTHOR = "author"


@dataclass
class Mention:
    """A name, role, pronoun or group noun in a sentence: ``text[start:end]``, and what it means."""

    start: int
    end: int
    actor: Actor | None  # None: nobody the reader could name (a generic group, an unresolved pronoun)
    author: bool = False  # "I" or "we" outside quotations
    generic: bool = False  # a group nobody can name ("critics", "some teachers")


@dataclass
class Attribution:
    """The speaker of one sentence (an actor, the author, or None: left out) and the rule that said so."""

    actor: Actor | None
    author: bool
    rule: str | None
    also: tuple[Actor, ...] = ()  # more subjects of the same verb: "Poland and Hungary have rejected ..."

    @property
    def actors(self) -> list[Actor]:
        """Every actor whose stance the sentence carries."""
        return [] if self.actor is None else [self.actor, *(a for a in self.also if a is not self.actor)]


def quotation_mask(document: str, paragraphs: list[tuple[int, int]]) -> list[bool]:
    """For every character of ``document``, whether it lies inside a quotation (marks included).

    Curly quotes open and close; straight double quotes alternate; a quotation still open at
    the end of its paragraph ends there (the next paragraph reopens it, as news prose does).

    >>> "".join("q" if inside else "." for inside in quotation_mask('He said "no way" then.', [(0, 22)]))
    '........qqqqqqqq.......'
    """
    mask = [False] * len(document)
    for start, end in paragraphs:
        inside = False
        for position in range(start, end):
            char = document[position]
            if char == "“" or (char == '"' and not inside):
                inside = True
                mask[position] = True
            elif char == "”" or (char == '"' and inside):
                mask[position] = True
                inside = False
            else:
                mask[position] = inside
    return mask


class Attributor:
    """Assigns each sentence of one document to its speaker, by the rules in force.

    Parameters
    ----------
    document : str
    sentences : list of dict
        ``start``, ``end`` and ``paragraph`` of every sentence (as
        :func:`stanceclf.sentences.predict_document` gives them), in order.
    rules : iterable of str, optional
        The rules in force (default: all of :data:`RULES`).
    """

    def __init__(self, document: str, sentences: list[dict], rules=None):
        self.document = document
        self.sentences = sentences
        self.rules = set(RULES if rules is None else rules)
        unknown = self.rules - set(RULES)
        if unknown:
            raise ValueError(f"unknown attribution rules {sorted(unknown)}; known: {', '.join(RULES)}")
        self.index = ActorIndex(self.rules)
        self.index.read(document)
        paragraphs: dict[int, list[int]] = {}
        for sentence in sentences:
            paragraphs.setdefault(sentence["paragraph"], []).append(sentence["start"])
        spans = []
        for number in sorted(paragraphs):
            members = [s for s in sentences if s["paragraph"] == number]
            spans.append((members[0]["start"], members[-1]["end"]))
        self.mask = quotation_mask(document, spans)
        self._recent: list[tuple[Actor | None, int]] = []  # actors in order of mention, speakers last
        self._mention_cache: list[list[Mention]] = []

    def attribute(self) -> list[Attribution]:
        """One :class:`Attribution` per sentence, in order."""
        own: list[Attribution | None] = []
        outsides = [self._outside(s) for s in self.sentences]
        for number in range(len(self.sentences)):
            mentions = self._mentions(outsides[number], number)
            self._mention_cache.append(mentions)
            found = self._speaker(outsides[number], mentions)
            own.append(found)
            for mention in mentions:
                if mention.actor is not None or mention.generic:
                    self._recent.append((mention.actor, number))
            if found is not None and found.actor is not None:
                self._recent.append((found.actor, number))
        inherited: dict[int, Attribution] = {}
        if "quotes" in self.rules:
            unnamed = [n for n, s in enumerate(self.sentences) if own[n] is None and self._mostly_quoted(s)]
            for number in reversed(unnamed):  # backwards: a quotation may be attributed after it ends
                found = self._quotation_speaker(number, own, inherited)
                if found is not None:
                    inherited[number] = found
            for number in unnamed:  # forwards: a quotation opening a paragraph continues the one before
                if number not in inherited:
                    found = self._paragraph_before(number, own, inherited)
                    if found is not None:
                        inherited[number] = found
        results = []
        for number in range(len(self.sentences)):
            found = inherited.get(number, own[number])
            if found is None:
                found = self._head_subject(outsides[number], number)
            if found is None and self._is_headline(number):
                found = Attribution(None, False, None)  # a headline reports; it is not the author's verdict
            results.append(found if found is not None else Attribution(None, True, None))
        return results

    # -- the text a rule reads --------------------------------------------------------------

    def _outside(self, sentence: dict) -> str:
        """The sentence with everything inside quotation marks blanked (offsets kept)."""
        start, end = sentence["start"], sentence["end"]
        return "".join(" " if self.mask[i] else self.document[i] for i in range(start, end))

    def _is_headline(self, number: int) -> bool:
        """The first paragraph, one sentence without a full stop, of a document with more."""
        sentence = self.sentences[number]
        first = [s for s in self.sentences if s["paragraph"] == sentence["paragraph"]]
        return (
            sentence["paragraph"] == self.sentences[0]["paragraph"]
            and len(first) == 1
            and len(self.sentences) > 1
            and not re.search(r"[.!?][\"”’')]*$", sentence["text"])
        )

    def _mostly_quoted(self, sentence: dict) -> bool:
        inside = sum(self.mask[sentence["start"] : sentence["end"]])
        return inside * 2 > sentence["end"] - sentence["start"]

    # -- mentions -----------------------------------------------------------------------------

    def _mentions(self, text: str, number: int) -> list[Mention]:
        """Names, roles, pronouns and group nouns of ``text``, in order."""
        found: list[Mention] = []
        taken = [False] * len(text)
        for start, end, span in capitalised_spans(text, document_words=self.index.document_words):
            actor = self.index.lookup(span)
            if actor is None and "places" not in self.rules and span in ADJECTIVES:
                continue
            if actor is None:
                name, kind, roles, country = read_span(span, places="places" in self.rules)
                if kind != "role":
                    continue
                if "roles" not in self.rules:
                    found.append(Mention(start, end, None))
                    continue
                actor = self._resolve_role(roles[0] if roles else name.lower(), country, found, number)
            if span in ADJECTIVES:
                group = GROUP.match(text, start)
                if not group:
                    continue  # "Italian farmers": a country's people, not its government
                end = group.end()
            officials = GROUP_IN.search(text[:start]) if actor is not None and actor.country else None
            if officials:
                start = officials.start()
            found.append(Mention(start, end, actor))
            taken[start:end] = [True] * (end - start)
        for match in ROLE.finditer(text):
            if any(taken[match.start() : match.end()]):
                continue
            actor = None
            if match.group("adj") and "places" in self.rules and match.group("role").lower() == "government":
                actor = self.index.lookup(ADJECTIVES[match.group("adj")])
            elif "roles" in self.rules:
                role = match.group("role").lower()
                actor = self._resolve_role(role, _country(match.group("adj")), found, number)
                if actor is None and not match.group("adj"):
                    actor = self._unnamed(role)
            found.append(Mention(match.start(), match.end(), actor))
            taken[match.start() : match.end()] = [True] * (match.end() - match.start())
        for match in GENERIC_GROUP.finditer(text):  # "some head teachers": whom a later "they" may mean
            if not any(taken[match.start() : match.end()]):
                found.append(Mention(match.start(), match.end(), None, generic=True))
        found.sort(key=lambda m: m.start)
        for match in PRONOUN.finditer(text):
            if any(taken[match.start() : match.end()]):
                continue
            word = match.group(1).lower()
            if word in ("i", "we"):
                found.append(Mention(match.start(), match.end(), None, author=True))
                continue
            actor = self._resolve_pronoun(word, found, match.start(), number) if "pronouns" in self.rules else None
            found.append(Mention(match.start(), match.end(), actor))
        found.sort(key=lambda m: m.start)
        return found

    def _unnamed(self, role: str) -> Actor:
        """An actor the text names only by its role ("the union"), kept as that role."""
        name = f"the {role}"
        known = self.index.lookup(name)
        if known is None:
            kind = "person" if role in PERSON_ROLES else "government" if role == "government" else "organisation"
            known = self.index._new(name, kind, None)
            known.roles.add(role)
        return known

    def _candidates(self, found: list[Mention], before: int | None = None):
        """Actors mentioned so far, the most recent first: this sentence's, then earlier ones."""
        for mention in reversed(found):
            if (mention.actor is not None or mention.generic) and (before is None or mention.end <= before):
                yield mention.actor
        for actor, _ in reversed(self._recent):
            yield actor

    def _resolve_pronoun(self, word: str, found: list[Mention], position: int, number: int) -> Actor | None:
        for actor in self._candidates(found, position):
            if actor is None:  # a group nobody named: "they" means it, and so nobody
                if word == "they":
                    return None
                continue
            if word in ("he", "she"):
                if actor.kind == "person" and actor.gender in (None, word):
                    if actor.gender is None:
                        actor.gender = word
                    return actor
            else:
                leader = actor.kind == "person" and "government" in actor.roles and word == "it"
                if actor.kind in ("government", "organisation") or leader:
                    return actor
        return None

    def _resolve_role(self, role: str, country: str | None, found: list[Mention], number: int) -> Actor | None:
        role = role.lower()
        for actor in self._candidates(found):
            if actor is None:
                continue
            if country is not None and actor.country not in (None, country):
                continue
            if role in actor.roles:
                return actor
            if role == "government" and actor.kind == "government":
                return actor
            if role in PERSON_ROLES:
                continue
            if role not in ("government",) and any(re.search(rf"\b{re.escape(role)}\b", n, re.I) for n in actor.names):
                return actor
        if role in ANY_ORGANISATION:  # "the company": the organisation named last, whatever its name
            for actor in self._candidates(found):
                if actor is not None and actor.kind == "organisation" and not actor.name.startswith("the "):
                    return actor
        if role in PERSON_ROLES or role == "government":
            for actor in self._candidates(found):
                if (
                    actor is not None
                    and role == "government"
                    and actor.kind == "person"
                    and "government" in actor.roles
                ):
                    return actor
        return None

    # -- the rules ----------------------------------------------------------------------------

    def _speaker(self, text: str, mentions: list[Mention]) -> Attribution | None:
        """The speaker by the speech, according and possessive rules (None: no such cue)."""
        if "speech" in self.rules:
            found = self._reported_speech(text, mentions)
            if found is not None:
                return found
        if "speech" in self.rules:  # "That warning came from X", "in the words of X"
            for match in re.finditer(r"\b(?:came|comes|come)\s+from\s+|\bwords\s+of\s+", text, re.IGNORECASE):
                mention = _mention_at(mentions, match.end())
                if mention is not None:
                    return _said(mention, "speech")
        if "according" in self.rules:
            for match in re.finditer(r"\baccording\s+to\s+", text, re.IGNORECASE):
                mention = _mention_at(mentions, match.end())
                if mention is not None:
                    return _said(mention, "according")
        if "possessive" in self.rules:
            for mention in mentions:
                stance_noun = re.match(rf"['’]s?\s+(?:\w+\s+)?{STANCE_NOUNS}\b", text[mention.end :], re.IGNORECASE)
                if stance_noun and mention.actor is not None:
                    return Attribution(mention.actor, False, "possessive")
        return None

    def _reported_speech(self, text: str, mentions: list[Mention]) -> Attribution | None:
        unresolved = None
        for verb in re.finditer(r"\b[a-z]+\b", text):
            if verb.group().lower() not in SPEECH_VERBS:
                continue
            before = text[: verb.start()]
            for mention in reversed(mentions):
                if mention.end > verb.start():
                    continue
                gap = text[mention.end : verb.start()]
                possessive = re.match(rf"^['’]s?\s+(?:\w+\s+)?{SPEECH_NOUNS}", gap, re.IGNORECASE)
                if possessive:
                    gap = gap[possessive.end() :]
                if FILLER.match(gap):
                    return _said(mention, "speech", _coordinated(text, mentions, mention, backwards=True))
            spokes = re.search(r"\bspokes(?:man|woman|person)\s+for\s+$", before, re.IGNORECASE)
            after = text[verb.end() :]
            if not before.strip() or re.search(r"[,\"”]\s*$", before) or spokes:
                named = _mention_at(mentions, verb.end() + len(after) - len(after.lstrip()))
                if named is not None:
                    return _said(named, "speech")
            bare = re.search(r"(\b\w+)\s+(?:\w+ly\s+)?$", before)
            if bare and GENERIC.search(bare.group(1)):
                unresolved = Attribution(None, False, "speech")
        return unresolved

    def _quotation_speaker(
        self, number: int, own: list[Attribution | None], inherited: dict[int, Attribution]
    ) -> Attribution | None:
        """The speaker named for the quotation sentence ``number`` belongs to (see ``quotes``)."""

        def speaker(index: int, continued: bool = False) -> Attribution | None:
            found = own[index] if 0 <= index < len(own) else None
            if found is not None and found.rule in ("speech", "according"):
                return found
            return inherited.get(index) if continued else None

        sentence = self.sentences[number]
        same = self._paragraph(number)
        low, high = self._quotation_run(number, same)
        for index in range(low, high + 1):
            found = speaker(index) if index != number else None
            if found is not None:
                return Attribution(found.actor, False, "quotes")
        previous = low - 1
        if previous >= 0:
            text = self.document[self.sentences[previous]["start"] : self.sentences[previous]["end"]].rstrip()
            found = speaker(previous) if text.endswith(":") or previous in same else None
            if found is not None:
                return Attribution(found.actor, False, "quotes")
        following = high + 1
        if following < len(self.sentences):
            follows = self.sentences[following]
            # a quotation left open at the paragraph's end goes on in the next one (news style)
            continued = high == same[-1] and self.mask[sentence["end"] - 1] and self.mask[follows["start"]]
            found = speaker(following, continued)
            if found is not None and (follows["paragraph"] == sentence["paragraph"] or high == same[-1]):
                return Attribution(found.actor, False, "quotes")
        return None

    def _paragraph_before(
        self, number: int, own: list[Attribution | None], inherited: dict[int, Attribution]
    ) -> Attribution | None:
        """For a quotation opening a paragraph: the speaker or subject of the sentence before."""
        same = self._paragraph(number)
        low, _ = self._quotation_run(number, same)
        previous = low - 1
        if previous < 0 or low != same[0] or not self.mask[self.sentences[number]["start"]]:
            return None
        earlier = inherited.get(previous, own[previous])
        if earlier is not None and earlier.actor is not None and earlier.rule in ("speech", "quotes", "subject"):
            return Attribution(earlier.actor, False, "quotes")
        return None

    def _paragraph(self, number: int) -> list[int]:
        """The numbers of the sentences in the paragraph of sentence ``number``."""
        paragraph = self.sentences[number]["paragraph"]
        return [i for i, s in enumerate(self.sentences) if s["paragraph"] == paragraph]

    def _quotation_run(self, number: int, same: list[int]) -> tuple[int, int]:
        """The first and last sentence of the quotation that sentence ``number`` is part of."""

        def joined(first: int, second: int) -> bool:  # a quotation open across the boundary
            return self.mask[self.sentences[first]["end"] - 1] and self.mask[self.sentences[second]["start"]]

        low = number
        while low - 1 in same and joined(low - 1, low):
            low -= 1
        high = number
        while high + 1 in same and joined(high, high + 1):
            high += 1
        return low, high

    def _head_subject(self, text: str, number: int) -> Attribution | None:
        """The ``subject`` rule, then what is left: the author, or None (a speaker nobody can name)."""
        mentions = self._mention_cache[number] if "subject" in self.rules else []
        if "subject" in self.rules:
            rest_at = len(text) - len(text.lstrip()) + _opener_length(text.lstrip())
            clause = LEADING_CLAUSE.match(text[rest_at:])
            if clause:
                rest_at += clause.end()
                rest_at += _opener_length(text[rest_at:])
            head = _mention_at(mentions, rest_at)
            if head is not None and head.author:
                return Attribution(None, True, "subject")
            # "Rail operator EuroCargo", "Consumer group BEUC": a few words describing the name
            described = [m for m in mentions if m.start > rest_at and not m.generic and m is not head][:1]
            described = [m for m in described if DESCRIPTOR.match(text[rest_at : m.start])]
            for mention in ([head] if head is not None else []) + described:
                group = _coordinated(text, mentions, mention, backwards=False)
                tail = text[(group[-1] if group else mention).end :]
                possessive = re.match(rf"^['’]s?\s+(?:\w+\s+)?{SPEECH_NOUNS}", tail, re.IGNORECASE)
                gap = SUBJECT_GAP.match(tail[possessive.end() :] if possessive else tail)
                verb = gap.group("verb").lower() if gap else ""
                if verb in STANCE_VERBS or verb in AUXILIARIES:
                    if mention.actor is None:
                        return Attribution(None, False, "subject")
                    return Attribution(mention.actor, False, "subject", tuple(m.actor for m in group if m.actor))
            if mentions and mentions[0].generic and mentions[0].start <= rest_at + 5:
                return Attribution(None, False, "subject")  # "Some head teachers worry ...": nobody named
        return None


def _opener_length(text: str) -> int:
    """The length of the openers ("But", "In a statement,") starting ``text`` (0 if none)."""
    opener = OPENERS.match(text)  # the pattern can match the empty string, so this is never None
    return opener.end() if opener is not None else 0


def _said(mention: Mention, rule: str, group: list[Mention] | None = None) -> Attribution:
    if mention.author:
        return Attribution(None, True, rule)
    return Attribution(mention.actor, False, rule, tuple(m.actor for m in group or () if m.actor))


def _coordinated(text: str, mentions: list[Mention], mention: Mention, *, backwards: bool) -> list[Mention]:
    """The mentions joined to ``mention`` by "and" or commas ("Poland, Hungary and Slovakia"),
    before it (``backwards``) or after it, nearest first."""
    group: list[Mention] = []
    joins: list[str] = []
    index = mentions.index(mention)
    step = -1 if backwards else 1
    current = mention
    while 0 <= index + step < len(mentions):
        other = mentions[index + step]
        between = text[other.end : current.start] if backwards else text[current.end : other.start]
        if other.generic or other.author or not AND.fullmatch(between):
            break
        group.append(other)
        joins.append(between)
        current, index = other, index + step
    # commas alone are an apposition ("Its chairman, Paul Okafor, warned"): a list has an "and"
    return group if any(re.search(r"\band\b|\bas well as\b", j, re.IGNORECASE) for j in joins) else []


def _mention_at(mentions: list[Mention], position: int) -> Mention | None:
    """The mention starting at ``position`` (after an optional ``the``), if any."""
    for mention in mentions:
        if mention.start == position or (mention.start > position and mention.start - position <= 4):
            return mention
    return None


def _country(adjective: str | None) -> str | None:
    return ADJECTIVES.get(adjective) if adjective else None


def attribute_sentences(document: str, sentences: list[dict], rules=None) -> tuple[list[Attribution], ActorIndex]:
    """The speaker of every sentence, and the index of actors it read (see :class:`Attributor`).

    Examples
    --------
    >>> text = "The union has rejected the plan. It would strike, its leader Ana Ruiz said."
    >>> sentences = [{"paragraph": 1, "start": 0, "end": 32}, {"paragraph": 1, "start": 33, "end": 75}]
    >>> [(a.actor.name if a.actor else None, a.rule) for a in attribute_sentences(text, sentences)[0]]
    [('the union', 'subject'), ('Ana Ruiz', 'speech')]
    """
    attributor = Attributor(document, sentences, rules)
    return attributor.attribute(), attributor.index
