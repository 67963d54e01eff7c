"""What a form's template has, set on an imported form: the layout it is written in
(``layout``), the 一级 weights printed in the labels (``产出指标(60分)`` → ``level1_weights``,
the label kept as the template names it), and the head fields written as check boxes
(``项目类别: ☑经常性项目 □一次性项目`` → ``checkboxes``).

Every reader's forms pass here once (the label mapper's finish step, and the seed's text
reader): values are only moved from where a reader put them as text into the typed fields,
never guessed. A form that already names its layout keeps it; applying this twice changes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from jixiao.layouts import recognise
from jixiao.model import (
    Checkbox,
    Level1Weight,
    SelfEvaluation,
    checkbox_from_text,
    split_level1,
)


def _level1_weights(form: SelfEvaluation) -> None:
    found: dict[str, Decimal] = {}
    for ind in form.indicators:
        if "分" not in ind.level1:  # no weight printed: the usual case, decided at once
            continue
        label, weight = split_level1(ind.level1)
        if weight is None:
            continue
        ind.level1 = label
        found.setdefault(label, weight)
    if found and not form.level1_weights:
        form.level1_weights = [Level1Weight(label=k, weight=w) for k, w in found.items()]


def _checkboxes(form: SelfEvaluation) -> None:
    boxes: list[Checkbox] = []
    for label, text in list(form.extras.items()):
        box = checkbox_from_text(label, text)
        if box is not None and box.options:
            boxes.append(box)
            del form.extras[label]
    if boxes:
        form.checkboxes = [*form.checkboxes, *boxes]


def complete_template_fields(form: SelfEvaluation, labels: Iterable[str] = ()) -> SelfEvaluation:
    """``form`` with what its template has in the typed fields (see the module's
    docstring); ``labels`` are the head labels the reader saw (主管部门及代码: a sign of the
    layout the form itself does not keep). Returns the same object."""
    _level1_weights(form)
    _checkboxes(form)
    if not form.layout:
        form.layout = recognise(form, labels).layout.id
    return form
