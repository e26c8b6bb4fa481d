//! Faults the fake endpoint injects on purpose, by call number: what AWS and a half-working VPN
//! do to a responder mid-incident (throttling storms, 5xx, a connection cut mid-answer, a stall,
//! a garbled body, credentials that expire on page 7). Tests and `trailscope-fake serve
//! --fault` use them to prove a fetch keeps what it has and resumes without duplicates.

use std::ops::RangeInclusive;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// An error answer: HTTP status and awsJson `__type`.
    Error { status: u16, kind: String },
    /// Headers promising the whole body, half of it, then the connection is dropped.
    ResetMidBody,
    /// Nothing at all for this long, then the answer (the client should have given up).
    Stall(Duration),
    /// A 200 whose body is not JSON (a captive portal, a broken proxy).
    MalformedJson,
}

/// Which LookupEvents calls (numbered from 1, throttled ones included) get which fault.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub calls: RangeInclusive<usize>,
    pub fault: Fault,
}

#[derive(Clone, Debug, Default)]
pub struct Faults {
    rules: Vec<Rule>,
    calls: usize,
}

impl Faults {
    pub fn add(&mut self, rule: Rule) {
        self.rules.push(rule);
    }

    /// Forgets every rule (the network is back); the call count goes on.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// Counts a call and says what goes wrong with it, if anything. The first rule that covers
    /// the call wins.
    pub fn next_call(&mut self) -> Option<Fault> {
        self.calls += 1;
        let n = self.calls;
        self.rules
            .iter()
            .find(|r| r.calls.contains(&n))
            .map(|r| r.fault.clone())
    }

    pub fn calls(&self) -> usize {
        self.calls
    }
}

/// What a fault spec looks like, for error messages.
pub const SPEC_HELP: &str = "CALLS=FAULT, where CALLS is N, N-M or N+ (LookupEvents calls \
numbered from 1) and FAULT is throttle, 500, 503, reset, stall:SECONDS, malformed, expired or \
denied; e.g. 7+=expired or 3-5=503";

/// Parses `CALLS=FAULT` (see `SPEC_HELP`).
pub fn parse_rule(spec: &str) -> Result<Rule, String> {
    let (calls, fault) = spec
        .split_once('=')
        .ok_or_else(|| format!("fault {spec:?}: expected CALLS=FAULT ({SPEC_HELP})"))?;
    let number = |s: &str| {
        s.trim()
            .parse::<usize>()
            .ok()
            .filter(|&n| n >= 1)
            .ok_or_else(|| format!("fault {spec:?}: {s:?} is not a call number (1, 2, …)"))
    };
    let calls = if let Some(from) = calls.strip_suffix('+') {
        number(from)?..=usize::MAX
    } else if let Some((from, to)) = calls.split_once('-') {
        let (from, to) = (number(from)?, number(to)?);
        if to < from {
            return Err(format!("fault {spec:?}: the range ends before it starts"));
        }
        from..=to
    } else {
        let n = number(calls)?;
        n..=n
    };
    let error = |status: u16, kind: &str| Fault::Error {
        status,
        kind: kind.to_string(),
    };
    let fault = match fault.trim() {
        "throttle" => error(400, "ThrottlingException"),
        "500" => error(500, "InternalFailure"),
        "503" => error(503, "ServiceUnavailable"),
        "expired" => error(400, "ExpiredTokenException"),
        "denied" => error(400, "AccessDeniedException"),
        "reset" => Fault::ResetMidBody,
        "malformed" => Fault::MalformedJson,
        other => match other.strip_prefix("stall:").map(str::parse::<f64>) {
            Some(Ok(s)) if s.is_finite() && (0.0..=3600.0).contains(&s) => {
                Fault::Stall(Duration::from_secs_f64(s))
            }
            _ => {
                return Err(format!(
                    "fault {spec:?}: unknown fault {other:?} ({SPEC_HELP})"
                ))
            }
        },
    };
    Ok(Rule { calls, fault })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_cover_their_calls_and_the_first_wins() {
        let mut f = Faults::default();
        f.add(parse_rule("2=reset").expect("parses"));
        f.add(parse_rule("2-3=503").expect("parses"));
        f.add(parse_rule("5+=expired").expect("parses"));
        let got: Vec<_> = (0..6).map(|_| f.next_call()).collect();
        assert_eq!(got[0], None);
        assert_eq!(got[1], Some(Fault::ResetMidBody));
        assert!(matches!(&got[2], Some(Fault::Error { status: 503, .. })));
        assert_eq!(got[3], None);
        assert!(
            matches!(&got[4], Some(Fault::Error { kind, .. }) if kind == "ExpiredTokenException")
        );
        assert!(got[5].is_some());
        assert_eq!(
            parse_rule("1=stall:1.5").map(|r| r.fault),
            Ok(Fault::Stall(Duration::from_millis(1500)))
        );
    }

    #[test]
    fn bad_specs_say_what_is_expected() {
        for bad in ["7", "0=503", "5-3=503", "x=503", "1=teapot", "1=stall:-1"] {
            let err = parse_rule(bad).expect_err(bad);
            assert!(err.contains(bad), "{err}");
        }
    }
}
