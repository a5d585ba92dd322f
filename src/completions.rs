//! `stemcell completions SHELL`: the script `clap_complete` writes for the parser as the manual shows it
//! ([`crate::cli::command`]), with what the generator leaves out added.

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
        // The fish script `clap_complete` writes lists hidden options too: drop the global options a
        // subcommand does not read, as help and the other shells leave them out.
        out = without_refused_options(&out);
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

/// The fish script without the lines that offer a subcommand a global option it refuses.
fn without_refused_options(script: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(script);
    let refused: Vec<String> = crate::cli::refused_globals()
        .into_iter()
        .map(|(name, global)| {
            format!(
                "complete -c stemcell -n \"__fish_stemcell_using_subcommand {name}\" -l {} ",
                global.id()
            )
        })
        .collect();
    let mut kept = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !refused.iter().any(|prefix| line.starts_with(prefix.as_str())) {
            kept.push_str(line);
        }
    }
    kept.into_bytes()
}
