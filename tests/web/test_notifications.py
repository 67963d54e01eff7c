"""Notifications: who hears of a submit, return and approval; the bell and the list; e-mail
only with SMTP configured; 催报 by command and by button."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from jixiao.web import workflow
from jixiao.web.models import EvaluationForm, Event, Role
from jixiao.web.notifications import notify
from jixiao.web.notifications.models import Notification
from jixiao.web.settings import email_from_env
from tests.web.conftest import login, make_user
from tests.web.rounds_helpers import make_round

pytestmark = pytest.mark.django_db


def inbox_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("text", flat=True))


def recipients_of(form) -> set[str]:
    return set(Notification.objects.filter(form=form).values_list("recipient__username", flat=True))


# Who acts on a form in each review state (today's one-step chain has ``submitted``; the
# three-level chain unit_review → department_review → finance_review), by fixture name.
REVIEWER_AT = {
    "submitted": "dept",
    "unit_review": "unit_reviewer",
    "department_review": "dept",
    "finance_review": "finance",
}
# Who is told a form has reached that state (the level's role at the form's node).
TOLD_AT = {
    "submitted": {"dept", "dept2"},
    "unit_review": {"unitrev"},
    "department_review": {"dept", "dept2"},
    "finance_review": {"finance"},
}


def test_submit_return_approve_notify_the_right_people(seed, users, tree):
    obj = seed[0]
    make_user("dept2", tree.jiangqiao, Role.DEPARTMENT_REVIEWER)
    level = workflow.apply(users["filler"], obj, "submit").to_status
    assert recipients_of(obj) == TOLD_AT[level]
    reviewer = users[REVIEWER_AT[level]]
    note = Notification.objects.filter(recipient=reviewer).get()
    assert note.text.startswith(f"2024年度“{obj.project}”（{tree.chengyun.name}）已送达")
    assert note.text.endswith("审核，等待您审核。")
    assert note.url == f"/forms/{obj.pk}/"
    Notification.objects.all().delete()
    workflow.apply(reviewer, obj, "return", "请补充偏差原因")
    assert recipients_of(obj) == {"filler"}  # the unit's 填报人, who also submitted it
    assert inbox_of(users["filler"])[0].endswith("被退回，请修改后重新送审。意见：请补充偏差原因")
    # sent up by the 管理员: the return reaches the 填报人 and the 管理员, never the returner
    Notification.objects.all().delete()
    level = workflow.apply(users["admin"], obj, "submit").to_status
    reviewer = users[REVIEWER_AT[level]]
    workflow.apply(reviewer, obj, "return", "再补充")
    returned = Notification.objects.filter(text__contains="被退回")
    assert {n.recipient.username for n in returned} == {"filler", "admin"}
    # up every level to approval: each level's reviewers, then the 填报人
    workflow.apply(users["filler"], obj, "submit")
    status = EvaluationForm.objects.get(pk=obj.pk).status
    while status != "approved":
        Notification.objects.all().delete()
        status = workflow.apply(users[REVIEWER_AT[status]], obj, "approve").to_status
        assert recipients_of(obj) == (TOLD_AT[status] if status != "approved" else {"filler"})
    assert inbox_of(users["filler"])[0].endswith("已审核通过。")
    # a comment is no transition
    Notification.objects.all().delete()
    workflow.comment(users["dept"], obj, "好")
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("unit_review", {"unitrev"}),
        ("department_review", {"dept"}),
        ("finance_review", {"finance"}),
    ],
)
def test_each_review_level_reaches_its_role(seed, users, state, expected):
    obj = seed[1]
    Event.objects.create(
        form=obj,
        user=users["filler"],
        kind=Event.Kind.TRANSITION,
        from_status="draft",
        to_status=state,
    )
    assert recipients_of(obj) == expected


def test_inactive_users_are_not_notified(seed, users):
    for who in ("unit_reviewer", "dept", "finance"):
        users[who].is_active = False
        users[who].save()
    workflow.apply(users["filler"], seed[0], "submit")
    assert not Notification.objects.exists()


def test_bell_list_and_mark_read(seed, users):
    level = workflow.apply(users["filler"], seed[0], "submit").to_status
    workflow.apply(users["filler"], seed[2], "submit")
    reviewer = users[REVIEWER_AT[level]]
    c = login(reviewer)
    assert '<span class="badge" id="unread-count">2</span>' in c.get("/forms/").content.decode()
    page = c.get("/notifications/").content.decode()
    assert page.count('<tr class="unread">') == 2
    first = Notification.objects.filter(recipient=reviewer).order_by("id").first()
    r = c.get(f"/notifications/{first.pk}/")
    assert r.status_code == 302 and r["Location"] == f"/forms/{seed[0].pk}/"
    assert '<span class="badge" id="unread-count">1</span>' in c.get("/forms/").content.decode()
    # someone else's notification does not exist for me
    assert login(users["filler"]).get(f"/notifications/{first.pk}/").status_code == 404
    c.post("/notifications/read/", {"all": "1"})
    assert not Notification.objects.filter(recipient=reviewer, read=False).exists()
    assert 'id="unread-count"' not in c.get("/forms/").content.decode()


def test_email_only_with_smtp(seed, users, settings, django_capture_on_commit_callbacks):
    for user in users.values():
        user.email = f"{user.username}@example.cn"
        user.save()
    users["finance"].email = ""  # no address: in the app only
    users["finance"].save()
    settings.JIXIAO_EMAIL_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        level = workflow.apply(users["filler"], seed[0], "submit").to_status
    assert len(mail.outbox) == 0 and Notification.objects.count() == 1
    reviewer = users[REVIEWER_AT[level]]
    settings.JIXIAO_EMAIL_ENABLED = True
    settings.JIXIAO_SITE_URL = "https://jixiao.example.cn/"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(users["filler"], seed[2], "submit")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [f"{reviewer.username}@example.cn"]
    assert message.subject.startswith("【绩效自评】2024年度“")
    assert f"https://jixiao.example.cn/forms/{seed[2].pk}/" in message.body
    # a recipient without an address gets the notification, not an e-mail
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify.send([users["finance"], users["dept"]], "测试通知")
    assert [m.to for m in mail.outbox] == [["dept@example.cn"]]
    assert Notification.objects.filter(text="测试通知").count() == 2


def test_a_failing_mail_server_fails_nothing(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    assert notify.mail(["a@example.cn"], "测试") == 0


def test_email_settings_from_environment():
    assert email_from_env({})["JIXIAO_EMAIL_ENABLED"] is False
    assert "EMAIL_HOST" not in email_from_env({})
    got = email_from_env(
        {
            "JIXIAO_SMTP_HOST": "smtp.example.cn",
            "JIXIAO_SMTP_PORT": "587",
            "JIXIAO_SMTP_USER": "u",
            "JIXIAO_SMTP_PASSWORD": "p",
            "JIXIAO_SMTP_FROM": "jixiao@example.cn",
            "JIXIAO_SMTP_TLS": "1",
        }
    )
    assert got["JIXIAO_EMAIL_ENABLED"] is True
    assert got["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (got["EMAIL_HOST"], got["EMAIL_PORT"], got["EMAIL_USE_TLS"], got["EMAIL_USE_SSL"]) == (
        "smtp.example.cn",
        587,
        True,
        False,
    )
    assert (got["EMAIL_HOST_USER"], got["DEFAULT_FROM_EMAIL"]) == ("u", "jixiao@example.cn")


# --- 催报 -----------------------------------------------------------------------------------


@pytest.fixture
def reminder_round(tree, seed):
    """The seed unit lacks one project; 社区 has submitted its only one."""
    from jixiao.web import records

    form = seed[2].form.model_copy(deep=True)
    form.project = "社区项目"
    done = records.create(tree.shequ, form, None)
    EvaluationForm.objects.filter(pk=done.pk).update(status="approved")
    return make_round(
        tree.finance,
        {tree.chengyun: [seed[0].project, "缺的项目"], tree.shequ: ["社区项目"]},
        deadline=datetime.date.today() + datetime.timedelta(days=3),
    )


def test_remind_command(reminder_round, users, tree):
    out = StringIO()
    call_command("jixiao_remind", stdout=out)
    assert "共催报 1 个单位。" in out.getvalue()
    notes = Notification.objects.all()
    assert {n.recipient.username for n in notes} == {"filler", "unitrev"}
    text = notes[0].text
    assert "尚有 1 个项目未填报" in text and "1 个项目已填未送审或被退回" in text
    assert "还剩 3 天" in text
    assert notes[0].url == f"/rounds/{reminder_round.pk}/units/{tree.chengyun.pk}/"
    # --within-days leaves rounds with a far deadline alone; a closed round reminds nobody
    Notification.objects.all().delete()
    call_command("jixiao_remind", "--within-days", "2", stdout=StringIO())
    assert not Notification.objects.exists()
    reminder_round.closed = True
    reminder_round.save()
    call_command("jixiao_remind", stdout=StringIO())
    assert not Notification.objects.exists()


def test_remind_overdue_unit(reminder_round, seed, users):
    EvaluationForm.objects.filter(pk=seed[0].pk).update(status="department_review")
    reminder_round.projects.filter(name="缺的项目").delete()
    call_command("jixiao_remind", stdout=StringIO())
    assert not Notification.objects.exists()  # all reported and submitted
    EvaluationForm.objects.filter(pk=seed[0].pk).update(status="returned")
    reminder_round.deadline = datetime.date.today() - datetime.timedelta(days=2)
    reminder_round.save()
    call_command("jixiao_remind", stdout=StringIO())
    text = inbox_of(users["filler"])[0]
    assert "1 个项目已填未送审或被退回" in text and "已过 2 天" in text


def test_remind_button(reminder_round, users):
    assert login(users["filler"]).post(f"/rounds/{reminder_round.pk}/remind/").status_code == 403
    r = login(users["finance"]).post(f"/rounds/{reminder_round.pk}/remind/", follow=True)
    assert "已向 1 个单位发送催报通知。" in r.content.decode()
    assert Notification.objects.filter(recipient=users["filler"]).count() == 1
