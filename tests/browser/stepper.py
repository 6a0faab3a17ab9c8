#!/usr/bin/env python3
"""The stepper (book/theme/stepper.js) in a real browser.

Serves a built book on a free loopback port, drives Debian's Chromium (its
headless shell) with Playwright, and checks chapter 1's stepper the way a
learner uses it: the race's trace folded below the widget until its
challenge is won (saying each value read on the way) or "Show me the
answer" is asked for, by mouse or keyboard; be the scheduler down to the
lost update (by mouse, then by keyboard) and see the page announce it;
predict the values read; the fixed counter's widget says no path fails;
the Outcomes table; no console error, no failed or outside request; at 390
px wide no widget is wider than the page; a page without a widget is left
alone. Then every other widget of every chapter (chapter 1's harder
challenge among them), each played to its failure, which opens its folded
answer (or, on a fix, to an end that passes).

    python3 tests/browser/stepper.py [BOOK]   # BOOK: the built book, default book/build

tests/browser.rs runs it (`cargo test -p course --test browser`), on a
book it builds. Chromium is /usr/bin/chromium-headless-shell, or
$STEPPER_CHROMIUM; it is launched as is (never `playwright install`). Exit
status: 0 passed, 1 a check failed (the message says which; the last `ok:`
line says how far it got), 2 Playwright or Chromium missing.
"""

import functools
import http.server
import json
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Chromium's headless shell: Debian's chromium-headless-shell, built from
# the same sources as its chromium. It is Chromium's older headless
# browser, which does not share the full browser's code around the page
# (https://developer.chrome.com/docs/automation-and-testing/headless), so
# Puppeteer's guide warns that it "does not match the behavior of the
# regular Chrome completely" and calls it "more performant for automation
# tasks" (https://pptr.dev/guides/headless-modes). The page itself (its
# layout, scripts, keys and accessibility tree) is the same engine's,
# Blink's; and Playwright itself runs the shell for headless tests (since
# 1.49: https://github.com/microsoft/playwright/issues/33566). Here it
# takes about a fifth less CPU for the same three scripts than
# /usr/bin/chromium (.ci/run says what was measured), in which they pass
# too: $STEPPER_CHROMIUM=/usr/bin/chromium runs them there.
CHROMIUM = os.environ.get("STEPPER_CHROMIUM", "/usr/bin/chromium-headless-shell")
INSTALL_CHROMIUM = "sudo apt-get install chromium-headless-shell"
CHAPTER = "01-lost-update.html"
# Its race's widget and its fix's, played here in every way; its other
# widgets are played as every chapter's are.
CHAPTER_WIDGETS = ("explore/lab-01/racy-counter.json", "explore/lab-01/mutex-counter.json")
TIMEOUT_MS = 15_000  # every wait: a page load, an element, a text

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    print("MISSING: the Python module playwright (python3 -m pip install --user playwright==1.65.3)")
    sys.exit(2)


class Failed(Exception):
    """A check that did not hold."""


def check(condition, message):
    if not condition:
        raise Failed(message)


def ok(message):
    print(f"ok: {message}", flush=True)


def serve(folder, extra=None):
    """An HTTP server for `folder` on 127.0.0.1, on a free port, in a thread;
    `extra` maps a further URL path (`/_tests/axe.min.js`) to a file."""
    extra = extra or {}

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def translate_path(self, path):
            return str(extra[path]) if path in extra else super().translate_path(path)

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def failing_path(data):
    """The steps of the shortest execution that fails, root to leaf."""
    queue = [(data["tree"], [])]
    while queue:
        (step, _, outcome, children), path = queue.pop(0)
        if not children and outcome >= 0 and data["outcomes"][outcome]["failed"]:
            return path, data["outcomes"][outcome]
        queue.extend((child, path + [child[0]]) for child in children)
    raise Failed(f"{data['title']}: its JSON has no failing execution")


def value_read(text):
    """What a step like `lock, read → 0, unlock` read: `0`."""
    return text.split("→ ", 1)[1].split(", ")[0].replace(" (stale)", "")


class Watch:
    """Every console error, page error, failed or outside request of a page."""

    def __init__(self, page, base):
        self.problems = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("request", lambda r: r.url.startswith(base) or r.url.startswith("data:")
                or self.problems.append(f"a request off the book's server: {r.url}"))

    def assert_none(self, where):
        check(not self.problems, f"{where}:\n  " + "\n  ".join(self.problems))


def open_chapter(page, base, name):
    page.goto(base + name, wait_until="load")
    # Every placeholder becomes a widget (its JSON fetched) or says why not.
    page.wait_for_function(
        """() => [...document.querySelectorAll('.stepper[data-explore]')]
                .every(b => b.querySelector('[role=tablist]') || b.querySelector('.stepper-error'))""",
        timeout=TIMEOUT_MS,
    )
    errors = page.locator(".stepper-error")
    check(errors.count() == 0, f"{name}: a widget could not load: {errors.first.inner_text() if errors.count() else ''}")


def play_scheduler(page, widget, data, by_keyboard, wrong_first=False):
    """Chooses, step by step, the failing execution's next step, and says
    what each step read where the challenge asks (every answer right, or
    the first wrong); by keyboard, takes the first two moves back by key
    (Backspace, ←) and makes them again; returns whether a choice loom did
    not explore was shown disabled on the way, and what the page announced."""
    path, outcome = failing_path(data)
    widget.get_by_role("tab", name="Be the scheduler").click()
    panel = widget.locator("[data-panel=schedule]")
    expect(panel).to_be_visible()
    restart = panel.get_by_role("button", name="Restart")
    if restart.is_enabled():
        if by_keyboard:
            restart.focus()
            page.keyboard.press("Enter")
        else:
            restart.click()
    saw_unexplored = False
    asked = wrong = went_back = 0
    live = panel.locator(".stepper-live")
    for n, step in enumerate(path, 1):
        text = data["steps"][step]["text"]
        choice = panel.locator(f'button.stepper-choice[data-step="{step}"]')
        check(choice.count() == 1, f"step {n}: no choice for step {step} ({text!r})")
        expect(choice).to_be_enabled()
        offered = choice.locator(".stepper-what").inner_text()
        disabled = panel.locator("button.stepper-choice[disabled]")
        saw_unexplored |= any("not explored by loom" in t for t in disabled.all_inner_texts())
        if by_keyboard:
            key = choice.get_attribute("data-key")
            check(key is not None, f"step {n}: the choice has no number key")
            page.keyboard.press(key)
        else:
            choice.click()
        expect(panel.locator("tbody tr")).to_have_count(n)
        guess = panel.locator(".stepper-ask .stepper-guess")
        if by_keyboard and n <= 2 and guess.count() == 0:
            # A move back by key (Backspace, then ←), and the move again.
            back = "Backspace" if n == 1 else "ArrowLeft"
            page.keyboard.press(back)
            expect(panel.locator("tbody tr"), f"step {n}: {back} did not take the move back").to_have_count(n - 1)
            page.keyboard.press(key)
            expect(panel.locator("tbody tr"), f"step {n}: key {key} after {back} did not make it again").to_have_count(n)
            went_back += 1
        if guess.count() == 0:
            check(offered == text, f"step {n}: the choice showed {offered!r}, not {text!r}, and asked nothing")
            continue
        # The choice hid what the step reads; the row waits for a guess.
        asked += 1
        value = value_read(text)
        check(guess.count() == 1, f"step {n}: {guess.count()} values to guess in {text!r}")
        check(offered == text.replace(f"→ {value}", "→ ?"), f"step {n}: the choice showed {offered!r} for {text!r}")
        check(panel.locator("button.stepper-choice").count() == 0, f"step {n}: choices offered before the guess")
        expect(live).to_contain_text("Type your guess")
        answer = "999" if wrong_first and asked == 1 else value
        wrong += answer != value
        if by_keyboard:
            expect(guess).to_be_focused()
            page.keyboard.type(answer)
            page.keyboard.press("Enter")
        else:
            guess.fill(answer)
            panel.get_by_role("button", name="Check").click()
        expect(live).to_contain_text("Not quite" if answer != value else "Right")
        expect(panel.locator("tr.stepper-current")).to_contain_text(text)
    # A keyboard play that took no move back (both first steps asked for a
    # value, and in the guess ← moves the caret) would prove nothing of them.
    check(not by_keyboard or went_back, "by keyboard, no move was taken back by key: both first steps asked a value")
    expect(live).to_contain_text(outcome["outcome"])
    expect(live).to_contain_text("FAILED")
    if asked:
        expect(live).to_contain_text(f"Predictions: {asked - wrong} right of {asked}.")
    check(panel.locator("button.stepper-choice").count() == 0, "the execution ended, yet choices are offered")
    return saw_unexplored, live.inner_text(), asked


def answer_fold(page, base, data):
    """Puzzles first (issue 28): the race's trace and what it means are
    folded below its widget until the learner wins its challenge, or asks
    for the answer by mouse or by keyboard; a passing end opens nothing."""
    def fresh():
        open_chapter(page, base, CHAPTER)
        racy = page.locator(f'.stepper.stepper-on[data-explore="{CHAPTER_WIDGETS[0]}"]')
        fold = page.locator(f'.stepper[data-explore="{CHAPTER_WIDGETS[0]}"] + details.answer')
        check(fold.count() == 1, f"{CHAPTER}: the race's widget is not followed by its answer's fold")
        trace = fold.locator("pre", has_text=f"{data['title']} · loom found a failing interleaving")
        check(trace.count() == 1, "the race's failing trace is not inside the fold")
        expect(trace).to_be_hidden()
        check(fold.get_attribute("open") is None, "the fold is open before the challenge is played")
        # The game first: the Step tab walks through the answer.
        opened = racy.locator("[role=tab][aria-selected=true]").inner_text()
        check(opened == "Be the scheduler", f"the race's widget opens on {opened!r}, not on its game")
        return racy, fold, trace

    racy, fold, trace = fresh()
    # The first choice each time ends where the count is 2: no win, still folded.
    played_out = racy.evaluate(PLAY, None)
    check("the check passes" in played_out["said"], f"the first choices did not end passing: {played_out['said']!r}")
    expect(trace).to_be_hidden()
    _, said, asked = play_scheduler(page, racy, data, by_keyboard=True, wrong_first=True)
    check(asked >= 3, f"the challenge asked for {asked} values read, expected one per read on the way")
    expect(trace).to_be_visible()
    check("open below" in said, f"the win does not say where the answer opened: {said!r}")
    ok(f"the race's trace is folded until the challenge is won, by keyboard ({asked} values predicted, "
       "one wrong); a passing end opens nothing")

    racy, fold, trace = fresh()
    fold.get_by_text("Show me the answer").click()
    expect(trace).to_be_visible()
    racy, fold, trace = fresh()
    fold.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(trace).to_be_visible()
    ok("'Show me the answer' unfolds it without playing, by mouse and by keyboard")


def predict(page, widget, data):
    """Predict mode: each value read is hidden until guessed."""
    path, _ = failing_path(data)
    reads = [i for i, step in enumerate(path) if "→" in data["steps"][step]["text"]]
    check(len(reads) >= 3, f"{data['title']}: fewer than 3 values read to predict")
    widget.get_by_role("tab", name="Step").click()
    panel = widget.locator("[data-panel=step]")
    panel.get_by_role("button", name="Restart").click()
    panel.get_by_label("Predict the values read").check()
    following = panel.locator("[data-action=next]")
    live = panel.locator(".stepper-live")
    guesses = ["right", "wrong", "reveal"]
    for i in range(len(path)):
        following.click()
        if i not in reads:
            check(panel.locator(".stepper-guess").count() == 0, f"row {i + 1}: asked, with no value read")
            continue
        step = data["steps"][path[i]]
        value = value_read(step["text"])
        guess = panel.locator(".stepper-guess")
        expect(guess).to_have_count(1)
        expect(guess).to_be_focused()
        expect(following).to_be_disabled()
        row = panel.locator("tr.stepper-current").inner_text()
        check("?" in row and step["text"] not in row, f"row {i + 1} shows its value before the guess: {row!r}")
        how = guesses.pop(0) if guesses else "right"
        if how == "reveal":
            panel.get_by_role("button", name="Reveal").click()
            expect(live).to_contain_text(f"It was {value}")
        else:
            guess.fill(value if how == "right" else "999")
            page.keyboard.press("Enter")
            expect(live).to_contain_text("Right" if how == "right" else "Not quite")
        expect(panel.locator("tr.stepper-current")).to_contain_text(step["text"])
        if i < len(path) - 1:
            expect(following).to_be_enabled()
    # One wrong and one revealed: the rest right, and a reveal is no guess.
    expect(panel.locator(".stepper-score")).to_have_text(
        f"Predictions: {len(reads) - 2} right of {len(reads) - 1}.")
    expect(live).to_contain_text("FAILS")


def play_to_the_end(widget):
    """The fixed counter: any path, first choice each time, ends passing."""
    widget.get_by_role("tab", name="Be the scheduler").click()
    panel = widget.locator("[data-panel=schedule]")
    expect(panel.locator(".stepper-nofail")).to_contain_text("No path fails")
    for _ in range(500):
        choice = panel.locator("button.stepper-choice:not([disabled])")
        if choice.count() == 0:
            break
        choice.first.click()
    live = panel.locator(".stepper-live")
    expect(live).to_contain_text("the check passes")
    expect(live).to_contain_text("No path fails")


# In the page, for speed where chapter 1 has checked the clicks
# themselves: from the start (Restart, unless already there), choose
# `steps` in the scheduler (or, given none, the first choice each time,
# to the end), revealing each value the challenge asks for; return what
# the page announced (or what went wrong), how many values it asked for,
# and whether the answer's fold after the widget (null: none) was open
# before and after.
PLAY = """(widget, steps) => {
    const fold = widget.nextElementSibling && widget.nextElementSibling.matches('details.answer')
        ? widget.nextElementSibling : null;
    const before = fold && fold.open;
    widget.querySelector('[data-tab=schedule]').click();
    const panel = widget.querySelector('[data-panel=schedule]');
    // Restart is disabled at the start.
    const restart = [...panel.querySelectorAll('button')].find((b) => b.textContent === 'Restart');
    if (!restart) return {said: 'no Restart button in the scheduler'};
    if (!restart.disabled) restart.click();
    const enabled = 'button.stepper-choice:not([disabled])';
    let asked = 0;
    for (let n = 0; n < (steps ? steps.length : 500); n++) {
        const choice = steps ? panel.querySelector(`${enabled}[data-step="${steps[n]}"]`)
                             : panel.querySelector(enabled);
        if (!choice) {
            if (steps) return {said: `no choice for step ${steps[n]}, at step ${n + 1}`};
            break;
        }
        choice.click();
        const reveal = panel.querySelector('.stepper-ask [data-action=reveal]');
        if (reveal) {
            asked++;
            reveal.click();
        }
    }
    return {said: panel.querySelector('.stepper-live').textContent, asked,
            fold: fold && {before, after: fold.open}};
}"""


def fits(page, width, where):
    """No widget is wider than the viewport, nor overflows its own box."""
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.stepper-on')].map(b => {
               const r = b.getBoundingClientRect();
               return {left: r.left, right: r.right, scroll: b.scrollWidth, client: b.clientWidth};
           })"""
    )
    check(boxes, f"{where}: no widget on the page")
    for n, box in enumerate(boxes, 1):
        check(box["left"] >= 0 and box["right"] <= width + 0.5,
              f"{where}: widget {n} spans {box['left']:.0f} to {box['right']:.0f} px, wider than {width} px")
        check(box["scroll"] <= box["client"] + 1,
              f"{where}: widget {n}'s content is {box['scroll']} px wide in a {box['client']} px box")


def main():
    book = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "book" / "build"
    check((book / CHAPTER).is_file(), f"{book / CHAPTER} is missing: build the book first (cargo xtask book)")
    if not os.access(CHROMIUM, os.X_OK):
        print(f"MISSING: Chromium at {CHROMIUM} ({INSTALL_CHROMIUM})")
        sys.exit(2)
    expect.set_options(timeout=TIMEOUT_MS)
    server = serve(book)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], timeout=60_000)
            ok(f"Chromium {browser.version}, serving {book} on {base}")
            try:
                run(browser, base, book)
            except (Failed, AssertionError, PlaywrightError) as e:
                shot = Path(tempfile.gettempdir()) / "stepper-failure.png"
                pages = [page for context in browser.contexts for page in context.pages]
                if pages:
                    try:
                        pages[-1].screenshot(path=str(shot), timeout=5_000)
                        print(f"(the page at the failure: {shot})")
                    except PlaywrightError:
                        pass
                raise e
            finally:
                browser.close()
    finally:
        server.shutdown()


def run(browser, base, book):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch(page, base)
    open_chapter(page, base, CHAPTER)
    racy, fixed = (page.locator(f'.stepper.stepper-on[data-explore="{json}"]') for json in CHAPTER_WIDGETS)
    check(racy.count() == 1 and fixed.count() == 1, f"{CHAPTER}: no widget for {' or '.join(CHAPTER_WIDGETS)}")
    data = json.loads((book / racy.get_attribute("data-explore")).read_text(encoding="utf-8"))

    answer_fold(page, base, data)
    saw_unexplored, said, _ = play_scheduler(page, racy, data, by_keyboard=False)
    ok(f"the scheduler, by mouse, reaches the lost update: {said!r}")
    check(saw_unexplored, "no choice was shown disabled as 'not explored by loom' on the way "
          "(after main spawns thread 1, loom ran only main's read)")
    ok("a thread loom did not run there is shown disabled, 'not explored by loom'")

    # Any navigation of the tab away from the chapter, with the key pressed
    # last before it: mdBook's next/previous chapter, were a key to reach it,
    # sets the location in its keydown handler, and the request follows.
    pressed = ["nothing"]
    left = []
    page.on("request", lambda r: r.is_navigation_request() and r.frame == page.main_frame
            and left.append(f"{pressed[0]} left the page for {r.url}"))

    def press(key, where):
        pressed[0] = f"{key} {where}"
        page.keyboard.press(key)
        check(not left, "; ".join(left))

    # The keyboard: arrows between tabs (not mdBook's next chapter), Enter,
    # and number keys for the choices.
    racy.get_by_role("tab", name="Step").click()
    racy.get_by_role("tab", name="Step").focus()
    press("ArrowRight", "on the tabs")
    expect(racy.get_by_role("tab", name="Be the scheduler")).to_have_attribute("aria-selected", "true")
    play_scheduler(page, racy, data, by_keyboard=True)
    ok("the scheduler, by keyboard (arrow keys, Enter, number keys), reaches it too")

    # No arrow key inside a widget leaves the page, wherever the focus is:
    # mdBook's next/previous chapter must not take the learner away.
    for tab, name in (("Step", "Restart"), ("Step", "◀ Back"), ("Step", "Next step ▶"),
                      ("Be the scheduler", "Restart"), ("Be the scheduler", "◀ Back")):
        racy.get_by_role("tab", name=tab).click()
        panel = racy.locator(".stepper-panel:not([hidden])")
        control = panel.get_by_role("button", name=name)
        control.focus()
        for key in ("ArrowRight", "ArrowLeft"):
            press(key, f"on {tab}'s {name!r}")
    # Nor in the field where the scheduler asks what a step read.
    racy.get_by_role("tab", name="Be the scheduler").click()
    panel = racy.locator("[data-panel=schedule]")
    panel.get_by_role("button", name="Restart").click()
    while panel.locator(".stepper-guess").count() == 0:
        panel.locator("button.stepper-choice:not([disabled])").first.click()
    panel.locator(".stepper-guess").focus()
    for key in ("ArrowRight", "ArrowLeft"):
        press(key, "in the scheduler's guess")
    # Time for a navigation asked for by the last key to show (mdBook's,
    # were it told to, begins at once): one wait for all the keys above.
    page.wait_for_timeout(300)
    check(not left and page.url.endswith(CHAPTER), "; ".join(left) or f"the page is now {page.url}")
    ok("no arrow key on a widget's buttons, nor in its guess, leaves the page for another chapter")

    predict(page, racy, data)
    ok("predict mode hides each value read until guessed: right, wrong and revealed")

    play_to_the_end(fixed)
    ok("on the fixed counter, the page says no path fails")

    racy.get_by_role("tab", name="Outcomes").click()
    rows = racy.locator("[data-panel=outcomes] tbody tr")
    expect(rows).to_have_count(len(data["outcomes"]))
    expect(racy.locator("[data-panel=outcomes]")).to_contain_text("FAILED")
    shortest = racy.locator("[data-panel=outcomes] details")
    expect(shortest).to_have_count(len(data["outcomes"]))
    shortest.first.locator("summary").click()
    expect(shortest.first.locator("pre")).to_contain_text(data["outcomes"][0]["shortest"].splitlines()[2])
    # A failing outcome's shortest execution is the answer: hidden while
    # the chapter's answer is folded, shown when it opens.
    fold = page.locator(f'.stepper[data-explore="{CHAPTER_WIDGETS[0]}"] + details.answer')
    failing = [i for i, o in enumerate(data["outcomes"]) if o["failed"]]
    for is_open in (False, True):
        if fold.evaluate("(f) => f.open") != is_open:
            fold.locator("summary").click()
        for i in failing:
            expect(shortest.nth(i)).to_be_visible() if is_open else expect(shortest.nth(i)).to_be_hidden()
    ok("the Outcomes table lists every outcome, each with its shortest execution; a failing one only "
       "once the answer is open")
    # A widget recorded past its failures, with no run on real threads:
    # its table says neither that loom stopped nor anything for the runs.
    harder = page.locator('.stepper.stepper-on[data-explore="explore/lab-01/racy-counter-three-threads.json"]')
    harder.get_by_role("tab", name="Outcomes").click()
    said = harder.locator("[data-panel=outcomes]").inner_text()
    check("stops at" not in said and "null" not in said and "observed" not in said,
          f"the three-thread widget's Outcomes tab says: {said[:300]!r}")

    # Beside loom's executions, the reference machine's runs of the same code.
    report = json.loads((book / "observed" / "lab-01.json").read_text(encoding="utf-8"))
    seen = next(o for o in report["observations"] if o["title"] == data["title"])
    outcomes_panel = racy.locator("[data-panel=outcomes]")
    expect(outcomes_panel.locator("thead")).to_contain_text("observed: runs")
    for counted in seen["outcomes"]:
        row = outcomes_panel.locator("tbody tr").filter(has_text=counted["outcome"])
        expect(row.first).to_contain_text(f"{counted['runs']:,} of {seen['runs']:,}")
    expect(outcomes_panel).to_contain_text("cargo xtask explore 01 --real")
    if seen.get("wider"):
        expect(outcomes_panel).to_contain_text(seen["wider"]["how"])
    ok("the Outcomes table shows the reference machine's observed runs beside loom's")

    # A JSON that cannot be fetched: the widget says so, and how to serve it.
    broken = browser.new_page()
    broken.route("**/*.json", lambda route: route.fulfill(status=404, body="not here"))
    broken.goto(base + CHAPTER, wait_until="load")
    expect(broken.locator(".stepper-error").first).to_contain_text("could not load explore/lab-01/")
    expect(broken.locator(".stepper-error").first).to_contain_text("cargo xtask serve")
    # With no game to play, no answer is kept folded.
    folds = broken.locator("details.answer")
    check(folds.count() >= 1, f"{CHAPTER} has no answer fold")
    for n in range(folds.count()):
        expect(folds.nth(n)).to_have_attribute("open", "")
    broken.close()
    ok("a JSON that cannot be loaded: the widget says so, and how to serve the book; its answer stays open")

    # A page with a trace but no placeholder (the script is on every page).
    plain = next(p.name for p in [book / "introduction.html", *sorted(book.glob("[0-9][0-9]-*.html"))]
                 if 'class="stepper"' not in p.read_text(encoding="utf-8"))
    open_chapter(page, base, plain)
    check(page.locator("[class*=stepper]").count() == 0, f"{plain}: the script added a stepper element")
    ok(f"{plain}, with no placeholder, is left alone")
    watch.assert_none("at 1280 px")
    ok("no console error, no failed request, nothing fetched from elsewhere")
    page.close()

    narrow = browser.new_page(viewport={"width": 390, "height": 844})
    narrow.set_default_timeout(TIMEOUT_MS)
    watch = Watch(narrow, base)
    open_chapter(narrow, base, CHAPTER)
    racy = narrow.locator(".stepper.stepper-on").nth(0)
    for tab in ["Step", "Be the scheduler", "Outcomes"]:
        for widget in [racy, narrow.locator(".stepper.stepper-on").nth(1)]:
            widget.get_by_role("tab", name=tab).click()
        fits(narrow, 390, f"390 px, {tab}")
    play_scheduler(narrow, racy, data, by_keyboard=False)
    fits(narrow, 390, "390 px, the scheduler at the lost update")
    racy.get_by_role("tab", name="Step").click()
    racy.get_by_role("button", name="Show all").click()
    fits(narrow, 390, "390 px, the whole trace")
    watch.assert_none("at 390 px")
    ok("at 390 px wide, every widget fits the page, in every tab")

    # A block that scrolls sideways can take the focus, so a keyboard can
    # scroll it (axe's scrollable-region-focusable).
    # (mdBook's scrolling element is `pre > code`, or a table's wrapper; the
    # stepper's own blocks are `pre`.)
    scrollers = 'document.querySelectorAll("main pre, main pre > code, main .table-wrapper")'
    unreachable = narrow.evaluate(f"""() => [...{scrollers}]
        .filter((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === "auto"
                && el.tabIndex < 0).length""")
    scrolling = narrow.evaluate(f"""() => [...{scrollers}]
        .filter((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === "auto").length""")
    check(scrolling > 0, "at 390 px no code block scrolls: the check below proves nothing")
    check(unreachable == 0, f"at 390 px, {unreachable} code blocks scroll but cannot take the focus")
    ok(f"at 390 px, every one of the {scrolling} code blocks that scroll sideways can take the focus")

    # The trace's file:line column is readable: 4.5:1 against its
    # background at least, in the light theme and in navy.
    contrast = """(el) => {
        const rgb = (c) => c.match(/[0-9.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => {
            const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        let bg = el, color = getComputedStyle(el).backgroundColor;
        while (bg && (color === "rgba(0, 0, 0, 0)" || color === "transparent")) {
            bg = bg.parentElement;
            color = bg ? getComputedStyle(bg).backgroundColor : "rgb(255, 255, 255)";
        }
        const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(color));
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }"""
    for theme in ("light", "navy"):
        narrow.evaluate(f"""() => {{ document.documentElement.className =
            document.documentElement.className.replace(/\\b(light|navy|coal|ayu|rust)\\b/g, "") + " {theme}"; }}""")
        ratio = narrow.locator(".stepper-at").first.evaluate(contrast)
        check(ratio >= 4.5, f"the stepper's file:line column is {ratio:.1f}:1 in {theme}, under 4.5:1")
    ok("the stepper's file:line column has 4.5:1 contrast at least, in light and in navy")
    narrow.close()

    # Every other widget, at 390 px: each loads, plays to its
    # failure (or, on a fix, to a passing end), and fits, with no error.
    # One tab for them all, as a reader going from chapter to chapter.
    played = folded = asks = 0
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch(page, base)
    for html in sorted(book.glob("[0-9][0-9]-*.html")):
        open_chapter(page, base, html.name)
        # Chapter 1's race and fix were played above, in every way.
        widgets = page.locator(".stepper.stepper-on" + "".join(f':not([data-explore="{json}"])'
                                                              for json in CHAPTER_WIDGETS))
        for n in range(widgets.count()):
            widget = widgets.nth(n)
            data = json.loads((book / widget.get_attribute("data-explore")).read_text(encoding="utf-8"))
            fails = any(o["failed"] for o in data["outcomes"])
            played_out = widget.evaluate(PLAY, failing_path(data)[0] if fails else None)
            said = played_out["said"]
            where = f"{html.name}, {data['title']}"
            if fails:
                outcome = failing_path(data)[1]["outcome"]
                check(outcome in said and "FAILED" in said, f"{where}: the failure is not announced: {said!r}")
                # The challenge comes first: its answer folded until won.
                check(played_out["fold"] == {"before": False, "after": True},
                      f"{where}: the answer's fold after the widget was not closed, then opened by the win: "
                      f"{played_out['fold']}")
                asks += played_out["asked"]
                folded += 1
            else:
                check("No path fails" in said, f"{where}: no 'No path fails' at the end: {said!r}")
                check(played_out["fold"] is None, f"{where}: a fix's widget folds an answer")
            fits(page, 390, where)
            played += 1
        watch.assert_none(html.name)
    page.close()
    check(played > 0, "no other widget")
    ok(f"every other widget of every chapter ({played}) plays to its end and fits at 390 px; "
       f"on the {folded} that fail, the answer stays folded until the win ({asks} values asked for on the way)")


if __name__ == "__main__":
    try:
        main()
    except (Failed, AssertionError) as e:  # playwright's expect raises AssertionError
        print(f"FAILED: {e}")
        sys.exit(1)
    except PlaywrightError as e:
        print(f"FAILED: {e.message}")
        sys.exit(1)
    print("PASSED: the stepper, in Chromium")
