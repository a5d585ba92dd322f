//! One small broken diagram per check, each reported at the spot with its message and hint.

use std::fmt::Write as _;

use super::*;

const PATH: &str = "assets/diagrams/demo.toml";

const VALID: &str = r#"id = "demo"
title = "Demo"
alt = "A leads to B."

[[nodes]]
id = "a"
label = "A"

[[nodes]]
id = "b"
label = "B"
detail = "second"

[[edges]]
from = "a"
to = "b"
label = "then"
"#;

/// Every problem of `text`, shown as an author sees it.
fn problems(text: &str) -> Vec<String> {
    let all = match read(PATH, text, "demo") {
        Ok((_, warnings)) => warnings,
        Err(problems) => problems,
    };
    all.iter().map(ToString::to_string).collect()
}

/// Asserts that exactly one problem is reported, starting as `expected` (which holds the
/// severity, `path:line:column` and message), and returns it for further checks.
fn one(text: &str, expected: &str) -> String {
    let found = problems(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with(expected), "expected `{expected}`, got:\n{}", found[0]);
    found[0].clone()
}

#[test]
fn a_valid_file_becomes_a_diagram_with_indices() {
    let (diagram, warnings) = read(PATH, VALID, "demo").expect("valid");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(diagram.direction, Direction::Auto);
    assert_eq!(diagram.nodes[1].detail.as_deref(), Some("second"));
    assert_eq!(diagram.nodes[0].style, NodeStyle::Plain);
    assert_eq!(diagram.edges, [Edge { from: 0, to: 1, label: Some("then".to_owned()) }]);
}

#[test]
fn the_id_must_match_the_file_name() {
    let text = VALID.replace("id = \"demo\"", "id = \"demo-2\"");
    let shown =
        one(&text, "error: assets/diagrams/demo.toml:1:6: the id does not match the file name");
    assert!(shown.contains("hint: use id = \"demo\", or rename the file"), "{shown}");
}

#[test]
fn node_ids_are_unique() {
    let text = format!("{VALID}\n[[nodes]]\nid = \"a\"\nlabel = \"Another A\"\n");
    one(&text, "error: assets/diagrams/demo.toml:20:6: node id `a` is used twice");
}

#[test]
fn an_edge_to_a_missing_node_suggests_the_closest() {
    let text = VALID.replace("to = \"b\"", "to = \"bb\"");
    let shown = one(&text, "error: assets/diagrams/demo.toml:16:6: no node has the id `bb`");
    assert!(shown.contains("hint: did you mean `b`?"), "{shown}");
}

#[test]
fn an_edge_from_a_missing_node_lists_the_nodes_when_none_is_close() {
    let text = VALID.replace("from = \"a\"", "from = \"zebra\"");
    let shown = one(&text, "error: assets/diagrams/demo.toml:15:8: no node has the id `zebra`");
    assert!(shown.contains("hint: the nodes are: a, b"), "{shown}");
}

#[test]
fn a_step_naming_a_missing_node_suggests_the_closest() {
    let text = format!(
        "{VALID}\n[[steps]]\ncaption = \"First A.\"\nhighlight = [\"a\", \"c\"]\n\n\
         [[steps]]\ncaption = \"All.\"\n"
    );
    let shown = one(&text, "error: assets/diagrams/demo.toml:21:19: no node has the id `c`");
    assert!(shown.contains("hint: did you mean `a`?") || shown.contains("did you mean `b`?"));
}

#[test]
fn the_alt_text_must_not_be_empty() {
    let text = VALID.replace("alt = \"A leads to B.\"", "alt = \"  \"");
    let shown = one(&text, "error: assets/diagrams/demo.toml:3:7: the alt text is empty");
    assert!(shown.contains("screen readers"), "{shown}");
}

#[test]
fn labels_must_not_be_empty() {
    let text = VALID.replace("label = \"B\"", "label = \"\"");
    one(&text, "error: assets/diagrams/demo.toml:11:9: this node's label is empty");
    let text = VALID.replace("label = \"then\"", "label = \" \"");
    one(&text, "error: assets/diagrams/demo.toml:17:9: this edge's label is empty");
}

#[test]
fn an_edge_may_not_go_from_a_node_to_itself() {
    let text = VALID.replace("to = \"b\"", "to = \"a\"");
    let shown =
        one(&text, "error: assets/diagrams/demo.toml:14:1: this edge goes from a node to itself");
    assert!(shown.contains("add a second node"), "{shown}");
}

#[test]
fn an_edge_given_twice_is_reported() {
    let text = format!("{VALID}\n[[edges]]\nfrom = \"a\"\nto = \"b\"\n");
    one(&text, "error: assets/diagrams/demo.toml:19:1: the edge from `a` to `b` is given twice");
}

#[test]
fn a_cycle_is_reported_at_the_edge_that_closes_it() {
    let text = format!("{VALID}\n[[edges]]\nfrom = \"b\"\nto = \"a\"\n");
    let shown = one(
        &text,
        "error: assets/diagrams/demo.toml:19:1: the edges go round in a circle: a → b → a",
    );
    assert!(shown.contains("remove or reverse one"), "{shown}");
}

#[test]
fn a_longer_cycle_names_every_node_on_it() {
    let text = r#"id = "demo"
title = "Demo"
alt = "A loop."
nodes = [
  { id = "a", label = "A" }, { id = "b", label = "B" }, { id = "c", label = "C" },
  { id = "d", label = "D" },
]
edges = [
  { from = "d", to = "a" }, { from = "a", to = "b" }, { from = "b", to = "c" },
  { from = "c", to = "a" },
]
"#;
    one(
        text,
        "error: assets/diagrams/demo.toml:10:3: the edges go round in a circle: a → b → c → a",
    );
}

#[test]
fn at_most_forty_nodes() {
    let mut text = String::from("id = \"demo\"\ntitle = \"Demo\"\nalt = \"Many.\"\n");
    for i in 0..=MAX_NODES {
        let _ = write!(text, "\n[[nodes]]\nid = \"n{i}\"\nlabel = \"N{i}\"\n");
    }
    // Node 41 starts on line 4 + 40 * 4 + 1.
    let shown =
        one(&text, "error: assets/diagrams/demo.toml:165:1: a diagram has at most 40 nodes");
    assert!(shown.contains("this one has 41"), "{shown}");
}

#[test]
fn a_diagram_needs_nodes() {
    let text = "id = \"demo\"\ntitle = \"Demo\"\nalt = \"Nothing.\"\n";
    one(text, "error: assets/diagrams/demo.toml:1:6: the diagram has no nodes");
}

#[test]
fn a_step_other_than_the_last_must_highlight_something() {
    let text =
        format!("{VALID}\n[[steps]]\ncaption = \"First.\"\n\n[[steps]]\ncaption = \"All.\"\n");
    one(&text, "error: assets/diagrams/demo.toml:19:1: this step highlights nothing");
}

#[test]
fn an_unknown_field_or_style_is_refused_with_a_suggestion() {
    let text = VALID.replace("label = \"A\"", "label = \"A\"\nstyel = \"accent\"");
    let shown = one(&text, "error: assets/diagrams/demo.toml:8:1: unknown field `styel`");
    assert!(shown.contains("did you mean `style`?"), "{shown}");
    let text = VALID.replace("label = \"A\"", "label = \"A\"\nstyle = \"acent\"");
    let shown = one(&text, "error: assets/diagrams/demo.toml:8:9: unknown variant `acent`");
    assert!(shown.contains("did you mean `accent`?"), "{shown}");
}

#[test]
fn warnings_do_not_stop_the_diagram() {
    let text = VALID.replace("label = \"B\"", "label = \"B\"\nstyle = \"trial\"")
        + "\n[[steps]]\ncaption = \"A first.\"\nhighlight = [\"a\"]\n\n[[steps]]\ncaption = \"Then \
           a caption far too long to fit on a single line of an eighty-column screen.\"\n\
           highlight = [\"b\"]\n";
    let (diagram, warnings) = read(PATH, &text, "demo").expect("only warnings");
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let expected = [
        "warning: assets/diagrams/demo.toml:25:11: this caption is longer than a line",
        "warning: assets/diagrams/demo.toml:26:14: the last step always shows everything",
        "warning: assets/diagrams/demo.toml:12:9: the style `trial` is not explained in the legend",
    ];
    assert_eq!(shown.len(), expected.len(), "{shown:#?}");
    for (shown, expected) in shown.iter().zip(expected) {
        assert!(shown.starts_with(expected), "expected `{expected}`, got:\n{shown}");
    }
    assert_eq!(diagram.steps.len(), 2);
    assert_eq!(diagram.steps[0].highlight, [0]);
}

#[test]
fn a_single_step_is_pointless() {
    let text = format!("{VALID}\n[[steps]]\ncaption = \"All.\"\n");
    let shown = one(&text, "warning: assets/diagrams/demo.toml:19:1: a single step is the whole");
    assert!(shown.contains("add steps before it"), "{shown}");
}

#[test]
fn a_legend_line_for_an_unused_style_is_a_warning() {
    let text = format!("{VALID}\n[[legend]]\nstyle = \"unproven\"\ntext = \"no proof\"\n");
    one(&text, "warning: assets/diagrams/demo.toml:20:9: no node has the style `unproven`");
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = VALID
        .replace("alt = \"A leads to B.\"", "alt = \"\"")
        .replace("to = \"b\"", "to = \"x\"")
        .replace("label = \"A\"", "label = \"\"");
    let found = problems(&text);
    assert_eq!(found.len(), 3, "{found:#?}");
}

#[test]
fn a_caption_may_fill_the_readers_line_at_80_columns_and_no_more() {
    let with_caption = |caption: &str| {
        format!(
            "{VALID}\n[[steps]]\ncaption = \"{caption}\"\nhighlight = [\"a\"]\n\n[[steps]]\ncaption = \"All.\"\n"
        )
    };
    assert_eq!(CAPTION_COLUMNS, 75, "the text column at 80x24");
    assert!(problems(&with_caption(&"x".repeat(75))).is_empty());
    let shown = one(
        &with_caption(&"x".repeat(76)),
        "warning: assets/diagrams/demo.toml:20:11: this caption is longer than a line",
    );
    assert!(shown.contains("keep it to 75 columns"), "{shown}");
    // And what validate allows is what the reader fits: one line at 80x24.
    let (diagram, _) = read(PATH, &with_caption(&"x ".repeat(37)), "demo").unwrap();
    let drawing = crate::diagram::draw(
        &diagram,
        crate::geometry::reader::text_width(80).into(),
        Some(0),
        false,
    );
    assert_eq!(drawing.lines[1].width(), 73);
    assert!(drawing.lines[2].width() == 0, "one caption line");
}

#[test]
fn across_that_never_fits_the_widest_reading_column_is_a_warning() {
    let mut text =
        "id = \"demo\"\ntitle = \"Demo\"\nalt = \"Five in a row.\"\ndirection = \"across\"\n"
            .to_owned();
    let ids = ["first", "second", "third", "fourth", "fifth"];
    for id in ids {
        let _ = write!(
            text,
            "\n[[nodes]]\nid = \"{id}\"\nlabel = \"The {id} box, with a long label\"\n"
        );
    }
    for pair in ids.windows(2) {
        let _ = write!(text, "\n[[edges]]\nfrom = \"{}\"\nto = \"{}\"\n", pair[0], pair[1]);
    }
    let shown =
        one(&text, "warning: assets/diagrams/demo.toml:4:13: drawn across, this diagram needs");
    assert!(shown.contains("widest text column (78)"), "{shown}");
    // Two short boxes fit: no warning.
    assert!(problems(&VALID.replace("alt =", "direction = \"across\"\nalt =")).is_empty());
}
