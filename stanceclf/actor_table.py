"""The who-stands-where table as text, JSON, CSV or an HTML page (what ``stanceclf summarize`` prints).

Each function takes the rows of :func:`stanceclf.summarize.summarize_document` (anything with
``as_dict()``). The HTML page is the article page of :mod:`stanceclf.article_page` (every
sentence tinted by its stance, its probabilities on hover or focus) with the actor table on
top; each evidence sentence in the table links to the sentence in the article (``#s5``).
"""

from __future__ import annotations

import csv
import io
import json

from stanceclf.article_page import ArticlePage
from stanceclf.html_common import esc

FORMATS = ("text", "json", "csv", "html")


def format_text(rows, target: str | None = None) -> str:
    """A table a person reads: one line per actor, its evidence sentences indented below.

    Examples
    --------
    >>> from stanceclf.summarize import aggregate
    >>> sentence = {"start": 0, "end": 9, "text": "We refuse", "label": "oppose", "probability": 0.9}
    >>> row = aggregate("the union", [], [sentence])
    >>> print(format_text([row]))
    actor      stance  confidence  sentences
    the union  oppose        0.90          1
      [0:9] oppose 0.90  We refuse
    """
    dicts = [row.as_dict() for row in rows]
    lines = [f"target: {target}"] if target else []
    if not dicts:
        return "\n".join([*lines, "no actor takes a stance in this document"])
    width = max(len("actor"), *(len(d["actor"]) for d in dicts))
    stance_width = max(len("stance"), *(len(_stance(d)) for d in dicts))
    lines.append(f"{'actor':<{width}}  {'stance':<{stance_width}}  confidence  sentences")
    for d in dicts:
        stance = _stance(d)
        lines.append(f"{d['actor']:<{width}}  {stance:<{stance_width}}  {d['confidence']:>10.2f}  {d['sentences']:>9}")
        if d["aliases"]:
            lines.append(f"  also: {', '.join(d['aliases'])}")
        for sentence in d["evidence"]:
            where = f"[{sentence['start']}:{sentence['end']}]"
            lines.append(f"  {where} {sentence['label']} {sentence['probability']:.2f}  {sentence['text']}")
    return "\n".join(lines)


def _stance(row: dict) -> str:
    """``mixed (oppose 2, support 1)`` for a mixed row, else the stance."""
    if row["stance"] != "mixed":
        return row["stance"]
    return "mixed (" + ", ".join(f"{label} {count}" for label, count in row["counts"].items()) + ")"


def format_json(rows) -> str:
    """A JSON list of the rows: ``actor``, ``aliases``, ``stance``, ``confidence``, ``sentences``,
    ``counts`` and ``evidence`` (``start``, ``end``, ``text``, ``label``, ``probability``, ...)."""
    return json.dumps([row.as_dict() for row in rows], indent=2, ensure_ascii=False)


CSV_COLUMNS = ("actor", "aliases", "stance", "confidence", "sentences", "counts", "evidence_offsets", "evidence")


def format_csv(rows) -> str:
    """One CSV line per actor; aliases, counts and evidence joined with ``" | "``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        d = row.as_dict()
        writer.writerow(
            [
                d["actor"],
                " | ".join(d["aliases"]),
                d["stance"],
                f"{d['confidence']:.4f}",
                d["sentences"],
                " | ".join(f"{label}={count}" for label, count in d["counts"].items()),
                " | ".join(f"{s['start']}:{s['end']}" for s in d["evidence"]),
                " | ".join(s["text"] for s in d["evidence"]),
            ]
        )
    return out.getvalue().rstrip("\n")


_CSS = """
.actors td{vertical-align:top}.actors ol{margin:0;padding-left:1.2rem;text-align:left}
.actors a{color:inherit}
"""


class ActorPage(ArticlePage):
    """The article page with the table of actors above the article.

    Parameters
    ----------
    labels : list of str
        The model's labels.
    rows : list
        The table's rows (``as_dict()`` as in :mod:`stanceclf.summarize`).
    target : str, optional
        The proposal, named in the title.
    """

    def __init__(self, labels, rows, target: str | None = None):
        title = "stanceclf: who stands where" + (f" on {target}" if target else "")
        super().__init__(labels, title)
        self.rows = [row.as_dict() for row in rows]
        self.sentence_ids: dict[int, int] = {}  # start offset -> number of the sentence on the page

    def add(self, record: dict) -> None:
        """One sentence of the article (with ``start`` so that the table can link to it)."""
        if "start" in record:
            self.sentence_ids[record["start"]] = len(self.records) + 1
        super().add(record)

    def render(self) -> str:
        """The whole page as a string."""
        return super().render().replace("</style>", _CSS + "</style>", 1)

    def _sentence(self, number: int, record: dict, names: dict[str, str]) -> str:
        # the tip also names who speaks: an actor, the author, or nobody one can name
        html = super()._sentence(number, record, names)
        speaker = record.get("speaker") or "nobody named (left out)"
        tip = f'role="tooltip" id="why{number}">'
        return html.replace(tip, f"{tip}<div>speaker: <strong>{esc(speaker)}</strong></div>", 1)

    def _summary(self, counts, names) -> str:
        return self._actor_table(names) + super()._summary(counts, names)

    def _actor_table(self, names: dict[str, str]) -> str:
        if not self.rows:
            return '<section class="summary actors" aria-label="actors"><p>No actor takes a stance.</p></section>'
        body = []
        for row in self.rows:
            items = []
            for sentence in row["evidence"]:
                number = self.sentence_ids.get(sentence["start"])
                text = esc(sentence["text"])
                link = f'<a href="#s{number}">{text}</a>' if number else text
                label = f'<span class="{names.get(sentence["label"], "")}">{esc(sentence["label"])}</span>'
                items.append(f"<li>{label} {link}</li>")
            also = f'<div class="muted">also: {esc(", ".join(row["aliases"]))}</div>' if row["aliases"] else ""
            body.append(
                f'<tr><td class="t"><strong>{esc(row["actor"])}</strong>{also}</td>'
                f'<td class="t {names.get(row["stance"], "")}">{esc(_stance(row))}</td>'
                f"<td>{row['confidence']:.2f}</td><td>{row['sentences']}</td>"
                f'<td class="t"><ol>{"".join(items)}</ol></td></tr>'
            )
        return (
            '<section class="summary actors" aria-label="actors"><h2>Who stands where</h2>'
            '<table><tr><th class="t">actor</th><th class="t">stance</th><th>confidence</th><th>sentences</th>'
            '<th class="t">evidence (links go to the sentence)</th></tr>' + "".join(body) + "</table></section>"
        )


def format_html(rows, sentences: list[dict], labels, target: str | None = None) -> str:
    """The article page (every sentence of ``sentences``, as predict_document gives them) with the table on top."""
    article = ActorPage(labels, rows, target)
    for sentence in sentences:
        article.add(sentence)
    return article.render()
