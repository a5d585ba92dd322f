//! Diagnostics as `stemcell validate` prints them: each path as the user can open it (the pack
//! folder as it was typed, relative to the working directory when the pack is under it), as
//! text or as one JSON document for editors and CI.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::error::{Diagnostic, Severity};

/// The pack folder as a user's terminal or editor can open it from `cwd`: a relative path as
/// typed (without `./` steps), an absolute one made relative when it lies under `cwd` (so
/// `/home/kim/course/content/x.toml` from `/home/kim` is `course/content/x.toml`), and any
/// other absolute path as it is.
pub fn shown_root(given: &Path, cwd: Option<&Path>) -> PathBuf {
    let under_cwd =
        cwd.filter(|_| given.is_absolute()).and_then(|cwd| given.strip_prefix(cwd).ok());
    let root = under_cwd.unwrap_or(given);
    root.components().filter(|c| !matches!(c, Component::CurDir)).collect()
}

/// `diagnostics` with each path (relative to the pack) put under `root`, as [`shown_root`]
/// gives it. The built-in pack has no folder: pass `None` and the paths stay as they are.
pub fn under_root(mut diagnostics: Vec<Diagnostic>, root: Option<&Path>) -> Vec<Diagnostic> {
    let Some(root) = root else { return diagnostics };
    for d in &mut diagnostics {
        d.path = joined(root, &d.path);
    }
    diagnostics
}

/// `relative` (with `/` separators) under `root`, with `/` separators whatever the platform
/// does, so the text is the same everywhere and editors read it.
fn joined(root: &Path, relative: &str) -> String {
    if root.as_os_str().is_empty() {
        return relative.to_owned();
    }
    let root = root.to_string_lossy();
    let root = root.trim_end_matches(['/', std::path::MAIN_SEPARATOR]);
    // `/` itself trims to nothing: keep the one slash.
    if root.is_empty() { format!("/{relative}") } else { format!("{root}/{relative}") }
}

/// The JSON report of `stemcell validate --format json`: one document, so any JSON reader
/// (`jq`, an editor, a CI step) takes it whole, with the counts a script checks first.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// No errors: the pack loads (warnings do not stop it).
    pub ok: bool,
    pub errors: usize,
    pub warnings: usize,
    /// Every problem found, in the order the text report gives them.
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// One problem, as editors' problem matchers and CI annotations take them.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// The file as [`under_root`] shows it.
    pub file: &'a str,
    /// 1-based line; `null` when the whole file is meant (missing, empty, unreadable).
    pub line: Option<usize>,
    /// 1-based column, in characters (Unicode scalar values); `null` with `line`.
    pub column: Option<usize>,
    /// The column just after the marked spot, on the same line; `null` with `line`.
    pub end_column: Option<usize>,
    /// `error` (the pack does not load) or `warning`.
    pub severity: &'static str,
    pub message: &'a str,
    /// What to do about it, when there is something to suggest.
    pub hint: Option<&'a str>,
}

impl<'a> JsonReport<'a> {
    pub fn of(diagnostics: &'a [Diagnostic]) -> Self {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Self {
            ok: errors == 0,
            errors,
            warnings: diagnostics.len() - errors,
            diagnostics: diagnostics.iter().map(JsonDiagnostic::of).collect(),
        }
    }

    /// The document, pretty-printed, ending with a line break.
    pub fn to_json(&self) -> String {
        // Only strings and numbers: serialising cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

impl<'a> JsonDiagnostic<'a> {
    fn of(d: &'a Diagnostic) -> Self {
        let at = (d.line > 0).then_some((d.line, d.column));
        Self {
            file: &d.path,
            line: at.map(|(line, _)| line),
            column: at.map(|(_, column)| column),
            end_column: at.map(|(_, column)| column + d.width),
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            message: &d.message,
            hint: d.hint.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_is_kept_and_an_absolute_one_under_the_working_directory_made_relative() {
        let cwd = Path::new("/home/kim");
        let shown = |given: &str| shown_root(Path::new(given), Some(cwd)).display().to_string();
        assert_eq!(shown("packs/water"), "packs/water");
        assert_eq!(shown("./packs/water/"), "packs/water");
        assert_eq!(shown("../other"), "../other");
        assert_eq!(shown("."), "");
        assert_eq!(shown("/home/kim/course"), "course");
        assert_eq!(shown("/home/kim"), "");
        assert_eq!(shown("/home/kimberly/course"), "/home/kimberly/course");
        assert_eq!(shown("/srv/course"), "/srv/course");
        assert_eq!(shown_root(Path::new("/srv/c"), None), Path::new("/srv/c"));
    }

    #[test]
    fn paths_go_under_the_shown_root_with_slashes() {
        let d = || vec![Diagnostic::file(Severity::Error, "content/course.toml", "m")];
        let path = |root: &str| under_root(d(), Some(Path::new(root)))[0].path.clone();
        assert_eq!(path("packs/water"), "packs/water/content/course.toml");
        assert_eq!(path(""), "content/course.toml");
        assert_eq!(path("/"), "/content/course.toml");
        assert_eq!(under_root(d(), None)[0].path, "content/course.toml");
    }

    #[test]
    fn the_json_report_has_every_field_and_null_for_a_whole_file() {
        let text = "id = \"x\"\ntitel = \"Harvesting\"\n";
        let at = text.find("titel").unwrap();
        let diagnostics = vec![
            Diagnostic::at(Severity::Error, "c/s.toml", text, at..at + 5, "unknown field `titel`")
                .with_hint("did you mean `title`?"),
            Diagnostic::file(Severity::Warning, "c/t.toml", "the section has no questions"),
        ];
        let json: serde_json::Value =
            serde_json::from_str(&JsonReport::of(&diagnostics).to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "ok": false, "errors": 1, "warnings": 1,
                "diagnostics": [
                    {"file": "c/s.toml", "line": 2, "column": 1, "end_column": 6,
                     "severity": "error", "message": "unknown field `titel`",
                     "hint": "did you mean `title`?"},
                    {"file": "c/t.toml", "line": null, "column": null, "end_column": null,
                     "severity": "warning", "message": "the section has no questions",
                     "hint": null},
                ]
            })
        );
    }
}
