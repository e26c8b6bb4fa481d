//! What the command line says about itself: --version names the git revision, shell
//! completions and the man page are generated from the same definitions as --help, and the
//! README documents every display flag and config key.

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

#[test]
fn the_readme_documents_every_display_flag_and_config_key() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
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
        assert!(readme.contains(flag), "README lacks {flag}");
    }
    for key in trailscope::config::settings::KEYS {
        assert!(
            readme.contains(&format!("`{key}`")),
            "README lacks the config key `{key}`"
        );
    }
    for theme in trailscope::theme::BUILTIN.map(|(n, _)| n) {
        assert!(
            readme.contains(&format!("`{theme}`")),
            "README lacks the theme `{theme}`"
        );
    }
    for shot in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/screenshots"))
        .expect("screenshots")
        .flatten()
    {
        let name = shot.file_name().to_string_lossy().into_owned();
        assert!(
            readme.contains(&format!("assets/screenshots/{name}")),
            "README does not show {name}"
        );
    }
}
