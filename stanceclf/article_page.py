"""The article view: a document as written, each sentence tinted by its stance, as one HTML page.

``stanceclf predict --input article.txt --sentences --format html`` builds it from the rows
:mod:`stanceclf.batch` predicts (each with its probabilities and evidence): paragraphs as in the
input, each sentence tinted with its label's colour (:func:`stanceclf.html_common.label_colours`)
and focusable, so that its label, probabilities, evidence and condition clause show on hover
and on keyboard focus (and for the sentence a link names: ``article.html#s5`` opens the fifth); the
evidence words underlined; a count of sentences per label and a
legend at the top. Every piece of input text is escaped; the page holds no script.
"""

from __future__ import annotations

from stanceclf.html_common import esc, label_classes, legend, page, with_evidence

_CSS = """
.doc .para{margin:0 0 1rem}
.s{position:relative;padding:.05rem .1rem;border-radius:2px;cursor:help}
.s:focus{outline:3px solid #000;outline-offset:1px}
.tip{display:none;position:absolute;left:0;top:100%;z-index:2;min-width:16rem;max-width:28rem;
background:#fff;color:#1a1a1a;border:1px solid #333;border-radius:4px;padding:.4rem .6rem;
font-size:.85rem;line-height:1.4;box-shadow:0 2px 6px rgba(0,0,0,.25)}
.s:hover .tip,.s:focus .tip,.s:focus-within .tip,.s:target .tip{display:block}
.tip table{margin:.2rem 0}.tip td,.tip th{padding:0 .3rem;border:0}
.summary{border:1px solid #ccc;border-radius:4px;padding:.5rem 1rem;margin-bottom:1.5rem}
.bar{display:inline-block;height:.8rem;vertical-align:middle}
"""


class ArticlePage:
    """Collects predicted rows and renders them as one page.

    Parameters
    ----------
    labels : list of str
        The model's labels (each gets a colour).
    title : str
        The page's title.

    Examples
    --------
    >>> page = ArticlePage(["support", "oppose"])
    >>> page.add({"text": "<b>Yes</b>.", "label": "support", "proba": {"support": 0.9, "oppose": 0.1}})
    >>> "&lt;b&gt;Yes&lt;/b&gt;." in page.render() and "<b>Yes" not in page.render()
    True
    """

    def __init__(self, labels, title: str = "stanceclf: stance by sentence"):
        self.labels = [str(label) for label in labels]
        self.title = title
        self.records: list[dict] = []

    def add(self, record: dict) -> None:
        """One predicted row: ``text``, ``label``, ``proba``, optionally ``evidence``, ``condition``,
        ``document``, ``paragraph`` and ``sentence`` (as :mod:`stanceclf.batch` writes them)."""
        self.records.append(record)

    def render(self) -> str:
        """The whole page as a string."""
        names, label_css = label_classes(self.labels)
        counts = {label: 0 for label in self.labels}
        for record in self.records:
            counts[record["label"]] = counts.get(record["label"], 0) + 1
        body = [f"<h1>{esc(self.title)}</h1>", self._summary(counts, names)]
        body.append('<div class="doc">')
        body += self._paragraphs(names)
        body.append("</div>")
        return page(self.title, "\n".join(body), _CSS + label_css)

    def _summary(self, counts: dict[str, int], names: dict[str, str]) -> str:
        total = sum(counts.values())
        rows = []
        for label in self.labels:
            share = counts[label] / total if total else 0.0
            bar = f'<span class="bar k{names[label]}" style="width:{share * 12:.2f}rem"></span>'
            rows.append(f'<tr><td class="t">{esc(label)}</td><td>{counts[label]}</td><td class="t">{bar}</td></tr>')
        return (
            '<section class="summary" aria-label="summary">'
            f"<p><strong>{total} sentence{'s' if total != 1 else ''}</strong> by stance "
            '<span class="muted">(hover over a sentence, or move to it with Tab, to see why)</span></p>'
            + legend(self.labels, names)
            + '<table><tr><th>stance</th><th>sentences</th><th class="t">share</th></tr>'
            + "".join(rows)
            + "</table></section>"
        )

    def _paragraphs(self, names: dict[str, str]) -> list[str]:
        # paragraphs are <div>s: a <p> would be closed early by the tables and lists in the tips
        out: list[str] = []
        current: list[str] = []
        place: tuple[object, object] | None = None
        for number, record in enumerate(self.records):
            where = (record.get("document"), record.get("paragraph", number))
            if current and where != place:
                out.append('<div class="para">' + " ".join(current) + "</div>")
                current = []
            place = where
            current.append(self._sentence(number, record, names))
        if current:
            out.append('<div class="para">' + " ".join(current) + "</div>")
        return out

    def _sentence(self, number: int, record: dict, names: dict[str, str]) -> str:
        label = record["label"]
        tip_id = f"why{number}"
        rows = "".join(
            f'<tr><td class="t">{esc(name)}</td><td>{p:.3f}</td></tr>'
            for name, p in sorted(record["proba"].items(), key=lambda item: -item[1])
        )
        evidence = record.get("evidence") or []
        pushes = "".join(
            f"<li>&#8220;{esc(span['text'])}&#8221; &#8594; {esc(span['label'])} ({span['weight']:+.2f})</li>"
            for span in sorted(evidence, key=lambda s: -s["weight"])
        )
        condition = record.get("condition")
        parts = [f"<strong>{esc(label)}</strong>", f"<table>{rows}</table>"]
        if pushes:
            parts.append(f"<div>Words that pushed (those for the label underlined):</div><ul>{pushes}</ul>")
        if condition:
            parts.append(f"<div>Condition ({esc(condition['cue'])}): &#8220;{esc(condition['text'])}&#8221;</div>")
        own = [span for span in evidence if span["label"] == label]  # underlined: what says this label
        tip = f'<span class="tip" role="tooltip" id="{tip_id}">{"".join(parts)}</span>'
        return (
            f'<span class="s {names.get(label, "")}" id="s{number + 1}" tabindex="0" aria-describedby="{tip_id}" '
            f'data-label="{esc(label)}">{with_evidence(record["text"], own)}{tip}</span>'
        )
