use super::*;

fn the_page() -> String {
    page(&crate::cli::command())
}

/// The text of one section (from its `.SH` to the next).
fn section(page: &str, name: &str) -> String {
    let start =
        page.find(&format!(".SH \"{name}\"")).or_else(|| page.find(&format!(".SH {name}\n")));
    let start = start.unwrap_or_else(|| panic!("no section {name}"));
    let rest = &page[start + 4..];
    rest[..rest.find("\n.SH ").unwrap_or(rest.len())].to_owned()
}

/// A command's subsection under COMMANDS.
fn command_section(page: &str, name: &str) -> String {
    let commands = section(page, "COMMANDS");
    let start = commands.find(&format!(".SS {name}\n")).unwrap_or_else(|| panic!("no {name}"));
    let rest = &commands[start + 4..];
    rest[..rest.find("\n.SS ").unwrap_or(rest.len())].to_owned()
}

#[test]
fn mandoc_finds_nothing_to_warn_about() {
    let path = std::env::temp_dir().join(format!("stemcell-man-{}.1", std::process::id()));
    std::fs::write(&path, the_page()).unwrap();
    let output = std::process::Command::new("mandoc")
        .args(["-Tlint", "-W", "warning"])
        .arg(&path)
        .output()
        .expect("mandoc is installed (.ci/setup)");
    let _ = std::fs::remove_file(&path);
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && said.trim().is_empty(), "{said}");
}

#[test]
fn every_section_of_a_manual_is_there_in_order() {
    let page = the_page();
    let mut at = 0;
    for name in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "COMMANDS",
        "KEYS",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
        "EXAMPLES",
        "SEE ALSO",
    ] {
        let found = page[at..]
            .find(&format!(".SH {name}\n"))
            .or_else(|| page[at..].find(&format!(".SH \"{name}\"")));
        at += found.unwrap_or_else(|| panic!("{name} missing or out of order"));
    }
    for variable in ["NO_COLOR", "STEMCELL_STATE_DIR", "STEMCELL_CONFIG_DIR", "TZ", "TERM"] {
        assert!(
            section(&page, "ENVIRONMENT").contains(&format!("\\fB{variable}\\fR")),
            "{variable}"
        );
    }
    let exit = section(&page, "EXIT STATUS");
    for code in ["0", "1", "2"] {
        assert!(exit.contains(&format!(".TP\n\\fB{code}\\fR\n")), "{exit}");
    }
}

#[test]
fn the_date_is_a_real_date() {
    let th = the_page().lines().find(|l| l.starts_with(".TH ")).unwrap().to_owned();
    assert!(th.contains(DATE), "{th}");
    let date: jiff::civil::Date = DATE.parse().expect("YYYY-MM-DD");
    assert!(date.year() >= 2026, "{date}");
}

#[test]
fn each_command_lists_its_own_options_with_their_values() {
    let page = the_page();
    let cli = crate::cli::command();
    for sub in cli.get_subcommands().filter(|s| s.get_name() != "help") {
        let shown = command_section(&page, sub.get_name());
        for arg in shown_options(sub).filter_map(Arg::get_long) {
            let flag = format!("\\-\\-{}", arg.replace('-', "\\-"));
            assert!(shown.contains(&flag), "{} lacks {flag}:\n{shown}", sub.get_name());
        }
    }
    let export = command_section(&page, "export");
    assert!(export.contains("One of: ") && export.contains("moodle\\-xml"), "{export}");
    assert!(!export.contains("true; false"), "a flag has no values to list: {export}");
    let stats = command_section(&page, "stats");
    assert!(stats.contains("Default: text."), "{stats}");
    // A command shows only the global options it takes.
    let schema = command_section(&page, "schema");
    assert!(!schema.contains("\\-\\-theme") && !schema.contains("\\-\\-pack"), "{schema}");
    let validate = command_section(&page, "validate");
    assert!(validate.contains("\\-\\-pack") && !validate.contains("\\-\\-seed"), "{validate}");
}

#[test]
fn the_keys_are_the_help_screens_own() {
    let page = the_page();
    let keys = section(&page, "KEYS").replace("\\*(Aq", "'");
    for (heading, mode) in SCREENS {
        assert!(
            keys.contains(&format!(".SS \"{heading}\""))
                || keys.contains(&format!(".SS {heading}\n")),
            "{heading}"
        );
        for (key, what) in keymap::help_entries(*mode) {
            let shown = roff::Roff::new().text([roman(flat(what))]).to_roff();
            assert!(keys.contains(shown.trim_end()), "{heading}: {key} {what}");
        }
    }
}

#[test]
fn see_also_names_no_page_of_ours_that_does_not_exist() {
    let see_also = section(&the_page(), "SEE ALSO");
    assert!(!see_also.contains("stemcell\\-"), "{see_also}");
}
