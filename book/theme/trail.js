// The puzzle trail's progress (issue 28), kept in this browser only
// (localStorage; nothing is sent anywhere). On a level's page, a win the
// stepper reports ("stepper-won": the moves made, and the fewest that
// reach a failing end) is saved, with the best so far; on the trail's index,
// each level solved is marked with its score, and the progress can be
// forgotten. Any other page is left alone.
(() => {
  "use strict";
  const KEY = "concurrency-course-puzzle-trail";
  const levelOf = (path) => (path.match(/puzzle-\d\d-[a-z0-9-]+/) || [])[0];
  const load = () => {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || {};
    } catch (e) {
      return {}; // storage off, or not ours: no progress shown
    }
  };
  const save = (all) => {
    try {
      localStorage.setItem(KEY, JSON.stringify(all));
      return true;
    } catch (e) {
      return false; // storage off (some private windows): not kept
    }
  };
  const moves = (n) => `${n} move${n === 1 ? "" : "s"}`;

  const level = levelOf(location.pathname);
  if (level) {
    document.addEventListener("stepper-won", (event) => {
      const all = load();
      const {moves: made, shortest} = event.detail;
      const best = Math.min(made, (all[level] || {}).best || Infinity);
      all[level] = {best, shortest};
      const kept = save(all);
      const widget = event.target.closest(".stepper");
      let note = widget.parentNode.querySelector(".trail-saved");
      if (!note) {
        note = document.createElement("p");
        note.className = "trail-saved";
        note.setAttribute("role", "status");
        widget.after(note);
      }
      note.textContent = `Level solved in ${moves(made)}; the fewest that reach a failing end: ${shortest}` +
        (best < made ? `; your best: ${moves(best)}` : "") + ". " +
        (kept ? "Kept in this browser only, for the trail's index." : "This browser does not keep it.");
    });
    return;
  }

  const rows = [...document.querySelectorAll("main table a[href]")]
    .map((link) => [link, levelOf(link.getAttribute("href"))])
    .filter(([, name]) => name);
  if (!/\/puzzles(\.html)?$/.test(location.pathname) || rows.length === 0) {
    return;
  }
  const summary = document.createElement("p");
  summary.className = "trail-progress";
  const forget = document.createElement("button");
  forget.type = "button";
  forget.textContent = "Forget my progress";
  const said = document.createElement("span");
  said.setAttribute("role", "status");
  said.tabIndex = -1; // where the focus goes once the button is gone
  summary.append(said, " ", forget);
  rows[0][0].closest("table").before(summary);
  const show = () => {
    const all = load();
    let solved = 0;
    for (const [link, name] of rows) {
      const cell = link.closest("td");
      cell.querySelector(".trail-solved")?.remove();
      const score = all[name];
      if (score) {
        solved += 1;
        const mark = document.createElement("span");
        mark.className = "trail-solved";
        mark.textContent = `✓ solved in ${moves(score.best)} (fewest: ${score.shortest})`;
        cell.append(mark);
      }
    }
    said.textContent = `Solved ${solved} of ${rows.length} levels (kept in this browser only).`;
    forget.hidden = solved === 0;
  };
  forget.addEventListener("click", () => {
    try {
      localStorage.removeItem(KEY);
    } catch (e) {
      // storage off: nothing was kept
    }
    show();
    said.focus();
  });
  show();
})();
