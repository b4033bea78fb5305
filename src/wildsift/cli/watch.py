"""wildsift watch: mine -> sift -> report -> alerts, once (for cron) or on a schedule, notifying
new alerts by webhook and e-mail.

One watcher per study (a study-wide lock, store/locks.py). What it has done lives in the study
folder (watch/state.json): a restarted watcher waits out the rest of the interval since the last
run and never sends an alert twice on a channel. A step that fails (a source's API is down) is
reported and the others still run; the effort series then shows the gap, so an outage is not
read as a fall in trade.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from wildsift.cli.common import console, handle_errors, open_study
from wildsift.errors import ConfigError, WildsiftError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> timedelta:
    """'90s', '30m', '6h', '1d' -> a timedelta."""
    match = re.fullmatch(r"(\d+)([smhd])", text.strip())
    if not match or int(match.group(1)) == 0:
        raise ConfigError(f"--every {text!r}: write a number and a unit, e.g. 30m, 6h or 1d")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def _mine(study: Any, say: Callable[[str], None]) -> None:
    from wildsift.sources.run import mine_source

    if not study.settings.sources:
        say("mine: no [[sources]] in wildsift.toml, nothing to collect")
        return
    for settings in study.settings.sources:
        try:
            results = mine_source(study, settings)
            say(f"mine: {settings.name}: {sum(r.counts.stored for r in results)} new posts")
        except WildsiftError as exc:  # one source down: the others still run
            say(f"mine: {settings.name} failed: {exc}")


def _sift(study: Any, say: Callable[[str], None]) -> None:
    from wildsift.sift.plan import plan_for_study, sift_recorded
    from wildsift.store.locks import exclusive

    images = study.settings.images.enabled
    plan = plan_for_study(study, images=images, images_why="[images] enabled = false")
    with exclusive(study.store, "sift"):
        result = sift_recorded(study, plan, images=images, progress=False)
    say(f"sift: {result.posts} posts scored, {result.relevant} relevant")


def run_once(study: Any, *, mine: bool = True, report: bool = True,
             say: Callable[[str], None] = print) -> list[dict]:
    """One round; returns the alerts that were new on at least one channel (or to the log)."""
    from wildsift.analysis.monitoring import notify
    from wildsift.analysis.monitoring.alerts import detect_settings, study_alerts
    from wildsift.analysis.monitoring.state import WatchState

    state = WatchState.load(study.root)
    state.last_started, state.last_finished = datetime.now(UTC).isoformat(), None
    state.save(study.root)
    if mine:
        _mine(study, say)
    _sift(study, say)
    if report:
        from wildsift.report import build_report

        say(f"report: {build_report(study)}")
    settings = study.settings.alerts
    rows = [a.to_dict() for a in study_alerts(study, detect_settings(settings),
                                              freq=settings.freq)]
    by_key = {r["key"]: r for r in rows}
    new_keys = state.unsent("log", list(by_key))
    say(f"alerts: {len(rows)} in all, {len(new_keys)} new")
    for key in new_keys:
        r = by_key[key]
        kind = r["kind"] if r["kind"] == "new_cluster" else f"{r['kind']} {r['direction']}"
        say(f"  {kind}: {r['series']} {r['window'][0]}..{r['window'][1]} "
            f"observed {r['observed']:g}, expected {r['expected']}, score {r['score']:g}")
    state.mark_sent("log", new_keys)
    errors = []
    for channel in notify.channels(settings):
        todo = state.unsent(channel, list(by_key))
        if not todo:
            continue
        try:
            notify.send(channel, settings, study.settings.study.name, [by_key[k] for k in todo])
            state.mark_sent(channel, todo)
            say(f"notify: {len(todo)} alerts sent by {channel}")
        except notify.NotifyError as exc:
            errors.append(str(exc))
            say(f"notify: {exc} (they will be sent on the next run)")
    state.runs += 1
    state.last_finished = datetime.now(UTC).isoformat()
    state.last_error = "; ".join(errors) or None
    state.save(study.root)
    return [by_key[k] for k in new_keys]


def seconds_until_due(last_started: str | None, every: timedelta, now: datetime) -> float:
    """How long a (re)started watcher waits: the rest of the interval since the last start."""
    if not last_started:
        return 0.0
    due = datetime.fromisoformat(last_started) + every
    return max(0.0, (due - now).total_seconds())


def register(app: typer.Typer) -> None:
    @app.command("watch")
    @handle_errors
    def watch_command(
        ctx: typer.Context,
        once: Annotated[bool, typer.Option(
            "--once", help="Run one round now and exit (for cron).")] = False,
        every: Annotated[str | None, typer.Option(
            "--every", help="Interval between rounds: 30m, 6h, 1d (default: \\[alerts] every)."
        )] = None,
        no_mine: Annotated[bool, typer.Option(
            "--no-mine", help="Skip collecting (e.g. posts arrive by 'wildsift import').")] = False,
        no_report: Annotated[bool, typer.Option("--no-report", help="Skip the HTML report.")
                             ] = False,
        max_rounds: Annotated[int | None, typer.Option(
            "--max-rounds", min=1, help="Stop after this many rounds (default: never).")] = None,
    ) -> None:
        """Mine, sift, write the report and list alerts, on a schedule; new alerts go to the
        webhook and e-mail of \\[alerts] in wildsift.toml, each once."""
        from wildsift.analysis.monitoring.state import WatchState
        from wildsift.store.locks import exclusive

        study = open_study(ctx)
        interval = parse_every(every or study.settings.alerts.every)

        def say(line: str) -> None:
            console.print(line, markup=False, highlight=False, soft_wrap=True)

        try:
            with exclusive(study.store, "watch"):
                rounds = 0
                while True:
                    if not once:
                        wait = seconds_until_due(WatchState.load(study.root).last_started,
                                                 interval, datetime.now(UTC))
                        if wait > 0:
                            say(f"next round in {wait / 60:.0f} min")
                            time.sleep(wait)
                    say(f"round at {datetime.now(UTC).isoformat(timespec='seconds')}")
                    run_once(study, mine=not no_mine, report=not no_report, say=say)
                    rounds += 1
                    if once or (max_rounds is not None and rounds >= max_rounds):
                        break
        finally:
            study.close()
