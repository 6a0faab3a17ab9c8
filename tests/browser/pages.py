#!/usr/bin/env python3
"""Every page of the built book in a real browser: accessible, light, offline.

Serves a built book on a free loopback port and drives Debian's Chromium
with Playwright (issue 27):

- axe-core (pinned; `.ci/run` fetches it) on every page, in the light theme
  and in navy (the dark theme the book recommends), at 1280 px and at
  390 px; and on chapter 1's widget in each of its tabs. A page is checked
  with every rule in one theme and with the colour rules in the other
  (a theme changes colours only), the themes taking turns. Any critical or
  serious violation of WCAG 2.0, 2.1 or 2.2 A/AA fails, with the page, the
  rule and the elements; so does an accessible name that leaves out its
  visible label (axe's label-content-name-mismatch).
- A screen reader walking chapter 1's stepper: each row's announcement (the
  widget's status, as the accessibility tree has it) says the row's
  thread, its action and the value read.
- Weight: what each chapter loads before any search, as served (bytes on
  this server, which does not compress) and gzip-compressed (as GitHub
  Pages sends it); over 300 KB compressed fails. The load event's time is
  printed, not judged: this machine is shared, and a time is no verdict.
- Search: the index is not loaded with a page, only when search opens
  (mdBook loads it then); a search for `fetch_add` finds chapter 4 with
  nothing fetched from elsewhere; the index over 1 MB compressed fails.
- Charts: drawn for the theme (inverted in navy), and at 390 px left out
  with a note that the table above holds their figures.

    python3 tests/browser/pages.py AXE_JS [BOOK]   # BOOK default book/build

Exit status: 0 passed, 1 a check failed, 2 Playwright, Chromium or axe
missing. tests/browser.rs runs it.
"""

import asyncio
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

# The stepper test's plumbing: its server, its checks, its Chromium.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from stepper import CHROMIUM, ROOT, TIMEOUT_MS, Failed, check, serve  # noqa: E402

THEMES = ("light", "navy")
WIDTHS = (1280, 390)
PAGE_BUDGET = 300 * 1024  # a chapter's first load, compressed
INDEX_BUDGET = 1024 * 1024  # the search index, compressed
# WCAG 2.0, 2.1 and 2.2, levels A and AA; and (experimental in axe, so
# named) an accessible name must contain the visible label. Only the
# violations are gathered (axe's own option): listing what passed takes
# about as long again, and nothing here reads it.
AXE_OPTIONS = """{runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
                  rules: {"label-content-name-mismatch": {enabled: true}},
                  resultTypes: ["violations"]}"""
# A theme chosen from the menu changes colours only (mdBook's themes and
# the course's are CSS colour variables, and a filter on the charts): the
# same page in the other theme is checked by axe's WCAG rules on colour,
# text contrast and links told apart from text by colour alone.
AXE_COLOUR_OPTIONS = """{runOnly: {type: "rule", values: ["color-contrast", "link-in-text-block"]},
                         resultTypes: ["violations"]}"""
FAILING = ("critical", "serious")

try:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright
except ImportError:
    print("MISSING: the Python module playwright (python3 -m pip install --user playwright==1.49.0)")
    sys.exit(2)


STARTED = time.monotonic()


def ok(message):
    print(f"ok ({time.monotonic() - STARTED:.0f} s): {message}", flush=True)


def pages(book):
    """The book's pages: every page mdBook rendered, but print.html (all of
    them at once, to print) and toc.html (the sidebar, for no script). The
    .html files in subfolders are fragments that chapters include."""
    return [p.name for p in sorted(book.glob("*.html")) if p.name not in ("print.html", "toc.html")]


async def new_context(browser, theme, width):
    context = await browser.new_context(viewport={"width": width, "height": 900})
    # The theme the context starts in; a theme the reader then picks stays.
    await context.add_init_script(
        f"if (!localStorage.getItem('mdbook-theme')) localStorage.setItem('mdbook-theme', '{theme}')")
    context.set_default_timeout(TIMEOUT_MS)
    return context


# mdBook's sidebar and menu bar: the same on every page (but for which
# link is current), so checked whole on the first page a worker checks in
# each theme, and left out after.
CHROME = "{exclude: [['#mdbook-sidebar'], ['#mdbook-menu-bar']]}"


async def axe(page, axe_js, options=AXE_OPTIONS, scope="document"):
    """axe's critical and serious violations on the page as it is now."""
    if not await page.evaluate("() => typeof axe !== 'undefined'"):
        await page.add_script_tag(content=axe_js)
    return await page.evaluate(f"""async () => {{
        const result = await axe.run({scope}, {options});
        return result.violations.filter((v) => {list(FAILING)}.includes(v.impact)).map((v) => ({{
            rule: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")), count: v.nodes.length}}));
    }}""")


def described(where, violations):
    return "\n".join(f"  {where}: {v['rule']} ({v['impact']}, {v['count']} elements): {v['help']}; "
                     f"e.g. {', '.join(v['nodes'])}" for v in violations)


async def open_page(page, base, name):
    await page.goto(base + name, wait_until="load")
    # The widgets have fetched their JSON (or said why not).
    await page.wait_for_function(
        """() => [...document.querySelectorAll('.stepper[data-explore]')]
                .every(b => b.querySelector('[role=tablist]') || b.querySelector('.stepper-error'))""")


async def switch_theme(page, theme):
    """Picks `theme` in mdBook's theme menu, as a reader does."""
    await page.locator("#mdbook-theme-toggle").click()
    await page.locator(f"#mdbook-theme-{theme}").click()
    check(await page.evaluate(f"() => document.documentElement.classList.contains('{theme}')"),
          f"{page.url}: choosing {theme} in the theme menu did not apply it")


async def axe_finds_what_it_should(browser, axe_js):
    """axe, as configured here, on a page made to fail: a silent axe (not
    loaded, no rule run, results dropped) would pass every page."""
    context = await new_context(browser, "light", 1280)
    page = await context.new_page()
    await page.set_content("""<main><h1>Canary</h1>
        <p style="color: #777; background: #888">grey on grey</p>
        <p>Text with <a href="#x" style="color: inherit; text-decoration: none">a link</a> in it.</p>
        <button aria-label="Close"><span>Open</span></button>
        <div role="button"></div></main>""")
    every = {v["rule"] for v in await axe(page, axe_js)}
    colour = {v["rule"] for v in await axe(page, axe_js, AXE_COLOUR_OPTIONS)}
    check({"color-contrast", "label-content-name-mismatch", "aria-command-name"} <= every,
          f"axe (every rule) missed violations made on purpose; found {sorted(every)}")
    check(colour == {"color-contrast"}, f"axe (colour rules) found {sorted(colour)}, not color-contrast alone")
    ok("axe finds what a canary page gets wrong on purpose: grey on grey, a name that leaves out "
       "its label, a button with no name (the colour rules alone: the contrast)")
    await context.close()


async def axe_every_page(browser, base, book, axe_js):
    """One worker per width, each with one tab: a page is loaded once and
    checked (every rule) in the theme it opens in, then (the colour rules)
    in the other, chosen from the theme menu. The choice is kept, so the
    next page opens in it: each theme gets every rule on half the pages."""
    names = pages(book)
    found = []

    async def worker(width):
        context = await new_context(browser, THEMES[0], width)
        page = await context.new_page()
        theme = THEMES[0]
        seen = set()  # (theme, turn): the chrome checked whole once each
        for name in names:
            await open_page(page, base, name)
            # mdBook eases colours over up to 0.5 s when the theme changes;
            # axe must see the colours the reader ends with.
            await page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            for turn in range(len(THEMES)):
                if turn:
                    theme = THEMES[1 - THEMES.index(theme)]
                    await switch_theme(page, theme)
                check(await page.evaluate(f"() => document.documentElement.classList.contains('{theme}')"),
                      f"{name}: the {theme} theme was not applied")
                options = AXE_COLOUR_OPTIONS if turn else AXE_OPTIONS
                scope = CHROME if (theme, turn) in seen else "document"
                seen.add((theme, turn))
                found.append(described(f"{name}, {theme}, {width} px", await axe(page, axe_js, options, scope)))
                if name == "01-lost-update.html":
                    # The widget in each tab (a hidden tab is not checked).
                    widget = page.locator(".stepper.stepper-on").first
                    for tab in ("Be the scheduler", "Outcomes", "Step"):
                        await widget.get_by_role("tab", name=tab).click()
                        if tab != "Step":
                            where = f"{name}, {theme}, {width} px, the widget's {tab} tab"
                            found.append(described(where, await axe(page, axe_js, options)))
        await context.close()

    await asyncio.gather(*(worker(width) for width in WIDTHS))
    problems = "\n".join(f for f in found if f)
    check(not problems, f"axe found critical or serious violations:\n{problems}")
    ok(f"axe: no critical or serious violation on the {len(names)} pages, "
       f"in {' and '.join(THEMES)}, at {' and '.join(f'{w} px' for w in WIDTHS)}, "
       "and in each tab of chapter 1's widget")


async def screen_reader_walks_the_stepper(browser, base):
    context = await new_context(browser, "light", 1280)
    page = await context.new_page()
    await open_page(page, base, "01-lost-update.html")
    widget = page.locator(".stepper.stepper-on").first
    # The widget opens on its game (the answer is folded below it); the
    # Step tab walks the failing execution row by row.
    await widget.get_by_role("tab", name="Step").click()
    panel = widget.locator("[data-panel=step]")
    status = panel.get_by_role("status")
    rows = 0
    while await panel.get_by_role("button", name="Next step ▶").is_enabled():
        await panel.get_by_role("button", name="Next step ▶").click()
        rows += 1
        # What the accessibility tree gives a screen reader for the status.
        heard = await status.aria_snapshot()
        row = panel.locator("tbody tr").nth(rows - 1)
        cells = [c.strip() for c in await row.locator("td").all_inner_texts()]
        thread_cells = cells[1:-1]
        action = next(c for c in thread_cells if c)
        thread = (await widget.locator("thead th").all_inner_texts())[1 + thread_cells.index(action)]
        for said in (f"Row {rows} ", thread, action, cells[-1]):
            check(said in heard, f"row {rows}: a screen reader hears {heard!r}, without {said!r}")
    check(rows >= 4, f"chapter 1's failing execution has {rows} rows")
    check("FAILS" in await status.inner_text(), "the last row's announcement does not give loom's verdict")
    ok(f"a screen reader hears each of the {rows} rows of chapter 1's stepper: its thread, action, "
       "value read and line, then loom's verdict")
    await context.close()


async def weight_of_every_chapter(browser, base, book):
    """What each chapter, and each level of the puzzle trail, loads before
    any search: bytes as served, and gzip-compressed as a static host
    sends them."""
    rows = []
    chapters = [n for n in pages(book) if n[:2].isdigit() or n.startswith("puzzle")]
    # One tab, its cache off (Chrome's own switch, as DevTools' "Disable
    # cache"): each page loads as a first visit would.
    context = await new_context(browser, "light", 1280)
    page = await context.new_page()
    devtools = await context.new_cdp_session(page)
    await devtools.send("Network.enable")
    await devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    for name in chapters + ["introduction.html"]:
        fetched.clear()
        await open_page(page, base, name)
        # The fonts the page uses have come (they are fetched on use).
        await page.evaluate("() => document.fonts.ready.then(() => true)")
        load_ms = await page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }")
        raw = squeezed = 0
        for url in fetched:
            check(url.startswith(base), f"{name} fetched {url}, off the book's server")
            path = book / url[len(base):].split("?")[0].split("#")[0]
            body = path.read_bytes()
            raw += len(body)
            squeezed += len(gzip.compress(body, 6))
        check(not any("searchindex" in url for url in fetched), f"{name} loads the search index before any search")
        rows.append((name, raw, squeezed, load_ms, len(fetched)))
    await context.close()
    heaviest = max(rows, key=lambda r: r[2])
    for name, raw, squeezed, load_ms, count in rows:
        print(f"  {name:30} {count:3} files {raw / 1024:6.0f} KB as served, {squeezed / 1024:5.0f} KB gzip, "
              f"load event {load_ms:5.0f} ms")
    over = [r for r in rows if r[2] > PAGE_BUDGET]
    check(not over, "over the page weight budget (300 KB gzip): "
          + ", ".join(f"{r[0]} {r[2] / 1024:.0f} KB" for r in over))
    times = sorted(r[3] for r in rows)
    ok(f"every chapter's and puzzle's first load is within 300 KB gzip (heaviest: {heaviest[0]}, "
       f"{heaviest[2] / 1024:.0f} KB gzip, {heaviest[1] / 1024:.0f} KB as served)")
    ok(f"load event, {len(rows)} pages, this machine as it is now (not judged: a shared machine): "
       f"median {statistics.median(times):.0f} ms, slowest {times[-1]:.0f} ms")


async def search_loads_its_index_only_when_opened(browser, base, book):
    context = await new_context(browser, "light", 1280)
    page = await context.new_page()
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    await open_page(page, base, "introduction.html")
    check(not any("searchindex" in u for u in fetched), "the search index loads with the page")
    await page.keyboard.press("s")  # mdBook's key for search
    box = page.locator("#mdbook-searchbar")
    await box.wait_for(state="visible")
    # mdBook searches on keyup: type it, as a reader would.
    await box.press_sequentially("fetch_add")
    results = page.locator("#mdbook-searchresults li a")
    await results.first.wait_for(state="visible")
    hrefs = [await results.nth(i).get_attribute("href") for i in range(await results.count())]
    check(any(h.startswith("04-atomics.html") for h in hrefs), f"searching fetch_add does not find chapter 4: {hrefs}")
    index = [u for u in fetched if "searchindex" in u]
    check(len(index) == 1, f"the search fetched {index}")
    body = (book / index[0][len(base):]).read_bytes()
    squeezed = len(gzip.compress(body, 6))
    check(squeezed <= INDEX_BUDGET, f"the search index is {squeezed / 1024:.0f} KB gzip, over 1 MB")
    check(all(u.startswith(base) for u in fetched), "the search fetched something off the book's server")
    ok(f"the search index loads only when search opens: {len(body) / 1024:.0f} KB as served, "
       f"{squeezed / 1024:.0f} KB gzip; `fetch_add` finds chapter 4")
    await context.close()


async def charts_follow_the_theme_and_the_width(browser, base):
    seen = {}
    for theme, width in (("light", 1280), ("navy", 1280), ("light", 390)):
        context = await new_context(browser, theme, width)
        page = await context.new_page()
        await open_page(page, base, "13-choosing.html")
        seen[(theme, width)] = await page.evaluate("""() => [...document.querySelectorAll('main img[src$=".svg"]:not(.img-wrapper img)')]
            .map((img) => ({shown: img.getBoundingClientRect().width > 0, filter: getComputedStyle(img).filter,
                            note: getComputedStyle(img.closest('p').nextElementSibling).display !== 'none'}))""")
        await context.close()
    light, navy, narrow = seen[("light", 1280)], seen[("navy", 1280)], seen[("light", 390)]
    check(len(light) >= 2, f"chapter 13 has {len(light)} charts")
    check(all(c["shown"] and c["filter"] == "none" and not c["note"] for c in light),
          f"light, 1280 px: a chart hidden, filtered or with its narrow note: {light}")
    check(all(c["shown"] and "invert" in c["filter"] for c in navy), f"navy: a chart not inverted: {navy}")
    check(all(not c["shown"] and c["note"] for c in narrow), f"390 px: a chart shown, or its note not: {narrow}")
    ok(f"chapter 13's {len(light)} charts: as drawn in light, inverted in navy, "
       "and at 390 px left out with a note pointing at their table")


async def run(browser, base, book, axe_js):
    started = time.monotonic()
    await axe_finds_what_it_should(browser, axe_js)
    await axe_every_page(browser, base, book, axe_js)
    await screen_reader_walks_the_stepper(browser, base)
    await weight_of_every_chapter(browser, base, book)
    await search_loads_its_index_only_when_opened(browser, base, book)
    await charts_follow_the_theme_and_the_width(browser, base)
    ok(f"{time.monotonic() - started:.0f} s in all")


async def main():
    if len(sys.argv) < 2:
        print("usage: pages.py AXE_JS [BOOK]")
        sys.exit(2)
    axe_path = Path(sys.argv[1])
    book = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "book" / "build"
    if not axe_path.is_file():
        print(f"MISSING: axe-core at {axe_path} (.ci/run fetches it)")
        sys.exit(2)
    if not os.access(CHROMIUM, os.X_OK):
        print(f"MISSING: Chromium at {CHROMIUM} (sudo apt-get install chromium)")
        sys.exit(2)
    check((book / "index.html").is_file(), f"{book} holds no built book: build it first (cargo xtask book)")
    server = serve(book)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], timeout=60_000)
            ok(f"Chromium {browser.version}, axe-core from {axe_path}, serving {book} on {base}")
            try:
                await run(browser, base, book, axe_path.read_text(encoding="utf-8"))
            finally:
                await browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except (Failed, AssertionError) as e:
        print(f"FAILED: {e}")
        sys.exit(1)
    except PlaywrightError as e:
        print(f"FAILED: {e.message}")
        sys.exit(1)
    print("PASSED: every page, in Chromium")
