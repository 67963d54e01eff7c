"""``--policy auto``: the policy a form is scored by, from its layout and its region.

1. The layout's ``region_policies`` (云南 保山 forms of the 20-point layout → ``yunnan-baoshan``).
2. A layout scored by the national default (``mof-2020``) takes the region's policy from
   the policies' ``[match]`` (a 上海市 unit → ``shanghai``, a central department →
   ``central-2021``).
3. Else the layout's own ``policy`` (``hubei``, ``sichuan``, ``hebei``, ``transfer`` …).

The answer names the layout, the policy and why, in Chinese, for the CLI and the web.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.layouts.declaration import Layout
from jixiao.layouts.recognition import layout_of
from jixiao.model import SelfEvaluation
from jixiao.policy import DEFAULT, Policy, choose_policy, load_policy


@dataclass(frozen=True, slots=True)
class Choice:
    """A form's layout and policy, and why (Chinese)."""

    layout: Layout
    policy: Policy
    reason: str  # 版式：…（…）；口径：…（…）
    brief: str  # 版式 national-2020，主管部门为中央部门 (the CLI's note beside the policy)
    placed: str = ""  # why this layout (表上注明的版式, 按内容识别：…)
    why: str = ""  # why this policy when not the layout's own (上海市单位); empty: the layout's

    def words(self) -> str:
        """The choice in words, without ids (the web's form page): 评分口径 by its title."""
        why = self.why or "版式所定的口径"
        return f"{self.policy.title}；依据：{why}；版式：{self.layout.name}（{self.placed}）"


def choose(form: SelfEvaluation) -> Choice:
    """The layout and the policy ``--policy auto`` gives ``form``, and why."""
    placed = layout_of(form)
    layout = placed.layout
    regional = layout.policy_for(form.department, form.unit)
    why = ""  # empty: the layout's own policy
    if regional is not None:
        name, why = regional
        policy = load_policy(name)
    elif layout.policy == DEFAULT:
        policy, why = choose_policy(form.department, form.unit)
        if policy.name == DEFAULT:
            why = ""
    else:
        policy = load_policy(layout.policy)
    reason = f"版式：{layout.name}（{placed.reason}）；口径：{policy.name}（{why or '版式的口径'}）"
    brief = f"版式 {layout.id}，{why}" if why else f"版式 {layout.id}"
    return Choice(layout, policy, reason, brief, placed.reason, why)


def head_policy(policies: Sequence[Policy]) -> Policy:
    """The policy a batch scored form by form is headed with (a report's title, its grade
    bands): the most frequent one, the first seen on a tie; the national default for none."""
    if not policies:
        return load_policy(DEFAULT)
    counts = Counter(p.name for p in policies)
    top = max(counts.values())
    return next(p for p in policies if counts[p.name] == top)
