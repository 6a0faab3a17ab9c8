//! The decision guide drawn for chapter 13, from the one tree in
//! [`crate::advise::guide`]: an SVG flowchart for wide screens, and the
//! same guide as a nested list (which a screen reader walks, and a phone
//! shows instead of the chart), then what each answer means. Hand-written
//! SVG and HTML, no script; `book/theme/guide.css` styles both with the
//! theme's own colours.

use crate::advise::{Leaf, Node, backing, guide};
use crate::compare::Report;
use crate::models::{chapter_page, chapter_title};
use std::fmt::Write as _;

/// The chart's width, in its own units. guide.css shows the chart only
/// where it is drawn at least 700 px wide, so a 13-unit font is at least
/// 12 px on screen.
pub const WIDTH: f64 = 740.0;
/// The font size, in the chart's units.
const FONT: f64 = 13.0;
/// One line of text, in the chart's units.
const LINE: f64 = 16.0;
/// Padding inside a box.
const PAD: f64 = 8.0;
/// Room between two columns: a "yes" label sits there.
const GAP_X: f64 = 64.0;
/// Room between two rows: a "no" label sits beside the line there.
const GAP_Y: f64 = 30.0;
/// Characters that fit in one unit of width, at most, for a 13-unit
/// sans-serif font (a little wide, so no line overflows its box).
const CHAR_WIDTH: f64 = 7.0;

/// Where a node sits: a column and a row of the grid.
#[derive(Clone, Debug)]
pub struct Placed {
    /// Column: 0 is the guide's first questions, one column right per
    /// "yes".
    pub col: usize,
    /// Row: one down per "no", after the rows of the "yes" side.
    pub row: usize,
    /// The question, or the leaf.
    pub what: Drawn,
}

/// What a box holds.
#[derive(Clone, Debug)]
pub enum Drawn {
    /// A question.
    Question(&'static str),
    /// What to use.
    Leaf(Leaf),
}

/// An edge: from a question to one of its answers.
#[derive(Clone, Debug)]
pub struct Edge {
    /// The question's index in the placed nodes.
    pub from: usize,
    /// The answer's index.
    pub to: usize,
    /// The answer's label.
    pub label: &'static str,
}

/// Lays the guide on a grid: each question's first answer to its right,
/// its second answer below it, after the rows the first one took. So a
/// "no" is never further below its question than the rows of its "yes".
pub fn layout() -> (Vec<Placed>, Vec<Edge>) {
    fn place(
        node: &Node,
        col: usize,
        row: usize,
        nodes: &mut Vec<Placed>,
        edges: &mut Vec<Edge>,
    ) -> usize {
        let index = nodes.len();
        match node {
            Node::Use(leaf) => {
                nodes.push(Placed {
                    col,
                    row,
                    what: Drawn::Leaf(*leaf),
                });
                1
            }
            Node::Ask(step) => {
                nodes.push(Placed {
                    col,
                    row,
                    what: Drawn::Question(step.question),
                });
                let yes = nodes.len();
                let rows_yes = place(&step.yes.1, col + 1, row, nodes, edges);
                let no = nodes.len();
                let rows_no = place(&step.no.1, col, row + rows_yes, nodes, edges);
                edges.push(Edge {
                    from: index,
                    to: yes,
                    label: step.yes.0,
                });
                edges.push(Edge {
                    from: index,
                    to: no,
                    label: step.no.0,
                });
                rows_yes + rows_no
            }
        }
    }
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    place(&guide(), 0, 0, &mut nodes, &mut edges);
    (nodes, edges)
}

/// Splits `text` into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// `<`, `>`, `&` and `"` as HTML writes them.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A box's lines: (text, bold).
fn lines_of(what: &Drawn, chars: usize) -> Vec<(String, bool)> {
    match what {
        Drawn::Question(question) => wrap(question, chars)
            .into_iter()
            .map(|l| (l, true))
            .collect(),
        Drawn::Leaf(leaf) => {
            // The number only: the list below names the chapter.
            let chapter = format!("Chapter {}", leaf.chapter);
            let model = wrap(leaf.model, chars).into_iter().map(|l| (l, true));
            model
                .chain(wrap(&chapter, chars).into_iter().map(|l| (l, false)))
                .collect()
        }
    }
}

/// A box in the chart's units: left, top, width, height.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// Every node's frame, and the chart's height.
pub fn frames(nodes: &[Placed]) -> (Vec<Frame>, f64) {
    let cols = nodes.iter().map(|n| n.col).max().unwrap_or(0) + 1;
    let rows = nodes.iter().map(|n| n.row).max().unwrap_or(0) + 1;
    let w = (WIDTH - GAP_X * (cols - 1) as f64 - 2.0) / cols as f64;
    let chars = ((w - 2.0 * PAD) / CHAR_WIDTH) as usize;
    let height = |n: &Placed| lines_of(&n.what, chars).len() as f64 * LINE + 2.0 * PAD;
    let mut row_height = vec![0.0f64; rows];
    for n in nodes {
        row_height[n.row] = row_height[n.row].max(height(n));
    }
    let mut top = vec![1.0; rows];
    for r in 1..rows {
        top[r] = top[r - 1] + row_height[r - 1] + GAP_Y;
    }
    let frames = nodes
        .iter()
        .map(|n| Frame {
            x: 1.0 + n.col as f64 * (w + GAP_X),
            y: top[n.row],
            w,
            h: height(n),
        })
        .collect();
    let total = top[rows - 1] + row_height[rows - 1] + 2.0;
    (frames, total)
}

/// The chart: `role="img"`, named by its title, described as pointing to
/// the list, which carries the links.
pub fn svg() -> String {
    let (nodes, edges) = layout();
    let (frames, height) = frames(&nodes);
    let chars = ((frames[0].w - 2.0 * PAD) / CHAR_WIDTH) as usize;
    let questions = nodes
        .iter()
        .filter(|n| matches!(n.what, Drawn::Question(_)))
        .count();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg class=\"guide-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} \
         {height:.0}\" width=\"{WIDTH}\" height=\"{height:.0}\" font-size=\"{FONT}\" \
         role=\"img\" aria-labelledby=\"guide-chart-title guide-chart-desc\">"
    );
    let _ = writeln!(
        out,
        "<title id=\"guide-chart-title\">The decision guide as a flowchart</title>\n\
         <desc id=\"guide-chart-desc\">{questions} questions, each answered by going right \
         (yes, or its first answer) or down (no), to what to use and the chapter that teaches \
         it. The same guide follows as a list, with links to the chapters.</desc>"
    );
    for edge in &edges {
        let (from, to) = (frames[edge.from], frames[edge.to]);
        let label = escape(edge.label);
        if nodes[edge.to].col > nodes[edge.from].col {
            // Right: from the question's side to the answer's, at the
            // height both boxes share.
            let y = from.y + from.h.min(to.h) / 2.0;
            let (x1, x2) = (from.x + from.w, to.x);
            let _ = writeln!(
                out,
                "<g class=\"guide-edge\"><line x1=\"{x1:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" \
                 y2=\"{y:.1}\" stroke=\"currentColor\"/><path d=\"M{x2:.1} {y:.1} l-7 -4 v8 z\" \
                 fill=\"currentColor\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" \
                 fill=\"currentColor\">{label}</text></g>",
                x2 - 6.0,
                (x1 + x2) / 2.0,
                y - 5.0
            );
        } else {
            // Down: from the question's bottom to the answer's top.
            let x = from.x + from.w / 2.0;
            let (y1, y2) = (from.y + from.h, to.y);
            let _ = writeln!(
                out,
                "<g class=\"guide-edge\"><line x1=\"{x:.1}\" y1=\"{y1:.1}\" x2=\"{x:.1}\" \
                 y2=\"{:.1}\" stroke=\"currentColor\"/><path d=\"M{x:.1} {y2:.1} l-4 -7 h8 z\" \
                 fill=\"currentColor\"/><text x=\"{:.1}\" y=\"{:.1}\" \
                 fill=\"currentColor\">{label}</text></g>",
                y2 - 6.0,
                x + 6.0,
                y1 + LINE
            );
        }
    }
    for (node, frame) in nodes.iter().zip(&frames) {
        let (class, corner) = match node.what {
            Drawn::Question(_) => ("guide-q", 0),
            Drawn::Leaf(_) => ("guide-leaf", 10),
        };
        let _ = write!(
            out,
            "<g class=\"{class}\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" \
             height=\"{:.1}\" rx=\"{corner}\" fill=\"none\" stroke=\"currentColor\"/>",
            frame.x, frame.y, frame.w, frame.h
        );
        for (i, (line, bold)) in lines_of(&node.what, chars).iter().enumerate() {
            let weight = if *bold { " font-weight=\"bold\"" } else { "" };
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"currentColor\"{weight}>{}</text>",
                frame.x + PAD,
                frame.y + PAD + (i as f64 + 0.8) * LINE,
                escape(line)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// The same guide as a nested list: each question an item, each answer
/// an item under it ("Yes →", "No →"), each leaf linked to what it means
/// and to its chapter, by the chapter's title (its number is in the
/// chart).
pub fn list() -> String {
    fn item(node: &Node, out: &mut String) {
        match node {
            Node::Use(leaf) => {
                // Short: a phone shows a question's second answer after
                // every item of its first.
                let _ = write!(
                    out,
                    "<a href=\"#guide-{}\">{}</a> (<a href=\"{}\">{}</a>)",
                    leaf.name,
                    escape(leaf.model),
                    chapter_page(leaf.chapter),
                    escape(chapter_title(leaf.chapter))
                );
            }
            Node::Ask(step) => {
                let _ = write!(out, "<strong>{}</strong>\n<ul>\n", escape(step.question));
                for (label, next) in [&step.yes, &step.no] {
                    let _ = write!(out, "<li>{} → ", escape(&capitalised(label)));
                    item(next, out);
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
        }
    }
    let mut out = String::from("<ul class=\"guide-list\">\n<li>");
    item(&guide(), &mut out);
    out.push_str("</li>\n</ul>\n");
    out
}

fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What each answer means: its crate, why, the chapters to read, and the
/// figure of the run's row that backs it. One entry per leaf, though a
/// leaf may end more than one path.
pub fn answers(report: &Report) -> String {
    let mut out = String::from("<dl class=\"guide-answers\">\n");
    let mut seen = Vec::new();
    for leaf in crate::advise::leaves() {
        if seen.contains(&leaf.name) {
            continue;
        }
        seen.push(leaf.name);
        let chapters: Vec<String> = std::iter::once(leaf.chapter)
            .chain(leaf.also.iter().copied())
            .map(|c| {
                format!(
                    "<a href=\"{}\">{}</a>",
                    chapter_page(c),
                    escape(chapter_title(c))
                )
            })
            .collect();
        let _ = write!(
            out,
            "<dt id=\"guide-{}\">{}</dt>\n<dd>With: {}.<br>Why: {}.<br>Read: {}.<br>\
             <em>Reference run: {}</em></dd>\n",
            leaf.name,
            escape(leaf.model),
            escape(leaf.using),
            escape(leaf.why),
            chapters.join(", then "),
            escape(&backing(&leaf, report))
        );
    }
    out.push_str("</dl>\n");
    out
}

/// The whole guide for the book: the chart, the list, the answers.
pub fn flowchart(report: &Report) -> String {
    format!(
        "<div class=\"guide\">\n{}{}{}</div>\n",
        svg(),
        list(),
        answers(report)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_no_is_never_far_below_its_question_and_no_edge_crosses_a_box() {
        let (nodes, edges) = layout();
        let (frames, _) = frames(&nodes);
        for edge in &edges {
            let (from, to) = (frames[edge.from], frames[edge.to]);
            let gap = (to.y - (from.y + from.h)).max(to.x - (from.x + from.w));
            assert!(
                gap < 400.0,
                "{:?} is {gap:.0} units from its question",
                nodes[edge.to].what
            );
            // Nothing sits on the way from the question to its answer.
            for (i, other) in frames.iter().enumerate() {
                if i == edge.from || i == edge.to {
                    continue;
                }
                let across = other.x < to.x && other.x + other.w > from.x + from.w;
                let between_rows = other.y < to.y && other.y + other.h > from.y + from.h;
                let same_col = nodes[i].col == nodes[edge.from].col;
                let same_row = nodes[i].row == nodes[edge.from].row;
                assert!(
                    !(same_row && across || same_col && between_rows),
                    "{:?} sits on an edge",
                    nodes[i].what
                );
            }
        }
    }

    #[test]
    fn every_line_fits_its_box() {
        let (nodes, _) = layout();
        let (frames, _) = frames(&nodes);
        let chars = ((frames[0].w - 2.0 * PAD) / CHAR_WIDTH) as usize;
        for node in &nodes {
            for (line, _) in lines_of(&node.what, chars) {
                assert!(line.chars().count() <= chars, "{line:?}");
            }
        }
    }

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_every_word() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("one", 2), ["one"]);
    }

    #[test]
    fn the_list_nests_every_answer_under_its_question() {
        let list = list();
        assert_eq!(list.matches("<ul").count(), list.matches("</ul>").count());
        assert_eq!(list.matches("<li>").count(), list.matches("</li>").count());
        // One item per answer, and the first question's.
        let (nodes, edges) = layout();
        assert_eq!(list.matches("<li>").count(), edges.len() + 1);
        assert!(nodes.len() == edges.len() + 1);
        assert!(
            list.contains("<li>Yes → <a href=\"#guide-broker\">"),
            "{list}"
        );
        assert!(
            list.contains("<li>No → <strong>Is the work another program"),
            "{list}"
        );
        // Links are named by the chapter's title, not its number.
        assert!(
            list.contains(
                "<a href=\"12-redis-queue.html\">Beyond one machine: a work queue on Redis</a>"
            ),
            "{list}"
        );
    }

    #[test]
    fn the_chart_is_an_image_named_by_its_title_pointing_to_the_list() {
        let svg = svg();
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"guide-chart-title guide-chart-desc\""));
        assert!(svg.contains("<title id=\"guide-chart-title\">"));
        assert!(svg.contains("follows as a list"));
        // No colour of its own: the theme's, through currentColor and
        // guide.css.
        assert!(!svg.contains('#'), "a colour written into the chart");
    }
}
