//! Feeds arbitrary bytes to the loader as a section file, a manifest and a diagram of an
//! otherwise valid pack: loading must report problems, never panic or hang, and every report,
//! as written, must show the bytes it quotes without a single control character in it.

#![no_main]

use std::fs;

use libfuzzer_sys::fuzz_target;
use stemcell::content::{self, load::PackSource};

const MANIFEST: &str = "format_version = 1\nid = \"f\"\ntitle = \"t\"\ndescription = \"d\"\ndisclaimer = \"x\"\nsections = [\"one\"]\n";

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("stemcell-fuzz-{}", std::process::id()));
    let _ = fs::create_dir_all(dir.join("content/sections"));
    let _ = fs::create_dir_all(dir.join("assets/diagrams"));
    let source = PackSource::Dir(dir.clone());
    for (path, other) in [
        ("content/sections/one.toml", None),
        ("content/course.toml", Some(("content/sections/one.toml", "id = \"one\"\ntitle = \"t\"\n[[blocks]]\nkind = \"text\"\ntext = \"x\"\n"))),
        ("assets/diagrams/d.toml", None),
    ] {
        let _ = fs::write(dir.join("content/course.toml"), MANIFEST);
        if let Some((other_path, text)) = other {
            let _ = fs::write(dir.join(other_path), text);
        }
        let _ = fs::write(dir.join(path), data);
        let reports = match content::load(&source) {
            Ok(loaded) => loaded.warnings,
            Err(problems) => problems,
        };
        for d in &reports {
            let mut written = Vec::new();
            let _ = stemcell::report::line(&mut written, &d.to_string());
            let shown = String::from_utf8_lossy(&written);
            assert!(
                !shown.chars().any(|c| c != '\n' && stemcell::report::is_unsafe(c)),
                "a report obeys a control character: {shown:?}"
            );
        }
    }
});
