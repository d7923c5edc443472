"""The condition clause of a conditional statement: "only with a UN mandate", "once a ceasefire holds".

A rule, not a model (``re`` only, so it sits on the numpy-only prediction path):

1. **The cue.** The first cue phrase of the statement, matched as whole words without regard to
   case, the longest one where several start at the same word: ``only if``, ``only when``,
   ``only with``, ``only after``, ``only once``, ``if``, ``provided (that)``, ``providing (that)``,
   ``as long as``, ``so long as``, ``as soon as``, ``once``, ``unless``, ``on (the) condition
   that``, ``subject to``, ``in exchange for``, ``in return for``, ``on the understanding that``,
   ``conditional on``, ``contingent on``, ``assuming (that)``, ``until`` and ``before`` after a
   negation in the same sentence ("will not sign until ...": ``not until`` and ``not before``
   when the words touch).
2. **Where the clause ends.** A clause that opens the sentence ("If the audit is clean, we
   sign") runs to the first comma, the comma before the main clause. A clause later in the
   sentence ("we sign if the audit is clean") runs to the end of the sentence, or to the first
   clause boundary before it: ``;``, ``:``, a dash, a bracket, or a comma followed by ``but``,
   ``and``, ``or``, ``while``, ``whereas``, ``though``, ``although``, ``yet``, ``so`` or
   ``which``. Closing punctuation and quotes are left out of the clause.

Measured on hand-marked conditional statements written for the purpose:
``experiments/conditions.py`` writes ``experiments/results/conditions.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CUES = [
    "only if",
    "only when",
    "only with",
    "only after",
    "only once",
    "only under",
    "if",
    "provided that",
    "provided",
    "providing that",
    "providing",
    "as long as",
    "so long as",
    "as soon as",
    "once",
    "unless",
    "on condition that",
    "on the condition that",
    "subject to",
    "in exchange for",
    "in return for",
    "on the understanding that",
    "conditional on",
    "conditional upon",
    "contingent on",
    "contingent upon",
    "assuming that",
    "assuming",
    "not until",
    "not before",
]
# the longest cue first, so that "only if" wins over "if" and "provided that" over "provided"
_CUE_ALTERNATIVES = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(_CUES, key=len, reverse=True))
_CUE = re.compile(r"(?<![\w'])(" + _CUE_ALTERNATIVES + r")(?![\w'])", re.IGNORECASE)
_NEGATED_TIME = re.compile(r"(?<![\w'])(until|till|before)(?![\w'])", re.IGNORECASE)
_NEGATION = re.compile(r"(?<![\w'])(not|never|no|cannot)(?![\w'])|n't(?![\w'])", re.IGNORECASE)
# a fronted "only ..." or "not until ..." clause inverts the main clause: "Only if X will we sign"
_INVERTED_AUXILIARY = re.compile(
    r"\s(?=(?:will|would|should|shall|can|could|may|might|must|do|does|did)(?![\w']))", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?](?=[\s\"'\u201d\u2019)\]]|$)|\n")
_BOUNDARY = re.compile(
    r"[;:(\[\u2014\u2013]|\s--?\s|,[\"\u201d\u2019]"
    r"|,\s+(?=(?:but|and|or|while|whereas|though|although|yet|so|which|said|says|according)(?![\w']))",
    re.IGNORECASE,
)
_TRAILING = " \t\r\n,.;:!?\"'\u201c\u201d\u2018\u2019)]"


@dataclass(frozen=True)
class Condition:
    """A condition clause: ``text[start:end]`` of the statement, introduced by ``cue``."""

    start: int
    end: int
    text: str
    cue: str

    def to_dict(self) -> dict:
        """As plain data: ``start``, ``end``, ``text``, ``cue``."""
        return {"start": self.start, "end": self.end, "text": self.text, "cue": self.cue}


def find_condition(text: str) -> Condition | None:
    """The condition clause of ``text`` by the rule in this module's docstring, or None.

    Examples
    --------
    >>> find_condition("We back the deployment only with a UN mandate.").text
    'only with a UN mandate'
    >>> c = find_condition("Once a ceasefire holds, aid should flow.")
    >>> c.text, c.cue
    ('Once a ceasefire holds', 'once')
    >>> find_condition("We back the plan.") is None
    True
    """
    start, cue_end, cue = _first_cue(text)
    if start is None:
        return None
    sentence_start = _sentence_start(text, start)
    end_match = _SENTENCE_END.search(text, cue_end)
    sentence_end = end_match.start() if end_match else len(text)
    opens_sentence = not text[sentence_start:start].strip(" \t\"'\u201c\u2018(")
    if opens_sentence:
        comma = text.find(",", cue_end, sentence_end)
        end = comma if comma >= 0 else sentence_end
        if comma < 0 and cue.startswith(("only", "not")):
            inverted = _INVERTED_AUXILIARY.search(text, cue_end, sentence_end)
            end = inverted.start() if inverted else end
    else:
        boundary = _BOUNDARY.search(text, cue_end, sentence_end)
        end = boundary.start() if boundary else sentence_end
    while end > cue_end and text[end - 1] in _TRAILING:
        end -= 1
    return Condition(start, end, text[start:end], cue)


def _first_cue(text: str) -> tuple[int | None, int, str]:
    """Start, end and (lower-case, single-spaced) name of the first cue in ``text``."""
    found = []
    match = _CUE.search(text)
    if match:
        found.append((match.start(), -len(match.group(0)), match.end(), " ".join(match.group(0).lower().split())))
    for timed in _NEGATED_TIME.finditer(text):
        sentence_start = _sentence_start(text, timed.start())
        if _NEGATION.search(text, sentence_start, timed.start()):
            found.append((timed.start(), -len(timed.group(0)), timed.end(), timed.group(0).lower()))
            break
    if not found:
        return None, 0, ""
    start, _, end, cue = min(found)
    return start, end, cue


def _sentence_start(text: str, position: int) -> int:
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, position):
        start = match.end()
    return start
