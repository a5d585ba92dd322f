//! The built-in course's own text: the safety advice it must give, one spelling throughout, and
//! questions that do not give their answers away. Each test names what a reader would notice.

use std::path::Path;

use super::{PackSource, load};
use crate::course::{Answer, Block, BlockBody, Course, Rich, Section};

fn course() -> Course {
    load(&PackSource::BuiltIn).expect("the built-in pack loads").course
}

fn section<'a>(course: &'a Course, id: &str) -> &'a Section {
    course.sections.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("no section {id}"))
}

/// Everything a reader sees in a block, as plain text.
fn block_text(block: &Block) -> String {
    match &block.body {
        BlockBody::Text(paragraphs) => {
            paragraphs.iter().map(Rich::text).collect::<Vec<_>>().join(" ")
        }
        BlockBody::Heading(text) => text.clone(),
        BlockBody::List { lead, items } => {
            lead.iter().chain(items).map(Rich::text).collect::<Vec<_>>().join(" ")
        }
        BlockBody::Callout { title, note, source, .. } => {
            let mut parts: Vec<String> = title.iter().cloned().collect();
            parts.extend(note.paragraphs.iter().chain(&note.items).map(Rich::text));
            parts.extend(source.iter().cloned());
            parts.join(" ")
        }
        BlockBody::Context { title, note, source, .. } => {
            let mut parts: Vec<String> = title.iter().cloned().collect();
            parts.extend(note.paragraphs.iter().chain(&note.items).map(Rich::text));
            parts.push(source.clone());
            parts.join(" ")
        }
        BlockBody::Diagram(_) => String::new(),
    }
}

fn block<'a>(section: &'a Section, id: &str) -> &'a Block {
    section
        .blocks
        .iter()
        .find(|b| b.id.as_deref() == Some(id))
        .unwrap_or_else(|| panic!("{} has no block {id}", section.id))
}

#[test]
fn the_outlook_says_a_trial_listing_is_no_safety_check_and_a_question_tests_it() {
    let course = course();
    let outlook = section(&course, "outlook");
    let advice = [block(outlook, "questions-to-ask"), block(outlook, "trial-listing")]
        .iter()
        .map(|b| block_text(b))
        .collect::<Vec<_>>()
        .join(" ");
    // What the reviewer found missing: the regulator's permission (in the US an IND), a warning
    // about trials that charge, and a doctor with nothing to sell.
    for needle in ["IND", "regulator allowed", "charges you", "not selling", "ClinicalTrials.gov"] {
        assert!(advice.contains(needle), "the outlook's advice does not say {needle:?}:\n{advice}");
    }
    // The course's own summary may not offer "a registered trial" as the safe alternative.
    let key_points: Vec<String> = outlook.key_points.iter().map(Rich::text).collect();
    assert!(key_points.iter().any(|k| k.contains("IND")), "{key_points:?}");
    assert!(!key_points.iter().any(|k| k.contains("registered trial")), "{key_points:?}");
    // At least one question is taught by the new note, and it keys the regulator's check.
    let listing = outlook.blocks.iter().position(|b| b.id.as_deref() == Some("trial-listing"));
    let taught: Vec<_> = outlook.questions.iter().filter(|q| Some(q.block) == listing).collect();
    assert!(!taught.is_empty(), "no question points at the trial-listing note");
    let keys_the_check = taught.iter().any(|q| match &q.answer {
        Answer::Choice { options, .. } => {
            options.iter().any(|o| o.correct && o.text.contains("IND"))
        }
        _ => false,
    });
    assert!(keys_the_check, "no question on the note has the IND check as its answer");
}

#[test]
fn the_summary_of_approved_products_agrees_with_the_cultivation_section() {
    let course = course();
    let approved = block_text(block(section(&course, "benefits"), "approved"));
    let cultivation = section(&course, "cultivation");
    // Every approved product Cultivation names is in the summary, and so are the brain diseases
    // two of them treat (the summary once said "disorders of the blood-forming system" only).
    let named = [block(cultivation, "gene-modified"), block(cultivation, "no-culture")]
        .iter()
        .map(|b| block_text(b))
        .collect::<Vec<_>>()
        .join(" ");
    for product in ["Omisirge", "Ryoncil", "adrenoleukodystrophy", "metachromatic leukodystrophy"] {
        assert!(named.contains(product) || product == "Ryoncil", "Cultivation lost {product}");
        assert!(approved.contains(product), "the approved summary leaves out {product}");
    }
    assert!(approved.contains("Gene-modified"), "{approved}");
}

#[test]
fn rules_for_regulated_products_are_not_stated_as_facts_about_every_injection() {
    let course = course();
    let cultivation = section(&course, "cultivation");
    for id in ["lab-conditions", "release-tests"] {
        let text = block_text(block(cultivation, id));
        assert!(text.contains("regulated"), "{id} does not say the rule is for regulated products");
        assert!(text.contains("same procedure"), "{id} does not say whom the rule does not reach");
    }
    let key_points = cultivation.key_points.iter().map(Rich::text).collect::<Vec<_>>();
    assert!(!key_points.iter().any(|k| k.starts_with("Cells for patients are made")));
}

#[test]
fn the_articles_rare_side_effects_claim_has_a_note_and_a_question() {
    let course = course();
    let administration = section(&course, "administration");
    let note = block_text(block(administration, "side-effects"));
    for needle in ["graft-versus-host", "infection", "blindness", "depends on the treatment"] {
        assert!(note.contains(needle), "the side-effects note does not say {needle:?}");
    }
    let index = administration.blocks.iter().position(|b| b.id.as_deref() == Some("side-effects"));
    assert!(administration.questions.iter().any(|q| Some(q.block) == index));
}

#[test]
fn the_transplant_order_is_one_with_a_single_defensible_answer() {
    // A donor's cells are often collected after the patient's conditioning has begun, so an
    // order of a donor transplant has two right answers; the patient's own cells come first.
    let course = course();
    let administration = section(&course, "administration");
    let question =
        administration.questions.iter().find(|q| q.id == "transplant-steps-order").unwrap();
    let Answer::Order(steps) = &question.answer else { panic!("not an order question") };
    assert!(question.prompt.contains("own"), "{}", question.prompt);
    let collected = steps.iter().position(|s| s.contains("collected")).unwrap();
    let conditioned = steps.iter().position(|s| s.contains("conditions")).unwrap();
    assert!(collected < conditioned);
    assert!(!steps.iter().any(|s| s.contains("donor")), "{steps:?}");
}

/// Word starts that only British spelling uses (the American forms drop the `a` or `o`).
const BRITISH_STARTS: &[&str] = &[
    "haem",
    "anaem",
    "anaesth",
    "leukaem",
    "oedem",
    "oesoph",
    "oestr",
    "foet",
    "paediat",
    "orthopaed",
    "diarrhoe",
    "coeliac",
    "caesar",
    "manoeuv",
];
/// Stems that American spelling ends in `-ize`, `-ized`, `-izing`, `-ization`.
const IZE_STEMS: &[&str] = &[
    "speciali",
    "organi",
    "recogni",
    "reali",
    "fertili",
    "minimi",
    "maximi",
    "characteri",
    "utili",
    "standardi",
    "stabili",
    "immuni",
    "mobili",
    "sterili",
    "hospitali",
    "optimi",
    "emphasi",
    "summari",
    "categori",
    "generali",
    "locali",
    "visuali",
    "critici",
    "normali",
    "neutrali",
    "personali",
    "synthesi",
    "hypothesi",
    "metaboli",
    "centrali",
    "randomi",
    "prioriti",
    "symboli",
    "familiari",
    "authori",
    "moderni",
    "apologi",
    "memori",
    "catheteri",
];
/// Stems that American spelling ends in `-or` where British has `-our`.
const OR_STEMS: &[&str] = &[
    "col", "behavi", "fav", "hon", "lab", "neighb", "tum", "hum", "vap", "od", "rum", "flav",
    "harb", "vig", "rig", "sav", "endeav", "ard",
];
/// Whole words with another American form.
const BRITISH_WORDS: &[&str] = &[
    "ageing",
    "centre",
    "centres",
    "fibre",
    "fibres",
    "litre",
    "litres",
    "metre",
    "metres",
    "programme",
    "programmes",
    "grey",
    "licence",
    "defence",
    "offence",
    "travelled",
    "travelling",
    "cancelled",
    "labelled",
    "labelling",
    "modelled",
    "modelling",
    "enrol",
    "enrolment",
    "fulfil",
    "skilful",
    "whilst",
    "amongst",
    "spelt",
    "learnt",
    "mould",
    "sceptical",
    "artefact",
    "sulphur",
    "aluminium",
    "cheque",
    "tyre",
    "practise",
    "catalogue",
    "analyse",
    "analysed",
    "analysing",
    "paralyse",
    "paralysed",
    "catalyse",
    "catalysed",
];

/// The British spelling of a word, if `word` is one (lowercase letters).
fn is_british(word: &str) -> bool {
    let ize_ending = |rest: &str| {
        ["se", "sed", "ses", "sing", "sation", "sations", "ser", "sers"].contains(&rest)
    };
    let our_ending =
        |rest: &str| ["our", "ours", "oured", "ouring", "ourful", "ourite"].contains(&rest);
    BRITISH_WORDS.contains(&word)
        || BRITISH_STARTS.iter().any(|start| word.starts_with(start))
        || ["un", "re", ""].iter().any(|prefix| {
            let Some(word) = word.strip_prefix(prefix) else { return false };
            IZE_STEMS.iter().any(|stem| word.strip_prefix(stem).is_some_and(ize_ending))
                || OR_STEMS.iter().any(|stem| word.strip_prefix(stem).is_some_and(our_ending))
        })
}

#[test]
fn the_spelling_check_knows_british_from_american() {
    for british in [
        "tumour",
        "specialised",
        "unspecialised",
        "specialisation",
        "anaesthesia",
        "ageing",
        "fertilised",
        "haematopoietic",
        "honoured",
        "recognising",
        "colour",
        "centre",
    ] {
        assert!(is_british(british), "{british} should be caught");
    }
    for american in [
        "tumor",
        "specialized",
        "anesthesia",
        "aging",
        "fertilized",
        "hematopoietic",
        "honored",
        "emphasis",
        "analyses",
        "reprogrammed",
        "parameter",
        "hour",
        "four",
        "odd",
        "advise",
        "promise",
        "otherwise",
        "arise",
        "synthesis",
        "labor",
        "harbor",
        "our",
    ] {
        assert!(!is_british(american), "{american} is American");
    }
}

#[test]
fn the_course_is_spelled_the_american_way_like_the_article() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["content", "content/sections", "assets/diagrams"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 10, "the course's files were not found: {files:?}");
    let mut found = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        for (number, line) in text.lines().enumerate() {
            // Fill answers accept what learners type, in either spelling.
            if line.trim_start().starts_with("accept") {
                continue;
            }
            for word in line.split(|c: char| !c.is_alphabetic()) {
                let lower = word.to_lowercase();
                if !lower.is_empty() && is_british(&lower) {
                    found.push(format!("{name}:{}: {word}", number + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "British spellings in an American course:\n{}", found.join("\n"));
}

#[test]
fn every_key_point_fits_one_line_of_an_80_column_window() {
    // At 80x24 a key point line holds 72 columns after its "◆ " (seen in the reader).
    let course = course();
    let long: Vec<String> = course
        .sections
        .iter()
        .flat_map(|s| s.key_points.iter().map(move |k| (s, k.text())))
        .filter(|(_, k)| unicode_width::UnicodeWidthStr::width(k.as_str()) > 72)
        .map(|(s, k)| format!("{}: {k}", s.id))
        .collect();
    assert!(long.is_empty(), "key points longer than one line:\n{}", long.join("\n"));
}

#[test]
fn standard_care_is_said_for_some_patients_and_not_only_cancers_are_keyed() {
    let course = course();
    let benefits = section(&course, "benefits");
    assert!(block_text(block(benefits, "established")).contains("for some patients"));
    let question = benefits.questions.iter().find(|q| q.id == "standard-care-conditions").unwrap();
    let Answer::Choice { options, .. } = &question.answer else { panic!() };
    // The keys are not a category a reader can spot without knowing the answer.
    let keyed: Vec<&str> = options.iter().filter(|o| o.correct).map(|o| o.text.as_str()).collect();
    assert!(keyed.iter().any(|k| k.contains("inherited")), "{keyed:?}");
}
