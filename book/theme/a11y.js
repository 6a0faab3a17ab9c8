// A code block, trace or table wider than the page scrolls sideways (the
// scrolling element is mdBook's `pre > code` or `.table-wrapper`); a
// keyboard user can scroll it only if it can take the focus (issue 27,
// axe's "scrollable-region-focusable"). Each one that scrolls gets a tab
// stop and a name saying so; one that fits gets neither.
(() => {
    "use strict";
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
})();
