//! trailscope: the command line goes to `cmd`, the front door. Nothing else lives here.

use std::process::ExitCode;

// Loading allocates a few dozen small strings per event; glibc's malloc spent a quarter of a
// million-event load in malloc/free (BENCHMARKS.md), mimalloc much less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    trailscope::cmd::main()
}
