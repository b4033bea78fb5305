"""docs/web.md promises a first label within three commands of `wildsift demo`: run exactly the
documented commands (the third, `wildsift web`, as the app it serves), sign in with the printed
one-time password, choose a password, label a post; and `wildsift web verify-log` after it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_helpers import csrf_of

from wildsift.cli.main import app as cli
from wildsift.study import Study
from wildsift.web.app import create_app

DOC = Path(__file__).resolve().parents[2] / "docs" / "web.md"


def _documented() -> list[list[str]]:
    block = re.search(r"```bash\n(.*?)```", DOC.read_text(), re.DOTALL).group(1)
    return [shlex.split(line) for line in block.splitlines() if line.strip()]


def test_first_label_within_three_commands_of_the_demo(tmp_path, monkeypatch):
    commands = _documented()
    assert commands[0][:2] == ["wildsift", "demo"] and len(commands) - 1 <= 3
    assert commands[-1][-1] == "web"
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    demo = runner.invoke(cli, [*commands[0][1:], "--posts", "100", "--no-progress"])
    assert demo.exit_code == 0, demo.output
    added = runner.invoke(cli, commands[1][1:])
    assert added.exit_code == 0, added.output
    password = re.search(r"one-time password: (\S+)", added.output).group(1)
    name = commands[1][commands[1].index("add") + 1]
    study = Study.open(tmp_path / commands[-1][2])
    client = TestClient(create_app(study), follow_redirects=True)
    page = client.post("/login", data={"csrf": csrf_of(client.get("/login").text),
                                       "name": name, "password": password})
    new = "my own long password"
    page = client.post("/account/password", data={"csrf": csrf_of(page.text),
                                                  "current": password, "new": new,
                                                  "again": new})
    page = client.post("/login", data={"csrf": csrf_of(page.text), "name": name,
                                       "password": new})
    pk = re.search(r'action="/label/(\d+)"', page.text).group(1)
    done = client.post(f"/label/{pk}", data={"csrf": csrf_of(page.text), "relevant": "1",
                                             "intent": "offer"})
    assert done.status_code == 200 and 'id="label-form"' in done.text
    stored = study.store.labels.frame()
    mine = client.app.state.ctx.annotator_of(name)  # the demo's simulated people labelled too
    stored = stored[stored["annotator"] == mine]
    reason = client.app.state.ctx.queue.order.reason[int(pk)]  # why the queue chose it
    assert sorted(stored[stored["post_pk"] == int(pk)][["field", "value"]].itertuples(
        index=False, name=None)) == [("intent", "offer"), ("queue_reason", reason),
                                     ("relevant", "1")]
    verified = runner.invoke(cli, ["-s", str(study.root), "web", "verify-log"])
    assert verified.exit_code == 0 and "intact: 3 rows" in verified.output, verified.output
    study.close()
