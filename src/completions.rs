//! `stemcell completions SHELL`: the script `clap_complete` writes for the parser
//! ([`crate::cli::command`]: each command has only the options it takes), with what the
//! generator leaves out added.

use clap::ValueEnum as _;
use clap_complete::Shell;

/// The completion script for `shell`. `section_ids` are offered after `--section`.
pub fn script(shell: Shell, section_ids: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(
        shell,
        &mut crate::cli::completion_command(section_ids),
        "stemcell",
        &mut out,
    );
    if shell == Shell::Fish {
        out = with_values_before_the_command(&out);
        // The fish script `clap_complete` writes completes no positional argument, so fish would offer
        // file names after `stemcell completions`: offer the shells, and no files.
        let shells: Vec<String> = Shell::value_variants().iter().map(ToString::to_string).collect();
        out.extend_from_slice(
            format!(
                "complete -c stemcell -n \"__fish_stemcell_using_subcommand completions\" -f -a \"{}\"\n",
                shells.join(" ")
            )
            .as_bytes(),
        );
    }
    out
}

/// The lines of the fish script that decide whether a command is still to come, as
/// `clap_complete` writes them: argparse fails on a last option still waiting for its value
/// (`stemcell --pack <TAB>`), and then none of our completions applies and fish offers every
/// file name.
const FISH_PARSE: &str =
    "    argparse -s (__fish_stemcell_global_optspecs) -- $cmd 2>/dev/null\n    or return\n";

/// The fish script with an option's value completed before any command: when argparse fails
/// and the last word is an option that takes a value, it parses again without that word, so
/// no command is seen and the option's own completion applies (folders after `--pack`, the
/// themes after `--theme`). Any other word argparse refuses still fails. Left as it is if
/// `clap_complete` writes those lines differently (a test then fails).
fn with_values_before_the_command(script: &[u8]) -> Vec<u8> {
    let cli = crate::cli::command();
    let waiting: Vec<&str> = cli
        .get_arguments()
        .filter(|a| a.get_action().takes_values())
        .filter_map(clap::Arg::get_long)
        .collect();
    let retry = format!(
        "    argparse -s (__fish_stemcell_global_optspecs) -- $cmd 2>/dev/null\n    \
         or begin\n        \
         # An option waiting for its value is no command: complete the value.\n        \
         contains -- $cmd[-1] {}\n        \
         and set -e cmd[-1]\n        \
         and argparse -s (__fish_stemcell_global_optspecs) -- $cmd 2>/dev/null\n    \
         end\n    \
         or return\n",
        waiting.iter().map(|long| format!("--{long}")).collect::<Vec<_>>().join(" ")
    );
    String::from_utf8_lossy(script).replacen(FISH_PARSE, &retry, 1).into_bytes()
}
