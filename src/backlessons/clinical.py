"""Clinical safety content rendered from data: the urgency scale, red flags, NICE NG59,
the cauda equina safety-net card, GRADE certainty levels and natural-history facts.

Every function returns a :class:`backlessons.display.Rendered` (escaped HTML plus a
deterministic plain text) whose ``sources`` are the reference keys it shows.
"""

from __future__ import annotations

from typing import Any, Iterable

from backlessons.display import LEFT_ALIGN, Rendered, cell_text, format_reference, split_keys
from backlessons.errors import ContentError, Problem
from backlessons.markup import escape

__all__ = [
    "NICE_GROUP_LABELS",
    "urgency_scale",
    "red_flag_table",
    "nice_recommendations",
    "nice_topics",
    "safety_net_card",
    "safety_net_card_markdown",
    "certainty_levels",
    "certainty_text",
    "natural_history_facts",
]

#: How the three NICE groups read on the page (the quiz banks use the same words).
NICE_GROUP_LABELS: dict[str, str] = {"do": "Do", "consider": "Consider", "do_not_offer": "Do not offer"}


def _table_html(css: str, headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col"{LEFT_ALIGN}>{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td{LEFT_ALIGN}>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<div class="bl-table-wrap"><table class="bl-table {escape(css)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _keys(cells: Iterable[Any]) -> tuple[str, ...]:
    """The reference keys of source cells, each once, in order."""
    return tuple(dict.fromkeys(k for v in cells for k in split_keys(v)))


# --- urgency and red flags ------------------------------------------------------------------


def urgency_scale() -> Rendered:
    """The course's one urgency scale: each level with what to do."""
    from backlessons import content

    rows = [[cell_text(r.label), cell_text(r.action)] for r in content.rows("urgency_levels")]
    plain = "Urgency scale\n" + "\n".join(f"- {label}: {action}" for label, action in rows)
    return Rendered(plain=plain, html=_table_html("bl-urgency-scale", ["Urgency", "What to do"], rows))


def red_flag_table() -> Rendered:
    """Every red flag with its features, urgency level (by label) and action, most urgent first."""
    from backlessons import content

    flags = content.rows("red_flags")
    levels = content.rows("urgency_levels").by_index()
    most_urgent_first = sorted(flags, key=lambda r: int(levels[r.urgency].order))  # sorted() is stable
    rows = [
        [cell_text(r.condition), cell_text(r.features), cell_text(levels[r.urgency].label), cell_text(r.action)]
        for r in most_urgent_first
    ]
    html = _table_html("bl-red-flags", ["Condition", "What to look for", "Urgency", "What to do"], rows)
    plain = f"Red flags ({len(rows)} conditions, most urgent first)"
    return Rendered(plain=plain, html=html, sources=_keys(r.source for r in most_urgent_first))


# --- NICE NG59 ------------------------------------------------------------------------------


def nice_topics() -> tuple[str, ...]:
    """The topics of nice_ng59.csv in file order."""
    from backlessons import content

    return tuple(dict.fromkeys(content.rows("nice_ng59")["topic"]))


def nice_recommendations(group: str | None = None, topic: str | None = None) -> Rendered:
    """NICE NG59 recommendations, optionally only one group (do, consider, do_not_offer) or topic."""
    from backlessons import content

    every = content.rows("nice_ng59")
    if group is not None and group not in NICE_GROUP_LABELS:
        message = f"'{group}' is not one of {', '.join(NICE_GROUP_LABELS)}"
        raise ContentError([Problem("nice_ng59.csv", "", "group", message)])
    topics = nice_topics()
    if topic is not None and topic not in topics:
        raise ContentError([Problem("nice_ng59.csv", "", "topic", f"'{topic}' is not one of {', '.join(topics)}")])
    chosen_rows = [r for r in every if group in (None, r.group) and topic in (None, r.topic)]
    rows = [
        [NICE_GROUP_LABELS[r.group], cell_text(r.topic), cell_text(r.recommendation), cell_text(r.notes),
         cell_text(r.section)]
        for r in chosen_rows
    ]
    headers = ["Group", "Topic", "Recommendation", "Conditions and notes", "Section"]
    chosen = ", ".join(
        part for part in (NICE_GROUP_LABELS.get(group or "", ""), topic or "") if part
    ) or "all groups and topics"
    plain = f"NICE NG59 recommendations: {len(rows)} shown ({chosen})"
    if not rows:
        html = f'<p class="bl-nice-empty">{escape("No recommendation matches this choice.")}</p>'
    else:
        html = _table_html("bl-nice-ng59", headers, rows)
    return Rendered(plain=plain, html=html, sources=_keys(every["sources"]))


# --- the cauda equina safety-net card -------------------------------------------------------


_CARD_STYLE = ("border: 2px solid #b00020; border-radius: 6px; padding: 0.8em 1em; max-width: 38em; "
               "break-inside: avoid; page-break-inside: avoid")


def safety_net_card() -> Rendered:
    """The printable cauda equina safety-net card (print the cell output or the docs copy)."""
    from backlessons import content

    card = content.safety_net_card()
    signs = "".join(f"<li>{escape(s)}</li>" for s in card.warning_signs)
    steps = "".join(f"<li>{escape(s)}</li>" for s in card.what_to_do)
    refs = " ".join(escape(format_reference(k)) for k in card.sources)
    html = (
        f'<div class="bl-safety-net-card" style="{_CARD_STYLE}">'
        f'<h3 style="margin-top: 0">{escape(card.title)}</h3><p>{escape(card.intro)}</p>'
        f"<h4>Warning signs</h4><ul>{signs}</ul><h4>What to do</h4><ol>{steps}</ol>"
        f"<p><em>{escape(card.note)}</em></p><p><small>Sources: {refs}</small></p></div>"
    )
    return Rendered(plain=safety_net_card_markdown(), html=html, sources=card.sources)


def safety_net_card_markdown() -> str:
    """The card as Markdown: the text of ``docs/safety-net-card.md``."""
    from backlessons import content

    card = content.safety_net_card()
    lines = [
        "<!-- Generated from data/safety_net_card.yaml by `backlessons safety-card`; edit the YAML, not this file. -->",
        "",
        f"# {card.title}",
        "",
        card.intro,
        "",
        "## Warning signs",
        "",
        *[f"- {s}" for s in card.warning_signs],
        "",
        "## What to do",
        "",
        *[f"{i}. {s}" for i, s in enumerate(card.what_to_do, start=1)],
        "",
        f"*{card.note}*",
        "",
        "Sources:",
        "",
        *[f"- {format_reference(k)}" for k in card.sources],
        "",
    ]
    return "\n".join(lines)


# --- certainty of evidence (GRADE) ----------------------------------------------------------


def certainty_text(levels: tuple[str, ...]) -> str:
    """Level ids as readable labels: ``("moderate", "low")`` → ``"Moderate to low"``."""
    from backlessons import content

    table = content.rows("certainty_levels").by_index()
    labels = [str(table[level].label) for level in levels]
    if not labels:
        return ""
    if len(labels) == 1:
        return labels[0]
    text = f"{labels[0]} to {labels[-1].lower()}"
    return text


def certainty_levels() -> Rendered:
    """The four GRADE certainty levels with their plain meanings, and the course's claims at each."""
    from backlessons import content

    claims = content.rows("claims")
    rows = []
    for r in content.rows("certainty_levels"):
        examples = ", ".join(c.id for c in claims if r.id in c.certainty) or "none in this course"
        rows.append([cell_text(r.label), cell_text(r.meaning), examples])
    plain = "Certainty of evidence (GRADE)\n" + "\n".join(f"- {label}: {meaning}" for label, meaning, _ in rows)
    html = _table_html("bl-certainty-levels", ["Certainty", "What it means", "Claims graded at this level"], rows)
    return Rendered(plain=plain, html=html)


# --- natural history ------------------------------------------------------------------------


def natural_history_facts() -> Rendered:
    """Recurrence and the course of sciatica, each fact with its source."""
    from backlessons import content

    facts = content.rows("natural_history_facts")
    items = []
    plain = ["What happens over time"]
    for r in facts:
        cite = "; ".join(format_reference(k) for k in r.sources)
        items.append(f'<li><strong>{escape(str(r.topic).capitalize())}:</strong> {escape(r.fact)} '
                     f'<small>({escape(cite)})</small></li>')
        plain.append(f"- {r.fact}")
    html = f'<div class="bl-natural-history-facts"><ul>{"".join(items)}</ul></div>'
    return Rendered(plain="\n".join(plain), html=html, sources=_keys(facts["sources"]))


# --- reference lists ------------------------------------------------------------------------
