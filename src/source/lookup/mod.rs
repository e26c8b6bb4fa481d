//! The LookupEvents source (CloudTrail Event history). `plan` decides what is asked of AWS.

pub mod plan;
