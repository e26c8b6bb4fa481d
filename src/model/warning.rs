//! What went wrong (or was skipped) while reading input, precise enough to go and look.

use std::fmt;
use std::sync::Arc;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Severity {
    /// Deliberately skipped (digest files, non-log files in a walked folder).
    Note,
    /// Something could not be read; what could be read was kept.
    Problem,
}

/// Ordered as a reader goes through an input: the whole of it first, then by position.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Location {
    WholeFile,
    Line(usize),
    /// Byte offset in the (decompressed) text.
    Byte(usize),
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Warning {
    pub severity: Severity,
    pub origin: Arc<str>,
    pub location: Location,
    pub reason: String,
    /// Others like this one from the same input, counted where they were raised and not sent
    /// (a gzip of a billion bad lines sends a few warnings, not a billion).
    pub also: usize,
}

impl Warning {
    pub fn problem(origin: &Arc<str>, location: Location, reason: impl Into<String>) -> Self {
        Warning {
            severity: Severity::Problem,
            origin: origin.clone(),
            location,
            reason: reason.into(),
            also: 0,
        }
    }

    pub fn note(origin: &Arc<str>, reason: impl Into<String>) -> Self {
        Warning {
            severity: Severity::Note,
            origin: origin.clone(),
            location: Location::WholeFile,
            reason: reason.into(),
            also: 0,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::WholeFile => Ok(()),
            Location::Line(n) => write!(f, ":{n}"),
            Location::Byte(b) => write!(f, "@{b}"),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}: {}", self.origin, self.location, self.reason)
    }
}
