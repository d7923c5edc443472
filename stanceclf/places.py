"""Places that stand for governments: countries, their adjectives, capitals and seats of power.

News prose names a government by its country ("Italy"), its adjective ("the Italian
government", "Italian officials"), its capital ("Rome") or the building it sits in ("the
Kremlin"). :func:`government_of` maps each of those to the country's name, so that
:mod:`stanceclf.actors` can treat them as one actor. The table is small and curated by hand
(the EU and G20 members, their neighbours and the countries most often in the news) rather
than a dependency such as pycountry, which knows names but neither adjectives nor seats of power.
"""

from __future__ import annotations

# country, adjectives, capitals and seats of government (the country's own name is always a key)
_TABLE: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("Austria", ("Austrian",), ("Vienna",)),
    ("Belgium", ("Belgian",), ()),  # Brussels stands for the EU more often than for Belgium
    ("Bulgaria", ("Bulgarian",), ("Sofia",)),
    ("Croatia", ("Croatian",), ("Zagreb",)),
    ("Cyprus", ("Cypriot",), ("Nicosia",)),
    ("Czech Republic", ("Czech",), ("Prague", "Czechia")),
    ("Denmark", ("Danish",), ("Copenhagen",)),
    ("Estonia", ("Estonian",), ("Tallinn",)),
    ("Finland", ("Finnish",), ("Helsinki",)),
    ("France", ("French",), ("Paris", "Elysee", "Élysée", "Elysee Palace", "Élysée Palace")),
    ("Germany", ("German",), ("Berlin",)),
    ("Greece", ("Greek",), ("Athens",)),
    ("Hungary", ("Hungarian",), ("Budapest",)),
    ("Ireland", ("Irish",), ("Dublin",)),
    ("Italy", ("Italian",), ("Rome", "Palazzo Chigi")),
    ("Latvia", ("Latvian",), ("Riga",)),
    ("Lithuania", ("Lithuanian",), ("Vilnius",)),
    ("Luxembourg", ("Luxembourgish",), ()),
    ("Malta", ("Maltese",), ("Valletta",)),
    ("Netherlands", ("Dutch",), ("The Hague", "Amsterdam", "Holland")),
    ("Poland", ("Polish",), ("Warsaw",)),
    ("Portugal", ("Portuguese",), ("Lisbon",)),
    ("Romania", ("Romanian",), ("Bucharest",)),
    ("Slovakia", ("Slovak",), ("Bratislava",)),
    ("Slovenia", ("Slovenian",), ("Ljubljana",)),
    ("Spain", ("Spanish",), ("Madrid", "Moncloa")),
    ("Sweden", ("Swedish",), ("Stockholm",)),
    ("United Kingdom", ("British",), ("Britain", "UK", "U.K.", "London", "Downing Street", "Whitehall")),
    ("Norway", ("Norwegian",), ("Oslo",)),
    ("Switzerland", ("Swiss",), ("Bern", "Berne")),
    ("Iceland", ("Icelandic",), ("Reykjavik",)),
    ("Serbia", ("Serbian",), ("Belgrade",)),
    ("Albania", ("Albanian",), ("Tirana",)),
    ("Ukraine", ("Ukrainian",), ("Kyiv", "Kiev")),
    ("Russia", ("Russian",), ("Moscow", "Kremlin")),
    ("Belarus", ("Belarusian",), ("Minsk",)),
    ("Moldova", ("Moldovan",), ("Chisinau",)),
    ("Georgia", ("Georgian",), ("Tbilisi",)),
    ("Turkey", ("Turkish",), ("Ankara", "Türkiye")),
    ("United States", ("American", "US", "U.S."), ("Washington", "White House", "America", "USA", "U.S.A.")),
    ("Canada", ("Canadian",), ("Ottawa",)),
    ("Mexico", ("Mexican",), ("Mexico City",)),
    ("Brazil", ("Brazilian",), ("Brasilia", "Brasília")),
    ("Argentina", ("Argentine", "Argentinian"), ("Buenos Aires",)),
    ("Chile", ("Chilean",), ("Santiago",)),
    ("Colombia", ("Colombian",), ("Bogota", "Bogotá")),
    ("China", ("Chinese",), ("Beijing",)),
    ("Japan", ("Japanese",), ("Tokyo",)),
    ("South Korea", ("South Korean",), ("Seoul",)),
    ("North Korea", ("North Korean",), ("Pyongyang",)),
    ("India", ("Indian",), ("New Delhi", "Delhi")),
    ("Pakistan", ("Pakistani",), ("Islamabad",)),
    ("Indonesia", ("Indonesian",), ("Jakarta",)),
    ("Australia", ("Australian",), ("Canberra",)),
    ("New Zealand", ("New Zealand",), ("Wellington",)),
    ("Israel", ("Israeli",), ("Jerusalem",)),
    ("Iran", ("Iranian",), ("Tehran",)),
    ("Saudi Arabia", ("Saudi",), ("Riyadh",)),
    ("Egypt", ("Egyptian",), ("Cairo",)),
    ("South Africa", ("South African",), ("Pretoria",)),
    ("Nigeria", ("Nigerian",), ("Abuja",)),
    ("Kenya", ("Kenyan",), ("Nairobi",)),
]

COUNTRIES: dict[str, str] = {}
"""Every name in the table (country, capital, seat) -> the country's name."""
ADJECTIVES: dict[str, str] = {}
"""Every adjective in the table -> the country's name."""
for _country, _adjectives, _seats in _TABLE:
    COUNTRIES[_country] = _country
    for _seat in _seats:
        COUNTRIES[_seat] = _country
    for _adjective in _adjectives:
        ADJECTIVES[_adjective] = _country
COUNTRIES["Kremlin"] = "Russia"

BODY_SEATS: dict[str, tuple[str, ...]] = {"Brussels": ("European Commission", "European Union", "EU")}
"""Cities that stand for an international body: the first of its names the article uses."""

CAPITALS: dict[str, tuple[str, ...]] = {country: seats for country, _, seats in _TABLE}
"""The country's name -> its capitals and seats of government, for listing aliases."""


def government_of(name: str) -> str | None:
    """The country whose government ``name`` stands for, or None.

    Examples
    --------
    >>> government_of("Rome"), government_of("the Kremlin"), government_of("Italian"), government_of("Milan")
    ('Italy', 'Russia', 'Italy', None)
    """
    name = name.removeprefix("the ").removeprefix("The ")
    return COUNTRIES.get(name) or ADJECTIVES.get(name)


def adjective_of(country: str) -> str | None:
    """The first adjective of ``country`` in the table (``"Italy"`` -> ``"Italian"``)."""
    for name, adjectives, _ in _TABLE:
        if name == country and adjectives:
            return adjectives[0]
    return None
