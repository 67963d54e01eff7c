"""Reviewer annotations: computed values beside the declared ones, and findings.

The official rendering never uses this; the reviewer mode passes one :class:`Review`
per form: the notes and the audit findings (:class:`jixiao.audit.Finding`, the one
shape the web, the CLI and every document show). Notes are keyed by the place on the
form they annotate, e.g. ``"funds.total.4"`` (row, column index in FUND_COLUMNS),
``"indicators.3.score"``, ``"total_score"``, ``"grade"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.audit.registry import Finding


@dataclass(frozen=True)
class Note:
    """A computed value shown under a declared one; ``differs`` marks a disagreement."""

    computed: str | None  # None: the rules cannot compute it
    differs: bool

    @property
    def caption(self) -> str:
        if self.computed is None:
            return "无法计算"
        return f"计算：{self.computed}" if self.differs else "计算一致"


@dataclass
class Review:
    """All annotations for one form."""

    notes: dict[str, Note] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)  # the audit's own shape

    def note(self, key: str) -> Note | None:
        return self.notes.get(key)
