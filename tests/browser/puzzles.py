#!/usr/bin/env python3
"""The puzzle trail (issue 28) in a real browser.

Serves a built book, drives Chromium with Playwright at 390 px wide (a
phone), and plays every level, `puzzle-NN-*.html`, as a learner would:

- along the failing execution loom recorded, the level is won: the page
  announces the failure and opens the answer folded after the widget;
- along passing executions (every one, on a level of at most 20; else the
  first choice each time, the last choice each time, and a few more
  picked with a fixed seed), it is not: the execution ends passing and
  the answer stays folded;
- three levels are won by keyboard too (number keys, Enter, typed
  predictions), and no key inside the widget turns the page;
- the widget fits the page, and nothing fails to load or comes from
  elsewhere.

    python3 tests/browser/puzzles.py [BOOK]   # BOOK: the built book, default book/build

tests/browser.rs runs it, on the book it builds. It uses stepper.py's
helpers (the chapters' stepper test), so the two play the widget the same
way. Exit status: 0 passed, 1 a check failed, 2 Playwright or Chromium
missing.
"""

import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stepper import (  # noqa: E402  (after the path is set)
    CHROMIUM,
    INSTALL_CHROMIUM,
    PLAY,
    ROOT,
    TIMEOUT_MS,
    Failed,
    Watch,
    check,
    failing_path,
    fits,
    ok,
    open_chapter,
    play_scheduler,
    serve,
)
from playwright.sync_api import expect, sync_playwright  # noqa: E402

# A level with at most this many executions has every passing one played;
# a larger one, the first and last choice each time and SAMPLED walks.
ALL_UP_TO = 20
SAMPLED = 3
# Played by keyboard too, at 390 px: the first level, a deadlock (one
# failing path) and the last, the longest (number keys, Enter, typed
# predictions, and arrow keys that must not turn the page).
BY_KEYBOARD = ("puzzle-01-", "puzzle-04-", "puzzle-15-")


def leaves(node, path, found):
    """Every root-to-leaf step list under `node`, with its outcome."""
    if not node[3]:
        found.append((path, node[2]))
    for child in node[3]:
        leaves(child, path + [child[0]], found)
    return found


def passing_paths(data, rng):
    """Root-to-leaf step lists of passing executions: all of them for a
    small level; else the first choice each time, the last choice each
    time, and SAMPLED random walks (a repeat, or one ending failing, is
    dropped)."""
    if data["executions"] <= ALL_UP_TO:
        return [path for path, outcome in leaves(data["tree"], [], [])
                if not data["outcomes"][outcome]["failed"]]

    def walk(pick):
        node, path = data["tree"], []
        while node[3]:
            node = pick(node[3])
            path.append(node[0])
        return path, data["outcomes"][node[2]]["failed"]

    walks = [walk(lambda c: c[0]), walk(lambda c: c[-1])]
    walks += [walk(rng.choice) for _ in range(SAMPLED)]
    unique = []
    for path, failed in walks:
        if not failed and path not in unique:
            unique.append(path)
    return unique


def play(widget, steps):
    """Plays `steps` from the start (PLAY clicks the tab and Restart, in
    the page, as it clicks the choices); what the page said, and the fold."""
    return widget.evaluate(PLAY, steps)


def level(page, watch, base, book, html, rng):
    open_chapter(page, base, html.name)
    widgets = page.locator(".stepper.stepper-on")
    check(widgets.count() == 1, f"{html.name}: {widgets.count()} widgets, expected the level's one")
    widget = widgets.first
    data = json.loads((book / widget.get_attribute("data-explore")).read_text(encoding="utf-8"))
    check(widget.get_attribute("data-challenge"), f"{html.name}: the widget poses no challenge")

    passing = passing_paths(data, rng)
    check(passing, f"{html.name}: no passing execution to play")
    for steps in passing:
        played = play(widget, steps)
        said = played["said"]
        check("FAILED" not in said and "passes" in said,
              f"{html.name}: a passing execution of {len(steps)} steps did not end passing: {said!r}")
        check(played["fold"] == {"before": False, "after": False},
              f"{html.name}: the answer was not kept folded on a passing end: {played['fold']}")

    steps, outcome = failing_path(data)
    played = play(widget, steps)
    said = played["said"]
    check(outcome["outcome"].splitlines()[0] in said and "FAILED" in said,
          f"{html.name}: the win is not announced: {said!r}")
    check(played["fold"] == {"before": False, "after": True},
          f"{html.name}: the answer was not folded, then opened by the win: {played['fold']}")
    keyboard = html.name.startswith(BY_KEYBOARD)
    if keyboard:
        url = page.url
        widget.get_by_role("tab", name="Be the scheduler").focus()
        for key in ("ArrowRight", "ArrowLeft", "ArrowRight", "ArrowLeft"):
            page.keyboard.press(key)
        check(page.url == url, f"{html.name}: an arrow key in the widget left the page for {page.url}")
        _, said, asked = play_scheduler(page, widget, data, by_keyboard=True)
        check("FAILED" in said, f"{html.name}: by keyboard, the win is not announced: {said!r}")
        check(page.url == url, f"{html.name}: a key in the widget left the page for {page.url}")
        # The hint is a fold: opened by key, ← and → on it never reach
        # mdBook's page keys (a listener on the document, as mdBook's, sees
        # every key that would; read before any navigation could land).
        hint = page.locator("main details:not(.answer) > summary").first
        hint.focus()
        page.keyboard.press("Enter")
        check(hint.evaluate("(s) => s.parentElement.open"), f"{html.name}: Enter did not open the hint")
        page.evaluate("() => { window.keysReachingThePage = []; document.addEventListener("
                      "'keydown', (e) => window.keysReachingThePage.push(e.key)); }")
        for key in ("ArrowLeft", "ArrowRight"):
            page.keyboard.press(key)
        try:
            reached = page.evaluate("() => window.keysReachingThePage")
        except Exception as error:  # the page is already going away
            reached = [f"the page navigated: {error}"]
        check(reached == [] and page.url == url,
              f"{html.name}: arrow keys on the hint's fold reached mdBook's page keys: {reached}, {page.url}")
    fits(page, 390, html.name)
    watch.assert_none(html.name)
    return len(passing), len(steps), keyboard


def progress_is_kept_in_this_browser(browser, base, book, html):
    """A win on a level's page is saved in the browser and shown on the
    trail's index with its score; a passing end is no win, and its moves,
    taken back by Restart, count towards the win's score; after a win,
    Restart starts a new attempt; the index's button forgets it all."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    status = page.locator(".trail-progress [role=status]")
    open_chapter(page, base, "puzzles.html")
    levels = len(sorted(book.glob("puzzle-[0-9][0-9]-*.html")))
    check(status.inner_text().startswith(f"Solved 0 of {levels} levels"),
          f"a new browser's trail: {status.inner_text()!r}")
    open_chapter(page, base, html.name)
    widget = page.locator(".stepper.stepper-on").first
    data = json.loads((book / widget.get_attribute("data-explore")).read_text(encoding="utf-8"))
    wrong = passing_paths(data, random.Random(1))[0]
    play(widget, wrong)
    check(page.locator(".trail-saved").count() == 0, f"{html.name}: a passing end was saved as a win")
    steps, _ = failing_path(data)
    play(widget, steps)  # (PLAY presses Restart first)
    saved = page.locator(".trail-saved").inner_text()
    first = len(wrong) + len(steps)
    check(f"solved in {first} moves" in saved and f"fewest that reach a failing end: {len(steps)}" in saved,
          f"{html.name}: the win's score, after {len(wrong)} moves to a passing end, Restart and {len(steps)} "
          f"to the win, is not {first} moves: {saved!r}")
    play(widget, steps)
    saved = page.locator(".trail-saved").inner_text()
    check(f"solved in {len(steps)} move" in saved and "your best" not in saved,
          f"{html.name}: Restart after a win did not start a new attempt: {saved!r}")
    open_chapter(page, base, "puzzles.html")
    check(status.inner_text().startswith(f"Solved 1 of {levels} levels"), f"after a win: {status.inner_text()!r}")
    row = page.locator("main table tr", has=page.locator(f"a[href^='{html.stem}']"))
    check(f"✓ solved in {len(steps)} move" in row.inner_text(), f"the index's row: {row.inner_text()!r}")
    page.get_by_role("button", name="Forget my progress").click()
    check(status.inner_text().startswith(f"Solved 0 of {levels} levels"), f"after forgetting: {status.inner_text()!r}")
    check(page.locator(".trail-solved").count() == 0, "a level still marked solved after forgetting")
    right = page.locator(".trail-progress").evaluate("(p) => p.getBoundingClientRect().right")
    check(right <= 390.5, f"the trail's progress line is {right:.0f} px wide at 390 px")
    table, room = page.locator("main table").first.evaluate("(t) => [t.scrollWidth, t.parentElement.clientWidth]")
    check(table <= room, f"at 390 px the trail's table is {table} px wide in {room} px: its last column is cut")
    context.close()
    return len(steps)


def main():
    book = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "book" / "build"
    levels = sorted(book.glob("puzzle-[0-9][0-9]-*.html"))
    check(levels, f"no puzzle-NN-*.html in {book}: build the book first (cargo xtask book)")
    if not os.access(CHROMIUM, os.X_OK):
        print(f"MISSING: Chromium at {CHROMIUM} ({INSTALL_CHROMIUM})")
        sys.exit(2)
    expect.set_options(timeout=TIMEOUT_MS)
    rng = random.Random(28)  # issue 28: the same walks every run
    server = serve(book)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], timeout=60_000)
            try:
                steps = progress_is_kept_in_this_browser(browser, base, book, levels[0])
                ok(f"a win on {levels[0].name} ({steps} moves) is kept in the browser and marked on the "
                   "trail's index with its score; a passing end is not; the index forgets on request")
                # One tab for them all, as a learner going from level to level.
                page = browser.new_page(viewport={"width": 390, "height": 844})
                page.set_default_timeout(TIMEOUT_MS)
                watch = Watch(page, base)
                for html in levels:
                    passing, steps, keyboard = level(page, watch, base, book, html, rng)
                    ok(f"{html.name}: {passing} passing execution{'s end' if passing != 1 else ' ends'} passing, folded; "
                       f"the failing one ({steps} steps) wins and opens the answer, at 390 px"
                       + (", by mouse and by keyboard" if keyboard else ""))
            finally:
                browser.close()
    finally:
        server.shutdown()
    ok(f"every level of the trail ({len(levels)}) is won along its failing execution, "
       "and not along the passing ones played")


if __name__ == "__main__":
    try:
        main()
    except (Failed, AssertionError) as e:
        print(f"FAILED: {e}")
        sys.exit(1)
