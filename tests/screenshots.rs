//! The README's screenshots, taken from the real binary in tmux (capture-pane with its
//! colours) and rendered to SVG under assets/screenshots/. Every run takes them again and
//! fails if the committed pictures show different text (the status bar's timings aside), so
//! they cannot go stale; `UPDATE_SCREENSHOTS=1 cargo test --test screenshots` rewrites them.

mod common;
use common::svg::{self, Backdrop, DARK, LIGHT};
use common::tmux::Tmux;
use std::path::PathBuf;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_trailscope")
}

struct Scene {
    name: &'static str,
    width: u16,
    height: u16,
    args: &'static str,
    /// Keys typed once it has loaded, each with the text that says it took.
    keys: &'static [(&'static [&'static str], &'static str)],
    backdrop: Backdrop,
}

const SCENES: &[Scene] = &[
    Scene {
        name: "leaked-key",
        width: 120,
        height: 34,
        args: "--demo --filter key:AKIAXLEAKED0EXAMPLE1",
        keys: &[(&["j", "j", "j", "j", "j", "j"], "events 7/35")],
        backdrop: DARK,
    },
    Scene {
        name: "findings",
        width: 120,
        height: 34,
        args: "--demo",
        keys: &[(&["!"], "findings of the view")],
        backdrop: DARK,
    },
    Scene {
        name: "walk-wide",
        width: 200,
        height: 46,
        args: "--demo --filter key:AKIAXLEAKED0EXAMPLE1",
        keys: &[
            (&["l"], "credential lineage"),
            (&["j", "Enter"], "key:=ASIAXATTACKSESSION01"),
            (&["i"], "profile of this view"),
        ],
        backdrop: DARK,
    },
    Scene {
        name: "palette-80x24",
        width: 80,
        height: 24,
        args: "--demo",
        keys: &[
            (&["2"], "presets: errors"),
            (&[":"], "commands"),
            (&["c", "o"], "copy-json"),
        ],
        backdrop: DARK,
    },
    Scene {
        name: "help",
        width: 110,
        height: 34,
        args: "--demo --theme colorblind",
        keys: &[(&["?"], "help: keys")],
        backdrop: DARK,
    },
    Scene {
        name: "light",
        width: 120,
        height: 30,
        args: "--demo --theme light --filter 'ip:198.51.100.77 error:any'",
        keys: &[(&["Enter"], "\"eventVersion\"")],
        backdrop: LIGHT,
    },
];

fn capture(scene: &Scene) -> String {
    let t = Tmux::start(&format!("shot-{}", scene.name), scene.width, scene.height);
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "{} {} --no-save --colors truecolor; echo EXIT-CODE=$?",
        bin(),
        scene.args
    ));
    t.wait_for("load to finish", 60, |s| s.contains("loaded in"));
    for (keys, shows) in scene.keys {
        t.send_keys(keys);
        t.wait_text(shows, 10);
    }
    // The whole frame, not the moment its title appeared. Dropping the tmux server ends the
    // app (SIGHUP), whatever is open.
    t.settled_escaped(std::time::Duration::from_millis(400), 20)
}

/// The rows a screenshot is compared by: all but the status bar (load timings vary).
fn comparable(rows: &[String]) -> Vec<String> {
    rows[..rows.len().saturating_sub(1)].to_vec()
}

/// The text rows of a committed SVG, read back from its <text> elements by row.
fn committed_rows(svg_text: &str, height: u16) -> Vec<String> {
    let mut rows: Vec<Vec<(f32, String)>> = vec![Vec::new(); height as usize];
    for part in svg_text.split("<text ").skip(1) {
        let attr = |name: &str| -> Option<f32> {
            let at = part.find(&format!("{name}=\""))? + name.len() + 2;
            part[at..].split('"').next()?.parse().ok()
        };
        let (Some(x), Some(y)) = (attr("x"), attr("y")) else {
            continue;
        };
        let text = part
            .split_once('>')
            .and_then(|(_, rest)| rest.split_once("</text>"))
            .map(|(t, _)| {
                t.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&")
            })
            .unwrap_or_default();
        let row = (y / 17.0) as usize;
        if let Some(r) = rows.get_mut(row) {
            r.push((x, text));
        }
    }
    rows.into_iter()
        .map(|mut r| {
            r.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut line = String::new();
            for (x, text) in r {
                let col = (x / 8.4).round() as usize;
                while line.chars().count() < col {
                    line.push(' ');
                }
                line.push_str(&text);
            }
            line.trim_end().to_string()
        })
        .collect()
}

#[test]
fn screenshots_are_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/screenshots");
    let update = std::env::var_os("UPDATE_SCREENSHOTS").is_some();
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&out).expect("target dir");
    let mut stale = Vec::new();
    for scene in SCENES {
        let parsed = svg::parse(&capture(scene), scene.width, scene.height);
        let picture = svg::render(&parsed, scene.backdrop);
        let file = format!("{}.svg", scene.name);
        std::fs::write(out.join(&file), &picture).expect("write");
        let now = comparable(&svg::rows(&parsed));
        assert!(
            now.iter().any(|r| r.contains("trailscope")),
            "{}: {now:#?}",
            scene.name
        );
        // The picture reads back as the screen it was taken from.
        assert_eq!(comparable(&committed_rows(&picture, scene.height)), now);
        if update {
            std::fs::create_dir_all(&dir).expect("assets/screenshots");
            std::fs::write(dir.join(&file), &picture).expect("write");
            continue;
        }
        let committed = std::fs::read_to_string(dir.join(&file)).unwrap_or_default();
        if comparable(&committed_rows(&committed, scene.height)) != now {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "screenshots out of date: {stale:?} (new ones in {}); run UPDATE_SCREENSHOTS=1 cargo test --test screenshots and commit assets/screenshots/",
        out.display()
    );
}
