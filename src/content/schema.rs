//! `stemcell schema`: a JSON Schema of the content files, made from the same serde types the
//! loader uses (field docs become descriptions), so editors that read schemas (Taplo, Even
//! Better TOML) complete and check a pack as the author types.

use schemars::schema_for;

use super::diagram_file::DiagramFile;
use super::model::{CourseFile, GlossaryFile, SectionFile};

/// One schema per kind of file, keyed by the file pattern it applies to.
pub fn json() -> String {
    let schemas = serde_json::json!({
        "content/course.toml": schema_for!(CourseFile),
        "content/sections/*.toml": schema_for!(SectionFile),
        "content/glossary.toml": schema_for!(GlossaryFile),
        "assets/diagrams/*.toml": schema_for!(DiagramFile),
    });
    serde_json::to_string_pretty(&schemas).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_describes_every_file_with_its_fields_and_docs() {
        let value: serde_json::Value = serde_json::from_str(&super::json()).unwrap();
        let section = &value["content/sections/*.toml"];
        assert_eq!(
            section["additionalProperties"], false,
            "unknown fields are flagged as you type"
        );
        assert!(
            section["properties"]["title"]["description"].as_str().unwrap().contains("heading")
        );
        let course = &value["content/course.toml"];
        let required: Vec<&str> =
            course["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert!(required.contains(&"format_version") && required.contains(&"sections"));
        assert_eq!(course["properties"]["format_version"]["type"], "integer");
        assert_eq!(course["properties"]["format_version"]["minimum"], 1);
        let blocks = value["content/sections/*.toml"].to_string();
        assert!(blocks.contains("| `diagram` | `diagram`"), "the block table names diagrams");
    }
}
