"""`wildsift watch`: one round (sift -> report -> alerts) that sends new alerts once by webhook
(a local HTTP server) and e-mail (a local SMTP server), remembers what it sent across restarts,
and keeps unsent what a dead channel could not take."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from tests.analysis.test_alerts_study import fill
from wildsift.analysis.monitoring.state import WatchState
from wildsift.cli.main import app
from wildsift.cli.watch import parse_every, run_once, seconds_until_due
from wildsift.errors import ConfigError


class Inbox:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp():
    controller_module = pytest.importorskip("aiosmtpd.controller",
                                            reason="aiosmtpd (test extra) is not installed")
    import socket

    with socket.socket() as probe:  # a free port (aiosmtpd's start() connects to its own)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


def configure(study, httpserver, smtp, monkeypatch) -> list[dict]:
    received: list[dict] = []

    def hook(request):
        from werkzeug import Response

        received.append(json.loads(request.data))
        return Response("ok")

    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    monkeypatch.setenv("TEST_WEBHOOK", httpserver.url_for("/hook"))
    alerts = study.settings.alerts
    alerts.webhook_url_env = "TEST_WEBHOOK"
    alerts.email_to, alerts.smtp_host, alerts.smtp_port = ["analyst@example.org"], "127.0.0.1", \
        smtp.port
    return received


def test_a_round_sends_each_new_alert_once_on_each_channel(study, httpserver, smtp, monkeypatch):
    fill(study)
    received = configure(study, httpserver, smtp, monkeypatch)
    lines: list[str] = []
    new = run_once(study, mine=False, report=False, say=lines.append)
    assert new and any(a["kind"] == "spike" for a in new)
    assert len(received) == 1 and received[0]["count"] == len(new)
    assert {a["key"] for a in received[0]["alerts"]} == {a["key"] for a in new}
    assert len(smtp.messages) == 1
    mail = smtp.messages[0].decode("utf-8", "replace")
    assert "pangolin | VN | facebook" in mail and "new alert(s)" in mail
    state = WatchState.load(study.root)
    assert state.runs == 1 and state.last_finished and not state.last_error
    # a restarted watcher sends nothing it has sent before
    again = run_once(study, mine=False, report=False, say=lines.append)
    assert again == [] and len(received) == 1 and len(smtp.messages) == 1
    assert WatchState.load(study.root).runs == 2


def test_a_dead_webhook_keeps_its_alerts_for_the_next_round(study, httpserver, smtp,
                                                            monkeypatch):
    fill(study)
    configure(study, httpserver, smtp, monkeypatch)
    monkeypatch.setenv("TEST_WEBHOOK", "http://127.0.0.1:9/nothing-listens-here")
    lines: list[str] = []
    run_once(study, mine=False, report=False, say=lines.append)
    state = WatchState.load(study.root)
    assert "webhook" in (state.last_error or "") and not state.sent.get("webhook")
    assert state.sent.get("email")  # the e-mail went all the same
    monkeypatch.setenv("TEST_WEBHOOK", httpserver.url_for("/hook"))
    run_once(study, mine=False, report=False, say=lines.append)
    assert WatchState.load(study.root).sent["webhook"] and len(smtp.messages) == 1


def test_watch_once_from_the_command_line(study):
    fill(study)
    result = CliRunner().invoke(app, ["--study", str(study.root), "watch", "--once",
                                      "--no-mine", "--no-report"])
    assert result.exit_code == 0, result.output
    assert "alerts:" in result.output and "new" in result.output
    assert (study.root / "watch" / "state.json").exists()


def test_a_second_watcher_on_the_same_study_is_refused(study):
    from wildsift.store.locks import exclusive

    with exclusive(study.store, "watch"):
        result = CliRunner().invoke(app, ["--study", str(study.root), "watch", "--once",
                                          "--no-mine", "--no-report"])
    assert result.exit_code != 0 and "another 'wildsift watch'" in result.output


def test_schedule_helpers():
    assert parse_every("6h") == timedelta(hours=6) and parse_every("90s").total_seconds() == 90
    with pytest.raises(ConfigError):
        parse_every("six hours")
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert seconds_until_due(None, timedelta(hours=6), now) == 0
    last = (now - timedelta(hours=2)).isoformat()
    assert seconds_until_due(last, timedelta(hours=6), now) == 4 * 3600
    assert seconds_until_due((now - timedelta(days=1)).isoformat(), timedelta(hours=6), now) == 0


def test_a_corrupt_state_file_says_how_to_recover(study):
    (study.root / "watch").mkdir()
    (study.root / "watch" / "state.json").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="delete it"):
        WatchState.load(study.root)
