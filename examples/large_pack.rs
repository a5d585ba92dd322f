//! Writes a large, valid course pack for performance work:
//!
//!     cargo run --release --example large_pack -- --sections 1000 --questions 10000 /tmp/large
//!
//! Section titles start with "Section"; questions are spread evenly and cycle through all six
//! kinds; every section has text, a note, key points and a diagram reference, so loading,
//! validating, laying out and searching all do real work.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs, process};

fn main() {
    let mut sections = 1000usize;
    let mut questions = 10_000usize;
    let mut dir = None;
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        let number =
            |value: Option<String>| value.and_then(|v| v.parse().ok()).unwrap_or_else(|| usage());
        match arg.as_str() {
            "--sections" => sections = number(args.next()),
            "--questions" => questions = number(args.next()),
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => usage(),
        }
    }
    let Some(dir) = dir else { usage() };
    if let Err(e) = write(&dir, sections.max(1), questions) {
        eprintln!("error: {e}");
        process::exit(2);
    }
    println!("wrote {sections} sections and {questions} questions to {}", dir.display());
}

fn usage() -> ! {
    eprintln!("usage: large_pack [--sections N] [--questions M] DIR");
    process::exit(1);
}

fn write(dir: &std::path::Path, sections: usize, questions: usize) -> std::io::Result<()> {
    fs::create_dir_all(dir.join("content/sections"))?;
    fs::create_dir_all(dir.join("assets/diagrams"))?;
    let ids: Vec<String> = (1..=sections).map(|i| format!("section-{i}")).collect();
    let list: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    fs::write(
        dir.join("content/course.toml"),
        format!(
            "format_version = 1\nid = \"large\"\ntitle = \"A large course\"\ndescription = \"Generated for performance tests.\"\ndisclaimer = \"Generated text.\"\nsections = [{}]\n",
            list.join(", ")
        ),
    )?;
    fs::write(
        dir.join("assets/diagrams/flow.toml"),
        "id = \"flow\"\ntitle = \"Flow\"\nalt = \"From a start, through a middle, to an end.\"\n[[nodes]]\nid = \"start\"\nlabel = \"Start\"\n[[nodes]]\nid = \"middle\"\nlabel = \"Middle\"\n[[nodes]]\nid = \"end\"\nlabel = \"End\"\n[[edges]]\nfrom = \"start\"\nto = \"middle\"\n[[edges]]\nfrom = \"middle\"\nto = \"end\"\n[[steps]]\ncaption = \"First the start.\"\nhighlight = [\"start\"]\n[[steps]]\ncaption = \"All of it.\"\n",
    )?;
    fs::write(
        dir.join("content/glossary.toml"),
        "[[terms]]\nterm = \"cell\"\ndefinition = \"The smallest unit of life.\"\n",
    )?;
    let per_section = questions / sections;
    let extra = questions % sections;
    for (i, id) in ids.iter().enumerate() {
        let count = per_section + usize::from(i < extra);
        fs::write(dir.join(format!("content/sections/{id}.toml")), section(i + 1, id, count))?;
    }
    Ok(())
}

fn section(number: usize, id: &str, questions: usize) -> String {
    let mut out = format!(
        "id = \"{id}\"\ntitle = \"Section {number}: growing cells\"\nshort_title = \"Section {number}\"\nkey_points = [\"A cell divides.\", \"Cells are counted.\", \"Counts are checked.\"]\n\n"
    );
    let paragraph = "Every cell in this section divides, grows and is counted again, so that the *text* is long enough to wrap over several lines at any width a reader might use.";
    for block in ["intro", "detail"] {
        let _ = write!(
            out,
            "[[blocks]]\nkind = \"text\"\nid = \"{block}\"\ntext = \"{paragraph} {paragraph}\"\n\n"
        );
    }
    out.push_str("[[blocks]]\nkind = \"context\"\nid = \"note\"\ntitle = \"A note\"\ntext = \"Generated context.\"\nsource = \"The generator\"\n\n");
    out.push_str("[[blocks]]\nkind = \"diagram\"\nid = \"picture\"\ndiagram = \"flow\"\n\n");
    for q in 0..questions {
        let qid = format!("{id}-q{q}");
        let head = format!(
            "[[questions]]\nid = \"{qid}\"\nblock = \"intro\"\nprompt = \"Question {q} of section {number}: fill the ___ or choose.\"\nexplanation = \"Because it is generated.\"\n"
        );
        out.push_str(&head);
        match q % 6 {
            0 => out.push_str("kind = \"single\"\n[[questions.options]]\ntext = \"Right\"\ncorrect = true\n[[questions.options]]\ntext = \"Wrong\"\nfeedback = \"No.\"\n"),
            1 => out.push_str("kind = \"multiple\"\n[[questions.options]]\ntext = \"One\"\ncorrect = true\n[[questions.options]]\ntext = \"Two\"\ncorrect = true\n[[questions.options]]\ntext = \"Three\"\nfeedback = \"No.\"\n"),
            2 => out.push_str("kind = \"truefalse\"\nanswer = true\n"),
            3 => out.push_str("kind = \"order\"\nsteps = [\"First\", \"Second\", \"Third\"]\n"),
            4 => out.push_str("kind = \"match\"\npairs = [{ left = \"A\", right = \"1\" }, { left = \"B\", right = \"2\" }]\n"),
            _ => out.push_str("kind = \"fill\"\naccept = [\"cell\"]\n"),
        }
        out.push('\n');
    }
    out
}
