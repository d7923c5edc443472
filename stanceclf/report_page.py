"""The evaluation report: one self-contained HTML page of what ``stanceclf evaluate`` measured.

The metrics table, the confusion matrix drawn as a grid (inline SVG), scores per target where
the data has targets, a reliability diagram (the model's confidence against how often it was
right, inline SVG) and the most confident mistakes with the words that drove them. Built from
plain data (:func:`stanceclf.metrics.classification_report` and one dict per row), so it needs
neither a model nor scikit-learn.
"""

from __future__ import annotations

from stanceclf.html_common import esc, label_classes, label_colours, legend, page, with_evidence
from stanceclf.metrics import macro_f1

MISTAKES_SHOWN = 25
RELIABILITY_BINS = 10

_CSS = """
svg text{font:12px system-ui,sans-serif}
.mistakes td{vertical-align:top}.mistakes td.t{max-width:30rem}
.pill{display:inline-block;padding:0 .4rem;border-radius:3px}
"""


def reliability(confidences, correct, bins: int = RELIABILITY_BINS) -> list[dict]:
    """Rows grouped by confidence (the predicted label's probability) into equal-width bins.

    Returns one dict per non-empty bin: ``low``, ``high``, ``n``, ``confidence`` (mean) and
    ``accuracy`` (share of rows right). A calibrated model has accuracy close to confidence.

    >>> reliability([0.95, 0.91, 0.55], [True, False, True], bins=2)
    [{'low': 0.5, 'high': 1.0, 'n': 3, 'confidence': 0.8033333333333333, 'accuracy': 0.6666666666666666}]
    """
    groups: dict[int, list] = {}
    for confidence, right in zip(confidences, correct):
        index = min(int(confidence * bins), bins - 1)
        groups.setdefault(index, []).append((confidence, right))
    rows = []
    for index in sorted(groups):
        members = groups[index]
        rows.append(
            {
                "low": index / bins,
                "high": (index + 1) / bins,
                "n": len(members),
                "confidence": sum(c for c, _ in members) / len(members),
                "accuracy": sum(1 for _, r in members if r) / len(members),
            }
        )
    return rows


def render_report(report: dict, rows: list[dict], title: str = "stanceclf: evaluation report") -> str:
    """The report page as a string.

    Parameters
    ----------
    report : dict
        :func:`stanceclf.metrics.classification_report` output.
    rows : list of dict
        One per statement: ``text``, ``gold``, ``predicted``, ``confidence`` (the predicted
        label's probability), optionally ``target``, ``line`` and ``evidence`` (needed for the
        mistakes shown only).
    """
    labels = report["labels"]
    names, label_css = label_classes(labels)
    body = [f"<h1>{esc(title)}</h1>", legend(labels, names)]
    body += ["<h2>Scores</h2>", _metrics_table(report)]
    body += ["<h2>Confusion matrix</h2>", _confusion_svg(report, label_colours(labels))]
    if any(row.get("target") for row in rows):
        body += ["<h2>Scores per target</h2>", _per_target(rows, labels)]
    body += ["<h2>Reliability</h2>", _reliability_svg(reliability([r["confidence"] for r in rows], _correct(rows)))]
    body += [f"<h2>The {MISTAKES_SHOWN} most confident mistakes</h2>", _mistakes(rows, names)]
    return page(title, "\n".join(body), _CSS + label_css)


def _correct(rows) -> list[bool]:
    return [row["gold"] == row["predicted"] for row in rows]


def most_confident_mistakes(rows: list[dict], n: int = MISTAKES_SHOWN) -> list[dict]:
    """The ``n`` wrong rows the model was surest of, surest first."""
    wrong = [row for row in rows if row["gold"] != row["predicted"]]
    return sorted(wrong, key=lambda row: -row["confidence"])[:n]


def _metrics_table(report: dict) -> str:
    head = (
        f"<p>{report['n']} statements; accuracy <strong>{report['accuracy']:.3f}</strong>, "
        f"macro-F1 <strong>{report['macro_f1']:.3f}</strong>"
    )
    if "stance_macro_f1" in report:
        head += f", stance macro-F1 (without <em>none</em>) <strong>{report['stance_macro_f1']:.3f}</strong>"
    if "f_avg" in report:
        head += f", SemEval F_avg <strong>{report['f_avg']:.3f}</strong>"
    rows = "".join(
        f'<tr><td class="t">{esc(label)}</td><td>{s["precision"]:.3f}</td><td>{s["recall"]:.3f}</td>'
        f"<td>{s['f1']:.3f}</td><td>{s['support']}</td></tr>"
        for label, s in report["per_label"].items()
    )
    return (
        head
        + "</p><table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>statements</th></tr>"
        + rows
        + "</table>"
    )


def _confusion_svg(report: dict, colours: dict[str, str]) -> str:
    labels, matrix = report["labels"], report["confusion_matrix"]
    cell, left, top = 64, 110, 90
    size_w, size_h = left + cell * len(labels) + 60, top + cell * len(labels) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_w}" height="{size_h}" role="img" '
        'aria-label="confusion matrix: rows are the true labels, columns the predicted ones">',
        f'<text x="{left}" y="14">predicted &#8594;</text>',
        f'<text x="4" y="{top - 8}">true &#8595;</text>',
    ]
    for j, label in enumerate(labels):
        x = left + j * cell + cell / 2
        parts.append(
            f'<text x="{x}" y="{top - 8}" text-anchor="start" transform="rotate(-35 {x} {top - 8})">'
            f"{esc(_short(label))}</text>"
        )
    for i, (label, row) in enumerate(zip(labels, matrix)):
        y = top + i * cell
        total = sum(row) or 1
        parts.append(f'<text x="{left - 6}" y="{y + cell / 2 + 4}" text-anchor="end">{esc(_short(label))}</text>')
        for j, count in enumerate(row):
            share = count / total
            colour = "#0072B2" if i == j else "#D55E00"
            parts.append(
                f'<rect x="{left + j * cell}" y="{y}" width="{cell}" height="{cell}" fill="{colour}" '
                f'fill-opacity="{0.08 + 0.8 * share:.2f}" stroke="#fff"><title>true {esc(label)}, predicted '
                f"{esc(labels[j])}: {count} ({share:.0%} of the row)</title></rect>"
            )
            ink = "#fff" if share > 0.5 else "#111"
            parts.append(
                f'<text x="{left + j * cell + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" '
                f'fill="{ink}">{count}</text>'
            )
    parts.append("</svg>")
    caption = '<p class="muted">Shade: share of the true label&#8217;s row (blue: right, vermillion: wrong).</p>'
    return "".join(parts) + caption


def _short(label: str, width: int = 14) -> str:
    return label if len(label) <= width else label[: width - 1] + "\u2026"


def _per_target(rows: list[dict], labels: list[str]) -> str:
    by_target: dict[str, list[dict]] = {}
    for row in rows:
        by_target.setdefault(row.get("target") or "(none)", []).append(row)
    lines = ["<table><tr><th>target</th><th>statements</th><th>accuracy</th><th>macro-F1</th></tr>"]
    for target in sorted(by_target):
        members = by_target[target]
        gold = [r["gold"] for r in members]
        guess = [r["predicted"] for r in members]
        accuracy = sum(g == p for g, p in zip(gold, guess)) / len(members)
        present = sorted(set(gold) | set(guess))
        lines.append(
            f'<tr><td class="t">{esc(target)}</td><td>{len(members)}</td><td>{accuracy:.3f}</td>'
            f"<td>{macro_f1(gold, guess, present):.3f}</td></tr>"
        )
    lines.append("</table>")
    return "".join(lines)


def _reliability_svg(bins: list[dict]) -> str:
    size, pad = 320, 40
    scale = size - 2 * pad

    def x(value: float) -> float:
        return pad + value * scale

    def y(value: float) -> float:
        return size - pad - value * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + 40}" height="{size}" role="img" '
        'aria-label="reliability diagram: confidence against accuracy">',
        f'<rect x="{pad}" y="{pad}" width="{scale}" height="{scale}" fill="none" stroke="#999"/>',
        f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(1)}" y2="{y(1)}" stroke="#999" stroke-dasharray="4 4"/>',
    ]
    for tick in (0, 0.5, 1):
        parts.append(f'<text x="{x(tick)}" y="{size - pad + 16}" text-anchor="middle">{tick:g}</text>')
        parts.append(f'<text x="{pad - 6}" y="{y(tick) + 4}" text-anchor="end">{tick:g}</text>')
    parts.append(f'<text x="{size / 2}" y="{size - 6}" text-anchor="middle">confidence (predicted probability)</text>')
    parts.append(
        f'<text x="12" y="{size / 2}" transform="rotate(-90 12 {size / 2})" text-anchor="middle">accuracy</text>'
    )
    for b in bins:
        width = scale * (b["high"] - b["low"])
        parts.append(
            f'<rect x="{x(b["low"]) + 1}" y="{y(b["accuracy"])}" width="{width - 2}" '
            f'height="{scale * b["accuracy"]}" fill="#0072B2" fill-opacity="0.7"><title>confidence '
            f"{b['low']:.1f}&#8211;{b['high']:.1f}: {b['n']} statements, mean confidence {b['confidence']:.2f}, "
            f"accuracy {b['accuracy']:.2f}</title></rect>"
        )
        parts.append(f'<circle cx="{x(b["confidence"])}" cy="{y(b["accuracy"])}" r="3" fill="#D55E00"/>')
    parts.append("</svg>")
    table = "".join(
        f"<tr><td>{b['low']:.1f}&#8211;{b['high']:.1f}</td><td>{b['n']}</td><td>{b['confidence']:.3f}</td>"
        f"<td>{b['accuracy']:.3f}</td></tr>"
        for b in bins
    )
    return (
        "".join(parts)
        + '<p class="muted">Bars: share right among the statements in each confidence bin; dots at the bin\'s mean '
        "confidence; on the dashed line the model is as right as it is sure.</p>"
        + "<table><tr><th>confidence</th><th>statements</th><th>mean confidence</th><th>accuracy</th></tr>"
        + table
        + "</table>"
    )


def _pushing(row: dict, label: str) -> list[dict]:
    """The evidence spans that pushed towards ``label`` (for a mistake: why it went wrong)."""
    return [span for span in row.get("evidence") or [] if span["label"] == label]


def _mistakes(rows: list[dict], names: dict[str, str]) -> str:
    mistakes = most_confident_mistakes(rows)
    if not mistakes:
        return "<p>No mistakes.</p>"
    lines = [
        '<table class="mistakes"><tr><th>line</th>'
        '<th class="t">statement (underlined: the words that pushed the wrong label)</th>'
        "<th>true</th><th>predicted</th><th>confidence</th></tr>"
    ]
    for row in mistakes:
        target = f'<div class="muted">target: {esc(row["target"])}</div>' if row.get("target") else ""
        gold, guess = row["gold"], row["predicted"]
        lines.append(
            f"<tr><td>{esc(row.get('line', ''))}</td>"
            f'<td class="t">{with_evidence(row["text"], _pushing(row, guess))}{target}</td>'
            f'<td><span class="pill {names.get(gold, "")}">{esc(gold)}</span></td>'
            f'<td><span class="pill {names.get(guess, "")}">{esc(guess)}</span></td>'
            f"<td>{row['confidence']:.3f}</td></tr>"
        )
    lines.append("</table>")
    return "".join(lines)
