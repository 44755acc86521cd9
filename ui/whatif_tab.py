"""The What if tab: one control per Scenario field, evaluated by the clause engine with no model involved; the
outcome, its quotes and the trace drawn as the chat draws a clause answer."""

from __future__ import annotations

import logging
import typing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.answer.routing import clause_answer
from assistant.clauses.trace import human_name
from assistant.clauses import Scenario, evaluate
from assistant.clauses.scenario import PROVIDER_ALIASES, PROVIDER_NAMES, invalid_fact

from ui.sources_panel import Excerpt, footnotes_html

log = logging.getLogger(__name__)

UNKNOWN = "unknown"
EMPTY_FORM = "Set at least one fact on the left (a year, who can meet the demand, a provider…) to see what the agreement decides."
YES, NO = "yes", "no"
# The providers a question can name: the clause engine's canonical keys, in the order it lists their names. An
# API host is one of them as the Scenario keys hosts (after the platform rather than the company, where they differ).
_PROVIDER_KEYS = [k for k in PROVIDER_NAMES if k in set(PROVIDER_ALIASES.values())]
_API_HOST_KEYS = list(dict.fromkeys(Scenario(api_host=k).api_host for k in _PROVIDER_KEYS))


@dataclass(frozen=True)
class FieldControl:
    """How one Scenario field is shown: a yes/no/unknown choice, a year, a provider or an amount."""

    name: str
    kind: str  # "choice", "number", "provider" or "amount"
    label: str
    info: str
    choices: tuple[tuple[str, str], ...] = ()


def _base_type(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return args[0] if args else annotation


def field_controls() -> list[FieldControl]:
    """Return a control for every Scenario field, in the model's order, derived from the field's type."""
    controls = []
    for name, field in Scenario.model_fields.items():
        base = _base_type(field.annotation)
        info = field.description or ""
        if base is bool:
            choices = ((UNKNOWN, UNKNOWN), (YES, YES), (NO, NO))
            controls.append(FieldControl(name, "choice", human_name(name), info, choices))
        elif base is int:
            controls.append(FieldControl(name, "number", human_name(name), info + " Leave empty if unknown."))
        elif base is Decimal:
            info += " E.g. 150B or $100 billion; empty if unknown."
            controls.append(FieldControl(name, "amount", human_name(name), info))
        else:
            keys = _API_HOST_KEYS if name == "api_host" else _PROVIDER_KEYS
            choices = ((UNKNOWN, UNKNOWN),) + tuple((PROVIDER_NAMES[k], k) for k in keys)
            controls.append(FieldControl(name, "provider", human_name(name), info, choices))
    return controls


def scenario_from_values(controls: list[FieldControl], values: list[Any]) -> Scenario:
    """Return the Scenario the controls' values describe; "unknown" and empty values stay None.

    Raises:
        ValueError: a value does not fit its field; the message names the field.
    """
    facts: dict[str, Any] = {}
    for control, value in zip(controls, values, strict=True):
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", UNKNOWN)):
            continue
        if control.kind == "choice":
            facts[control.name] = value == YES
        elif control.kind == "number":
            try:
                facts[control.name] = int(str(value).strip())
            except ValueError:
                raise ValueError(f"{control.label}: expected a number such as 2031, not {value!r}") from None
        else:
            facts[control.name] = value.strip() if isinstance(value, str) else value
    try:
        return Scenario(**facts)
    except ValidationError as exc:
        field, reason = invalid_fact(exc)
        label = next((c.label for c in controls if c.name == field), field)
        raise ValueError(f"{label}: {reason}") from None


def explore(controls: list[FieldControl], values: list[Any], corpus_dir: Path | None) -> tuple[str, str, str]:
    """Return the outcome (markdown), its cited quotes (HTML footnotes) and the trace (markdown) for the values."""
    try:
        scenario = scenario_from_values(controls, values)
        if not scenario.model_dump(exclude_none=True):
            return EMPTY_FORM, "", ""
        answer = clause_answer("", evaluate(scenario, corpus_dir=corpus_dir))
        texts = {c.source: _read(corpus_dir, c.source) for c in answer.citations}
        excerpts = {c.n: Excerpt(texts[c.source]) for c in answer.citations if texts[c.source] is not None}
        return answer.text, footnotes_html(answer.citations, excerpts), answer.trace or ""
    except ValueError as exc:  # pydantic and the amount parser both raise ValueError subclasses
        return f"⚠️ {exc}", "", ""
    except Exception as exc:  # the page must show a message, never a trace
        log.exception("what-if evaluation failed")
        return f"⚠️ The clause engine failed ({type(exc).__name__}: {exc}).", "", ""


def _read(corpus_dir: Path | None, source: str) -> str | None:
    from assistant.clauses import default_corpus_dir

    path = Path(corpus_dir or default_corpus_dir()) / source
    try:
        with path.open(encoding="utf-8", newline="") as handle:  # the engine's offsets count the file's own newlines
            return handle.read()
    except OSError:
        return None


def build_whatif_tab(corpus_dir: Path | None):
    """Render the explorer's controls and outputs in the current gradio context; return the load event's pieces."""
    import gradio as gr

    controls = field_controls()
    gr.Markdown(
        "Set the facts of a scenario; the agreement's clauses decide the outcome at once. "
        "Anything left *unknown* stays open. No language model is involved."
    )
    with gr.Row():
        with gr.Column(scale=2, min_width=320):
            inputs = [_component(gr, c) for c in controls]
            reset = gr.Button("Reset to unknown", variant="secondary")
        with gr.Column(scale=3, min_width=360):
            outcome = gr.Markdown(label="Outcome", elem_id="whatif-outcome")
            quotes = gr.HTML(elem_id="whatif-quotes")
            with gr.Accordion("Trace", open=False, elem_id="whatif-trace-accordion"):
                trace = gr.Markdown(elem_id="whatif-trace")

    def update(*values: Any) -> tuple[str, str, str]:
        return explore(controls, list(values), corpus_dir)

    outputs = [outcome, quotes, trace]
    for i, component in enumerate(inputs):
        # One named endpoint is enough for API clients; the other controls share it undocumented.
        named = {"api_name": "what_if"} if i == 0 else {"api_visibility": "undocumented"}
        component.change(update, inputs, outputs, trigger_mode="always_last", **named)
    reset.click(lambda: [_empty(c) for c in controls], None, inputs, api_visibility="undocumented")
    return update, inputs, outputs


def _empty(control: FieldControl) -> Any:
    return UNKNOWN if control.kind in ("choice", "provider") else ""


def _component(gr: Any, control: FieldControl):
    elem_id = f"whatif-{control.name.replace('_', '-')}"
    if control.kind == "choice":
        return gr.Radio([c[0] for c in control.choices], value=UNKNOWN, label=control.label, info=control.info, elem_id=elem_id)
    if control.kind in ("number", "amount"):
        # A Textbox, not a Number: an empty Number shows 0, and 0 is not "unknown".
        return gr.Textbox(value="", label=control.label, info=control.info, placeholder=UNKNOWN, elem_id=elem_id)
    return gr.Dropdown(
        list(control.choices), value=UNKNOWN, label=control.label, info=control.info, allow_custom_value=True, elem_id=elem_id
    )
