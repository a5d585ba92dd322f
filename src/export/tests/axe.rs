//! The HTML handout, worksheet and key in a real browser (Debian's chromium) checked by
//! axe-core: no violation of any impact, moderate and minor included (tests/handout, pinned in
//! its package-lock.json; `.ci/setup` installs it). Without node, the packages or chromium
//! the test says so and passes, except in CI, where it fails.

use super::*;

#[test]
fn axe_core_finds_nothing_in_the_html_handout_worksheet_and_key() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/handout");
    let chromium = std::env::var_os("CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into());
    let missing = if !folder.join("node_modules/axe-core").is_dir() {
        Some("tests/handout/node_modules (run `npm ci` there, or .ci/setup)")
    } else if std::process::Command::new("node").arg("--version").output().is_err() {
        Some("node")
    } else if !std::path::Path::new(&chromium).exists() {
        Some("chromium")
    } else {
        None
    };
    if let Some(missing) = missing {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v != "true"),
            "CI must run the axe-core test: {missing} is missing"
        );
        eprintln!("SKIPPED: the axe-core test needs {missing}");
        return;
    }
    let course = course();
    let dir = tempfile::tempdir().unwrap();
    let shapes = [
        ("handout", Options { answers: true, ..Options::new(&course) }),
        ("worksheet", Options { answers: true, worksheet: true, ..Options::new(&course) }),
        ("key", Options { key_only: true, ..Options::new(&course) }),
    ];
    let mut files = Vec::new();
    for (name, options) in shapes {
        let path = dir.path().join(format!("{name}.html"));
        std::fs::write(&path, export(Format::Html, &options)).unwrap();
        files.push(path);
    }
    let out = std::process::Command::new("node")
        .arg(folder.join("axe.mjs"))
        .args(&files)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for file in &files {
        let violations = &found[file.to_str().unwrap()];
        assert_eq!(
            violations.as_array().map(Vec::len),
            Some(0),
            "{}: {violations}",
            file.display()
        );
    }
}
