"""What the article page and the evaluation report share: colours, escaping, the page frame.

Pages are built with the standard library's :func:`html.escape` and inline CSS and SVG: two
small pages with a fixed layout do not earn a template engine (and its auto-escaping would
guard the same few places that :func:`esc` guards here). Every page is self-contained: no
script, no external file, and a Content-Security-Policy that forbids both, so a page opened
from a mail attachment makes no network request and runs nothing, whatever its text says.
"""

from __future__ import annotations

import html

# Okabe & Ito's palette (2008), told apart by readers with any common colour-vision deficiency;
# the four stances get fixed colours, other labels the rest in order.
OKABE_ITO = ["#0072B2", "#D55E00", "#E69F00", "#999999", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
_FIXED = {"support": "#0072B2", "oppose": "#D55E00", "conditional": "#E69F00", "none": "#999999"}

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def esc(value) -> str:
    """``value`` as text for HTML content or a quoted attribute: ``<``, ``&`` and quotes escaped."""
    return html.escape(str(value), quote=True)


def label_colours(labels) -> dict[str, str]:
    """A colour for every label: the fixed ones for the four stances, the palette's others in turn.

    >>> label_colours(["oppose", "FAVOR", "AGAINST"])
    {'oppose': '#D55E00', 'FAVOR': '#0072B2', 'AGAINST': '#E69F00'}
    """
    colours = {label: _FIXED[label] for label in labels if label in _FIXED}
    free = [colour for colour in OKABE_ITO if colour not in colours.values()]
    for label in labels:
        if label not in colours:
            colours[label] = free.pop(0) if free else OKABE_ITO[len(colours) % len(OKABE_ITO)]
    return {label: colours[label] for label in labels}


def tint(colour: str, alpha: float = 0.22) -> str:
    """A CSS ``rgba`` of ``colour`` (``#RRGGBB``) at ``alpha``, for a background behind text."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def label_classes(labels) -> tuple[dict[str, str], str]:
    """A CSS class per label (``l0``, ``l1``, ...; label names may hold anything) and its style rules."""
    colours = label_colours(labels)
    names = {label: f"l{i}" for i, label in enumerate(labels)}
    rules = []
    for label, name in names.items():
        colour = colours[label]
        rules.append(f".{name}{{background:{tint(colour)};border-bottom:3px solid {colour}}}")
        rules.append(f".k{name}{{background:{colour}}}")
    return names, "\n".join(rules)


BASE_CSS = """
body{font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;
max-width:52rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}
th:first-child,td.t,th.t{text-align:left}
.key{display:inline-block;width:.9rem;height:.9rem;vertical-align:middle;margin-right:.3rem;border:1px solid #444}
.legend span.item{margin-right:1.2rem;white-space:nowrap}
u.ev{text-decoration:underline 2px;text-underline-offset:3px}
.muted{color:#555;font-size:.9rem}
"""


def page(title: str, body: str, css: str = "") -> str:
    """A complete, self-contained HTML document (``title`` is escaped; ``body`` is HTML already)."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{BASE_CSS}{css}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )


def legend(labels, names: dict[str, str], counts: dict[str, int] | None = None) -> str:
    """The colour key: a swatch and the name of each label (and how many, given ``counts``)."""
    items = []
    for label in labels:
        count = f" ({counts.get(label, 0)})" if counts is not None else ""
        items.append(f'<span class="item"><span class="key k{names[label]}"></span>{esc(label)}{count}</span>')
    return '<p class="legend">' + "".join(items) + "</p>"


def with_evidence(text: str, evidence: list[dict]) -> str:
    """``text`` escaped, each evidence span underlined (``<u class="ev">``) and titled with its push.

    >>> with_evidence("we <b>back</b> it", [{"start": 3, "end": 14, "label": "support", "weight": 1.0}])
    'we <u class="ev">&lt;b&gt;back&lt;/b&gt;</u> it'
    """
    pieces, position = [], 0
    for span in sorted(evidence, key=lambda s: s["start"]):
        if span["start"] < position:
            continue
        pieces.append(esc(text[position : span["start"]]))
        pieces.append(f'<u class="ev">{esc(text[span["start"] : span["end"]])}</u>')
        position = span["end"]
    pieces.append(esc(text[position:]))
    return "".join(pieces)
