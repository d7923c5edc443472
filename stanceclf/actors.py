"""Finding the actors an article names, and merging the names that are one actor.

An actor is a person, a government, or an organisation (party, union, company, agency). They
are found without a model, from capitalised spans (``"Transport Workers' Union"``, ``"Giorgia
Meloni"``), the places table of :mod:`stanceclf.places` (``"Rome"`` is Italy's government) and
titles (``"Finance Minister Ana Ruiz"``: a person whose role is finance minister).
:class:`ActorIndex` reads the whole document once, then answers "who is this name?" for
:mod:`stanceclf.attribution`. Merging, each step a rule that can be switched off:

- ``short_names``: a lone surname is the person named in full elsewhere ("Meloni" is "Giorgia
  Meloni"); an acronym in brackets after a name is that name.
- ``places``: countries, capitals, seats and adjectives are the country's government.
- ``link``: a head of government linked to the country in the text (``"Italian Prime Minister
  Giorgia Meloni"``, ``"Meloni, Italy's prime minister,"``) is one actor with that government.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from stanceclf.places import ADJECTIVES, BODY_SEATS, CAPITALS, COUNTRIES, adjective_of


def word_set(text: str) -> set[str]:
    """The white-space separated words of ``text``, as a set (for word lists kept as prose)."""
    return set(text.split())


# A capitalised word (unicode letters too), "Workers'" keeping its apostrophe; or an initialism "U.S."
_WORD = r"(?:(?:[A-Z]\.){2,}|[A-ZÀ-Ý][\w\-&]*(?:['’](?!\w))?)"
_CONNECTOR = r"(?:of|for|de|del|della|di|da|van|von|der|den|la|le|du|des|al|el|bin)"
SPAN = re.compile(rf"(?<![\w'’]){_WORD}(?:\s(?:{_CONNECTOR}\s)?{_WORD})*")

# Words capitalised only because a sentence or quote starts with them.
COMMON = word_set(
    """a an the this that these those there then thus but and or so yet if when while although though after
    before since as at in on of for from to by with without into over under about against between during
    it its they their them we our us you your i he she his her him my me one some many most more few all
    both each every no not none nor neither either such what which who whom whose where why how here
    however meanwhile still instead also even now today yesterday tomorrow last next earlier later
    asked speaking according despite because unless until once whether only just indeed perhaps
    under new other another any much less least first second third finally overall critics officials
    analysts experts supporters opponents residents people several those sources"""
)
_CALENDAR = word_set(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december"""
)
ORG_WORDS = word_set(
    """union unions party association federation confederation council commission ministry department bank
    group inc ltd corp corporation company institute league alliance committee chamber front movement
    parliament assembly congress senate court agency authority office board foundation society organisation
    organization network coalition club forum trust fund airlines airline partners greens democrats
    republicans socialists conservatives liberals labour tories brothers university church police army
    federal cabinet secretariat guild syndicate industries industry cooperative co-operative"""
)
TITLE_WORDS = word_set(
    """prime minister ministers president chancellor premier finance foreign interior defence defense economy
    economic transport health education environment energy labour labor agriculture trade justice deputy vice
    secretary general mayor governor senator commissioner chairman chairwoman chair chief executive mr mrs ms
    miss dr professor prof sir dame lord lady king queen leader spokesman spokeswoman spokesperson director
    head representative rep sen gov mp mep ceo speaker ambassador envoy opposition home culture housing
    climate digital employment social affairs taoiseach state councillor councilor alderman
    congressman congresswoman"""
)
# Short names of international bodies that articles use without spelling them out in brackets.
ACRONYMS = {
    "EU": "European Union",
    "UN": "United Nations",
    "NATO": "North Atlantic Treaty Organization",
    "IMF": "International Monetary Fund",
    "WHO": "World Health Organization",
    "ECB": "European Central Bank",
    "WTO": "World Trade Organization",
    "OECD": "Organisation for Economic Co-operation and Development",
}
# The last word of a title: what follows it is a name ("Regional Development Minister Ana Ruiz").
_HEAD_TITLES = word_set(
    """minister secretary president chancellor premier mayor governor senator commissioner chairman chairwoman
    chair director leader spokesman spokeswoman spokesperson ceo ambassador envoy councillor mr mrs ms dr"""
)
# Titles of a head of government: the person and the government are one actor when linked.
LEADER_TITLES = ("prime minister", "president", "chancellor", "premier", "taoiseach", "head of government")
_PERSON_PRONOUN_TITLES = {"mr": "he", "mrs": "she", "ms": "she", "miss": "she", "sir": "he", "dame": "she"}


@dataclass
class Actor:
    """One actor: its display name, its kind, every name it was called, roles and country."""

    key: int
    name: str
    kind: str  # "person", "government" or "organisation"
    names: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    country: str | None = None
    gender: str | None = None  # "he" or "she" when a title or a pronoun told

    def aliases(self) -> list[str]:
        """The other names found for it, sorted."""
        return sorted(name for name in self.names if name != self.name)


@dataclass(frozen=True)
class Span:
    """A capitalised span read as an actor's name: ``text[start:end]`` of the sentence."""

    start: int
    end: int
    name: str  # without titles and country adjectives
    kind: str  # "person", "government", "organisation", "role" (titles alone) or "unknown"
    roles: tuple[str, ...] = ()
    country: str | None = None


def capitalised_spans(text: str, *, document_words: set[str] | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, span)`` of each run of capitalised words that may name an actor.

    Words capitalised only by their place (``"However"``, ``"The"``) are left off the front of
    a span; a lone word that the document also uses in lower case is not a name.

    Examples
    --------
    >>> [s for _, _, s in capitalised_spans("The Transport Workers' Union and Giorgia Meloni met in Rome.")]
    ["Transport Workers' Union", 'Giorgia Meloni', 'Rome']
    """
    found = []
    for match in SPAN.finditer(text):
        words = match.group().split(" ")
        start = match.start()
        while words and (words[0].lower().rstrip("'’") in COMMON or words[0].lower() in _CALENDAR):
            start += len(words[0]) + 1
            words = words[1:]
            while words and re.fullmatch(_CONNECTOR, words[0]):
                start += len(words[0]) + 1
                words = words[1:]
        while words and (words[-1].lower() in _CALENDAR or re.fullmatch(_CONNECTOR, words[-1])):
            words = words[:-1]
        if not words:
            continue
        span = " ".join(words)
        if len(words) == 1 and document_words and span.lower() in document_words and span not in COUNTRIES:
            continue  # "Tax" in a headline, "Workers" at a sentence start: a word, not a name
        found.append((start, start + len(span), span.rstrip("'’")))
    return found


def read_span(span: str, *, places: bool = True) -> tuple[str, str, tuple[str, ...], str | None]:
    """``(name, kind, roles, country)`` of a capitalised span.

    Examples
    --------
    >>> read_span("Italian Prime Minister Giorgia Meloni")
    ('Giorgia Meloni', 'person', ('prime minister', 'minister'), 'Italy')
    >>> read_span("Rome")
    ('Italy', 'government', (), 'Italy')
    >>> read_span("Transport Workers' Union")
    ("Transport Workers' Union", 'organisation', (), None)
    """
    if places and span in COUNTRIES:
        return COUNTRIES[span], "government", (), COUNTRIES[span]
    words = span.split(" ")
    first = words[0].lower().rstrip("'’")  # "Brothers of Italy" is a party; "Labour Minister Ana Ruiz" a person
    if any(word.lower().rstrip("'’") in ORG_WORDS for word in words[1:]) or (
        first in ORG_WORDS and (len(words) == 1 or first not in TITLE_WORDS)
    ):
        return span, "organisation", (), None
    country = None
    for size in (2, 1):
        head = " ".join(words[:size])
        if places and len(words) > size and head in ADJECTIVES:
            country, words = ADJECTIVES[head], words[size:]
            break
    titles = []
    while words and words[0].lower().rstrip(".") in TITLE_WORDS:
        titles.append(words[0].lower().rstrip("."))
        words = words[1:]
    # "Infrastructure Minister Piotr Zalewski": a title word we do not list, before one we do
    heads = [i for i, word in enumerate(words[:-1]) if word.lower().rstrip(".") in _HEAD_TITLES]
    if heads and len(words) - heads[-1] - 1 >= 1:
        titles += [word.lower().rstrip(".") for word in words[: heads[-1] + 1]]
        words = words[heads[-1] + 1 :]
    roles = tuple(_roles(titles))
    if not words:
        return " ".join(titles), "role", roles, country
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2,6}s?|(?:[A-Z]\.){2,}", words[0]):
        return words[0], "organisation", roles, None
    name = " ".join(words)
    if titles or len(words) >= 2:
        return name, "person", roles, country
    return name, "unknown", roles, country


def _roles(titles: list[str]) -> list[str]:
    """``["finance", "minister"]`` -> the roles it names: ``["finance minister", "minister"]``."""
    phrase = " ".join(title for title in titles if title not in _PERSON_PRONOUN_TITLES)
    if not phrase:
        return []
    roles = [phrase]
    last = phrase.split(" ")[-1]
    if last != phrase:
        roles.append(last)
    for leader in LEADER_TITLES:
        if phrase.endswith(leader) and leader not in roles:
            roles.append(leader)
    return roles


_LEADER = "|".join(LEADER_TITLES)


class ActorIndex:
    """Every actor a document names, and which actor each name means.

    Parameters
    ----------
    rules : set of str
        The merging rules in force (``"short_names"``, ``"places"``, ``"link"``); see the module.

    Examples
    --------
    >>> index = ActorIndex({"short_names", "places", "link"})
    >>> index.read("Italian Prime Minister Giorgia Meloni spoke in Rome. Meloni said no.")
    >>> actor = index.lookup("Meloni")
    >>> actor.name, actor.aliases()[:3], index.lookup("Rome") is actor
    ('Giorgia Meloni', ['Italian government', 'Italy', 'Meloni'], True)
    """

    def __init__(self, rules):
        self.rules = set(rules)
        self.actors: list[Actor] = []
        self._by_name: dict[str, int] = {}
        self._parent: list[int] = []
        self.document_words: set[str] = set()

    # -- building ---------------------------------------------------------------------------

    def read(self, document: str) -> None:
        """Register every actor ``document`` names, then merge what the text links."""
        self.document_words = {word.lower() for word in re.findall(r"(?<![\w'’])[a-z][\w\-]*", document)}
        found = [span for _, _, span in capitalised_spans(document, document_words=self.document_words)]
        for span in [s for s in found if " " in s]:  # full names first, so that surnames find them
            self.register(span)
        if "short_names" in self.rules:
            for short, full in ACRONYMS.items():  # "the EU" is the European Union named elsewhere
                named = self.lookup(full)
                if named is not None:
                    self._name(short, named.key)
            for match in re.finditer(r"((?:[A-Z][\w\-'’]*\s)+[A-Z][\w\-]*)\s\(([A-Z][A-Za-z]{1,9})\)", document):
                named = self.lookup(match.group(1))
                if named is not None:
                    self._name(match.group(2), named.key)
        if "places" in self.rules:  # "Brussels" is the European Commission (or Union) the article names
            for seat, bodies in BODY_SEATS.items():
                body = next((self.lookup(name) for name in bodies if self.lookup(name) is not None), None)
                if body is not None and seat in found:
                    self._name(seat, body.key)
        for span in [s for s in found if " " not in s]:
            self.register(span)
        if "link" in self.rules and "places" in self.rules:
            self._link_appositions(document)

    def register(self, span: str) -> Actor | None:
        """The actor a capitalised span names, registered if new (None for a bare title)."""
        known = self.lookup(span)
        if known is not None:
            return known
        name, kind, roles, country = read_span(span, places="places" in self.rules)
        if kind == "role":
            return None
        known = self.lookup(name)
        if known is None and kind in ("unknown", "person") and "short_names" in self.rules:
            known = self._by_surname(name)
        if known is None:
            kind = "organisation" if kind == "unknown" else kind
            known = self._new(name, kind, country if kind == "government" else None)
        known.roles.update(roles)
        gender = _PERSON_PRONOUN_TITLES.get(span.split(" ")[0].lower().rstrip("."))
        if gender:
            known.gender = gender
        self._name(span, known.key, alias=kind != "person")  # "Mr Rossi" finds him; the table says "Rossi"
        self._name(name, known.key)
        if kind == "person" and " " in name and "short_names" in self.rules:
            self._name(name.split(" ")[-1], known.key, weak=True)
        if kind == "person" and country and "link" in self.rules and any(r in LEADER_TITLES for r in roles):
            self.link_leader(known, country)
        return self.find(known.key)

    def _new(self, name: str, kind: str, country: str | None) -> Actor:
        actor = Actor(len(self.actors), name, kind, {name}, set(), country)
        self.actors.append(actor)
        self._parent.append(actor.key)
        self._name(name, actor.key)
        if kind == "government" and country:
            adjective = adjective_of(country)
            for alias in (country, *CAPITALS.get(country, ())):
                self._name(alias, actor.key)
            if adjective:
                self._name(adjective, actor.key, alias=False)
                actor.names.add(f"{adjective} government")
                self._name(f"{adjective} government", actor.key)
        return actor

    def _name(self, name: str, key: int, *, weak: bool = False, alias: bool = True) -> None:
        folded = _fold(name)
        if weak and folded in self._by_name and self.find(self._by_name[folded]).key != self.find(key).key:
            return  # two people share a surname: the lone surname stays with the first
        self._by_name.setdefault(folded, key)
        if alias:
            self.actors[key].names.add(name)

    def _by_surname(self, name: str) -> Actor | None:
        last = _fold(name.split(" ")[-1])
        for actor in self.actors:
            if actor.kind == "person" and any(_fold(n.split(" ")[-1]) == last for n in actor.names if " " in n):
                return self.find(actor.key)
        return None

    def link_leader(self, person: Actor, country: str) -> None:
        """Merge ``person`` with ``country``'s government (unless it already has another leader)."""
        government = self.lookup(country)
        if government is None:
            government = self._new(country, "government", country)
        government, person = self.find(government.key), self.find(person.key)
        if government.key == person.key:
            return
        if government.kind == "person":  # the government is already one with another leader
            return
        self._parent[government.key] = person.key
        person.names |= government.names
        person.country = country
        person.roles.add("government")

    def _link_appositions(self, document: str) -> None:
        """``Meloni, Italy's prime minister,`` / ``the Italian prime minister, Giorgia Meloni``."""
        for match in _leader_phrase().finditer(document):
            parts = [v for v in match.groupdict().values() if v]
            country = next((COUNTRIES.get(_title(v)) or ADJECTIVES.get(_title(v)) for v in parts), None)
            if country is None:
                continue
            after = re.match(r",?\s+([A-Z][\w\-]+(?:\s[A-Z][\w\-]+)+)", document[match.end() : match.end() + 80])
            before = re.search(
                r"([A-Z][\w\-]+(?:\s[A-Z][\w\-]+)+),\s+$", document[max(0, match.start() - 80) : match.start()]
            )
            for found in (after, before):
                person = self.lookup(found.group(1)) if found else None
                if person is not None and person.kind == "person":
                    self.link_leader(person, country)

    # -- answering ----------------------------------------------------------------------------

    def find(self, key: int) -> Actor:
        """The actor ``key`` was merged into."""
        while self._parent[key] != key:
            key = self._parent[key]
        return self.actors[key]

    def lookup(self, name: str) -> Actor | None:
        """The actor a name means (any spelling seen, case-insensitive), or None."""
        key = self._by_name.get(_fold(name))
        return None if key is None else self.find(key)

    def merged(self) -> list[Actor]:
        """The actors after merging, each once, in the order first found."""
        seen: dict[int, Actor] = {}
        for actor in self.actors:
            root = self.find(actor.key)
            seen.setdefault(root.key, root)
        return list(seen.values())


@functools.cache
def _leader_phrase() -> re.Pattern:
    """A head of government's title tied to a country: "Italy's prime minister", "the Italian
    premier", "the president of France" (compiled once: the country list makes it long)."""
    countries = "|".join(re.escape(name) for name in sorted(COUNTRIES, key=len, reverse=True))
    adjectives = "|".join(re.escape(name) for name in sorted(ADJECTIVES, key=len, reverse=True))
    return re.compile(
        rf"\b(?:(?P<c1>{countries})['’]s\s+|(?:the\s+)?(?P<a1>{adjectives})\s+|the\s+)"
        rf"(?:{_LEADER})(?:\s+of\s+(?P<c2>{countries}))?\b",
        re.IGNORECASE,
    )


def _fold(name: str) -> str:
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    return re.sub(r"[’']", "'", re.sub(r"\s+", " ", name)).casefold().rstrip("'")


def _title(word: str) -> str:
    for name in (*COUNTRIES, *ADJECTIVES):
        if name.casefold() == word.casefold():
            return name
    return word
