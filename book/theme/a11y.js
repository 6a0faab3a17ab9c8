// Where mdBook's stock page falls short for a keyboard or a screen reader
// (issue 27), mended after it loads; mdBook itself is not forked, and
// a11y.css does the rest.
(() => {
    "use strict";

    // mdBook's sidebar toggle is a <label> for a hidden checkbox, with
    // aria-label, aria-controls and aria-expanded (which a label may not
    // carry: axe's aria-allowed-attr, aria-prohibited-attr) and no tab
    // stop, so a keyboard cannot open the table of contents. As a button
    // it may carry them, takes the focus, and Enter or Space press it.
    const toggle = document.getElementById("mdbook-sidebar-toggle");
    if (toggle && toggle.tagName === "LABEL") {
        toggle.setAttribute("role", "button");
        toggle.setAttribute("tabindex", "0");
        toggle.addEventListener("keydown", (e) => {
            if (e.key === "Enter" || e.key === " ") {
                e.preventDefault();
                e.stopPropagation(); // mdBook's own keys do not see it
                toggle.click();
            }
        });
    }

    // When a reader closes the sidebar, mdBook slides it off the page and
    // sets aria-hidden, and takes the tab stop from the links it found when
    // it loaded, but not from the links to the current page's headings that
    // it adds later: a keyboard user then tabs into a dozen links no one can
    // see (axe's aria-hidden-focus; a page loaded narrow hides the sidebar
    // outright, so only a page narrowed or closed by hand shows it). Inert
    // while hidden, the whole sidebar is out of the tab order and out of
    // the accessibility tree; opened, it is back.
    const sidebar = document.getElementById("mdbook-sidebar");
    if (sidebar) {
        const follow = () => { sidebar.inert = sidebar.getAttribute("aria-hidden") === "true"; };
        follow();
        new MutationObserver(follow).observe(sidebar, {attributes: true, attributeFilter: ["aria-hidden"]});
    }

    // A code block, trace or table wider than the page scrolls sideways
    // (the scrolling element is mdBook's `pre > code` or `.table-wrapper`);
    // a keyboard user can scroll it only if it can take the focus (axe's
    // scrollable-region-focusable). Each one that scrolls gets a tab stop
    // and a name saying so; one that fits gets neither.
    const SCROLLERS = "main pre > code, main .table-wrapper";
    function mark() {
        document.querySelectorAll(SCROLLERS).forEach((pre) => {
            const scrolls = pre.scrollWidth > pre.clientWidth;
            if (scrolls && !pre.hasAttribute("tabindex")) {
                pre.setAttribute("tabindex", "0");
                pre.setAttribute("role", "region");
                pre.setAttribute("aria-label", pre.matches(".table-wrapper") ? "table, scrolls sideways" : "code, scrolls sideways");
                pre.dataset.scrollFocus = "";
            } else if (!scrolls && pre.dataset.scrollFocus !== undefined) {
                pre.removeAttribute("tabindex");
                pre.removeAttribute("role");
                pre.removeAttribute("aria-label");
                delete pre.dataset.scrollFocus;
            }
        });
    }
    window.addEventListener("load", mark);
    window.addEventListener("resize", mark);

    // A fold (a level's hint, a chapter's answer or speaker notes) is a
    // widget too: mdBook turns the page on ← and →, so a learner who opens
    // the hint and presses ← to take a move back would lose the game.
    document.querySelectorAll("main summary").forEach((summary) => {
        summary.addEventListener("keydown", (e) => {
            if (e.key === "ArrowLeft" || e.key === "ArrowRight") e.stopPropagation();
        });
    });

    // mdBook wraps each image in a label with a checkbox that enlarges it,
    // so the checkbox's name is the image's description, heard twice
    // (checkbox, then image). Named for what it does, it is heard once:
    // "Enlarge the chart, checkbox", then the image.
    document.querySelectorAll("main .checkbox-label > input.checkbox-img").forEach((zoom) => {
        zoom.setAttribute("aria-label", "Enlarge the chart");
    });
})();
