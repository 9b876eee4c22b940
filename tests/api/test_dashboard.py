"""The support manager's dashboard through the API (issue 16, point 4): the same figures as the
page, for an administrator token with View Login as Customer Log; bad filters answer 400."""

import pytest

from tests.api.conftest import admin_token_for, assisted_token_for

pytestmark = pytest.mark.django_db
DASHBOARD = "/login-as-customer/dashboard"


def test_support_reads_the_figures_of_the_last_30_days(api, support_token, jane, marie):
    assisted_token_for(api, support_token, jane, reason="ticket 1")
    assisted_token_for(api, support_token, marie, mode="view_only")

    response = api.get(DASHBOARD, token=support_token)

    assert response.status_code == 200
    figures = response.json()
    assert (figures["sessions"], figures["started"], figures["ended"]) == (2, 2, 0)
    assert (figures["with_reason"], figures["view_only"]) == (1, 1)
    assert len(figures["per_day"]) == 30 and sum(d["sessions"] for d in figures["per_day"]) == 2
    assert figures["by_admin"] == [{"name": "support", "sessions": 2}]
    assert figures["by_end_reason"] == [{"name": "", "sessions": 2}]
    # Running sessions: counted in the journal (start and redeem entries).
    assert figures["actions"] == [{"actions": 2, "sessions": 2}]


def test_the_period_and_website_filter(api, support_token, jane):
    assisted_token_for(api, support_token, jane)

    other_site = api.get(f"{DASHBOARD}?website=Outlet", token=support_token).json()
    long_ago = api.get(
        f"{DASHBOARD}?date_from=2020-01-01&date_to=2020-01-31", token=support_token
    ).json()

    assert other_site["sessions"] == 0
    assert (long_ago["sessions"], len(long_ago["per_day"])) == (0, 31)


@pytest.mark.parametrize(
    "query",
    [
        "date_from=yesterday",
        "date_from=2026-13-01",
        "date_from=2026-02-01&date_to=2026-01-01",
        "date_from=2020-01-01&date_to=2026-01-01",
        "website=" + "x" * 300,
        "date_to=0001-01-05",
        "date_from=9999-12-31&date_to=9999-12-31",
    ],
)
def test_bad_filters_answer_400(api, support_token, query):
    response = api.get(f"{DASHBOARD}?{query}", token=support_token)

    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"


def test_staff_without_view_log_are_refused(api, trainee, jane):
    token = admin_token_for(api, "trainee")

    response = api.get(DASHBOARD, token=token)

    assert response.status_code == 403
    assert response.json()["code"] == "request.forbidden"
