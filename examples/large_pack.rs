//! Writes a large, valid course pack for performance work:
//!
//!     cargo run --release --example large_pack -- --sections 1000 --questions 10000 /tmp/large
//!
//! Section titles start with "Section"; questions are spread evenly and cycle through all six
//! kinds; every section has text, a note, key points and a diagram reference, so loading,
//! validating, laying out and searching all do real work.

use std::path::PathBuf;
use std::{env, process};

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
    if let Err(e) = stemcell::scaffold::large_pack(&dir, sections.max(1), questions) {
        eprintln!("error: {e}");
        process::exit(2);
    }
    println!("wrote {sections} sections and {questions} questions to {}", dir.display());
}

fn usage() -> ! {
    eprintln!("usage: large_pack [--sections N] [--questions M] DIR");
    process::exit(1);
}
