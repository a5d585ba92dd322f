//! The drawing at many widths: which layout is chosen, the width promise, steps, ASCII, and
//! snapshots of the course's diagrams.

use unicode_width::UnicodeWidthStr;

use super::*;
use crate::content::diagram_file;

/// The course's diagrams, as `(id, text)`.
const COURSE: [(&str, &str); 6] = [
    ("renew-or-specialize", include_str!("../../assets/diagrams/renew-or-specialize.toml")),
    ("harvest-sources", include_str!("../../assets/diagrams/harvest-sources.toml")),
    ("lab-pipeline", include_str!("../../assets/diagrams/lab-pipeline.toml")),
    ("administration-routes", include_str!("../../assets/diagrams/administration-routes.toml")),
    ("evidence", include_str!("../../assets/diagrams/evidence.toml")),
    ("journey", include_str!("../../assets/diagrams/journey.toml")),
];

fn load(id: &str, text: &str) -> Diagram {
    let path = format!("assets/diagrams/{id}.toml");
    match diagram_file::read(&path, text, id) {
        Ok((diagram, warnings)) if warnings.is_empty() => diagram,
        Ok((_, problems)) | Err(problems) => {
            let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
            panic!("{}", shown.join("\n"))
        }
    }
}

fn course() -> Vec<Diagram> {
    COURSE.iter().map(|(id, text)| load(id, text)).collect()
}

fn course_diagram(id: &str) -> Diagram {
    let (_, text) = COURSE.iter().find(|(i, _)| *i == id).expect("a course diagram");
    load(id, text)
}

/// A diagram built by hand (not checked), for shapes the course does not have.
fn synthetic(id: &str, labels: &[&str], edges: &[(usize, usize, Option<&str>)]) -> Diagram {
    Diagram {
        id: id.to_owned(),
        title: format!("Synthetic {id}"),
        alt: "A test diagram.".to_owned(),
        direction: Direction::Auto,
        nodes: labels
            .iter()
            .enumerate()
            .map(|(i, label)| Node {
                id: format!("n{i}"),
                label: (*label).to_owned(),
                detail: None,
                style: NodeStyle::Plain,
            })
            .collect(),
        edges: edges
            .iter()
            .map(|&(from, to, label)| Edge { from, to, label: label.map(str::to_owned) })
            .collect(),
        steps: Vec::new(),
        legend: Vec::new(),
    }
}

/// Shapes that stress the layout: wide fan-outs and fan-ins, long chains, arrows skipping
/// layers, crossing groups, long and wide-character text, and hand-built mistakes (a cycle,
/// a self-loop, an index out of range) that the checks would refuse but `draw` must survive.
fn synthetics() -> Vec<Diagram> {
    let twelve: Vec<String> = (0..12).map(|i| format!("Target {i}")).collect();
    let mut fan_labels = vec!["Source"];
    fan_labels.extend(twelve.iter().map(String::as_str));
    let fan_out: Vec<(usize, usize, Option<&str>)> =
        (1..=12).map(|i| (0, i, if i % 3 == 0 { Some("leads to") } else { None })).collect();
    let fan_in: Vec<(usize, usize, Option<&str>)> =
        (1..=12).map(|i| (i, 0, Some(if i % 2 == 0 { "feeds" } else { "also feeds" }))).collect();
    let chain_labels: Vec<String> = (0..15).map(|i| format!("Stage {i}")).collect();
    let chain_refs: Vec<&str> = chain_labels.iter().map(String::as_str).collect();
    let chain: Vec<(usize, usize, Option<&str>)> =
        (0..14).map(|i| (i, i + 1, Some("then"))).collect();
    let long_word = "Supercalifragilisticexpialidocious-hematopoietic-progenitor-cells";
    let long_text = "a label long enough to need wrapping over several lines inside its box \
                     whatever the width of the screen it is drawn on";
    let mut with_detail = synthetic(
        "long-labels",
        &[long_word, long_text, "Short", long_text],
        &[(0, 1, Some(long_text)), (0, 2, Some(long_word)), (1, 3, None), (2, 3, Some("x"))],
    );
    with_detail.nodes[1].detail = Some(long_word.to_owned());
    with_detail.nodes[2].style = NodeStyle::Unproven;
    with_detail.nodes[3].style = NodeStyle::Optional;
    let forty: Vec<String> = (0..40).map(|i| format!("N{i}")).collect();
    let forty_refs: Vec<&str> = forty.iter().map(String::as_str).collect();
    let forty_edges: Vec<(usize, usize, Option<&str>)> = (0..40)
        .flat_map(|i| [(i, (i * 7 + 3) % 40), (i, (i * 3 + 1) % 40)])
        .filter(|&(a, b)| a < b)
        .map(|(a, b)| (a, b, None))
        .collect();
    vec![
        synthetic("fan-out", &fan_labels, &fan_out),
        synthetic("fan-in", &fan_labels, &fan_in),
        synthetic("chain", &chain_refs, &chain),
        with_detail,
        synthetic(
            "wide-characters",
            &["幹細胞", "造血幹細胞 (血液をつくる)", "🧬 gene", "間葉系幹細胞"],
            &[(0, 1, Some("豊富")), (0, 2, None), (1, 3, Some("→→")), (2, 3, None)],
        ),
        synthetic(
            "skips",
            &["A", "B", "C", "D", "E"],
            &[(0, 1, None), (1, 2, None), (2, 3, None), (0, 3, Some("skip")), (0, 4, None)],
        ),
        synthetic(
            "crossing",
            &["A", "B", "X", "Y", "Z"],
            &[(0, 2, Some("p")), (0, 3, Some("q")), (1, 2, Some("r")), (1, 4, None)],
        ),
        synthetic("islands", &["One", "Two", "Three"], &[]),
        synthetic("forty", &forty_refs, &forty_edges),
        synthetic(
            "broken",
            &["A", "B", "C"],
            &[(0, 1, None), (1, 0, None), (2, 2, None), (0, 9, None), (7, 1, None)],
        ),
    ]
}

fn lines(drawing: &Drawing) -> Vec<String> {
    drawing.lines.iter().map(DrawnLine::text).collect()
}

/// The lines of the drawing itself: after the title, caption and blank line, before the
/// legend.
fn body(diagram: &Diagram, drawing: &Drawing) -> Vec<String> {
    let all = lines(drawing);
    let start = all.iter().position(String::is_empty).map_or(0, |i| i + 1);
    let end = if diagram.legend.is_empty() {
        all.len()
    } else {
        all.iter().rposition(String::is_empty).unwrap_or(all.len())
    };
    all[start..end].to_vec()
}

fn is_boxes(text: &[String]) -> bool {
    text.iter().any(|l| l.contains('┌') || l.contains('┏') || l.contains('+'))
}

#[test]
fn across_at_80_puts_ranks_side_by_side() {
    let journey = course_diagram("journey");
    let drawing = draw(&journey, 80, None, false);
    let text = body(&journey, &drawing);
    let row = text.iter().find(|l| l.contains("Harvest")).expect("a row with the boxes");
    for label in ["Cultivate", "Administer", "Outlook"] {
        assert!(row.contains(label), "{row}");
    }
    assert_eq!(row.matches('▶').count(), 3, "{row}");
}

#[test]
fn down_at_40_stacks_ranks_with_arrows_between() {
    let journey = course_diagram("journey");
    let text = body(&journey, &draw(&journey, 40, None, false));
    let at = |label: &str| text.iter().position(|l| l.contains(label)).expect(label);
    assert!(at("Harvest") < at("Cultivate") && at("Cultivate") < at("Administer"));
    assert_eq!(text.iter().filter(|l| l.contains('▼')).count(), 3, "{text:#?}");
    assert!(text.iter().all(|l| l.width() <= 40));
}

#[test]
fn down_puts_boxes_of_a_band_side_by_side_when_they_fit() {
    let routes = course_diagram("administration-routes");
    assert_eq!(routes.direction, Direction::Down);
    let text = body(&routes, &draw(&routes, 80, None, false));
    let row = text.iter().find(|l| l.contains("Intravenous")).expect("the routes' row");
    assert!(row.contains("Direct injection"), "{text:#?}");
    let label = text.iter().find(|l| l.contains("systemic disease")).expect("words on the arrow");
    assert!(label.contains("localized injury"), "{text:#?}");
}

#[test]
fn auto_falls_back_to_down_when_across_does_not_fit() {
    let harvest = course_diagram("harvest-sources");
    let wide = body(&harvest, &draw(&harvest, 80, None, false));
    assert!(wide.iter().any(|l| l.contains('▶')) && !wide.iter().any(|l| l.contains('▼')));
    let narrow = body(&harvest, &draw(&harvest, 40, None, false));
    assert!(narrow.iter().any(|l| l.contains('▼')) && !narrow.iter().any(|l| l.contains('▶')));
}

#[test]
fn down_is_kept_even_where_across_would_fit() {
    let routes = course_diagram("administration-routes");
    let text = body(&routes, &draw(&routes, 200, None, false));
    assert!(text.iter().any(|l| l.contains('▼')) && !text.iter().any(|l| l.contains('▶')));
}

#[test]
fn across_leaves_out_words_rather_than_turn_down() {
    let words = "words far too long to fit between two boxes on a narrow screen";
    let mut pair = synthetic("pair", &["Cause", "Effect"], &[(0, 1, Some(words))]);
    let auto = body(&pair, &draw(&pair, 40, None, false));
    assert!(auto.iter().any(|l| l.contains('▼')), "{auto:#?}");
    assert!(auto.iter().any(|l| l.contains("words far")), "{auto:#?}");
    pair.direction = Direction::Across;
    let across = body(&pair, &draw(&pair, 40, None, false));
    assert!(across.iter().any(|l| l.contains("Cause") && l.contains("▶")), "{across:#?}");
    assert!(!across.iter().any(|l| l.contains("words")), "{across:#?}");
    let wide = body(&pair, &draw(&pair, 120, None, false));
    assert!(wide.iter().any(|l| l.contains(words)), "{wide:#?}");
}

#[test]
fn a_fan_in_with_different_words_puts_them_at_the_start_of_each_arrow() {
    let harvest = course_diagram("harvest-sources");
    let text = body(&harvest, &draw(&harvest, 80, None, false));
    let marrow = text.iter().find(|l| l.contains("rich in")).expect("rich in");
    let cord = text.iter().find(|l| l.contains("provides")).expect("provides");
    assert!(marrow.contains("├─ rich in"), "{marrow}");
    assert!(cord.contains("├─ provides"), "{cord}");
}

#[test]
fn the_text_list_at_8_columns_names_every_node_and_arrow() {
    let harvest = course_diagram("harvest-sources");
    let drawing = draw(&harvest, 8, None, false);
    let text = lines(&drawing);
    assert!(!is_boxes(&text), "{text:#?}");
    assert!(text.iter().all(|l| l.width() <= 8), "{text:#?}");
    let bone = text.iter().position(|l| l == "Bone").expect("the first node");
    assert_eq!(text[bone + 1], "marrow", "{text:#?}");
    assert!(text.iter().any(|l| l.starts_with("  → ")), "{text:#?}");
}

#[test]
fn the_text_list_reads_as_sentences_when_it_has_room() {
    let harvest = course_diagram("harvest-sources");
    let view = View::new(&harvest, None);
    let list: Vec<String> =
        text::list(&harvest, &view, 120, Glyphs::UNICODE).iter().map(DrawnLine::text).collect();
    assert_eq!(list[0], "Circulating blood");
    assert_eq!(list[1], "  after G-CSF, by apheresis");
    assert_eq!(list[2], "  → Hematopoietic stem cells (most adult transplants)");
}

#[test]
fn every_course_diagram_fits_80_and_40_columns_as_boxes() {
    for diagram in course() {
        for width in [80, 40] {
            for ascii in [false, true] {
                let drawing = draw(&diagram, width, None, ascii);
                let text = body(&diagram, &drawing);
                assert!(
                    is_boxes(&text),
                    "{} at {width} is not boxes:\n{}",
                    diagram.id,
                    text.join("\n")
                );
                for line in lines(&drawing) {
                    assert!(line.width() <= width, "{} at {width}: {line:?}", diagram.id);
                }
            }
        }
    }
}

#[test]
fn ascii_mode_draws_only_ascii() {
    for diagram in course() {
        for width in [8, 20, 40, 80, 120] {
            for step in [None, Some(0), Some(99)] {
                let text = draw(&diagram, width, step, true).text();
                let odd: Vec<char> = text.chars().filter(|c| !c.is_ascii()).collect();
                assert!(odd.is_empty(), "{} at {width}: {odd:?}\n{text}", diagram.id);
            }
        }
    }
}

/// The labels of the nodes that some lit piece belongs to, read from the pieces' roles.
fn lit_labels(drawing: &Drawing, diagram: &Diagram) -> Vec<String> {
    let mut lit: Vec<String> = diagram
        .nodes
        .iter()
        .filter(|node| {
            // The first letters are on one line even where the label wraps.
            let start: String = node.label.chars().take(4).collect();
            drawing
                .lines
                .iter()
                .flat_map(|l| &l.pieces)
                .any(|p| p.role == DiagramRole::Label && p.lit && p.text.contains(&start))
        })
        .map(|n| n.label.clone())
        .collect();
    lit.sort();
    lit
}

#[test]
fn a_step_lights_exactly_its_nodes_and_the_arrows_between_them() {
    let harvest = course_diagram("harvest-sources");
    for width in [80, 40, 10] {
        let drawing = draw(&harvest, width, Some(3), false);
        assert_eq!(
            lit_labels(&drawing, &harvest),
            ["Adipose tissue (fat)", "Mesenchymal stromal cells"],
            "at {width}"
        );
        let pieces: Vec<&DrawnPiece> = drawing.lines.iter().flat_map(|l| &l.pieces).collect();
        let lit_words: Vec<&str> = pieces
            .iter()
            .filter(|p| p.role == DiagramRole::EdgeLabel && p.lit)
            .map(|p| p.text.trim())
            .collect();
        let dim_words: Vec<&str> = pieces
            .iter()
            .filter(|p| p.role == DiagramRole::EdgeLabel && !p.lit)
            .map(|p| p.text.trim())
            .collect();
        if width >= 40 {
            assert_eq!(lit_words, ["rich in"], "at {width}");
        }
        if width >= 80 {
            assert!(dim_words.contains(&"provides"), "at {width}: {dim_words:?}");
        }
        let dim_borders = pieces.iter().any(|p| matches!(p.role, DiagramRole::Border(_)) && !p.lit);
        assert!(dim_borders || width < MIN_BOX_WIDTH, "at {width}");
    }
}

#[test]
fn a_step_shows_its_caption_first_and_clamps_past_the_end() {
    let harvest = course_diagram("harvest-sources");
    let count = step_count(&harvest);
    assert_eq!(count, 5);
    let third = lines(&draw(&harvest, 80, Some(2), false));
    assert!(third[0].ends_with(" (Step 3/5)"), "{third:?}");
    assert_eq!(third[1], "Cord blood, collected after birth, also provides blood-forming cells.");
    let last = draw(&harvest, 80, Some(count - 1), false);
    assert_eq!(draw(&harvest, 80, Some(count + 10), false), last);
    assert!(lines(&last)[0].ends_with(" (Step 5/5)"));
}

#[test]
fn no_step_and_the_last_step_light_everything() {
    let harvest = course_diagram("harvest-sources");
    for step in [None, Some(step_count(&harvest) - 1)] {
        let drawing = draw(&harvest, 80, step, false);
        let dim: Vec<&DrawnPiece> =
            drawing.lines.iter().flat_map(|l| &l.pieces).filter(|p| !p.lit).collect();
        assert!(dim.is_empty(), "{step:?}: {dim:?}");
    }
    let none = lines(&draw(&harvest, 80, None, false));
    assert!(!none.iter().any(|l| l.contains("Step ")));
}

#[test]
fn a_diagram_without_steps_ignores_a_step() {
    let journey = synthetic("plain", &["A", "B"], &[(0, 1, None)]);
    assert_eq!(step_count(&journey), 0);
    assert_eq!(draw(&journey, 60, Some(2), false), draw(&journey, 60, None, false));
}

#[test]
fn evidence_status_is_written_in_words_and_explained_in_the_legend() {
    let evidence = course_diagram("evidence");
    for (ascii, marks) in [(false, ["✓", "~", "✗"]), (true, ["+", "~", "x"])] {
        let text = lines(&draw(&evidence, 80, None, ascii));
        for (mark, word) in marks.iter().zip(["established", "in trials", "unproven"]) {
            let marker = format!("{mark} {word}");
            assert!(text.iter().any(|l| l.contains(&marker)), "{marker} in a box");
            assert!(text.iter().any(|l| l.starts_with(&marker)), "{marker} in the legend");
        }
    }
}

#[test]
fn alt_text_is_the_authors_description() {
    let renew = course_diagram("renew-or-specialize");
    assert!(alt_text(&renew).starts_with("A stem cell can divide"));
}

#[test]
fn wrapping_breaks_long_words_and_replaces_what_cannot_fit() {
    assert_eq!(text::wrap("Bone marrow harvest", 11), ["Bone marrow", "harvest"]);
    assert_eq!(text::wrap("hematopoietic", 5), ["hemat", "opoie", "tic"]);
    assert_eq!(text::wrap("幹細胞", 1), ["…", "…", "…"]);
    assert_eq!(text::wrap("", 4), [""]);
    assert_eq!(text::wrap_hanging("one two three", 16, 2), ["one two three"]);
    assert_eq!(
        text::wrap_hanging("one two three four five", 16, 2),
        ["one two three", "  four five"]
    );
    assert_eq!(text::wrap_hanging("one two three", 8, 2), ["one two", "three"]);
}

/// Every width from 1 to 300, every step and one past the end: no panic, no line too wide.
#[test]
fn no_width_and_no_step_breaks_the_width() {
    let mut all = course();
    all.extend(synthetics());
    for diagram in &all {
        let mut steps: Vec<Option<usize>> = vec![None, Some(step_count(diagram) + 3)];
        steps.extend((0..step_count(diagram)).map(Some));
        for width in 1..=300 {
            for &step in &steps {
                let ascii = width % 2 == 0;
                let drawing = draw(diagram, width, step, ascii);
                for line in &drawing.lines {
                    assert!(
                        line.width() <= width,
                        "{} at {width}, step {step:?}: {:?}",
                        diagram.id,
                        line.text()
                    );
                }
            }
        }
    }
}

#[test]
fn synthetic_shapes_draw_as_boxes_at_80() {
    for diagram in synthetics().iter().filter(|d| d.id != "forty") {
        let drawing = draw(diagram, 80, None, false);
        assert!(is_boxes(&body(diagram, &drawing)), "{}:\n{}", diagram.id, drawing.text());
    }
}

#[test]
fn a_long_chain_goes_down_when_it_cannot_go_across() {
    let chain = synthetics().into_iter().find(|d| d.id == "chain").expect("chain");
    let text = body(&chain, &draw(&chain, 80, None, false));
    assert_eq!(text.iter().filter(|l| l.contains('▼')).count(), 14, "{text:#?}");
    assert_eq!(text.iter().filter(|l| l.contains("then")).count(), 14, "{text:#?}");
}

#[test]
#[ignore = "prints every course diagram, for looking at while working on the layout"]
fn show() {
    let width: usize = std::env::var("W").ok().and_then(|w| w.parse().ok()).unwrap_or(80);
    let ascii = std::env::var("ASCII").is_ok();
    let mut all = course();
    if std::env::var("SYNTHETIC").is_ok() {
        all = synthetics();
    }
    for diagram in all {
        println!("{}", "=".repeat(width));
        print!("{}", draw(&diagram, width, None, ascii).text());
    }
}

#[test]
fn snapshots_of_the_course_diagrams() {
    for diagram in course() {
        for (name, width, ascii) in [("80", 80, false), ("40", 40, false), ("80_ascii", 80, true)] {
            let text = draw(&diagram, width, None, ascii).text();
            insta::assert_snapshot!(format!("{}_{name}", diagram.id), text);
        }
    }
}

#[test]
fn snapshot_of_a_step_with_dimmed_parts() {
    // Every character of a dimmed piece is shown as `·`, so the snapshot shows exactly what
    // the step leaves lit.
    let harvest = course_diagram("harvest-sources");
    let drawing = draw(&harvest, 80, Some(1), false);
    let shown: String = drawing
        .lines
        .iter()
        .map(|line| {
            let text: String = line
                .pieces
                .iter()
                .map(|p| {
                    if p.lit {
                        p.text.clone()
                    } else {
                        p.text.chars().map(|c| if c == ' ' { ' ' } else { '·' }).collect()
                    }
                })
                .collect();
            text + "\n"
        })
        .collect();
    insta::assert_snapshot!("harvest-sources_step_2_80", shown);
}

/// Six boxes feeding one, drawn down at 40 columns, used to wrap the six into rows with the
/// arrows of the first rows crossing past the later ones. Now no arrow crosses another line
/// or a box: the fan-in joins one shared line (across), whatever the direction asked for.
#[test]
fn six_boxes_into_one_at_40_columns_join_one_shared_line() {
    let labels = ["Bone marrow", "Fat tissue", "Cord blood", "Blood", "Teeth", "Skin", "The lab"];
    let edges: Vec<(usize, usize, Option<&str>)> = (0..6).map(|i| (i, 6, None)).collect();
    let mut six = synthetic("six", &labels, &edges);
    for direction in [Direction::Down, Direction::Auto] {
        six.direction = direction;
        let text = draw(&six, 40, None, false).text();
        assert!(!text.contains('┼') && !text.contains("│╮") && !text.contains("╰│"), "{text}");
        for label in labels {
            assert!(text.contains(label), "{label}: {text}");
        }
        assert_eq!(
            text.matches('▶').count() + text.matches('▼').count(),
            1,
            "one arrowhead:\n{text}"
        );
    }
    insta::assert_snapshot!("six_into_one_down_40", {
        six.direction = Direction::Down;
        draw(&six, 40, None, false).text()
    });
}
