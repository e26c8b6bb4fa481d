//! The layers of `src/` stay true (docs/design.md, "Layers"). Two rules, read from the code
//! itself (every `crate::…` and `super::…` path, `use` lines and inline paths alike, outside
//! comments and unit tests):
//!
//! 1. **No module imports a higher layer.** Data flows up: sources do not know the app, the
//!    app does not know the terminal, only the front door (`cmd`) knows the command line.
//! 2. **No two modules import each other.** A pair that does is one module in two files, or a
//!    helper that belongs in a third file both can use.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and its layer, lowest first. A module may import its own
/// layer and the layers below.
const LAYERS: &[(&str, &[&str])] = &[
    ("foundation", &["model", "did_you_mean", "toml_error"]),
    (
        "domain",
        &[
            "filter",
            "lineage",
            "explain",
            "profile",
            "detect",
            "theme",
            "export",
            "clipboard",
        ],
    ),
    (
        "sources",
        &["job", "trino", "source", "lake", "athena", "session"],
    ),
    ("app", &["app", "keymap"]),
    ("view and settings", &["ui", "config"]),
    ("loop", &["runtime", "terminal"]),
    ("front door", &["cmd"]),
];

type Module = Vec<String>;

fn layer_of(top: &str) -> Option<(usize, &'static str)> {
    LAYERS
        .iter()
        .enumerate()
        .find(|(_, (_, mods))| mods.contains(&top))
        .map(|(i, (name, _))| (i, *name))
}

/// Every module under `src/`, by its path (`["app", "update", "lake"]`), with its file.
fn modules() -> BTreeMap<Module, PathBuf> {
    let mut found = BTreeMap::new();
    walk(Path::new("src"), &mut found);
    found
}

fn walk(dir: &Path, found: &mut BTreeMap<Module, PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix("src").unwrap_or(&path).with_extension("");
            let mut module: Module = rel
                .iter()
                .map(|c| c.to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|l| l == "mod") {
                module.pop();
            }
            found.insert(module, path);
        }
    }
}

/// The code a file compiles into the product: comments and the unit tests left out.
fn product_code(text: &str) -> String {
    let code = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::…` / `super::…` path in `code`, brace groups expanded
/// (`super::{a, b::c}` is `super::a` and `super::b::c`).
fn paths(code: &str) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !is_ident(bytes[i - 1]);
        let tail = &bytes[i..];
        if starts_word && (tail.starts_with(b"crate::") || tail.starts_with(b"super::")) {
            // An ASCII byte starts here, so `i` is a char boundary.
            let (found, used) = path_at(&code[i..]);
            out.extend(found);
            i += used.max(1);
        } else {
            i += 1;
        }
    }
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The paths starting at the beginning of `text`, and how many bytes they took.
fn path_at(text: &str) -> (Vec<Vec<String>>, usize) {
    let bytes = text.as_bytes();
    let mut prefix = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        if i > start {
            prefix.push(text[start..i].to_string());
        }
        if text[i..].starts_with("::{") {
            // A group: each member continues the prefix.
            i += 3;
            let mut all = Vec::new();
            loop {
                while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'}' {
                    return (all, i + 1);
                }
                let (members, used) = path_at(&text[i..]);
                for m in members {
                    all.push(prefix.iter().cloned().chain(m).collect());
                }
                // Something that is not a path (`self`, `*`): step over it.
                i += used.max(1);
            }
        }
        let next = text.get(i + 2..).unwrap_or("");
        if text[i..].starts_with("::")
            && next.starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            i += 2;
            continue;
        }
        return (vec![prefix], i);
    }
}

/// The module a path names: the longest prefix that is a module (the rest is an item).
fn resolve(from: &Module, path: &[String], modules: &BTreeMap<Module, PathBuf>) -> Option<Module> {
    let mut full: Module = Vec::new();
    let mut parts = path.iter().peekable();
    match parts.peek().map(|s| s.as_str()) {
        Some("crate") => {
            parts.next();
        }
        Some("super") => {
            full = from.clone();
            while parts.peek().is_some_and(|p| *p == "super") {
                parts.next();
                full.pop();
            }
        }
        _ => return None,
    }
    full.extend(parts.cloned());
    (1..=full.len())
        .rev()
        .map(|n| full[..n].to_vec())
        .find(|m| modules.contains_key(m))
}

/// Who imports whom, module by module (a module's own ancestors left out: `super::X` from a
/// child names its parent's items).
fn imports() -> BTreeMap<Module, BTreeSet<Module>> {
    let modules = modules();
    let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, file) in &modules {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for path in paths(&product_code(&text)) {
            let Some(target) = resolve(module, &path, &modules) else {
                continue;
            };
            let ancestor = target.len() < module.len() && module[..target.len()] == target[..];
            if target != *module && !ancestor && !target.is_empty() {
                graph.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    graph
}

fn name(m: &Module) -> String {
    m.join("::")
}

#[test]
fn no_layer_imports_a_higher_layer() {
    let graph = imports();
    let mut unplaced = BTreeSet::new();
    let mut upward = Vec::new();
    for (from, targets) in &graph {
        for to in targets {
            let (Some(a), Some(b)) = (layer_of(&from[0]), layer_of(&to[0])) else {
                unplaced.extend(
                    [from[0].clone(), to[0].clone()]
                        .into_iter()
                        .filter(|m| layer_of(m).is_none() && !matches!(m.as_str(), "lib" | "main")),
                );
                continue;
            };
            if a.0 < b.0 {
                upward.push(format!(
                    "{} ({}) imports {} ({})",
                    name(from),
                    a.1,
                    name(to),
                    b.1
                ));
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "rule: every top-level module has a layer; give these one in LAYERS (and docs/design.md): {unplaced:?}"
    );
    assert!(
        upward.is_empty(),
        "rule: no module imports a higher layer (docs/design.md, Layers):\n  {}",
        upward.join("\n  ")
    );
}

#[test]
fn no_two_modules_import_each_other() {
    let graph = imports();
    let mut pairs = Vec::new();
    for (a, targets) in &graph {
        for b in targets {
            if a < b && graph.get(b).is_some_and(|t| t.contains(a)) {
                pairs.push(format!("{} <-> {}", name(a), name(b)));
            }
        }
    }
    assert!(
        pairs.is_empty(),
        "rule: no two modules import each other (move what both need into a third):\n  {}",
        pairs.join("\n  ")
    );
}

/// What marks a module as talking to the world: AWS's SDK, an async runtime, a database.
const IMPURE: &[&str] = &[
    "aws_sdk_",
    "aws_config",
    "aws_smithy",
    "tokio::",
    "rusqlite",
    "hyper",
];

#[test]
fn the_app_and_the_ui_import_only_the_sources_pure_parts() {
    let modules = modules();
    let graph = imports();
    let impure = |m: &Module| {
        let text = modules
            .get(m)
            .and_then(|f| std::fs::read_to_string(f).ok())
            .unwrap_or_default();
        let code = product_code(&text);
        IMPURE.iter().copied().find(|mark| code.contains(mark))
    };
    let mut found = Vec::new();
    for module in modules.keys() {
        if matches!(module[0].as_str(), "app" | "ui") {
            if let Some(mark) = impure(module) {
                found.push(format!("{} uses {mark} itself", name(module)));
            }
        }
    }
    for (from, targets) in &graph {
        if !matches!(from[0].as_str(), "app" | "ui") {
            continue;
        }
        for to in targets {
            if let Some(mark) = impure(to) {
                found.push(format!(
                    "{} imports {} (it uses {mark})",
                    name(from),
                    name(to)
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "rule: the app and the ui import a source's pure parts (an order, a plan, a report), never its client:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_command_line_stops_at_the_front_door() {
    let mut found = Vec::new();
    for (module, file) in modules() {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if module[0] != "cmd" && product_code(&text).contains("clap") {
            found.push(name(&module));
        }
    }
    assert!(
        found.is_empty(),
        "rule: clap's types stop in cmd/; below it, sources, the app and the configuration take plain requests: {found:?}"
    );
}

/// The reader itself: groups, `super`, inline paths and comments are read as the compiler
/// reads them, so the rules above cannot pass by not seeing an import.
#[test]
fn the_import_reader_sees_groups_inline_paths_and_super() {
    let code = product_code(
        "use crate::{model::store::Store, app::{key::Key, msg}};\n\
         // use crate::ui::draw;\n\
         fn f() { crate::lake::cost::describe(1); super::sibling::g(); }\n\
         #[cfg(test)]\nmod tests { use crate::runtime::run; }",
    );
    let found: Vec<String> = paths(&code).iter().map(|p| p.join("::")).collect();
    assert_eq!(
        found,
        [
            "crate::model::store::Store",
            "crate::app::key::Key",
            "crate::app::msg",
            "crate::lake::cost::describe",
            "super::sibling::g",
        ]
    );
    let mut modules = BTreeMap::new();
    for m in [
        vec!["app"],
        vec!["app", "update"],
        vec!["app", "update", "lake"],
    ] {
        modules.insert(m.iter().map(|s| s.to_string()).collect(), PathBuf::new());
    }
    let from: Module = vec!["app".into(), "update".into(), "walk".into()];
    let path: Vec<String> = ["super", "lake", "offer"].map(String::from).to_vec();
    assert_eq!(
        resolve(&from, &path, &modules),
        Some(vec!["app".to_string(), "update".into(), "lake".into()])
    );
    // Every module named in LAYERS exists, so the table cannot rot silently.
    let tops: BTreeSet<String> = self::modules().keys().map(|m| m[0].clone()).collect();
    for (_, mods) in LAYERS {
        for m in *mods {
            assert!(tops.contains(*m), "LAYERS names {m}, which is not in src/");
        }
    }
}
