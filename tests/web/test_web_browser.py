"""The web app as people use it, in Debian chromium (Playwright): each role signs in, an
annotator labels 50 posts with the keyboard only (labels per second printed), a volunteer
disagrees, a researcher adjudicates every question, a researcher imports a Zooniverse
classification export through the upload page and reads the volunteers' skill. Screenshots go to $WILDSIFT_SCREENSHOTS (docs/ when
making the documentation), else to the test's temporary folder."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from web_helpers import PASSWORD, add_users, labels, make_study, zooniverse_export

from wildsift.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian chromium is not installed (.ci/run installs it)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    import uvicorn

    study = make_study(tmp_path_factory.mktemp("browser"), 120)
    app = create_app(study, fast_hashing=True)
    users = add_users(app)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app, users, study
    server.should_exit = True
    thread.join(10)
    study.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("WILDSIFT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sign_in(browser, base: str, role: str):
    page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/login")
    page.fill("input[name=name]", role)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.errors = errors
    return page


@pytest.mark.parametrize("role, lands", [("admin", "/posts"), ("researcher", "/posts"),
                                         ("annotator", "/label"), ("volunteer", "/label")])
def test_each_role_signs_in(server, browser, role, lands):
    base, _, _, _ = server
    page = _sign_in(browser, base, role)
    assert page.url.endswith(lands)
    assert not page.errors, page.errors  # no CSP violation, no script error
    page.context.close()


def test_label_50_posts_with_the_keyboard_then_adjudicate(server, browser, shots):
    base, app, users, study = server
    page = _sign_in(browser, base, "annotator")
    page.wait_for_selector("#label-form")
    page.screenshot(path=str(shots / "web-label.png"))
    started = time.perf_counter()
    for i in range(50):
        if i % 5 == 0:  # relevant (1), intent offer (1), then Enter in the taxon field
            page.keyboard.press("1")
            page.keyboard.press("1")
        else:
            page.keyboard.press("2")  # not relevant
        with page.expect_navigation():
            page.keyboard.press("Enter")
    elapsed = time.perf_counter() - started
    print(f"\nkeyboard labelling: 50 posts in {elapsed:.2f} s = {50 / elapsed:.1f} labels/s")
    mine = labels(study)
    mine = mine[mine["annotator"] == users["annotator"].annotator]
    assert len(mine) == 50
    assert (mine["value"] == "1").sum() == 10
    with page.expect_navigation():
        page.keyboard.press("u")  # undo the last answer
    assert len(labels(study)) == 49
    with page.expect_navigation():
        page.keyboard.press("2")
        page.keyboard.press("Enter")
    assert not page.errors, page.errors
    page.context.close()

    volunteer = _sign_in(browser, base, "volunteer")  # a second opinion, and a different one
    for _ in range(3):
        volunteer.keyboard.press("1")
        with volunteer.expect_navigation():
            volunteer.keyboard.press("Enter")
    volunteer.context.close()

    researcher = _sign_in(browser, base, "researcher")
    researcher.screenshot(path=str(shots / "web-posts.png"))
    researcher.goto(f"{base}/adjudicate")
    cards = researcher.locator(".card")
    assert cards.count() >= 1
    researcher.screenshot(path=str(shots / "web-adjudicate.png"))
    pk = int(cards.first.get_attribute("id").split("-")[1])
    cards.first.locator("fieldset[data-name=relevant] input[value='0']").check()
    with researcher.expect_navigation():
        cards.first.get_by_role("button", name="Save decision").click()
    final = labels(study, "adjudicated_relevant")
    assert final[final["post_pk"] == pk]["value"].tolist() == ["0"]
    assert app.state.ctx.queue.state_of(pk) == "adjudicated"
    with_image = int(study.store.images.post_links()["post_pk"].iloc[0])
    researcher.goto(f"{base}/posts/{with_image}")
    researcher.screenshot(path=str(shots / "web-post.png"), full_page=True)
    assert not researcher.errors, researcher.errors
    researcher.context.close()


def test_a_researcher_imports_a_zooniverse_file_and_reads_skill(server, browser, shots,
                                                                 tmp_path):
    base, app, users, study = server
    ids = study.store.posts.frame(("post_id",))["post_id"].tolist()
    export = zooniverse_export(tmp_path / "wildlife-trade-check-classifications.csv", [
        ("zoo_maya", ids[-1], "Yes"), ("zoo_maya", ids[-2], "No"), ("zoo_tom", ids[-1], "Yes"),
        ("zoo_tom", ids[-3], "Maybe")])
    mapping = tmp_path / "zoo-mapping.toml"
    mapping.write_text('[[task]]\ntask = "T0"\nfield = "relevant"\n'
                       'answers = { "Yes" = "1", "No" = "0" }\n')
    page = _sign_in(browser, base, "researcher")
    page.goto(f"{base}/label")
    for _ in range(2):  # a researcher's answers are gold
        page.keyboard.press("1")
        page.keyboard.press("1")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    volunteer = _sign_in(browser, base, "volunteer")
    for _ in range(2):  # the first is a gold test (the volunteer says no to a yes)
        volunteer.keyboard.press("2")
        with volunteer.expect_navigation():
            volunteer.keyboard.press("Enter")
    volunteer.context.close()
    before = len(labels(study))
    page.get_by_role("link", name="Import").click()
    page.wait_for_url(f"{base}/import")
    page.set_input_files("input[name=file]", str(export))
    page.set_input_files("input[name=mapping]", str(mapping))
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    result = page.locator("#import-result")
    assert result.locator("#stored").inner_text() == "3"
    assert "wildsift-import" not in result.inner_text()  # no temporary path shown
    assert "line" not in result.inner_text() or ":5: task T0" in result.inner_text()
    page.screenshot(path=str(shots / "web-import.png"), full_page=True)
    assert len(labels(study)) == before + 3
    page.goto(f"{base}/skill")
    assert page.locator("h1").inner_text() == "Gold questions and skill"
    me = users["volunteer"].annotator
    cells = page.locator("tr", has_text=me).locator("td").all_inner_texts()
    answered, right, skill, tests = int(cells[2]), int(cells[3]), cells[4], int(cells[5])
    assert tests == 1 and answered >= 1  # the volunteer's first post was a gold test
    # the page's running counts agree with the labels library over the stored labels
    from wildsift.labels.gold import gold_answers, skill_scores

    stored = study.store.labels.frame()
    experts = {users[r].annotator for r in ("admin", "researcher")}
    fields = list(app.state.ctx.queue.gold.fields)
    scores = skill_scores(stored, gold_answers(stored, experts, fields), exclude=experts)
    mine = scores[scores["annotator"] == me].iloc[0]
    assert (answered, right) == (int(mine["answered"]), int(mine["correct"]))
    assert skill == f"{(right + 1) / (answered + 2):.2f}" == f"{mine['skill']:.2f}"
    page.screenshot(path=str(shots / "web-skill.png"), full_page=True)
    assert not page.errors, page.errors
    page.context.close()
