//! End to end in a real terminal (tmux): `trailscope s3://…` against moto on loopback over a
//! slow link. Rows appear while objects are still downloading, the status line counts objects,
//! Esc stops the download keeping what arrived, the session saves the S3 source as provenance,
//! and opening the window again reads what was downloaded from the cache.

mod common;
#[path = "common/moto.rs"]
mod moto;
#[path = "common/s3proxy.rs"]
mod s3proxy;

use common::tmux::Tmux;
use s3proxy::{Fault, Reply};

#[test]
fn an_s3_window_streams_in_stops_on_esc_and_reopens_from_the_cache() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    let trail = moto::generate(3000, 10, 2, "2024-06-30");
    moto::upload_tree(&moto.url, "e2e-trail", trail.path(), str::to_string);
    // Every download takes 150 ms: 300 objects, 4 at a time, take over 10 s.
    let slow = Fault {
        path_has: "/e2e-trail/AWSLogs/".into(),
        list: false,
        times: None,
        reply: Reply::Slow(150),
    };
    let proxy = s3proxy::start(moto.port, vec![slow]);
    let t = Tmux::start("s3", 140, 35);
    t.wait_text("READY>", 10);
    let command = format!(
        "{} {} s3://e2e-trail --from 2024-06-28 --to 2024-07-01 --s3-concurrency 4 --save s3-case; echo EXIT-CODE=$?",
        common::isolated_aws_shell_env(&proxy.url),
        env!("CARGO_BIN_EXE_trailscope")
    );
    t.send_line(&command);
    // Rows on screen while the rest is still downloading.
    let screen = t.wait_for("rows while downloading", 60, |s| {
        s.contains("S3: ") && s.contains("objects") && !s.contains(" 0 events")
    });
    assert!(screen.contains("esc stops"), "{screen}");
    t.send_keys(&["Escape"]);
    let screen = t.wait_for("the download to stop", 30, |s| s.contains("S3 objects,"));
    let read: usize = screen
        .split(" S3 objects,")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        read > 0 && read < 300,
        "stopped part-way: {read} objects\n{screen}"
    );
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
    // The saved investigation names its S3 source.
    let list = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(["sessions", "list"])
        .env("TRAILSCOPE_DATA_DIR", t.data_dir.path())
        .output()
        .expect("sessions list");
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(list.contains("s3://e2e-trail/"), "{list}");
    // Again: what was read comes from the cache, the rest downloads.
    proxy.seen.clear();
    t.send_line(&format!(
        "clear; {}",
        command.replace("--save s3-case", "--no-save")
    ));
    let screen = t.wait_for("the whole window", 90, |s| s.contains("300 S3 objects,"));
    assert!(
        screen.contains(&format!("{read} cached")) || screen.contains("cached"),
        "{screen}"
    );
    assert!(
        proxy.seen.gets() <= 300 - read,
        "{} downloads after {read} were cached",
        proxy.seen.gets()
    );
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 20);
}
