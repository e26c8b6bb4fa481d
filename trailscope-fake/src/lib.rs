//! trailscope's test rig, kept out of the product: a fake CloudTrail endpoint and a
//! synthetic-trail generator, for tests and benchmarks (the `trailscope-fake` binary runs them
//! as `serve` and `generate`).
//!
//! The endpoint is the LookupEvents API with AWS's semantics (see
//! assets/api/cloudtrail-service-2.json at the repository's root), served from events loaded
//! from files. `lookup` is the protocol logic, free of any network; `serve` puts it on
//! 127.0.0.1; `endpoint` loads the events and runs the server, in this process (`start`, for
//! tests) or as the binary (`main`). `lake` is CloudTrail Lake over the same events, `athena`
//! Athena's CloudTrail table over them (on Lake's engine).
//! `generate` writes gzipped `AWSLogs/…` trails from real records.
//!
//! Several accounts, as an organization looks to a responder: `accounts` is the organization
//! and the keys it issued, `sts` AssumeRole (awsQuery), `organizations` ListAccounts;
//! `dispatch` routes each request by its SigV4 scope's service, and the calling key decides
//! whose events LookupEvents serves.

pub mod accounts;
pub mod athena;
pub mod cli;
pub mod dispatch;
pub mod endpoint;
pub mod faults;
pub mod generate;
pub mod lake;
mod lookup;
pub mod organizations;
mod reply;
pub mod s3;
pub mod serve;
pub mod sts;
mod throttle;
mod token;

pub use accounts::{Accounts, AssumeCall};
pub use athena::FakeAthena;
pub use endpoint::{start, Running};
pub use lake::{FakeLake, FAKE_EDS_ID};
pub use lookup::{served_by_lookup, FakeCloudTrail};
pub use reply::Reply;
pub use throttle::RateLimit;
