//! Embeds the repository's own pack (`content/` and `assets/`) in the binary, so that
//! `stemcell` runs from any folder with nothing beside it.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let mut files = Vec::new();
    for dir in ["content", "assets"] {
        println!("cargo::rerun-if-changed={dir}");
        collect(root, &root.join(dir), &mut files);
    }
    files.sort();
    let mut code = String::from(
        "/// Every file of the built-in pack: (path relative to the pack, contents).\n",
    );
    code.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for relative in &files {
        let absolute = root.join(relative);
        writeln!(code, "    ({relative:?}, include_str!({:?})),", absolute.display()).unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_pack.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            // Directories are watched too, so a new file triggers a rebuild.
            println!("cargo::rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let relative = path.strip_prefix(root).expect("below the root");
            let relative = relative.to_string_lossy().replace('\\', "/");
            files.push(relative);
        }
    }
}
