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
