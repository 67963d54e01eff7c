"""Demo data: the organisation tree, the nine seed forms, generated forms, one user per role."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from jixiao.model import SelfEvaluation, load_forms
from jixiao.web import core, records
from jixiao.web.models import EvaluationForm, Event, Organisation, Profile, Role, Status
from jixiao.web.rounds.demo import open_demo_round

FINANCE = "嘉定区财政局"
FINANCE_CODE = "301001"  # 单位编码: 财政局; 主管部门 add two digits, 预算单位 three more
JIANGQIAO = "江桥镇"
SEED_UNIT = "上海市嘉定区江桥镇城市运行管理中心"
# Other units that get generated forms: (主管部门, 预算单位)
OTHER_UNITS: tuple[tuple[str, str], ...] = (
    (JIANGQIAO, "上海市嘉定区江桥镇社区事务受理服务中心"),
    (JIANGQIAO, "上海市嘉定区江桥镇文体活动中心"),
    ("嘉定区教育局", "上海市嘉定区实验小学"),
    ("嘉定区教育局", "上海市嘉定区第一中学"),
    ("嘉定区卫生健康委员会", "上海市嘉定区江桥医院"),
)
DEMO_PASSWORD = "jixiao-demo"
OVERDUE_UNIT = "上海市嘉定区实验小学"  # past its own deadline in the demo 填报任务


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    role: str
    organisation: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("tianbao", "张填报", Role.FILLER, SEED_UNIT),
    DemoUser("danwei", "李单位", Role.UNIT_REVIEWER, SEED_UNIT),
    DemoUser("zhuguan", "王主管", Role.DEPARTMENT_REVIEWER, JIANGQIAO),
    DemoUser("caizheng", "赵财政", Role.FINANCE_REVIEWER, FINANCE),
    DemoUser("admin", "系统管理员", Role.ADMIN, FINANCE),
    DemoUser("jiaoyu", "陈填报", Role.FILLER, "上海市嘉定区实验小学"),
)


def org(name: str, kind: str, parent: Organisation | None, code: str) -> Organisation:
    found = Organisation.objects.filter(name=name, parent=parent).first()
    if found:
        return found
    return Organisation.objects.create(name=name, kind=kind, parent=parent, code=code)


def build_tree() -> dict[str, Organisation]:
    """The demo tree, each node with its 单位编码; returns every node by name."""
    nodes: dict[str, Organisation] = {}
    finance = nodes[FINANCE] = org(FINANCE, Organisation.Kind.FINANCE, None, FINANCE_CODE)
    departments = [JIANGQIAO] + [d for d, _ in OTHER_UNITS if d != JIANGQIAO]
    for i, dept in enumerate(dict.fromkeys(departments), start=1):
        nodes[dept] = org(dept, Organisation.Kind.DEPARTMENT, finance, f"{FINANCE_CODE}{i:02d}")
    units = [(JIANGQIAO, SEED_UNIT), *OTHER_UNITS]
    serial: dict[str, int] = {}
    for dept, unit in units:
        serial[dept] = serial.get(dept, 0) + 1
        code = f"{nodes[dept].code}{serial[dept]:03d}"
        nodes[unit] = org(unit, Organisation.Kind.UNIT, nodes[dept], code)
    return nodes


def create_users(nodes: dict[str, Organisation], password: str = DEMO_PASSWORD) -> None:
    User = get_user_model()
    for u in DEMO_USERS:
        user, created = User.objects.get_or_create(username=u.username)
        if created:
            user.first_name = u.name
            user.set_password(password)
            user.save()  # 管理员 works on the 系统管理 pages, not in Django's admin
        Profile.objects.update_or_create(
            user=user, defaults={"organisation": nodes[u.organisation], "role": u.role}
        )


# The seed unit's nine forms: most are drafts for 张填报, some wait at 单位审核 for 李单位, one
# was returned with a comment, one waits at 主管部门审核 for 王主管.
SEED_STATUSES = (Status.DRAFT,) * 5 + (
    Status.UNIT_REVIEW,
    Status.UNIT_REVIEW,
    Status.RETURNED,
    Status.DEPARTMENT_REVIEW,
)
DEMO_RETURN = "演示：请核实实际完成值，并补充偏差原因分析。"


def _status(rng: random.Random) -> str:
    return rng.choices(
        [
            Status.DRAFT,
            Status.UNIT_REVIEW,
            Status.DEPARTMENT_REVIEW,
            Status.FINANCE_REVIEW,
            Status.APPROVED,
            Status.RETURNED,
        ],
        [4, 1, 2, 2, 3, 1],
    )[0]


def _returns(objs: list[EvaluationForm]) -> None:
    """A 退回 by 王主管 with a comment for each returned demo form (on the form, in 待办)."""
    reviewer = get_user_model().objects.filter(username="zhuguan").first()
    Event.objects.bulk_create(
        Event(
            form=o,
            user=reviewer,
            kind=Event.Kind.TRANSITION,
            action="return",
            from_status=Status.DEPARTMENT_REVIEW,
            to_status=Status.RETURNED,
            comment=DEMO_RETURN,
        )
        for o in objs
        if o.status == Status.RETURNED
    )


def generated(
    units: list[tuple[Organisation, Organisation]], count: int, seed: int = 7
) -> Iterable[tuple[Organisation, SelfEvaluation, str]]:
    """``count`` generated forms spread over ``units`` ((department, unit) pairs)."""
    rng = random.Random(seed)
    forms = core.generate(count, seed=seed)
    for i, form in enumerate(forms):
        dept, unit = units[i % len(units)]
        form.department = dept.name
        form.unit = unit.name
        form.source = None
        yield unit, form, _status(rng)


@transaction.atomic
def load_demo(seed_file: Path | None, generated_count: int = 60) -> int:
    """Create the demo tree, users and forms (once); returns the number of forms added."""
    nodes = build_tree()
    create_users(nodes)
    if EvaluationForm.objects.exists():
        open_demo_round(nodes[FINANCE], nodes[SEED_UNIT], nodes[OVERDUE_UNIT])
        return 0
    objs = []
    if seed_file is not None and seed_file.exists():
        for i, form in enumerate(load_forms(seed_file)):
            form.source = None
            status = SEED_STATUSES[i % len(SEED_STATUSES)]
            objs.append(records.build(nodes[SEED_UNIT], form, status=status))
    pairs = [(nodes[d], nodes[u]) for d, u in OTHER_UNITS]
    for unit, form, status in generated(pairs, generated_count):
        objs.append(records.build(unit, form, status=status))
    records.bulk_create(objs)
    _returns(objs)
    open_demo_round(nodes[FINANCE], nodes[SEED_UNIT], nodes[OVERDUE_UNIT])
    return len(objs)


def users_table() -> str:
    lines = ["演示用户（密码均为 " + DEMO_PASSWORD + "）："]
    for u in DEMO_USERS:
        role = Role(u.role).label
        lines.append(f"  {u.username:<10} {u.name:<6} {role:<8} {u.organisation}")
    return "\n".join(lines)
