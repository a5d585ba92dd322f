//! `stemcell schema`: a JSON Schema of the content files, made from the same serde types the
//! loader uses (field docs become descriptions), so editors that read schemas (Taplo, Even
//! Better TOML) complete and check a pack as the author types.

use schemars::schema_for;

use super::diagram_file::DiagramFile;
use super::model::{CourseFile, GlossaryFile, SectionFile};

/// Each kind of file: the pattern of its path in a pack, the schema file's name, its schema.
fn kinds() -> [(&'static str, &'static str, serde_json::Value); 4] {
    let value = |schema| serde_json::to_value(schema).unwrap_or_default();
    [
        ("content/course.toml", "course.schema.json", value(schema_for!(CourseFile))),
        ("content/sections/*.toml", "section.schema.json", value(schema_for!(SectionFile))),
        ("content/glossary.toml", "glossary.schema.json", value(schema_for!(GlossaryFile))),
        ("assets/diagrams/*.toml", "diagram.schema.json", value(schema_for!(DiagramFile))),
    ]
}

/// One schema per kind of file, keyed by the file pattern it applies to.
pub fn json() -> String {
    let schemas: serde_json::Map<String, serde_json::Value> =
        kinds().into_iter().map(|(pattern, _, schema)| (pattern.to_owned(), schema)).collect();
    serde_json::to_string_pretty(&schemas).unwrap_or_default() + "\n"
}

/// One (file name, text) per kind of file: each a schema an editor can use as it is.
pub fn files() -> Vec<(&'static str, String)> {
    kinds()
        .into_iter()
        .map(|(_, name, schema)| {
            (name, serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n")
        })
        .collect()
}

/// The JSON export's schema, as (file name, text).
pub fn export_files() -> Vec<(&'static str, String)> {
    let schema = crate::export::json_schema();
    vec![("export.schema.json", serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n")]
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
