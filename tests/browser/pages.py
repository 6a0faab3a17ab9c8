#!/usr/bin/env python3
"""Every page of the built book in a real browser: accessible, light, offline.

Serves a built book on a free loopback port and drives Debian's Chromium
(its headless shell) with Playwright (issue 27):

- axe-core (pinned; `.ci/run` fetches it) on every page, in the light theme
  and in navy (the dark theme the book recommends), at 1280 px and at
  390 px; and on chapter 1's widget in each of its tabs. A page is loaded
  once, at 1280 px, then narrowed to 390 px with its sidebar closed by its
  toggle, as a reader turning a tablet does; the sidebar's state must then
  be what mdBook sets when the page loads at 390 px (checked against such
  a load on each worker's first page). At each width, a page is checked
  with every rule in one theme, then with the colour rules in the other
  (a theme changes colours only), the themes taking turns. Any
  critical or serious violation of WCAG 2.0, 2.1 or 2.2 A/AA fails, with
  the page, the rule and the elements; so does an accessible name that
  leaves out its visible label (axe's label-content-name-mismatch).
  The colour rules look at each text whose look is new in that theme: its
  tag, colour, size, weight, style, shadow and decoration, its parent's
  colour, every background, opacity, filter and blend it is painted over,
  whether it is punctuation alone or one character (axe skips the first
  and only asks for review of the second, so neither stands for longer
  text), and for a link the block it sits in as axe's link-in-text-block
  judges it. The same text over the same layers has the same contrast, so
  a look is checked once per theme, on the first page that shows it (3,000
  spans of highlighted code have a few dozen looks); a text axe's contrast
  rule skips (disabled, inert, or clipped to nothing) stands for none, and
  the theme menu is closed before axe looks. A canary page checks this: a
  bad look after known good ones, and a grey number after a grey digit,
  are found. What a look leaves out: something that is not an ancestor
  yet painted over the text (an overlay, a button floating over code),
  and text axe puts up for review for another reason (a large background
  drawn by `::before`). axe reports those for review, not as violations,
  so a check of every text would not fail on them either; but the same
  look elsewhere is not checked again.
- A screen reader walking chapter 1's stepper: each row's announcement (the
  widget's status, as the accessibility tree has it) says the row's
  thread, its action and the value read.
- Weight: what each page loads before any search, as served (bytes on
  this server, which does not compress) and gzip-compressed (as GitHub
  Pages sends it); over 300 KB compressed fails. A chapter's load event's
  time, on a first visit (the cache off), is printed, not judged: this
  machine is shared, and a time is no verdict.
- Search: the index is not loaded with a page, only when search opens
  (mdBook loads it then); a search for `fetch_add` finds chapter 4 with
  nothing fetched from elsewhere; the index over 1 MB compressed fails.
- Charts: drawn for the theme (inverted in navy), and at 390 px (in
  either theme) left out with a note that the table above holds their
  figures.

The weights and the charts are taken on the way through every page for axe
(each page weighed at 1280 px, a chapter with the cache off), so no page is
loaded twice. On this 2-core machine it all took about 60 to 70 s alone in
Chromium's headless shell, 80 s in /usr/bin/chromium (170 s before looks
were checked once per theme, axe was served rather than injected into
every page, and a page was narrowed rather than loaded again).

    python3 tests/browser/pages.py AXE_JS [BOOK]   # BOOK default book/build

Exit status: 0 passed, 1 a check failed, 2 Playwright, Chromium or axe
missing. tests/browser.rs runs it.
"""

import asyncio
import functools
import gzip
import itertools
import os
import re
import statistics
import sys
import time
from pathlib import Path

# The stepper test's plumbing: its server, its checks, its Chromium.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from stepper import CHROMIUM, INSTALL_CHROMIUM, ROOT, TIMEOUT_MS, Failed, check, serve  # noqa: E402

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
AXE_PATH = "/_tests/axe.min.js"

try:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright
except ImportError:
    print("MISSING: the Python module playwright (python3 -m pip install --user playwright==1.65.3)")
    sys.exit(2)


STARTED = time.monotonic()


def ok(message):
    print(f"ok ({time.monotonic() - STARTED:.0f} s): {message}", flush=True)


def pages(book):
    """The book's pages: every page mdBook rendered, but print.html (all of
    them at once, to print), toc.html (the sidebar, for no script) and
    index.html while it is byte for byte another page (mdBook writes it as
    a copy of the book's first page, introduction.html: the same bytes in
    the same folder are the same page). The .html files in subfolders are
    fragments that chapters include."""
    names = [p.name for p in sorted(book.glob("*.html")) if p.name not in ("print.html", "toc.html")]
    index = (book / "index.html").read_bytes() if "index.html" in names else None
    if any((book / name).read_bytes() == index for name in names if name != "index.html"):
        names.remove("index.html")
    return names


async def new_context(browser, theme, width):
    context = await browser.new_context(viewport={"width": width, "height": 900})
    # The theme the context starts in; a theme the reader then picks stays.
    await context.add_init_script(
        f"if (!localStorage.getItem('mdbook-theme')) localStorage.setItem('mdbook-theme', '{theme}')")
    context.set_default_timeout(TIMEOUT_MS)
    return context


# mdBook's sidebar and menu bar: the same on every page (but for which
# link is current), so checked whole once in each theme, width and turn
# (on the first two pages, 01 and 02, which open in light and in navy),
# and left out after.
CHROME = "{exclude: [['#mdbook-sidebar'], ['#mdbook-menu-bar']]}"


# Marks (data-axe-new) each visible text on the page whose look is not in
# `known` (looks already checked in this theme), and returns the new looks.
# A text clipped to (almost) nothing, or disabled, is left unmarked with no
# look: axe's contrast rule skips it, so it cannot stand for a text it checks.
NEW_LOOKS = """([known, outsideChrome]) => {
    const seen = new Set(known), found = [], painted = new Map();
    document.querySelectorAll('[data-axe-new]').forEach((el) => el.removeAttribute('data-axe-new'));
    // Every background, opacity, filter and blend under an element's text.
    const layers = (el) => {
        if (!el) return '';
        if (!painted.has(el)) {
            const s = getComputedStyle(el);
            const own = s.backgroundColor !== 'rgba(0, 0, 0, 0)' || s.opacity !== '1' || s.filter !== 'none'
                || s.backgroundImage !== 'none' || s.mixBlendMode !== 'normal'
                ? [s.backgroundColor, s.opacity, s.filter, s.backgroundImage, s.mixBlendMode].join(' ') : '';
            painted.set(el, own + ' / ' + layers(el.parentElement));
        }
        return painted.get(el);
    };
    // Text clipped to (almost) nothing is skipped by axe's contrast rule;
    // text a scrolling block cuts off, axe still checks (tried: a span
    // scrolled out of a 200 px block is found).
    const shown = (el) => {
        const box = el.getBoundingClientRect(), s = getComputedStyle(el);
        return box.width >= 2 && box.height >= 2 && s.clip === 'auto' && s.clipPath === 'none';
    };
    // axe skips text of punctuation and symbols alone, and reports one
    // character for review rather than as a violation: such a text is a
    // look of its own, never standing for longer text.
    const kind = (text) => /^[\\p{P}\\p{S}\\s]*$/u.test(text) ? 'symbols' : [...text].length === 1 ? 'one' : 'text';
    // The block a link sits in, as axe's link-in-text-block sees it: the
    // nearest ancestor that is not inline; and whether the block's other
    // text is longer than its links' (then the link is in a text block).
    const blocks = new Map();
    const block = (el) => {
        let up = el.parentElement;
        while (up.parentElement && getComputedStyle(up).display.startsWith('inline')) up = up.parentElement;
        if (!blocks.has(up)) {
            const links = [...up.querySelectorAll('a[href]')].reduce((n, a) => n + a.innerText.trim().length, 0);
            const b = getComputedStyle(up);
            blocks.set(up, [up.innerText.trim().length - links > links, b.color, b.fontWeight, b.fontSize,
                            b.fontStyle, b.textDecorationLine, layers(up)].join(' '));
        }
        return blocks.get(up);
    };
    const chrome = '#mdbook-sidebar, #mdbook-menu-bar';
    for (const el of document.body.querySelectorAll('*')) {
        // (A loop, not an array per element: this runs on every element,
        // four times a page.)
        let own = '';
        for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 3) own += n.data;
        own = own.trim();
        const link = el.matches('a[href]') && el.innerText.trim() !== '';
        const field = el.matches('input:not([type=hidden]), select, textarea');
        if (!own && !link && !field) continue;
        if (outsideChrome && el.closest(chrome)) continue;
        if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
        if (!shown(el) || el.closest(':disabled, [aria-disabled=true], [inert]')) continue;
        const s = getComputedStyle(el), up = el.parentElement;
        const look = [el.tagName, kind(own || el.innerText || el.value || ''), link && block(el), s.color, layers(el),
                      s.fontSize, s.fontWeight, s.fontStyle, s.textShadow, s.textDecorationLine, s.textDecorationStyle,
                      s.borderBottomStyle, s.borderBottomWidth, getComputedStyle(up).color].join('|');
        if (seen.has(look)) continue;
        seen.add(look);
        found.push(look);
        el.setAttribute('data-axe-new', '');
    }
    return found;
}"""


async def axe(page, axe_url, options=AXE_OPTIONS, scope="document"):
    """axe's critical and serious violations on the page as it is now, the
    colour rules on the texts NEW_LOOKS marked. axe is loaded from the test
    server (`axe_url`), where Chromium keeps it compiled between pages."""
    if not await page.evaluate("() => typeof axe !== 'undefined'"):
        await page.add_script_tag(url=axe_url)
        await page.evaluate("""() => axe.configure({rules: [
            {id: 'color-contrast', selector: '[data-axe-new]'},
            {id: 'link-in-text-block', selector: 'a[href][data-axe-new]'}]})""")
    return await page.evaluate(f"""async () => {{
        const result = await axe.run({scope}, {options});
        return result.violations.filter((v) => {list(FAILING)}.includes(v.impact)).map((v) => ({{
            rule: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")), count: v.nodes.length}}));
    }}""")


async def new_looks(page, known, scope="document"):
    """Marks the page's texts whose look `known` (a theme's looks checked
    so far) lacks, adds their looks to it, and says how many are marked;
    outside mdBook's sidebar and menu bar if `scope` leaves them out."""
    known.update(await page.evaluate(NEW_LOOKS, [sorted(known), scope == CHROME]))
    return await page.evaluate("() => document.querySelectorAll('[data-axe-new]').length")


def described(where, violations):
    return "\n".join(f"  {where}: {v['rule']} ({v['impact']}, {v['count']} elements): {v['help']}; "
                     f"e.g. {', '.join(v['nodes'])}" for v in violations)


async def open_page(page, base, name):
    await page.goto(base + name, wait_until="load")
    # The widgets have fetched their JSON (or said why not).
    await page.wait_for_function(
        """() => [...document.querySelectorAll('.stepper[data-explore]')]
                .every(b => b.querySelector('[role=tablist]') || b.querySelector('.stepper-error'))""")


async def switch_theme(page, theme, by_mouse=True):
    """Picks `theme` in mdBook's theme menu, as a reader does (or, once
    that is shown to work, clicks the same two buttons from the page, with
    none of Playwright's waits for a pointer)."""
    if by_mouse:
        await page.locator("#mdbook-theme-toggle").click()
        await page.locator(f"#mdbook-theme-{theme}").click()
        await page.keyboard.press("Escape")  # mdBook leaves the menu open
    else:
        await page.evaluate(f"""() => {{ const toggle = document.getElementById('mdbook-theme-toggle');
            toggle.click(); document.getElementById('mdbook-theme-{theme}').click(); toggle.click(); }}""")
    check(await page.evaluate(f"() => document.documentElement.classList.contains('{theme}')"),
          f"{page.url}: choosing {theme} in the theme menu did not apply it")
    # Open, the menu would cover the top of the page for axe.
    check(await page.locator("#mdbook-theme-list").is_hidden(), f"{page.url}: the theme menu stayed open")


CANARY = """<main><h1>Canary</h1>
    <p>Text with <a href="#x">a link</a> in it.</p>
    <pre><code><span style="color: #222">known</span> <span style="color: #999">grey</span>
        <span style="color: #aaa">1</span> <span class="later" style="color: #aaa">1000</span></code></pre>
    <p style="color: #777; background: #888">grey on grey</p>
    <p style="background: #333">Text on a dark block, coloured as the text above</p>
    <p>Text with <a href="#x" style="color: #333; text-decoration: none">a link</a> in it.</p>
    <button aria-label="Close"><span>Open</span></button>
    <div role="button"></div></main>"""


async def axe_finds_what_it_should(browser, axe_url):
    """axe, as configured here, on a page made to fail: a silent axe (not
    loaded, no rule run, results dropped, or a new look taken for a known
    one) would pass every page."""
    context = await new_context(browser, "light", 1280)
    page = await context.new_page()
    await page.set_content(CANARY)
    # First the looks of the good texts become known, as if checked on an
    # earlier page (the grey code coloured like the code before it); then,
    # with everything shown, only the bad texts' looks are new.
    known = set()
    grey_code = "document.querySelector('pre span + span').style.color"
    await page.evaluate(f"() => {{ {grey_code} = '#222'; document.querySelectorAll("
                        "'main > :not(h1, p:first-of-type, pre), .later').forEach((el) => el.hidden = true); }")
    await new_looks(page, known)
    await page.evaluate(f"() => {{ {grey_code} = '#999'; "
                        "document.querySelectorAll('main > *, .later').forEach((el) => el.hidden = false); }")
    marked = await new_looks(page, known)
    every = {v["rule"] for v in await axe(page, axe_url)}
    colour = {v["rule"] for v in await axe(page, axe_url, AXE_COLOUR_OPTIONS)}
    check({"color-contrast", "link-in-text-block", "label-content-name-mismatch", "aria-command-name"} <= every,
          f"axe (every rule) missed violations made on purpose; found {sorted(every)}")
    check(colour == {"color-contrast", "link-in-text-block"},
          f"axe (colour rules) found {sorted(colour)}, not color-contrast and link-in-text-block")
    grey = await page.evaluate("""async () => (await axe.run(document, {runOnly: ['color-contrast']}))
        .violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')))""")
    # The grey code, the grey number 1000 (the grey 1 before it, one
    # character, stands for no longer text), the grey paragraph, the text
    # coloured as a known one but on a dark block, the link told by colour
    # alone and the button's label: six new looks; nothing known marked
    # again.
    check(len(grey) == 4 and marked == 6,
          f"the known looks were not left out, or a new one was: {marked} texts marked, contrast fails on {grey}")
    ok("axe finds what a canary page gets wrong on purpose: grey on grey, grey code after code whose look is "
       "known, a grey number after a grey digit, known text on a dark block, a link told by colour alone, "
       "a name that leaves out its label, a button with no name")
    await context.close()


CHARTS = """() => [...document.querySelectorAll('main img[src$=".svg"]:not(.img-wrapper img)')]
    .map((img) => ({shown: img.getBoundingClientRect().width > 0, filter: getComputedStyle(img).filter,
                    note: getComputedStyle(img.closest('p').nextElementSibling).display !== 'none'}))"""


# What mdBook's page sets for its sidebar, to compare a page narrowed and
# its sidebar closed with a page loaded narrow.
SIDEBAR_STATE = """() => [document.documentElement.classList.contains('sidebar-visible'),
    document.getElementById('mdbook-sidebar-toggle-anchor').checked,
    document.getElementById('mdbook-sidebar-toggle').getAttribute('aria-expanded'),
    document.getElementById('mdbook-sidebar').getAttribute('aria-hidden'),
    [...document.querySelectorAll('#mdbook-sidebar a')].map((a) => a.tabIndex).join(' ')]"""


async def narrow(page, width, compare=False):
    """From the wide page to `width`, as a reader turning a tablet: mdBook
    closes its sidebar only when it loads narrow, so the reader closes it
    with its toggle. The page must then be as mdBook loads it at that width
    (the course's own scripts follow a resize: a11y.js marks again which
    code blocks scroll); with `compare`, the same page is loaded narrow
    beside it and the sidebar's state must match."""
    await page.set_viewport_size({"width": width, "height": 900})
    await page.locator("#mdbook-sidebar-toggle").click()
    state = await page.evaluate(SIDEBAR_STATE)
    check(state[:4] == [False, False, "false", "true"],
          f"{page.url}: at {width} px with the sidebar closed, mdBook's sidebar state is {state[:4]}")
    if compare:
        # Closed, the sidebar is out of the tab order (a11y.js makes it
        # inert: mdBook leaves its heading links focusable); opened again,
        # it is back in it; then closed for the checks that follow.
        toggle = page.locator("#mdbook-sidebar-toggle")
        first_link = page.locator("#mdbook-sidebar a").first
        for opened in (False, True):
            focused = await first_link.evaluate("(a) => (a.focus(), a === document.activeElement)")
            check(focused == opened, f"{page.url}: at {width} px a link in the {'open' if opened else 'closed'} "
                  f"sidebar {'cannot take' if opened else 'takes'} the focus")
            await toggle.click()
        loaded = await page.context.new_page()
        await loaded.set_viewport_size({"width": width, "height": 900})
        await loaded.goto(page.url, wait_until="load")
        expected = await loaded.evaluate(SIDEBAR_STATE)
        await loaded.close()
        check(state == expected, f"{page.url}: narrowed to {width} px with the sidebar closed, the sidebar's "
              f"state is {state}; loaded at that width, {expected}")
        ok(f"{page.url.rsplit('/', 1)[-1]}, narrowed to {width} px and its sidebar closed by its toggle, is as "
           "mdBook loads it at that width; the closed sidebar takes no focus, and opened again it does")


async def every_page(browser, base, book, axe_url):
    """Two workers, each with one tab, take the pages one at a time from
    a shared list, in name order: that puts the chapters, the slowest
    pages, first and the short ones (the puzzles among them) last, so at
    the end one worker waits at most for the other's last, short page.

    A page is loaded once, at 1280 px, and checked (every rule) in the
    theme it opens in, then (the colour rules, if a text's look is new)
    in the other, chosen from the theme menu; then narrowed to 390 px and
    checked again, every rule in the second theme, the colour rules back
    in the first. The pages open in light and navy by turns in the list's
    order (the reader's choice, kept), so each theme gets every rule at
    each width on half the pages. The looks checked are shared by the
    workers.

    On the way, each page's load is weighed (a chapter's with the cache
    off), and chapter 13's charts are looked at in each theme and width.
    Returns the weights and the charts."""
    names = pages(book)
    # A plain iterator both workers draw from: nothing awaits between
    # taking a page and starting on it, so no page is taken twice.
    queue = iter(enumerate(names))
    found = []
    known = {theme: set() for theme in THEMES}
    colour_runs = [0]
    weights = []
    charts = {}
    seen = set()  # (theme, width, turn): the chrome checked whole once each

    async def check_page(page, where, theme, first_turn, scope):
        if await new_looks(page, known[theme], scope) or first_turn:
            colour_runs[0] += 1
            found.append(described(where, await axe(page, axe_url, AXE_OPTIONS if first_turn else AXE_COLOUR_OPTIONS,
                                                    scope)))

    async def worker():
        # Its first page's theme is the one the tab opens in.
        first = next(queue, None)
        if first is None:
            return
        context = await new_context(browser, THEMES[first[0] % 2], WIDTHS[0])
        page = await context.new_page()
        # The cache off (Chrome's own switch, as DevTools' "Disable cache";
        # it needs the Network domain on) for each chapter, so it loads as
        # a first visit would and its load event is a first visit's; on for
        # the other pages (weighed from the list of what they load, which
        # the cache does not change) and for axe, which Chromium then keeps
        # compiled.
        devtools = await context.new_cdp_session(page)
        await devtools.send("Network.enable")
        for number, (place, name) in enumerate(itertools.chain([first], queue)):
            theme = THEMES[place % 2]
            if number:
                # The reader's choices, kept by mdBook: this page's theme,
                # and the sidebar open (closed on the narrow page before).
                await page.evaluate(f"""() => {{ localStorage.setItem('mdbook-theme', '{theme}');
                    localStorage.setItem('mdbook-sidebar', 'visible'); }}""")
                await page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            chapter = name[:2].isdigit() and name[2] == "-"  # 01-lost-update.html, not 404.html
            await devtools.send("Network.setCacheDisabled", {"cacheDisabled": chapter})
            await open_page(page, base, name)
            weights.append(await weigh(page, name, base, book, first_visit=chapter))
            if chapter:
                await devtools.send("Network.setCacheDisabled", {"cacheDisabled": False})
            # mdBook eases colours over up to 0.5 s when the theme changes;
            # axe must see the colours the reader ends with.
            await page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    await narrow(page, width, compare=number == 0)
                for turn in range(len(THEMES)):
                    if turn:
                        theme = THEMES[1 - THEMES.index(theme)]
                        # By mouse the first time; then from the page.
                        await switch_theme(page, theme, by_mouse=number == 0 and turn == 1)
                    check(await page.evaluate(f"() => document.documentElement.classList.contains('{theme}')"),
                          f"{name}: the {theme} theme was not applied")
                    scope = CHROME if (theme, width, turn) in seen else "document"
                    seen.add((theme, width, turn))
                    await check_page(page, f"{name}, {theme}, {width} px", theme, turn == 0, scope)
                    if name == "13-choosing.html":
                        charts[(theme, width)] = await page.evaluate(CHARTS)
                        if (theme, width) == ("light", WIDTHS[0]):
                            # What a screen reader hears of each chart.
                            charts["heard"] = [await zoom.aria_snapshot()
                                               for zoom in await page.locator("main label.checkbox-label").all()]
                    if name == "01-lost-update.html":
                        # The widget in each tab (a hidden tab is not checked).
                        # (The page's check saw the tab open then.)
                        widget = page.locator(".stepper.stepper-on").first
                        for tab in ("Step", "Outcomes", "Be the scheduler"):
                            await widget.get_by_role("tab", name=tab).click()
                            where = f"{name}, {theme}, {width} px, the widget's {tab} tab"
                            await check_page(page, where, theme, turn == 0, "document")
        await context.close()

    await asyncio.gather(worker(), worker())
    # Every page checked once: none skipped, none taken by both workers.
    walked = sorted(row[0] for row in weights)
    check(walked == names, f"the workers walked {walked}, not each of the {len(names)} pages once")
    problems = "\n".join(sorted(f for f in found if f))
    check(not problems, f"axe found critical or serious violations:\n{problems}")
    ok(f"axe: no critical or serious violation on the {len(names)} pages, "
       f"in {' and '.join(THEMES)}, at {' and '.join(f'{w} px' for w in WIDTHS)}, "
       "and in each tab of chapter 1's widget "
       f"({' and '.join(f'{len(known[t])} looks of text in {t}' for t in THEMES)}; {colour_runs[0]} axe runs)")
    return weights, charts


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


@functools.cache
def sizes(path):
    """A file's size as served, and gzip-compressed (once a file: most are
    on every page)."""
    body = path.read_bytes()
    return len(body), len(gzip.compress(body, 6))


async def weigh(page, name, base, book, first_visit):
    """What a page loaded before any search, as its Resource Timing lists
    it (the page, and every file it fetched or took from the cache: with
    the cache on or off the same list, tried on every chapter and puzzle,
    and the same as Playwright's finished requests, tried on chapter 1;
    and every script and style sheet the page names must be in it): bytes
    as served, and gzip-compressed as a static host sends them; and, for a
    `first_visit` (the cache off), its load event's time."""
    # The fonts the page uses have come (they are fetched on use).
    await page.evaluate("() => document.fonts.ready.then(() => true)")
    entries = await page.evaluate("""() => [...performance.getEntriesByType('navigation'),
        ...performance.getEntriesByType('resource')].map((e) => [e.name, e.transferSize])""")
    fetched = [url for url, _ in entries]
    for url in fetched:
        check(url.startswith(base), f"{name} fetched {url}, off the book's server")
    named = await page.evaluate("""() => [...document.querySelectorAll('script[src], link[rel=stylesheet][href]')]
        .map((el) => el.src || el.href)""")
    unlisted = [url for url in named if url not in fetched]
    check(not unlisted, f"{name}: its Resource Timing leaves out {unlisted}, so its weight would too")
    if first_visit:
        cached = [url for url, sent in entries if not sent]
        check(not cached, f"{name}, loaded with the cache off, took {cached} from the cache")
    load_ms = await page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }")
    # The favicon: Chromium fetches it itself (so no Resource Timing
    # lists it), once, not with every page; a first visit fetches it.
    icon = await page.evaluate("() => document.querySelector('link[rel=icon]').href")
    fetched = fetched + [icon]
    raw = squeezed = 0
    for url in fetched:
        size, compressed = sizes(book / url[len(base):].split("?")[0].split("#")[0])
        raw += size
        squeezed += compressed
    check(not any("searchindex" in url for url in fetched), f"{name} loads the search index before any search")
    return name, raw, squeezed, load_ms if first_visit else None, len(fetched)


def weight_of_every_chapter(rows):
    """Each page's first load, as `every_page` weighed it."""
    check(len(rows) > 20, f"only {len(rows)} pages weighed")
    heaviest = max(rows, key=lambda r: r[2])
    for name, raw, squeezed, load_ms, count in sorted(rows):
        first_visit = "" if load_ms is None else f", load event {load_ms:5.0f} ms (a first visit)"
        print(f"  {name:30} {count:3} files {raw / 1024:6.0f} KB as served, {squeezed / 1024:5.0f} KB gzip"
              + first_visit)
    over = [r for r in rows if r[2] > PAGE_BUDGET]
    check(not over, "over the page weight budget (300 KB gzip): "
          + ", ".join(f"{r[0]} {r[2] / 1024:.0f} KB" for r in over))
    times = sorted(r[3] for r in rows if r[3] is not None)
    check(times, "no chapter's first visit was timed")
    ok(f"every page's first load is within 300 KB gzip (heaviest: {heaviest[0]}, "
       f"{heaviest[2] / 1024:.0f} KB gzip, {heaviest[1] / 1024:.0f} KB as served)")
    ok(f"load event, the {len(times)} chapters' first visits, this machine as it is now, beside axe and the other "
       f"browser scripts (not judged: a shared machine): median {statistics.median(times):.0f} ms, slowest {times[-1]:.0f} ms")


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


def charts_follow_the_theme_and_the_width(charts):
    """Chapter 13's charts, as `every_page` saw them in each theme and width."""
    light, navy = charts[("light", 1280)], charts[("navy", 1280)]
    narrow = charts[("light", 390)] + charts[("navy", 390)]
    check(len(light) >= 2, f"chapter 13 has {len(light)} charts")
    check(all(c["shown"] and c["filter"] == "none" and not c["note"] for c in light),
          f"light, 1280 px: a chart hidden, filtered or with its narrow note: {light}")
    check(all(c["shown"] and "invert" in c["filter"] for c in navy), f"navy: a chart not inverted: {navy}")
    check(all(not c["shown"] and c["note"] for c in narrow), f"390 px: a chart shown, or its note not: {narrow}")
    # mdBook's click-to-enlarge checkbox is named for what it does; the
    # chart's description is heard once, from the image.
    heard = charts["heard"]
    check(len(heard) == len(light) and all(
        re.search(r'^- checkbox "Enlarge the chart"$', h, re.M) and h.count("img ") == 1 for h in heard),
        f"a chart's checkbox is not named 'Enlarge the chart' (else the chart's description is heard twice, "
        f"from the checkbox and from the image): {heard}")
    ok(f"chapter 13's {len(light)} charts: as drawn in light, inverted in navy, each heard as "
       "'Enlarge the chart, checkbox' and its image, and at 390 px (either theme) left out with a note pointing at their table")


async def run(browser, base, book, axe_url):
    started = time.monotonic()
    await axe_finds_what_it_should(browser, axe_url)
    weights, charts = await every_page(browser, base, book, axe_url)
    weight_of_every_chapter(weights)
    charts_follow_the_theme_and_the_width(charts)
    await screen_reader_walks_the_stepper(browser, base)
    await search_loads_its_index_only_when_opened(browser, base, book)
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
        print(f"MISSING: Chromium at {CHROMIUM} ({INSTALL_CHROMIUM})")
        sys.exit(2)
    check((book / "index.html").is_file(), f"{book} holds no built book: build it first (cargo xtask book)")
    # axe is served beside the book (never part of it), from one address,
    # so Chromium compiles it once rather than on every page.
    server = serve(book, {AXE_PATH: axe_path})
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], timeout=60_000)
            ok(f"Chromium {browser.version}, axe-core from {axe_path}, serving {book} on {base}")
            try:
                await run(browser, base, book, base.rstrip("/") + AXE_PATH)
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
