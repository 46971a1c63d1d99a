"""EvidenceCard: predict how well the evidence supports one of the article's claims, then reveal."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from backlessons.markup import escape, markdown
from backlessons.widgets._base import StaticFallbackMixin, citations_html, compact_block, lean, lean_layout, safe_callback
from backlessons.widgets.components import ChoiceGroup, LiveHTML, follow_by_position

__all__ = ["EvidenceCard", "VERDICTS", "VERDICT_MEANINGS"]



def __getattr__(name: str) -> Any:
    # The verdicts and their meanings are content's (content.tables); read late, so that
    # `import backlessons.widgets` does not load content's table declarations.
    if name in ("VERDICTS", "VERDICT_MEANINGS"):
        from backlessons import content

        return getattr(content, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# The claim as a quotation: a rule on the left instead of the browser's wide indent.
_QUOTE_STYLE = "margin: 0 0 0.6em; padding: 0.1em 0 0.1em 0.8em; border-left: 3px solid #bbb"


class EvidenceCard(StaticFallbackMixin, widgets.VBox):
    """One claim from the article: the learner predicts the verdict, then reveals it.

    The claim row (verdict, note, why) is a plain attribute; nothing about the
    verdict is in any widget state until **Reveal**.
    """

    def __init__(self, claim_id: str) -> None:
        from backlessons import content

        self.claim_record: Any = content.claim(claim_id)  # plain attribute, never synced
        self.claim_id = self.claim_record.id
        self.revealed = False
        self.header = lean(
            widgets.HTML, "bl-claim",
            value=f'<h4 class="bl-claim-id" style="margin: 0 0 0.3em">The article\'s claim {escape(self.claim_id)}</h4>'
                  f'<blockquote class="bl-claim-text" style="{_QUOTE_STYLE}">'
                  f"{compact_block(markdown(self.claim_record.claim))}</blockquote>",
        )
        meanings = content.VERDICT_MEANINGS
        legend = "".join(f"<li><strong>{escape(v)}</strong>: {escape(m)}</li>" for v, m in meanings.items())
        self.legend = lean(
            widgets.HTML, "bl-verdict-legend",
            value=compact_block(f"<p>How well does the research support it? Make a prediction first.</p><ul>{legend}</ul>"),
        )
        # The prediction by verdict (the card's API); the page shows it as a radio group of the
        # verdicts, which (unlike ipywidgets' ToggleButtons) tells a screen reader which is chosen
        # and is one Tab stop with arrow keys inside, like the quizzes' options.
        self.prediction = widgets.ToggleButtons(
            options=list(meanings),
            value=None,
            description="Your prediction",
            tooltips=[f"{v}: {m}" for v, m in meanings.items()],
        )
        self.prediction_choice = lean(ChoiceGroup, "bl-prediction", labels=[escape(v) for v in meanings],
                                      legend="Your prediction", value=None)
        follow_by_position(self.prediction, self.prediction_choice, list(meanings))
        widgets.link((self.prediction, "disabled"), (self.prediction_choice, "disabled"))
        self.reveal_button = lean(widgets.Button, "bl-reveal", description="Reveal", disabled=True,
                                  button_style="primary", tooltip="Choose a prediction first, then reveal the verdict")
        # A live region: the verdict is read out when Reveal fills it.
        self.verdict = lean(LiveHTML, "bl-verdict")
        self.prediction.observe(self._on_prediction, names="value")
        self.reveal_button.on_click(self._on_reveal)
        super().__init__(children=[self.header, self.legend, self.prediction_choice, self.reveal_button, self.verdict],
                         layout=lean_layout(), _dom_classes=("bl-evidence-card",))

    def _on_prediction(self, change: dict[str, Any]) -> None:
        self.reveal_button.disabled = change["new"] is None or self.revealed

    def _on_reveal(self, _button: widgets.Button | None = None) -> None:
        safe_callback("while revealing the verdict", self._set_verdict)(self.reveal)()

    def _set_verdict(self, html: str) -> None:
        self.verdict.value = html

    def reveal(self) -> None:
        """Show the verdict, whether the prediction matched, why, and the sources."""
        if self.prediction.value is None:
            self._set_verdict('<p class="bl-hint">Choose a prediction first.</p>')
            return
        c = self.claim_record
        matched = self.prediction.value == c.verdict
        note = f" ({escape(c.verdict_note)})" if c.verdict_note else ""
        outcome = (
            '<p class="bl-match bl-correct">Your prediction matches.</p>'
            if matched
            else f'<p class="bl-match bl-incorrect">You predicted <strong>{escape(self.prediction.value)}</strong>.</p>'
        )
        self._set_verdict(
            f'<div class="bl-verdict-body"><p class="bl-verdict-value">Verdict: '
            f"<strong>{escape(c.verdict)}</strong>{note}</p>{outcome}"
            f'<div class="bl-why">{compact_block(markdown(c.why))}</div>{self._certainty_html()}'
            f"{compact_block(citations_html(c.sources))}</div>"
        )
        self.revealed = True
        self.prediction.disabled = True
        self.reveal_button.disabled = True

    def _certainty_html(self) -> str:
        """How certain the evidence is and how large the effect, where the brief states them."""
        from backlessons.clinical import certainty_text

        c = self.claim_record
        level = certainty_text(c.certainty) or "not rated in the sources this course uses"
        note = f" {escape(c.certainty_note)}" if c.certainty_note else ""
        return f'<p class="bl-certainty">Certainty of evidence (GRADE): <strong>{escape(level)}</strong>.{note}</p>'

    def _plain_text(self) -> str:
        return f"Evidence card {self.claim_id}: {self.claim_record.claim} — predict the verdict in JupyterLab."

    def _static_html(self) -> str:
        return (
            f'<div class="bl-evidence-card bl-static">{self.header.value}{self.legend.value}'
            "<p><em>Run this notebook in JupyterLab to predict and reveal the verdict.</em></p></div>"
        )
