"""The words and patterns the attribution rules read: speech and stance verbs, role nouns, titles.

Kept apart from :mod:`stanceclf.attribution` (the rules themselves) so that the vocabularies can
be read, and grown, in one place. Every list is English news usage, chosen by hand; a word added
here changes what every rule that reads the list catches (``experiments/actors.py`` measures it).
"""

from __future__ import annotations

import re

from stanceclf.actors import word_set
from stanceclf.places import ADJECTIVES

SPEECH_VERBS = word_set(
    """say says said tell tells told warn warns warned insist insists insisted argue argues argued add adds added
    state states stated note notes noted claim claims claimed stress stresses stressed write writes wrote
    announce announces announced declare declares declared maintain maintains maintained reply replies replied
    counter counters countered urge urges urged caution cautions cautioned concede concedes conceded
    acknowledge acknowledges acknowledged explain explains explained respond responds responded complain
    complains complained predict predicts predicted vow vows vowed pledge pledges pledged promise promises
    promised believe believes believed think thinks thought contend contends contended suggest suggests
    suggested admit admits admitted signal signals signalled signaled hint hints hinted indicate indicates
    indicated object objects objected protest protests protested tweet tweets tweeted remark remarks remarked
    observe observes observed emphasise emphasises emphasised emphasize emphasizes emphasized reiterate
    reiterates reiterated repeat repeats repeated confirm confirms confirmed comment comments commented
    threaten threatens threatened demand demands demanded accuse accuses accused describe describes described
    call calls called ask asks asked speak speaks spoke"""
)
STANCE_VERBS = (
    word_set(
        """oppose opposes opposed reject rejects rejected back backs backed support supports supported welcome
    welcomes welcomed endorse endorses endorsed criticise criticises criticised criticize criticizes
    criticized condemn condemns condemned refuse refuses refused favour favours favoured favor favors favored
    resist resists resisted block blocks blocked agree agrees agreed approve approves approved vote votes
    voted accept accepts accepted want wants wanted hope hopes hoped fear fears feared plan plans planned
    intend intends intended seek seeks sought fight fights fought push pushes pushed champion champions
    championed embrace embraces embraced dismiss dismisses dismissed attack attacks attacked slam slams
    slammed praise praises praised applaud applauds applauded veto vetoes vetoed join joins joined
    remain remains remained stand stands stood see sees saw view views viewed regard regards regarded
    prefer prefers preferred propose proposes proposed offer offers offered set sets lobby lobbies lobbied
    campaign campaigns campaigned wrote sign signs signed take takes took strike strikes struck voice voices voiced
    express expresses expressed raise raises raised"""
    )
    | SPEECH_VERBS
)
AUXILIARIES = word_set(
    """is are was were has have had will would could can may might does do did won't
    wouldn't can't cannot isn't aren't wasn't doesn't don't didn't hasn't haven't"""
)
ADVERB = (
    r"(?:also|again|then|later|repeatedly|publicly|previously|earlier|separately|once|still|now|already|"
    r"firmly|flatly|strongly|openly|quickly|long|categorically|reportedly|initially|only|not|never|even|"
    r"on\s+\w+day|last\s+\w+|this\s+\w+|yesterday|today|\w+ly)"
)
FILLER = re.compile(
    rf"^(?:\s*,\s(?:[^,\"“”]|,(?=\d)){{1,120}},|\s*,)?\s*(?:(?:has|have|had|did|does|do|was|were|is|would|will|{ADVERB})\s+)*$",
    re.IGNORECASE,
)
SUBJECT_GAP = re.compile(
    rf"^(?:\s*,\s(?:[^,\"“”]|,(?=\d)){{1,120}},)?\s+(?:{ADVERB}\s+)*(?P<verb>[\w']+)", re.IGNORECASE
)
OPENERS = re.compile(
    r"^(?:[\"“”]\s*)?(?:(?:but|and|yet|so|however|meanwhile|still|instead|now|also|even so|in response|in turn|"
    r"in contrast|in a statement|on \w+|last \w+|this \w+|earlier|later|for (?:its|his|her|their) part|"
    r"at the same time|for now|by contrast|separately|elsewhere|in \w+)\s*,?\s+)*",
    re.IGNORECASE,
)
LEADING_CLAUSE = re.compile(
    r"^(?:if|when|while|although|though|after|before|unless|since|as|once|with|despite|asked|speaking)\b[^,]{1,160},\s+",
    re.IGNORECASE,
)
SPEECH_NOUNS = (
    r"(?:office|spokes(?:man|woman|person)|press\s+office|ministry|government|cabinet|team|aides?|officials?|"
    r"lawyers?|camp|campaign|statement|representatives?|envoy|ambassador|delegation|negotiators?|leadership|"
    r"leaders?|chief|head|secretary|board|executives?|website)"
)
STANCE_NOUNS = (
    r"(?:refusal|support|opposition|backing|rejection|objections?|veto|endorsement|resistance|approval|"
    r"insistence|reluctance|willingness|readiness|position|stance|demands?|conditions?|criticism|calls?|"
    r"hostility|scepticism|skepticism|enthusiasm|embrace|doubts?|reservations?|condition|pledge|promise|verdict)"
)
GENERIC = re.compile(
    r"\b(?:critics|analysts|experts|economists|observers|commentators|opponents|supporters|campaigners|"
    r"residents|protesters|diplomats|officials|sources|some|many|others|people|lawmakers|voters|"
    r"businesses|farmers|drivers|scientists|researchers|insiders|detractors|skeptics|sceptics|proponents|advocates)$",
    re.IGNORECASE,
)
PRONOUN = re.compile(r"\b(he|she|they|it|i|we)\b", re.IGNORECASE)
ROLE_NOUNS = (
    "prime minister",
    "finance minister",
    "foreign minister",
    "interior minister",
    "transport minister",
    "health minister",
    "minister",
    "president",
    "chancellor",
    "premier",
    "mayor",
    "governor",
    "senator",
    "commissioner",
    "chairman",
    "chairwoman",
    "chief executive",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "leader",
    "government",
    "union",
    "party",
    "company",
    "firm",
    "group",
    "commission",
    "council",
    "association",
    "federation",
    "confederation",
    "ministry",
    "committee",
    "alliance",
    "coalition",
    "campaign",
    "bank",
    "agency",
    "organisation",
    "organization",
    "league",
    "chamber",
    "opposition",
    "administration",
    "cabinet",
    "parliament",
    "movement",
    "network",
    "forum",
    "institute",
    "foundation",
    "society",
    "board",
    "airline",
    "carrier",
    "operator",
)
_ADJECTIVES = "|".join(re.escape(a) for a in sorted(ADJECTIVES, key=len, reverse=True))
ROLE = re.compile(
    r"\b(?:the|its|their|his|her)\s+(?:(?P<adj>"
    + _ADJECTIVES
    + r")\s+)?(?P<role>"
    + "|".join(re.escape(r) for r in ROLE_NOUNS)
    + r")s?\b(?!\s+(?:of|for)\b|(?-i:\s+[A-Z]))",
    re.IGNORECASE,
)
GROUP = re.compile(
    r"\b(?P<adj>" + _ADJECTIVES + r")\s+(?:\w+\s+)?(?:officials|ministers|diplomats|negotiators|authorities|leaders|"
    r"government|ministry|cabinet|administration|delegation)\b"
)
ANY_ORGANISATION = {"company", "firm", "group", "carrier", "operator", "airline", "organisation", "organization"}
# a few words describing the name that follows: "Rail operator EuroCargo", "The teachers' union NUT"
DESCRIPTOR = re.compile(
    r"^(?:(?!(?:in|of|for|at|on|from|to|with|by|about|over|under|after|before|and|or)\b)[A-Za-z][\w'’\-]*\s+){1,3}$",
    re.IGNORECASE,
)
GENERIC_GROUP = re.compile(
    r"\b(?:some|many|most|several|other|few)\s+(?:[a-z]+\s+)?[a-z]+s\b|\b(?:critics|analysts|experts|economists|"
    r"observers|opponents|supporters|campaigners|residents|protesters|officials|sources|people|voters)\b",
    re.IGNORECASE,
)
# "officials in Berlin": the government of the place that follows
GROUP_IN = re.compile(r"\b(?:officials|diplomats|ministers|authorities|negotiators)\s+in\s+$", re.IGNORECASE)
PERSON_ROLES = {
    r
    for r in ROLE_NOUNS
    if r.split(" ")[-1]
    in {
        "minister",
        "president",
        "chancellor",
        "premier",
        "mayor",
        "governor",
        "senator",
        "commissioner",
        "chairman",
        "chairwoman",
        "executive",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "leader",
    }
}

AND = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|,?\s*as\s+well\s+as\s+)", re.IGNORECASE)
"""What joins actors into a list: commas, "and", "as well as"."""
