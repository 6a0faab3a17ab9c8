// The stepper (issue 17): every execution loom ran for one of the book's
// checks, to step through, to schedule yourself, and tallied. A chapter
// places it with
//   <div class="stepper" data-explore="explore/lab-01/racy-counter.json"
//        data-observed="observed/lab-01.json"
//        data-challenge="Lose an update: end with the count at 1."></div>
// (data-observed, optional: real threads' runs, by `cargo xtask observed`);
// `cargo xtask traces` writes the JSON (harness/src/explore.rs), a tree of
// steps, [step, executions, outcome, children]. Nothing from the network.
// Indented by two: with stepper.css within 40 KB (tests/browser.rs).
(() => {
  "use strict";
  const boxes = document.querySelectorAll("div.stepper[data-explore]");
  // print.html holds every chapter, to be printed, where widgets are hidden.
  if (boxes.length === 0 || location.pathname.endsWith("/print.html")) {
    return;
  }
  let made = 0;

  // An element: h("p", {class: "x", text: "hi"}, child, ...).
  function h(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) {
        continue;
      } else if (k === "class") {
        e.className = v;
      } else if (k === "text") {
        e.textContent = v;
      } else if (k.startsWith("on")) {
        e.addEventListener(k.slice(2), v);
      } else {
        e.setAttribute(k, v === true ? "" : v);
      }
    }
    for (const kid of kids.flat()) {
      if (kid !== null && kid !== undefined && kid !== false) {
        e.append(kid);
      }
    }
    return e;
  }
  // 1,188, as the terminal prints it.
  const count = (n) => n.toLocaleString("en-US");
  const plural = (n, word) => `${count(n)} ${word}${n === 1 ? "" : "s"}`;
  // "3 executions go through here; 1 of them fails.", in words that agree
  // with their numbers.
  function throughHere(executions, fails) {
    if (executions === 1) {
      return `1 execution goes through here; it ${fails ? "fails" : "passes"}.`;
    }
    const failing = fails === 0 ? "none of them fails"
      : fails === executions ? (executions === 2 ? "both fail" : `all ${count(executions)} fail`)
      : `${count(fails)} of them ${fails === 1 ? "fails" : "fail"}`;
    return `${count(executions)} executions go through here; ${failing}.`;
  }
  const button = (text, onclick, props) =>
    h("button", Object.assign({type: "button", class: "stepper-btn", onclick, text}, props));

  function bound(d) {
    return d.preemption_bound === null
      ? "no preemption bound: every interleaving"
      : `preemption bound ${d.preemption_bound}`;
  }
  // What a pass claims: within the bound, if the check has one.
  function within(d) {
    return d.preemption_bound === null ? "" : ` within preemption bound ${d.preemption_bound}`;
  }

  // Counts each node's failing executions, marks the threads that run
  // below it (a bit each), lists each thread's lines in the order reached.
  function prepare(d) {
    d.lines = d.threads.map(() => []);
    (function walk(node) {
      let fails = 0;
      let below = 0;
      let through = 0;
      for (const child of node[3]) {
        const step = d.steps[child[0]];
        const lines = d.lines[step.thread];
        if (!lines.includes(step.at)) {
          lines.push(step.at);
        }
        walk(child);
        fails += child.fails;
        below |= child.below | (1 << step.thread);
        through += child[1];
      }
      if (node[2] >= 0 && d.outcomes[node[2]].failed) {
        fails += node[1] - through;
      }
      node.fails = fails;
      node.below = below;
    })(d.tree);
    d.fails = d.tree.fails > 0 || d.outcomes.some((o) => o.failed);
    return d;
  }

  // The shortest execution (nodes below the root) whose outcome `wanted`.
  function shortest(d, wanted) {
    const queue = [[d.tree, -1]];
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i][0];
      if (node[2] >= 0 && node[3].length === 0 && wanted(d.outcomes[node[2]])) {
        const path = [];
        for (let j = i; j > 0; j = queue[j][1]) {
          path.unshift(queue[j][0]);
        }
        return path;
      }
      for (const child of node[3]) {
        queue.push([child, i]);
      }
    }
    return null;
  }

  // A step's text cut around the values it read: "lock, read → ", {value:
  // "0"}, ", unlock". A value runs to the next ", " that starts another
  // operation, so `closed, 1 running` stays whole.
  const OP = /^(?:[\w .-]+: )?(?:lock|unlock|read|write|load|store|fetch_|compare_|swap|notify|wait|woken|spawn|join|yield|cell |atomic )/;
  function parts(text) {
    const out = [];
    let rest = text;
    for (;;) {
      const arrow = rest.indexOf("→ ");
      if (arrow < 0) {
        out.push({text: rest});
        return out;
      }
      out.push({text: rest.slice(0, arrow + 2)});
      rest = rest.slice(arrow + 2);
      let depth = 0;
      let end = rest.length;
      for (let j = 0; j < rest.length; j++) {
        const c = rest[j];
        if ("([{".includes(c)) {
          depth++;
        } else if (")]}".includes(c)) {
          depth--;
        } else if (depth === 0 && rest.startsWith(", ", j) && OP.test(rest.slice(j + 2))) {
          end = j;
          break;
        }
      }
      out.push({value: rest.slice(0, end)});
      rest = rest.slice(end);
    }
  }
  const norm = (s) => s.replace(/\(stale\)|["'\s]/g, "").toLowerCase();
  function guessed(guess, value) {
    const g = norm(guess);
    return g !== "" && (g === norm(value) || (value.startsWith("wakes ") && g === norm(value.slice(6))));
  }

  // The form asking for the values row i (`step`) read; then done(verdict,
  // score): 1 right, 0 wrong, null revealed (no guess, so not counted).
  function question(d, i, step, done) {
    const inputs = [];
    const shown = parts(step.text).map((p) => {
      if (p.value === undefined) {
        return p.text;
      }
      const input = h("input", {type: "text", class: "stepper-guess", autocomplete: "off",
        spellcheck: "false", "aria-label": `value ${inputs.length + 1} of row ${i + 1}`, size: "8"});
      inputs.push([input, p.value]);
      return input;
    });
    const values = inputs.map(([, v]) => v).join(", ");
    setTimeout(() => inputs[0][0].focus(), 0);
    return h("form", {class: "stepper-form", onsubmit: (e) => {
      e.preventDefault();
      const ok = inputs.every(([input, value]) => guessed(input.value, value));
      done(ok ? `Right: ${values}.` : `Not quite: it was ${values}` +
        `${inputs.length === 1 ? `, not ${inputs[0][0].value.trim() || "blank"}` : ""}.`, +ok);
    }},
    h("span", {class: "stepper-who", text: `Row ${i + 1}, ${d.threads[step.thread]}: `}),
    h("code", null, shown), " ",
    h("button", {type: "submit", class: "stepper-btn", "data-action": "check", text: "Check"}), " ",
    button("Reveal", () => done(`It was ${values}.`, null), {"data-action": "reveal"}));
  }
  // A step's text with its values read hidden: "lock, read → ?, unlock".
  const masked = (text) => parts(text).map((p) => (p.value === undefined ? p.text : "?")).join("");
  // Whether choosing `child` at `node` hides what it reads. Not where the
  // choice is between values (loom's weak memory: one thread, one load,
  // two values): there the value read is what the learner picks.
  const blind = (d, node, child) => {
    const step = d.steps[child[0]];
    const text = masked(step.text);
    return text !== step.text && !node[3].some((c) => c !== child &&
      d.steps[c[0]].thread === step.thread && masked(d.steps[c[0]].text) === text);
  };

  // A trace table: rows [{step, number, hidden, current}], one column per thread.
  function table(d, rows, caption) {
    const head = h("tr", null, h("th", {scope: "col", class: "stepper-num", text: "step"}),
      d.threads.map((t) => h("th", {scope: "col", text: t})), h("th", {scope: "col", class: "stepper-at", text: "at"}));
    const body = rows.map((row) => {
      const step = d.steps[row.step];
      const cell = row.hidden
        ? parts(step.text).map((p) => p.value === undefined
          ? p.text : h("span", {class: "stepper-blank", text: "?", title: "hidden: predict it"}))
        : step.text;
      return h("tr", {class: row.current ? "stepper-current" : null, "aria-current": row.current ? "step" : null},
        h("td", {class: "stepper-num", text: row.number}),
        d.threads.map((_, t) => h("td", null, t === step.thread ? cell : "")),
        h("td", {class: "stepper-at", text: step.at}));
    });
    const wrap = h("div", {class: "stepper-scroll", tabindex: "0", role: "region", "aria-label": caption},
      h("table", {class: "stepper-trace"}, h("caption", {class: "stepper-sr", text: caption}),
        h("thead", null, head), h("tbody", null, body)));
    wrap.firstChild.style.minWidth = `${9 + 8 * d.threads.length}em`;
    return wrap;
  }
  const codeLine = (d, at) => at in d.code ? `${at}  ${d.code[at]}` : at;

  // A step's operations: "lock", "read → {1: 1, 2: 1}", "unlock".
  function ops(text) {
    const out = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      if ("([{".includes(text[i])) {
        depth++;
      } else if (")]}".includes(text[i])) {
        depth--;
      } else if (depth === 0 && text.startsWith(", ", i)) {
        out.push(text.slice(start, i));
        start = i + 2;
      }
    }
    return out.concat(text.slice(start));
  }
  // The locks a step takes (+1) and releases (-1), by name ("" is the
  // model's one unnamed mutex): "account 1: lock, read → 100, unlock".
  function locking(text) {
    const out = [];
    let name = "";
    for (const op of ops(text)) {
      const m = /^(?:([\w .-]+): )?(.*)$/.exec(op);
      if (m[1] !== undefined) {
        name = m[1] === "mutex" ? "" : m[1];
      }
      const w = /^(wait \(unlocks|woken \(locks)(?: ([^)]+))?\)/.exec(m[2]);
      if (m[2] === "lock" || m[2] === "unlock") {
        out.push([name, m[2] === "lock" ? 1 : -1]);
      } else if (w) {
        out.push([w[2] === undefined || w[2] === "mutex" ? "" : w[2], w[1].startsWith("wait") ? -1 : 1]);
      }
    }
    return out;
  }

  // What a thread is doing after `path`: started, joined, its last step,
  // whether a notify woke it since; and who holds which lock.
  function state(d, path, t) {
    const name = d.threads[t];
    const s = {started: t === 0, joined: false, last: null, woken: false, held: new Map()};
    for (const node of path) {
      const step = d.steps[node[0]];
      const list = ops(step.text);
      if (list.includes(`spawn ${name}`)) {
        s.started = true;
      }
      if (list.includes(`join ${name}`)) {
        s.joined = true;
      }
      if (step.thread === t) {
        s.last = step;
        s.woken = false;
      } else if (list.some((op) => op.endsWith(`wakes ${name}`))) {
        s.woken = true;
      }
      for (const [lock, by] of locking(step.text)) {
        if (by > 0) {
          s.held.set(lock, step.thread);
        } else if (s.held.get(lock) === step.thread) {
          s.held.delete(lock);
        }
      }
    }
    return s;
  }

  // Thread t's next steps in the executions below `node`.
  function nextSteps(d, node, t, found = new Set()) {
    for (const child of node[3]) {
      if (d.steps[child[0]].thread === t) {
        found.add(child[0]);
      } else if (child.below & (1 << t)) {
        nextSteps(d, child, t, found);
      }
    }
    return found;
  }

  // Why a live thread has no choice at `node`: known where the data says.
  function why(d, node, s, t) {
    if (!(node.below & (1 << t))) {
      return "it runs no more steps in the executions loom ran from here";
    }
    // Each of its next steps starts by taking a lock another thread holds.
    const wants = [...nextSteps(d, node, t)].map((i) => {
      const first = locking(ops(d.steps[i].text)[0]);
      return first.length && first[0][1] > 0 ? first[0][0] : null;
    });
    const lock = wants[0];
    const holder = lock === null || lock === undefined ? undefined : s.held.get(lock);
    if (holder !== undefined && holder !== t && wants.every((w) => w === lock)) {
      return `blocked: ${d.threads[holder]} holds ${lock ? `the lock ${lock}` : "the lock"} it needs`;
    }
    const last = s.last ? s.last.text : "";
    const waits = /waits for (.+) to finish \(blocked\)$/.exec(last);
    if (waits) {
      const other = d.threads.indexOf(waits[1]);
      if (other >= 0 && node.below & (1 << other)) {
        return `blocked: it waits for ${waits[1]} to finish`;
      }
    }
    if (/wait \(unlocks/.test(last) && !s.woken) {
      return "blocked: it waits on a condition variable, and no one has notified it since";
    }
    return "not explored by loom from here";
  }

  function setup(box) {
    const id = `stepper-${++made}`;
    const url = box.getAttribute("data-explore");
    const challenge = (box.getAttribute("data-challenge") || "").trim();
    // The chapter's answer, a <details class="answer" open> right after
    // the widget (open without this script, and in print): folded while
    // the learner plays, opened when they win (or by its summary).
    const answer = challenge && box.nextElementSibling;
    const fold = answer && answer.matches("details.answer") ? answer : null;
    if (fold) {
      fold.open = false;
    }
    box.textContent = "";
    box.classList.add("stepper-on");
    // Inside a widget no arrow key leaves the page: mdBook's
    // next/previous chapter listens on the document, and would take a
    // keyboard user out of the game (a field's caret still moves).
    box.addEventListener("keydown", (e) => {
      if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
        e.stopPropagation();
      }
    });
    const note = h("p", {class: "stepper-live", role: "status"}, "Loading the executions loom ran…");
    box.append(note);
    const failed = (why) => {
      if (fold) {
        fold.open = true; // no game to play: the answer stays readable
      }
      note.classList.add("stepper-error");
      note.textContent = `The stepper could not load ${url} (${why}). It reads that file over ` +
        "http: serve the book with `cargo xtask serve` and open http://127.0.0.1:3000.";
    };
    if (location.protocol === "file:") {
      failed("this page was opened as a file");
      return;
    }
    // The same model run on real threads on the reference machine
    // (`cargo xtask observed`), if the lab has one: optional.
    const observedUrl = box.getAttribute("data-observed");
    const observed = !observedUrl ? Promise.resolve(null)
      : fetch(observedUrl).then((r) => (r.ok ? r.json() : null)).catch(() => null);
    fetch(url)
      .then((r) => {
        if (!r.ok) {
          throw new Error(`HTTP ${r.status}`);
        }
        return r.json();
      })
      .then((d) => observed.then((report) => {
        const seen = report && report.observations.find((o) => o.title === d.title);
        d.observed = seen ? {machine: report.machine, runs: seen} : null;
        note.remove();
        build(box, prepare(d), challenge, id, fold);
      }))
      .catch((e) => failed(e.message || String(e)));
  }

  function build(box, d, challenge, id, fold) {
    const title = h("p", {class: "stepper-title"},
      h("strong", {text: `Explore: ${d.title}`}),
      ` · ${d.lab} · loom ran ${plural(d.executions, "execution")} (${bound(d)})`);
    const tabs = h("div", {class: "stepper-tabs", role: "tablist", "aria-label": `Explore ${d.title}`});
    box.append(title, tabs);
    const panels = [
      ["step", "Step", stepPanel],
      ["schedule", "Be the scheduler", schedulePanel],
      ["outcomes", "Outcomes", outcomesPanel],
    ].map(([key, label, make], i) => {
      const panel = h("div", {class: "stepper-panel", role: "tabpanel", id: `${id}-${key}`,
        "aria-labelledby": `${id}-${key}-tab`, "data-panel": key, hidden: i > 0});
      const tab = h("button", {type: "button", role: "tab", class: "stepper-tab", id: `${id}-${key}-tab`,
        "aria-controls": panel.id, "aria-selected": String(i === 0), tabindex: i === 0 ? "0" : "-1",
        "data-tab": key, text: label, onclick: () => select(i)});
      tabs.append(tab);
      box.append(panel);
      make(panel, d, challenge, fold);
      return {tab, panel};
    });
    // A race to find before its answer: the game comes first, not the
    // Step tab, which walks through the answer.
    fold && d.fails && select(1);
    function select(i, focus) {
      panels.forEach((p, j) => {
        p.tab.setAttribute("aria-selected", String(i === j));
        p.tab.tabIndex = i === j ? 0 : -1;
        p.panel.hidden = i !== j;
      });
      if (focus) {
        panels[i].tab.focus();
      }
    }
    tabs.addEventListener("keydown", (e) => {
      const at = panels.findIndex((p) => p.tab === document.activeElement);
      const to = {ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: panels.length - 1}[e.key];
      if (at < 0 || to === undefined || e.altKey || e.ctrlKey || e.metaKey) {
        return;
      }
      e.preventDefault();
      e.stopPropagation(); // not mdBook's next/previous chapter
      select((to + panels.length) % panels.length, true);
    });
  }

  // Step: the failing execution (else the shortest), one row at a time;
  // in predict mode each value read stays hidden until guessed.
  function stepPanel(panel, d, challenge, fold) {
    const path = shortest(d, (o) => o.failed) || shortest(d, () => true) || [];
    const end = path.length ? d.outcomes[path[path.length - 1][2]] : null;
    const s = {shown: 0, predict: false, answered: new Set(), right: 0, asked: 0};
    const intro = h("p", {class: "stepper-intro", text: d.fails
      ? `The failing execution loom found, ${plural(path.length, "row")}, one at a time` +
        `${fold ? " (the answer: find it yourself first in Be the scheduler)" : ""}.`
      : `Loom found no failing execution${within(d)}; this is the shortest of its ${plural(d.executions, "execution")}.`},
      " Keys: → the next row, ← back (on the tabs, → and ← change tab).");
    const predict = h("input", {type: "checkbox", onchange: () => {
      s.predict = predict.checked;
      go(s.shown); // from the next row on
    }});
    const back = button("◀ Back", () => go(s.shown - 1));
    const next = button("Next step ▶", () => go(s.shown + 1), {"data-action": "next"});
    const all = button("Show all", () => {
      path.forEach((_, i) => s.answered.add(i));
      go(path.length);
    });
    const restart = button("Restart", () => {
      s.answered.clear();
      s.right = s.asked = 0;
      go(0);
    });
    const controls = h("div", {class: "stepper-controls"}, back, next, all, restart,
      h("label", {class: "stepper-check"}, predict, " Predict the values read"));
    const live = h("p", {class: "stepper-live", role: "status"});
    const ask = h("div", {class: "stepper-ask"});
    const trace = h("div");
    const code = h("p", {class: "stepper-code"});
    panel.append(intro, controls, live, ask, trace, code);
    panel.addEventListener("keydown", (e) => {
      if (e.target.tagName === "INPUT" || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) {
        return;
      }
      const by = {ArrowRight: 1, ArrowLeft: -1}[e.key];
      if (by && !(by > 0 && next.disabled)) {
        e.preventDefault();
        e.stopPropagation(); // not mdBook's next/previous chapter
        go(s.shown + by);
      }
    });
    const hiding = (i) => s.predict && !s.answered.has(i) && parts(d.steps[path[i][0]].text).some((p) => p.value !== undefined);
    function go(shown) {
      s.shown = Math.max(0, Math.min(path.length, shown));
      for (let i = 0; !s.predict && i < s.shown; i++) {
        s.answered.add(i); // seen without predicting: never asked later
      }
      render();
      const i = s.shown - 1;
      if (i < 0) {
        live.textContent = "";
      } else if (hiding(i)) {
        live.textContent = `Row ${i + 1}: what does ${d.threads[d.steps[path[i][0]].thread]} get? Type your guess.`;
      } else {
        live.textContent = said(i);
      }
    }
    const said = (i) => {
      const step = d.steps[path[i][0]];
      let text = `Row ${i + 1} of ${path.length}: ${d.threads[step.thread]}: ${step.text} (${step.at}).`;
      if (i === path.length - 1 && end) {
        text += ` The execution ends: ${end.outcome}. Loom's verdict: ${end.failed ? "the check FAILS" : "the check passes"}.`;
      }
      return text;
    };
    function render() {
      const rows = path.slice(0, s.shown).map((node, i) =>
        ({step: node[0], number: i + 1, hidden: hiding(i), current: i === s.shown - 1}));
      const pending = s.shown > 0 && hiding(s.shown - 1);
      trace.replaceChildren(table(d, rows, "The execution so far"));
      back.disabled = s.shown === 0;
      next.disabled = s.shown === path.length || pending;
      all.disabled = s.shown === path.length && !pending;
      const last = s.shown > 0 ? d.steps[path[s.shown - 1][0]] : null;
      code.textContent = last ? codeLine(d, last.at) : "Press Next step to run the first row.";
      code.classList.toggle("stepper-end", s.shown === path.length && !!end && end.failed);
      ask.replaceChildren();
      if (pending) {
        const i = s.shown - 1;
        ask.append(question(d, i, d.steps[path[i][0]], (verdict, right) => {
          if (right !== null) {
            s.asked++;
            s.right += right;
          }
          s.answered.add(i);
          render();
          live.textContent = `${verdict} ${said(i)}`;
          (next.disabled ? restart : next).focus();
        }));
      }
      if (s.predict && s.asked > 0) {
        ask.append(h("p", {class: "stepper-score", text: `Predictions: ${s.right} right of ${s.asked}.`}));
      }
    }
    render();
  }

  // Be the scheduler: each thread's lines with a cursor; the choices are
  // the steps loom ran from the node reached. Predicting (on for a
  // challenge), the learner also says what a choice read before going on.
  function schedulePanel(panel, d, challenge, fold) {
    let path = [];
    let hints = false;
    let predict = !!challenge && d.fails;
    let asking = false;
    const score = {right: 0, asked: 0, moves: 0, won: false};
    const failing = d.outcomes.filter((o) => o.failed);
    const intro = h("div", {class: "stepper-intro"},
      h("p", null, "Pick which thread runs next, among the continuations loom explored. " +
        "Keys: 1 to 9 pick a choice, ← or Backspace takes a move back."),
      challenge || !d.fails ? h("p", {class: "stepper-challenge"}, h("strong", {text: "Challenge: "}),
        challenge || `make it fail: ${failing.map((o) => o.outcome).join("; ")}`) : null,
      d.fails
        ? h("p", {text: d.past_failures
          ? `Loom went on past failures: these are all ${plural(d.executions, "execution")} it ran (${bound(d)}), ${count(d.tree.fails)} failing.`
          : `Loom stops at the first failing execution: it ran ${plural(d.executions, "execution")}, ` +
          "the last the failing one, so some orders are not offered."})
        : h("p", {class: "stepper-nofail", text: `No path fails: every one of the ${plural(d.executions, "execution")} ` +
          `loom ran passes (${bound(d)}).`}));
    const back = button("◀ Back", () => move(path.slice(0, -1)));
    // The moves Restart takes back count towards a win; after a win it starts anew.
    const restart = button("Restart", () => {
      score.right = score.asked = 0;
      score.won && (score.moves = 0, score.won = false);
      move([]);
    });
    const guess = h("input", {type: "checkbox", checked: predict, onchange: () => {
      predict = guess.checked;
      move(path);
    }});
    const hint = h("input", {type: "checkbox", onchange: () => {
      hints = hint.checked;
      render();
    }});
    const controls = h("div", {class: "stepper-controls"}, back, restart,
      h("label", {class: "stepper-check"}, guess, " Predict the values read"),
      d.fails ? h("label", {class: "stepper-check"}, hint, " Show how many executions fail each way") : null);
    const live = h("p", {class: "stepper-live", role: "status"});
    const ask = h("div", {class: "stepper-ask"});
    const threads = h("div", {class: "stepper-threads"});
    const trace = h("div");
    panel.append(intro, controls, live, ask, threads, trace);
    panel.closest(".stepper").addEventListener("keydown", (e) => {
      if (panel.hidden || e.target.tagName === "INPUT" || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) {
        return;
      }
      // ← or Backspace: a move back (on the tabs ← changes tab).
      if ((e.key === "ArrowLeft" || e.key === "Backspace") && panel.contains(e.target)) {
        if (path.length) {
          e.preventDefault();
          back.click();
        }
        return;
      }
      if (!/^[1-9]$/.test(e.key)) {
        return;
      }
      const choice = threads.querySelector(`button[data-key="${e.key}"]:not([disabled])`);
      if (choice) {
        e.preventDefault();
        e.stopPropagation();
        choice.click();
      }
    });
    // To `to`; `said` (the verdict on a guess) leads what is announced.
    function move(to, said = "") {
      const focused = panel.contains(document.activeElement);
      const node = to.length ? to[to.length - 1] : d.tree;
      score.moves += to.length > path.length;
      asking = predict && !said && to.length > path.length && blind(d, to.length > 1 ? to[to.length - 2] : d.tree, node);
      path = to;
      render();
      if (asking) {
        live.textContent = `Step ${path.length}: what did ${d.threads[d.steps[node[0]].thread]} read? Type your guess.`;
        return; // the question takes the focus
      }
      if (node[3].length === 0) {
        announce(node, said);
      } else if (path.length) {
        const step = d.steps[node[0]];
        live.textContent = `${said}Step ${path.length}: ${d.threads[step.thread]}: ${step.text}. ` +
          `${plural(node[3].length, "choice")} next.`;
      } else {
        live.textContent = "";
      }
      if (focused) {
        (threads.querySelector("button:not([disabled])") || (path.length ? back : restart)).focus();
      }
    }
    function announce(node, said) {
      const o = d.outcomes[node[2]];
      if (!o) {
        live.textContent = "The execution ends here.";
        return;
      }
      const ends = o.outcome === "passed" ? "The execution ends" : `The execution ends: ${o.outcome}`;
      const ended = `${count(o.executions)} of loom's ${plural(d.executions, "execution")} ${o.executions === 1 ? "ends" : "end"} so`;
      live.className = `stepper-live ${o.failed ? "stepper-fail" : "stepper-pass"}`;
      if (o.failed && fold) {
        fold.open = true;
      }
      score.won ||= o.failed;
      // For the puzzle trail's progress (trail.js): moves made, and the
      // fewest that reach a failing end (of any failing leaf).
      o.failed && panel.dispatchEvent(new CustomEvent("stepper-won",
        {bubbles: true, detail: {moves: score.moves, shortest: shortest(d, (f) => f.failed).length}}));
      live.textContent = said + (o.failed
        ? `You did it${challenge ? ": the challenge is won" : ""}. ${ends}. ` +
         `Loom's verdict: FAILED, the check fails here (${ended}).` +
         (score.asked ? ` Predictions: ${score.right} right of ${score.asked}.` : "") +
         (fold ? " Loom's trace and what it means are open below the widget." : "")
        : d.fails
          ? `${ends}, and the check passes (${ended}). Go back and pick another thread.`
          : `${ends}, and the check passes. No path fails here: ` +
           `every one of the ${plural(d.executions, "execution")} loom ran passes${within(d)}.`);
    }
    function render() {
      live.className = "stepper-live";
      const node = path.length ? path[path.length - 1] : d.tree;
      back.disabled = path.length === 0;
      restart.disabled = path.length === 0;
      let key = 0;
      threads.replaceChildren(...d.threads.map((name, t) => {
        const s = state(d, path, t);
        const mine = node[3].filter((c) => d.steps[c[0]].thread === t);
        const next = new Set(mine.map((c) => d.steps[c[0]].at));
        const ran = new Set(path.filter((n) => d.steps[n[0]].thread === t).map((n) => d.steps[n[0]].at));
        const alive = s.started && !s.joined;
        let status = !s.started ? "not started" : s.joined ? "finished (joined)" : mine.length ? "can run" : "";
        // While a guess is due, no choice: the learner answers first.
        const choices = asking ? [] : mine.map((c) => {
          key++;
          const step = d.steps[c[0]];
          const more = plural(c[1], "execution") + (hints ? `, ${count(c.fails)} failing` : "");
          return h("button", {type: "button", class: "stepper-choice", "data-step": c[0],
            "data-key": key <= 9 ? key : null, "aria-keyshortcuts": key <= 9 ? String(key) : null,
            onclick: () => move(path.concat([c]))},
          // Named by its visible text, plus who and what for a screen reader.
          h("span", {class: "stepper-sr", text: `${name}: `}),
          h("span", {class: "stepper-key", text: key <= 9 ? key : "·"}), " ",
          h("span", {class: "stepper-what", text: predict && blind(d, node, c) ? masked(step.text) : step.text}), " ",
          h("span", {class: "stepper-more", text: more}),
          h("span", {class: "stepper-sr", text: ` ${c[1] === 1 ? "goes" : "go"} this way`}));
        });
        if (!mine.length && alive && node[3].length && !asking) {
          const reason = why(d, node, s, t);
          status = reason.startsWith("blocked") ? "blocked"
            : reason.startsWith("it runs no") ? "no more steps" : "not explored here";
          choices.push(h("button", {type: "button", class: "stepper-choice", disabled: true},
            h("span", {class: "stepper-key", "aria-hidden": "true", text: "–"}),
            h("span", {class: "stepper-what", text: `run ${name}: ${reason}`})));
        }
        const lines = d.lines[t].map((at) => h("li",
          {class: next.has(at) ? "stepper-next" : ran.has(at) ? "stepper-ran" : null},
          h("span", {class: "stepper-mark", "aria-hidden": "true", text: next.has(at) ? "▶" : ran.has(at) ? "✓" : " "}),
          next.has(at) || ran.has(at) ? h("span", {class: "stepper-sr", text: next.has(at) ? "next: " : "ran: "}) : null,
          h("span", {class: "stepper-at", text: at}), " ", d.code[at] || ""));
        return h("section", {class: `stepper-thread${mine.length ? " stepper-runnable" : ""}`,
          "aria-label": `${name}, ${status || "done"}`},
        h("p", {class: "stepper-name"}, h("strong", {text: name}), status ? ` · ${status}` : ""),
        lines.length ? h("ol", {class: "stepper-lines"}, lines) : null,
        choices.length ? h("div", {class: "stepper-choices"}, choices) : null);
      }));
      ask.replaceChildren(asking ? question(d, path.length - 1, d.steps[node[0]], (said, right) => {
        if (right !== null) {
          score.asked++;
          score.right += right;
        }
        move(path, `${said} `);
      }) : "");
      trace.replaceChildren(path.length
        ? table(d, path.map((n, i) => ({step: n[0], number: i + 1, current: i === path.length - 1,
          hidden: asking && i === path.length - 1})), "Your schedule so far")
        : h("p", {class: "stepper-code", text: "Your schedule appears here."}));
      if (hints && node[3].length) {
        const f = node.fails;
        trace.prepend(h("p", {class: "stepper-code",
          text: throughHere(node[1], f)}));
      }
    }
    render();
  }

  // Outcomes: the explorer's table, beside what real threads showed on
  // the reference machine, and each outcome's shortest execution.
  function outcomesPanel(panel, d, challenge, fold) {
    const seen = d.observed && d.observed.runs;
    const rows = d.outcomes.map((o) => ({outcome: o.outcome, failed: o.failed, loom: o.executions}));
    for (const c of seen ? seen.outcomes : []) {
      if (!rows.some((r) => r.outcome === c.outcome && r.failed === c.failed)) {
        rows.push({outcome: c.outcome, failed: c.failed, loom: null});
      }
    }
    const runsOf = (r) => {
      const c = seen.outcomes.find((o) => o.outcome === r.outcome && o.failed === r.failed);
      return c ? c.runs : 0;
    };
    const loomCell = (r) => r.loom !== null ? count(r.loom)
      : d.fails && !d.past_failures ? "not reached (loom stops at its first failure)"
      : d.preemption_bound !== null ? `not within bound ${d.preemption_bound}` : "never";
    const columns = ["outcome", "loom: executions", ...(seen ? ["observed: runs"] : []), "verdict"];
    const failedRuns = seen ? seen.outcomes.filter((o) => o.failed).reduce((n, o) => n + o.runs, 0) : 0;
    const wider = seen && seen.wider;
    const widerFailed = wider ? wider.observed.outcomes.filter((o) => o.failed).reduce((n, o) => n + o.runs, 0) : 0;
    panel.append(
      h("p", {class: "stepper-intro", text: `Loom ran ${plural(d.executions, "execution")} of this check ` +
        `(${bound(d)}). Each ended in one of these outcomes` +
        (d.fails && !d.past_failures ? "; loom stops at the first that fails." : ".")}),
      seen ? h("p", {class: "stepper-intro", text: `Observed: the same code on real threads, ` +
        `${count(seen.runs)} runs on the reference machine (${d.observed.machine.arch}, ` +
        `${d.observed.machine.cpus} CPUs). ` +
        (d.fails && failedRuns === 0 ? "Loom's failure never showed there: running the code is no test for this race. " : "") +
        (wider ? `With a wider window (${wider.how}), ${count(widerFailed)} of ${count(wider.observed.runs)} runs failed. ` : "") +
        `Run it on yours: cargo xtask explore ${d.lab.replace("lab-", "")} --real`}) : "",
      h("div", {class: "stepper-scroll", tabindex: "0", role: "region", "aria-label": `Outcomes of ${d.title}`},
        h("table", {class: "stepper-outcomes"},
        h("thead", null, h("tr", null, columns.map((c) => h("th", {scope: "col", text: c})))),
        h("tbody", null, rows.map((r) => h("tr", {class: r.failed ? "stepper-fail" : "stepper-pass"},
          h("td", {text: r.outcome}), h("td", {class: r.loom !== null ? "stepper-num" : null, text: loomCell(r)}),
          seen ? h("td", {class: "stepper-num", text: `${count(runsOf(r))} of ${count(seen.runs)}`}) : null,
          h("td", {text: r.failed ? "FAILED" : "passed"})))))),
      ...d.outcomes.map((o) => {
        const s = h("details", {class: "stepper-shortest"},
          h("summary", {text: `The shortest execution ending “${o.outcome}”`}),
          h("pre", {tabindex: "0"}, h("code", {text: o.shortest})));
        // A failing one is the answer: shown once the chapter's is.
        const show = () => (s.hidden = !fold.open);
        o.failed && fold && (show(), fold.addEventListener("toggle", show));
        return s;
      }));
  }

  boxes.forEach(setup);
})();
