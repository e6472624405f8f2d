"""Daily jobs: one run a day, whichever server's cron starts them, and how many do."""

import datetime as dt
import logging
import re
from io import StringIO
from zoneinfo import ZoneInfo

import psycopg
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from orientations.models import Referral
from portal.jobs import LOCK_NAMESPACE, lock_key
from portal.models import JobRun
from tests.personas import make_world

PARIS = ZoneInfo("Europe/Paris")
SENT = dt.datetime(2026, 1, 5, 10, 0, tzinfo=PARIS)
EXPIRY_DAY = dt.datetime(2026, 2, 5, tzinfo=PARIS)  # over 30 days later


def at(day: dt.datetime, hour: int = 6, minute: int = 15):
    return time_machine.travel(day.replace(hour=hour, minute=minute), tick=False)


@pytest.fixture
def world(db):
    """The personas, their orientation sent on January 5th."""
    with at(SENT, 10, 0):
        return make_world()


def run(job: str, **options) -> str:
    """The job as the timers start it: through `manage.py daily`."""
    out = StringIO()
    call_command("daily", job, stdout=out, **options)
    return out.getvalue()


def job_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "passerelles.jobs"]


def test_it_runs_once_a_day_and_says_why_it_skips(world, caplog):
    caplog.set_level(logging.INFO, logger="passerelles.jobs")
    with at(EXPIRY_DAY, 6, 15):
        assert "1 orientation(s) expirée(s)." in run("expire_referrals")
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.EXPIRED
    world.referral.status = Referral.Status.SENT  # as if it had been missed
    world.referral.save(update_fields=["status"])
    with at(EXPIRY_DAY, 23, 50):
        assert run("expire_referrals").startswith(
            "expire_referrals skipped: already done today at 06:15 on "
        )
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.SENT
    assert re.fullmatch(r"expire_referrals done in \d+\.\d s", job_lines(caplog)[0])
    assert job_lines(caplog)[1].endswith("(--force runs it again)")
    assert JobRun.objects.get(name="expire_referrals").finished_at == EXPIRY_DAY.replace(
        hour=6, minute=15
    )


def test_force_runs_it_again_and_the_next_day_runs_anyway(world):
    with at(EXPIRY_DAY, 3, 15):
        run("refresh_indicators")
        assert "skipped" in run("refresh_indicators")
        assert "Indicateurs recomptés" in run("refresh_indicators", force=True)
    with at(EXPIRY_DAY + dt.timedelta(days=1), 0, 5):
        assert "Indicateurs recomptés" in run("refresh_indicators")


def test_a_failed_run_is_not_counted_as_done(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Referral.objects, "due_for_purge", broken)
    with at(EXPIRY_DAY), pytest.raises(RuntimeError):
        run("purge_personal_data")
    assert not JobRun.objects.filter(name="purge_personal_data").exists()
    monkeypatch.undo()
    with at(EXPIRY_DAY, 6, 20):
        assert "anonymisée" in run("purge_personal_data")


@pytest.fixture
def other_server():
    """A second connection to the same database, as another app server's cron job has."""
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"] or None,
        autocommit=True,
    ) as other:
        yield other


def test_a_job_another_server_is_running_is_skipped(world, other_server, caplog):
    caplog.set_level(logging.INFO, logger="passerelles.jobs")
    key = [LOCK_NAMESPACE, lock_key("expire_referrals")]
    assert other_server.execute("SELECT pg_try_advisory_lock(%s, %s)", key).fetchone()[0]
    with at(EXPIRY_DAY):
        output = run("expire_referrals")
        assert output == "expire_referrals skipped: another server is running it right now\n"
        world.referral.refresh_from_db()
        assert world.referral.status == Referral.Status.SENT
        assert not JobRun.objects.exists()
        # Another job is not held up by this one's lock.
        assert "relance(s)" in run("send_referral_reminders")
        other_server.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        assert "1 orientation(s) expirée(s)." in run("expire_referrals")
    assert job_lines(caplog)[0] == output.strip()
    # This process let its own lock go.
    assert other_server.execute("SELECT pg_try_advisory_lock(%s, %s)", key).fetchone()[0]


def test_only_the_declared_jobs_run_through_it(db):
    with pytest.raises(CommandError, match="n'est pas une tâche quotidienne"):
        run("flush")
