//! A fake CloudTrail endpoint for tests and benchmarks: the LookupEvents API with AWS's
//! semantics (see CLOUDTRAIL.md and assets/api/cloudtrail-service-2.json), served from events
//! loaded from files. This module is the protocol logic, free of any network; `serve` (later)
//! puts it on 127.0.0.1.

mod lookup;
mod throttle;
mod token;

pub use lookup::{FakeCloudTrail, Reply};
pub use throttle::RateLimit;
