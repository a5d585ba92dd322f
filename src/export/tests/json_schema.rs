//! The JSON export checked against its own JSON Schema by a validator (the `jsonschema` crate).

use super::*;

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&json_schema()).expect("the schema is a valid JSON Schema")
}

#[test]
fn every_json_export_is_valid_against_its_schema() {
    let validator = validator();
    for (answers, section) in [(false, None), (true, None), (true, Some(2))] {
        let value: serde_json::Value =
            serde_json::from_str(&run(Format::Json, answers, section)).unwrap();
        let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(value["format_version"], json::FORMAT_VERSION);
        assert_eq!(value["language"], "en");
    }
}

#[test]
fn the_schema_refuses_what_the_export_never_writes() {
    let validator = validator();
    let mut value: serde_json::Value =
        serde_json::from_str(&run(Format::Json, true, None)).unwrap();
    value["sections"][0]["blocks"][0]["kind"] = "video".into();
    assert!(!validator.is_valid(&value), "an unknown block kind");
    let mut value: serde_json::Value =
        serde_json::from_str(&run(Format::Json, true, None)).unwrap();
    value.as_object_mut().unwrap().remove("format_version");
    assert!(!validator.is_valid(&value), "no format_version");
}
