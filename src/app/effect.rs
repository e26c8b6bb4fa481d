//! What `update` asks the runtime to do: the only way the pure core touches the world.

use crate::source::lookup::live::RegionOrder;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Leave with this message on stderr and a non-zero status (nothing could be read).
    Fail(String),
    /// Start these LookupEvents orders, each replacing what runs in its region.
    Fetch(Vec<RegionOrder>),
    /// Stop every LookupEvents region where it is.
    StopFetch,
}
