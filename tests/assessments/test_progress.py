"""The coordinator's overview of the filling, per member and per agency."""

import pytest

from kotacerdas.assessments import services
from kotacerdas.assessments.models import StageRecord
from kotacerdas.assessments.progress import progress_by_agency, progress_by_member
from tests.assessments.factories import all_answers, open_stage, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = world(indicator_count=4)
    type(w.member_a).objects.filter(pk=w.member_a.pk).update(agency="Bappeda")
    type(w.member_b).objects.filter(pk=w.member_b.pk).update(agency="Bappeda")
    open_stage(w)
    for position, member in ((0, w.member_a), (1, w.member_a), (2, w.member_b)):
        services.assign_response(
            w.response(position), actor=w.coordinator, member=member
        )
    services.save_response(w.response(0), actor=w.member_a, answers=all_answers())
    services.save_response(
        w.response(2), actor=w.member_b, answers={"S1": {"answer": "yes"}}
    )
    return w


def _rows(rows):
    return [(r.label, r.indicators, r.complete, r.answered, r.percent) for r in rows]


def test_progress_per_member_with_the_unassigned_last(w):
    assert _rows(progress_by_member(w.stage)) == [
        ("Ayu Lestari", 1, 0, 1, 12),
        ("Yusuf Hidayat", 2, 1, 8, 50),
        ("", 1, 0, 0, 0),
    ]


def test_progress_per_agency(w):
    assert _rows(progress_by_agency(w.stage)) == [
        ("Bappeda", 3, 1, 9, 38),
        ("", 1, 0, 0, 0),
    ]


@pytest.mark.parametrize("count", [1, 20])
def test_progress_runs_two_queries(count, django_assert_num_queries):
    w = world(indicator_count=count)
    open_stage(w)
    stage = StageRecord.objects.get(pk=w.stage.pk)

    with django_assert_num_queries(2):
        progress_by_member(stage)
