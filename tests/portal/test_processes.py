"""The processes a deployment runs, declared in the Procfile and docs/systemd/, agree."""

import configparser
import re
from pathlib import Path

from django.core.management import get_commands

from portal.jobs import DAILY_JOBS

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "docs" / "systemd"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((UNITS / name).read_text())
    return parser


def daily_jobs() -> set[str]:
    return set(DAILY_JOBS)


def timers() -> dict[str, str]:
    """Job name → time of day, from each timer's OnCalendar."""
    found = {}
    for path in UNITS.glob("passerelles-*.timer"):
        timer = unit(path.name)["Timer"]
        job = re.fullmatch(r"passerelles-(?:job@)?(\w+)\.service", timer.get("Unit", ""))
        if job:
            day = re.match(r"([A-Z][a-z]{2}(?:\.\.[A-Z][a-z]{2})?) ", timer["OnCalendar"])
            at = re.search(r"\d\d:\d\d", timer["OnCalendar"]).group()
            found[job.group(1)] = f"{day.group(1)} {at}" if day else at
    return found


def test_every_daily_job_has_a_timer_and_every_timer_a_command():
    assert set(daily_jobs()) == {
        "expire_referrals",
        "send_referral_reminders",
        "purge_personal_data",
        "refresh_indicators",
        "send_daily_digest",
        "invite_survey",
        "send_freshness_requests",
        "refresh_hours",
    }
    assert set(timers()) == daily_jobs() | {"clearsessions"}
    assert daily_jobs() <= set(get_commands())
    assert {job: at for job, at in timers().items() if job in DAILY_JOBS} == DAILY_JOBS


def test_the_target_starts_the_web_process_and_every_timer():
    wants = set(re.findall(r"^Wants=(\S+)$", (UNITS / "passerelles.target").read_text(), re.M))
    every_timer = {p.name for p in UNITS.glob("passerelles-*.timer")} - {
        "passerelles-backup.timer"
    }
    assert wants == every_timer | {"passerelles-web.service", "passerelles-worker.service"}


def test_the_procfile_and_the_units_say_the_same():
    procfile = (ROOT / "Procfile").read_text()
    processes = dict(re.findall(r"^(\w+): (.+)$", procfile, re.M))
    assert list(processes) == ["web", "worker"]
    for process in processes:
        exec_start = unit(f"passerelles-{process}.service")["Service"]["ExecStart"]
        assert exec_start.replace("/srv/passerelles/", "") == processes[process]
    days = r"(?:[A-Z][a-z]{2}(?:\.\.[A-Z][a-z]{2})? )?"
    assert dict(re.findall(rf"(\w+) ({days}\d\d:\d\d)", procfile)) == DAILY_JOBS


def test_the_documented_cron_lines_run_every_daily_job():
    for document in ("README.md", "docs/deployment.md"):
        text = (ROOT / document).read_text()
        for job in daily_jobs():
            assert re.search(
                rf"^\S+\s+\S+\s+\*\s+\*\s+[*\d,-]+\s+.*manage\.py daily {job}$", text, re.M
            ), (
                document,
                job,
            )
