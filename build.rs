//! Embeds the repository's own pack (`content/` and `assets/`) in the binary, so that
//! `stemcell` runs from any folder with nothing beside it.
//!
//! Each file is embedded twice: as its text (for messages, exports and `validate`), and as
//! its TOML parsed here, at build time, into a compact tree with every value's position
//! (read by `src/content/prebuilt.rs`). Parsing TOML was most of the work of starting the
//! program; reading the tree is a small fraction of it. The tree's format is described in
//! `src/content/prebuilt.rs`, the only reader; both take the tags from one file.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

#[path = "src/content/prebuilt/tags.rs"]
mod tags;
use tags::{ARRAY, BOOLEAN, DATETIME, FLOAT, INTEGER, STRING, STRING_IN_TEXT, TABLE};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    let mut files = Vec::new();
    for dir in ["content", "assets"] {
        println!("cargo::rerun-if-changed={dir}");
        collect(root, &root.join(dir), &mut files);
    }
    files.sort();
    let mut code = String::from(
        "/// Every file of the built-in pack: (path relative to the pack, contents, the contents\n\
         /// parsed at build time, or nothing where they do not parse).\n",
    );
    code.push_str("pub static FILES: &[(&str, &str, &[u8])] = &[\n");
    for (index, relative) in files.iter().enumerate() {
        let absolute = root.join(relative);
        let text = fs::read_to_string(&absolute).unwrap_or_default();
        // A file that does not parse gets no tree: loading parses its text and reports why.
        let tree = DeTable::parse(&text).ok().and_then(|table| {
            let mut bytes = Vec::new();
            encode_table(&table, &text, &mut bytes).then_some(bytes)
        });
        let tree_path = out.join(format!("tree-{index}.bin"));
        fs::write(&tree_path, tree.unwrap_or_default()).expect("OUT_DIR is writable");
        writeln!(
            code,
            "    ({relative:?}, include_str!({:?}), include_bytes!({:?})),",
            absolute.display(),
            tree_path.display()
        )
        .unwrap();
    }
    code.push_str("];\n");
    fs::write(out.join("embedded_pack.rs"), code).expect("OUT_DIR is writable");
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

/// A node: tag, the value's byte span in the text, the payload's length, the payload.
/// Returns false for what the tree cannot hold (an integer beyond 64 bits).
fn encode_node(
    tag: u8,
    span: std::ops::Range<usize>,
    out: &mut Vec<u8>,
    payload: impl FnOnce(&mut Vec<u8>) -> bool,
) -> bool {
    out.push(tag);
    push_u32(out, span.start);
    push_u32(out, span.end);
    let length_at = out.len();
    push_u32(out, 0);
    let fits = payload(out);
    let length = out.len() - length_at - 4;
    out[length_at..length_at + 4]
        .copy_from_slice(&u32::try_from(length).expect("a small pack").to_le_bytes());
    fits
}

fn encode_table(table: &Spanned<DeTable>, source: &str, out: &mut Vec<u8>) -> bool {
    encode_node(TABLE, table.span(), out, |out| entries(table.get_ref(), source, out))
}

fn entries(table: &DeTable, source: &str, out: &mut Vec<u8>) -> bool {
    push_u32(out, table.len());
    table.iter().all(|(key, value)| {
        push_str(out, key.get_ref());
        encode_value(value, source, out)
    })
}

fn encode_value(value: &Spanned<DeValue>, source: &str, out: &mut Vec<u8>) -> bool {
    let span = value.span();
    match value.get_ref() {
        // Most strings are written as they read, with no escapes: the tree points at them in
        // the file's text instead of holding a copy.
        DeValue::String(text) => match written_at(source, &span, text) {
            Some(at) => encode_node(STRING_IN_TEXT, span, out, |out| {
                push_u32(out, at);
                push_u32(out, text.len());
                true
            }),
            None => encode_node(STRING, span, out, |out| {
                out.extend_from_slice(text.as_bytes());
                true
            }),
        },
        DeValue::Integer(integer) => {
            encode_node(INTEGER, span, out, |out| {
                match i64::from_str_radix(integer.as_str(), integer.radix()) {
                    Ok(number) => {
                        out.extend_from_slice(&number.to_le_bytes());
                        true
                    }
                    Err(_) => false,
                }
            })
        }
        DeValue::Float(float) => encode_node(FLOAT, span, out, |out| {
            let number = match float.as_str().trim_start_matches('+') {
                "inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" | "-nan" => f64::NAN,
                digits => match digits.replace('_', "").parse() {
                    Ok(number) => number,
                    Err(_) => return false,
                },
            };
            out.extend_from_slice(&number.to_le_bytes());
            true
        }),
        DeValue::Boolean(yes) => encode_node(BOOLEAN, span, out, |out| {
            out.push(u8::from(*yes));
            true
        }),
        DeValue::Datetime(datetime) => encode_node(DATETIME, span, out, |out| {
            out.extend_from_slice(datetime.to_string().as_bytes());
            true
        }),
        DeValue::Array(items) => encode_node(ARRAY, span, out, |out| {
            push_u32(out, items.len());
            items.iter().all(|item| encode_value(item, source, out))
        }),
        DeValue::Table(table) => encode_node(TABLE, span, out, |out| entries(table, source, out)),
    }
}

/// Where a string's value stands unchanged between its quotes (one or three) in the text.
fn written_at(source: &str, span: &std::ops::Range<usize>, value: &str) -> Option<usize> {
    [1, 3]
        .into_iter()
        .map(|quotes| span.start + quotes)
        .find(|&at| source.get(at..at + value.len()) == Some(value) && at + value.len() <= span.end)
}

fn push_u32(out: &mut Vec<u8>, number: usize) {
    out.extend_from_slice(&u32::try_from(number).expect("a small pack").to_le_bytes());
}

fn push_str(out: &mut Vec<u8>, text: &str) {
    push_u32(out, text.len());
    out.extend_from_slice(text.as_bytes());
}
