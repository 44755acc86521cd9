"""The What if tab: for each clause pack of the corpus, a form built from the pack's facts, decided by the clause
engine at once with no model involved; the outcome, its quotes and the trace drawn as the chat draws a clause
answer."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answer.routing import clause_answer
from assistant.clauses import FactError, LoadedPack, evaluate, load_packs

from ui.sources_panel import Excerpt, footnotes_html

log = logging.getLogger(__name__)

UNKNOWN = "unknown"
YES, NO = "yes", "no"
NO_PACKS = ("No document of the corpus has a clause pack yet. Write `<document>.clauses.yaml` beside a document "
            "(see the README's *Clause packs*) and restart the UI.")


@dataclass(frozen=True)
class FieldControl:
    """How one fact is shown: a yes/no/unknown choice, a figure or year typed in, or one of its values."""

    name: str
    kind: str  # "yes/no", "text" or "choice"
    label: str
    info: str
    choices: tuple[tuple[str, str], ...] = ()


def field_controls(loaded: LoadedPack) -> list[FieldControl]:
    """A control for every fact of the pack, in the pack's order, from the fact's type."""
    controls = []
    for name, spec in loaded.pack.facts.items():
        label = spec.label[:1].upper() + spec.label[1:]
        if spec.type == "yes/no":
            controls.append(FieldControl(name, "yes/no", label, spec.ask, ((UNKNOWN, UNKNOWN), (YES, YES), (NO, NO))))
        elif spec.type == "choice":
            choices = ((UNKNOWN, UNKNOWN),) + tuple((c.name, key) for key, c in spec.values.items())
            controls.append(FieldControl(name, "choice", label, spec.ask, choices))
        else:
            unit = f" In {spec.unit}; a figure or a bound such as 'over 80'." if spec.unit else ""
            controls.append(FieldControl(name, "text", label, spec.ask + unit + " Leave empty if unknown."))
    return controls


def facts_from_values(loaded: LoadedPack, controls: list[FieldControl], values: list[Any]) -> dict[str, Any]:
    """The facts the controls' values state; "unknown" and empty values are left out.

    Raises:
        ValueError: a value does not fit its fact; the message names the fact.
    """
    given = {c.name: v.strip() if isinstance(v, str) else v for c, v in zip(controls, values, strict=True)
             if not (v is None or isinstance(v, str) and v.strip().lower() in ("", UNKNOWN))}
    try:
        return loaded.pack.scenario(given)
    except FactError as exc:  # the form names a fact by its label
        raise ValueError(f"{next(c.label for c in controls if c.name == exc.fact)}: {exc.problem}") from None


def explore(loaded: LoadedPack, controls: list[FieldControl], values: list[Any]) -> tuple[str, str, str]:
    """The outcome (markdown), its cited quotes (HTML footnotes) and the trace (markdown) for the values."""
    try:
        facts = facts_from_values(loaded, controls, values)
        if not facts:
            return f"Set at least one fact on the left to see what {loaded.pack.name} decides.", "", ""
        answer = clause_answer("", loaded, evaluate(loaded, facts))
        excerpts = {c.n: Excerpt(loaded.text) for c in answer.citations}
        return answer.text, footnotes_html(answer.citations, excerpts), answer.trace or ""
    except ValueError as exc:
        return f"⚠️ {exc}", "", ""
    except Exception as exc:  # the page must show a message, never a trace
        log.exception("what-if evaluation failed")
        return f"⚠️ The clause engine failed ({type(exc).__name__}: {exc}).", "", ""


def build_whatif_tab(corpus_dir: Path | None) -> list[tuple[Any, list, list]]:
    """Render one form per clause pack of the corpus (a sub-tab each when there are several); return each form's
    update function, inputs and outputs, for the page's load event."""
    import gradio as gr

    packs, problems = load_packs(corpus_dir) if corpus_dir else ([], [])
    if not packs:
        gr.Markdown(NO_PACKS + ("\n\n" + "\n".join(f"- {p}" for p in problems) if problems else ""))
        return []
    gr.Markdown("Set the facts of a scenario; the document's rules decide the outcome at once. Anything left "
                "*unknown* stays open. No language model is involved.")
    forms = []
    for i, loaded in enumerate(packs):
        with gr.Tab(loaded.title, id=f"whatif-{loaded.id}", visible=True) if len(packs) > 1 else gr.Group():
            forms.append(_form(gr, loaded, first=i == 0))
    return forms


def _form(gr: Any, loaded: LoadedPack, first: bool) -> tuple[Any, list, list]:
    controls = field_controls(loaded)
    prefix = "whatif" if first else f"whatif-{loaded.id}"
    with gr.Row():
        with gr.Column(scale=2, min_width=320):
            inputs = [_component(gr, c, prefix) for c in controls]
            reset = gr.Button("Reset to unknown", variant="secondary")
        with gr.Column(scale=3, min_width=360):
            outcome = gr.Markdown(label="Outcome", elem_id=f"{prefix}-outcome")
            quotes = gr.HTML(elem_id=f"{prefix}-quotes")
            with gr.Accordion("Trace", open=False, elem_id=f"{prefix}-trace-accordion"):
                trace = gr.Markdown(elem_id=f"{prefix}-trace")

    def update(*values: Any) -> tuple[str, str, str]:
        return explore(loaded, controls, list(values))

    outputs = [outcome, quotes, trace]
    for i, component in enumerate(inputs):
        # One named endpoint per pack is enough for API clients; the other controls share it undocumented.
        named = {"api_name": "what_if" if first else f"what_if_{loaded.id}"} if i == 0 else \
            {"api_visibility": "undocumented"}
        component.change(update, inputs, outputs, trigger_mode="always_last", **named)
    reset.click(lambda: [UNKNOWN if c.kind != "text" else "" for c in controls], None, inputs,
                api_visibility="undocumented")
    return update, inputs, outputs


def _component(gr: Any, control: FieldControl, prefix: str):
    elem_id = f"{prefix}-{control.name.replace('_', '-')}"
    if control.kind == "yes/no":
        return gr.Radio([c[0] for c in control.choices], value=UNKNOWN, label=control.label, info=control.info,
                        elem_id=elem_id)
    if control.kind == "text":
        # A Textbox, not a Number: an empty Number shows 0, and 0 is not "unknown".
        return gr.Textbox(value="", label=control.label, info=control.info, placeholder=UNKNOWN, elem_id=elem_id)
    return gr.Dropdown(list(control.choices), value=UNKNOWN, label=control.label, info=control.info,
                       allow_custom_value=True, elem_id=elem_id)
