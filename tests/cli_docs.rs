//! What the command line says about itself: --version names the git revision, shell
//! completions and the man page are generated from the same definitions as --help, and the
//! documentation names every display flag, config key and theme (docs/configuration.md), and
//! the README shows every screenshot.

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
        assert!(config.contains(flag), "docs/configuration.md lacks {flag}");
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
