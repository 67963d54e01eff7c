"""Jinja2 templates compiled to write each value in one call and to give out the text between
two tags joined: the official layout (render/html.py) and the web's pages (web/jinja.py).

Jinja2 compiles ``{{ x }}`` in an escaped template to ``escape(environment.finalize(x))``
(``finalize`` only when the environment has one): Python calls, and ``escape`` builds a
Markup object (through ``Markup.__new__``, Python too) that is only joined into the page.
:class:`CodeGenerator` compiles it to ``environment.output(x)``, one call of a function that
:func:`writer` makes: a text is escaped by MarkupSafe's own escaping of a text (the function
``escape`` wraps in Markup), an integer written as its digits, Markup as it is, anything
else as ``escape(finalize(x))`` writes it. A part of a template that does not escape, or
decides at run time whether it does, is compiled as Jinja2 compiles it.

Jinja2 also gives out each piece of a page (a value, the text up to the next one) in a
``yield`` of its own, and each piece passes up through a generator for every template and
block it is in; :class:`CodeGenerator` gives out a run of pieces between two tags joined,
in one ``yield``. The text of every page is the same (tests/test_render_compiled.py).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import jinja2
import jinja2.compiler
import jinja2.nodes
from markupsafe import Markup, _escape_inner, escape


def escape_text(text: str) -> str:
    """``str(escape(text))`` for a text, without the Markup object: MarkupSafe's own escaping
    of a text (its private ``_escape_inner``: only this module calls it; pyproject.toml
    holds MarkupSafe at the version it is tested on)."""
    return _escape_inner(text)  # type: ignore[no-any-return]


def writer(
    finalize: Callable[[Any], Any] | None = None,
    decimal: Callable[[Decimal], str] = str,
    safe: tuple[type, ...] = (),
) -> Callable[[Any], str]:
    """The function that writes a value as ``escape(finalize(value))`` (``escape(value)``
    without ``finalize``) writes it, in one call for a text, an integer, Markup, the types
    in ``safe`` (texts whose ``__html__`` is themselves, e.g. Django's SafeString) and a
    Decimal, written by ``decimal``, which must be ``finalize``'s text of it (digits, which
    need no escaping)."""
    kept = (Markup, *safe)

    def write(value: Any) -> str:
        kind = type(value)
        if kind is str:
            return _escape_inner(value)  # type: ignore[no-any-return]
        if kind is int:
            return str(value)
        if kind in kept:
            return value  # type: ignore[no-any-return]
        if isinstance(value, Decimal):
            return decimal(value)
        return escape(value if finalize is None else finalize(value))

    return write


class CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja2's compiler, a value in an escaped part of a template written as
    ``environment.output(value)`` and a run of pieces between two tags given out joined."""

    environment: Environment

    def visit_Output(self, node: jinja2.nodes.Output, frame: jinja2.compiler.Frame) -> None:
        if frame.buffer is not None:  # a macro's or a block's pieces: joined by Jinja2
            super().visit_Output(node, frame)
            return
        # Jinja2's visit_Output for a frame without a buffer, the body given out joined
        if frame.require_output_check:
            if self.has_known_extends:
                return
            self.writeline("if parent_template is None:")
            self.indent()
        finalize = self._make_finalize()
        body: list[list[Any] | jinja2.nodes.Expr] = []
        for child in node.nodes:
            try:
                if not (finalize.const or isinstance(child, jinja2.nodes.TemplateData)):
                    raise jinja2.nodes.Impossible()
                const = self._output_child_to_const(child, frame, finalize)
            except (jinja2.nodes.Impossible, Exception):
                body.append(child)  # evaluated at run time, as in Jinja2
                continue
            if body and isinstance(body[-1], list):
                body[-1].append(const)
            else:
                body.append([const])
        joined = len(body) > 1
        if joined:
            self.writeline("yield concat((")
            self.indent()
        for item in body:
            if isinstance(item, list):
                value = self._output_const_repr(item)
                self.writeline(f"{value}," if joined else f"yield {value}")
            else:
                if joined:
                    self.newline(item)
                else:
                    self.writeline("yield ", item)
                self._output_child_pre(item, frame, finalize)
                self.visit(item, frame)
                self._output_child_post(item, frame, finalize)
                if joined:
                    self.write(",")
        if joined:
            self.outdent()
            self.writeline("))")
        if frame.require_output_check:
            self.outdent()

    def _writes(self, frame: jinja2.compiler.Frame) -> bool:
        """Whether a value of ``frame`` is written by ``environment.output``: escaped, and
        the environment's finalize the one its ``output`` applies."""
        ctx = frame.eval_ctx
        env = self.environment
        return bool(ctx.autoescape and not ctx.volatile and env.finalize is env.output_finalize)

    def _output_child_pre(self, node: Any, frame: jinja2.compiler.Frame, finalize: Any) -> None:
        if self._writes(frame):
            self.write("environment.output(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Any, frame: jinja2.compiler.Frame, finalize: Any) -> None:
        if self._writes(frame):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


class Environment(jinja2.Environment):
    """A Jinja2 environment whose templates :class:`CodeGenerator` compiles. ``output``
    writes a value as ``escape(finalize(value))`` does for the finalize ``output_finalize``
    (none here); an environment with another finalize is compiled as Jinja2 compiles it."""

    code_generator_class = CodeGenerator
    output = staticmethod(writer())
    output_finalize: Callable[[Any], Any] | None = None
