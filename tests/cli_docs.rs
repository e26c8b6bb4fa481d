//! What the command line says about itself: --version names the git revision, shell
//! completions and the man page are generated from the same definitions as --help, and the
//! documentation (README.md and docs/) names every command, flag, config key, theme, filter
//! field and preset, and the README shows every screenshot.

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(args)
        .env_remove("TRAILSCOPE_CONFIG_DIR")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn version_names_the_git_revision() {
    let v = run(&["--version"]);
    assert!(
        v.starts_with(&format!("trailscope {}", env!("CARGO_PKG_VERSION"))),
        "{v}"
    );
    // Built from a git checkout (the tests are): the commit is named.
    let in_git = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success());
    if let Some(out) = in_git {
        let rev = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(v.contains(&format!("(git {rev})")), "{v} vs {rev}");
    }
}

#[test]
fn completions_and_man_page_come_from_the_cli() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = run(&["completions", shell]);
        // Fish spells options `-l theme`; the others `--theme`.
        assert!(script.contains("theme"), "{shell}");
        assert!(script.contains("config-dir"), "{shell}");
        assert!(
            script.contains("print-defaults"),
            "{shell}: subcommands too"
        );
    }
    assert!(run(&["completions", "bash"]).contains("_trailscope"));
    let man = run(&["man"]);
    assert!(
        man.starts_with(".ie") || man.starts_with(".TH"),
        "{}",
        &man[..80.min(man.len())]
    );
    assert!(man.contains("trailscope"));
    assert!(man.contains("config\\-dir"), "options are in the man page");
}

fn read(relative: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The README and every page under docs/, each with its name.
fn every_page() -> Vec<(String, String)> {
    let mut pages = vec![("README.md".to_string(), read("README.md"))];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("docs/")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    for name in names {
        let relative = format!("docs/{name}");
        let text = read(&relative);
        pages.push((relative, text));
    }
    pages
}

/// Whether `text` names `flag` as a whole word: `--to` is not found in `--tool`.
fn names_flag(text: &str, flag: &str) -> bool {
    text.match_indices(flag).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + flag.len()..].chars().next();
        let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

/// The long options a --help text lists, in order, each once.
fn long_flags(help: &str) -> Vec<String> {
    let mut flags: Vec<String> = Vec::new();
    for (at, _) in help.match_indices("--") {
        if help[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            continue;
        }
        let name: String = help[at + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let flag = format!("--{}", name.trim_end_matches('-'));
        if name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    flags
}

/// The subcommands a --help text lists under "Commands:".
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_docs_document_every_display_flag_and_config_key() {
    let config = read("docs/configuration.md");
    let help = run(&["--help"]);
    for flag in [
        "--theme",
        "--colors",
        "--time",
        "--columns",
        "--sort",
        "--split",
        "--no-mouse",
        "--config-dir",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}");
        assert!(
            names_flag(&config, flag),
            "docs/configuration.md lacks {flag}"
        );
    }
    for key in trailscope::config::settings::KEYS {
        assert!(
            config.contains(&format!("`{key}`")),
            "docs/configuration.md lacks the config key `{key}`"
        );
    }
    for theme in trailscope::theme::BUILTIN.map(|(n, _)| n) {
        assert!(
            config.contains(&format!("`{theme}`")),
            "docs/configuration.md lacks the theme `{theme}`"
        );
    }
}

#[test]
fn the_readme_shows_every_screenshot() {
    let readme = read("README.md");
    for shot in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/screenshots"))
        .expect("screenshots")
        .flatten()
    {
        let name = shot.file_name().to_string_lossy().into_owned();
        assert!(
            readme.contains(&format!("(assets/screenshots/{name})")),
            "README.md does not show {name}"
        );
    }
}

#[test]
fn the_docs_name_every_command_and_every_flag_help_lists() {
    let pages = every_page();
    let documented = |word: &str| pages.iter().any(|(_, text)| names_flag(text, word));
    // `help` is clap's own; the test rigs are the trailscope-fake package's (docs/tests.md).
    let rigs = ["help"];
    let mut missing = Vec::new();
    let mut helps = vec![(vec!["--help".to_string()], run(&["--help"]))];
    for sub in subcommands(&helps[0].1) {
        if rigs.contains(&sub.as_str()) {
            continue;
        }
        assert!(
            pages
                .iter()
                .any(|(_, text)| text.contains(&format!("trailscope {sub}"))),
            "no page in README.md or docs/ shows `trailscope {sub}`"
        );
        let help = run(&[sub.as_str(), "--help"]);
        for inner in subcommands(&help) {
            if inner != "help" {
                helps.push((
                    vec![sub.clone(), inner.clone()],
                    run(&[sub.as_str(), inner.as_str(), "--help"]),
                ));
            }
        }
        helps.push((vec![sub.clone()], help));
    }
    assert!(helps.len() > 5, "--help lists the subcommands: {helps:?}");
    for (command, help) in &helps {
        for flag in long_flags(help) {
            if flag != "--help" && flag != "--version" && !documented(&flag) {
                missing.push(format!("{flag} (trailscope {})", command.join(" ")));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "flags in --help that no page in README.md or docs/ names: {missing:?}"
    );
}

#[test]
fn the_filter_docs_name_every_field_alias_and_preset() {
    let doc = read("docs/filter-language.md");
    for spec in trailscope::filter::field::FIELDS {
        for name in spec.names {
            assert!(
                doc.contains(&format!("`{name}`")),
                "docs/filter-language.md lacks the filter field name `{name}`"
            );
        }
    }
    for preset in trailscope::filter::preset::Preset::ALL {
        assert!(
            doc.contains(&format!("| {} |", preset.name())),
            "docs/filter-language.md's preset table lacks `{}`",
            preset.name()
        );
    }
}

#[test]
fn the_flag_helpers_read_help_text_as_meant() {
    let help = "Options:\n  -f, --filter <EXPR>  x (see --since/--from)\n      --no-save\n\
        Commands:\n  open      Reopen\n  sessions  List\n\nmore";
    assert_eq!(
        long_flags(help),
        ["--filter", "--since", "--from", "--no-save"]
    );
    assert_eq!(subcommands(help), ["open", "sessions"]);
    assert!(names_flag("use `--to` here", "--to"));
    assert!(!names_flag("use --tool here", "--to"));
    assert!(!names_flag("use --no-to here", "--to"));
}
