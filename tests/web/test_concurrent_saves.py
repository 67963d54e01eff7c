"""No lost update: two users saving the same form at the same moment, 50 times over. Of each
pair exactly one save wins and the other is refused as a conflict; no change is lost (on
SQLite and, in CI, on PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jixiao.web import records
from jixiao.web.models import EvaluationForm, Event

pytestmark = pytest.mark.django_db(transaction=True)
PAIRS = 50


def save_at_once(pk: int, version: int, round_: int, users) -> dict[str, str]:
    """Two users save form ``pk`` from the same ``version`` at the same moment."""
    results: dict[str, str] = {}
    start = threading.Barrier(2)

    def save(who: str) -> None:
        try:
            mine = EvaluationForm.objects.select_related("organisation", "body").get(pk=pk)
            form = mine.form
            form.goals.achieved = f"第{round_}轮：{who}的修改"
            start.wait()
            records.update(mine, form, users[who], version)
            results[who] = "saved"
        except records.EditConflict:
            results[who] = "conflict"
        except Exception as e:  # shown by the caller's assertion
            results[who] = repr(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(w,)) for w in ("filler", "unit_reviewer")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_fifty_concurrent_pairs_of_saves(seed, users):
    obj = seed[0]
    winners: list[str] = []
    for i in range(PAIRS):
        version = EvaluationForm.objects.get(pk=obj.pk).version
        results = save_at_once(obj.pk, version, i, users)
        assert sorted(results.values()) == ["conflict", "saved"], results
        winner = next(w for w, r in results.items() if r == "saved")
        winners.append(winner)
        stored = EvaluationForm.objects.get(pk=obj.pk)
        assert stored.version == version + 1
        assert stored.form.goals.achieved == f"第{i}轮：{winner}的修改"  # the winner's, whole

    edits = Event.objects.filter(form=obj, kind=Event.Kind.EDIT).order_by("at", "id")
    assert edits.count() == PAIRS  # one recorded change per pair, none lost, none doubled
    assert [e.user.username for e in edits] == [
        {"filler": "filler", "unit_reviewer": "unitrev"}[w] for w in winners
    ]
