//! Routes a signed POST to its service by the SigV4 credential scope, as AWS's endpoints are
//! told apart by host: `cloudtrail` (LookupEvents, Lake), `sts` (awsQuery) and
//! `organizations` and `athena`. The scope's access key says who calls, hence which account's data it sees.

use super::accounts::Expired;
use super::lookup::TARGETS;
use super::{athena, lake, organizations, sts, FakeCloudTrail, Reply};

/// What a SigV4 credential scope says:
/// `Credential=AKID/20261121/us-east-1/cloudtrail/aws4_request`.
#[derive(Debug, PartialEq, Eq)]
pub struct Signed<'a> {
    pub key: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

/// The credential scope of a SigV4 Authorization header, if it has one.
pub fn signed_region(authorization: Option<&str>) -> Option<Signed<'_>> {
    let auth = authorization?.strip_prefix("AWS4-HMAC-SHA256 ")?;
    let credential = auth
        .split(',')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("Credential="))?;
    let mut scope = credential.split('/');
    let (key, _date, region, service) =
        (scope.next()?, scope.next()?, scope.next()?, scope.next()?);
    (!key.is_empty() && !region.is_empty() && !service.is_empty()).then_some(Signed {
        key,
        region,
        service,
    })
}

const EXPIRED: &str = "The security token included in the request is expired";

impl FakeCloudTrail {
    /// Handles one POST. `now_ms` is the wall clock (the 90-day window, credentials'
    /// Expiration), `clock_ms` a monotonic clock (the rate limit, credentials' expiry).
    pub fn handle(
        &mut self,
        target: Option<&str>,
        authorization: Option<&str>,
        amz_date: Option<&str>,
        body: &[u8],
        now_ms: i64,
        clock_ms: u64,
    ) -> Reply {
        let Some(signed) = signed_region(authorization) else {
            return Reply::error(
                400,
                "MissingAuthenticationTokenException",
                "Request is missing Authentication Token (a SigV4 Authorization header)",
            );
        };
        if amz_date.is_none() {
            return Reply::error(
                400,
                "IncompleteSignatureException",
                "X-Amz-Date header missing",
            );
        }
        match signed.service {
            // STS words its own errors (XML), an expired key's included.
            "sts" => return sts::handle(&mut self.accounts, signed.key, body, now_ms, clock_ms),
            "cloudtrail" | "organizations" | "athena" => {}
            other => {
                let other = trailscope::model::sanitize::visible(other);
                return Reply::error(
                    400,
                    "UnknownOperationException",
                    &format!(
                        "the fake serves cloudtrail, sts, organizations and athena, not {other}"
                    ),
                );
            }
        }
        let caller = match self.accounts.caller_of(signed.key, clock_ms) {
            Ok(c) => c,
            Err(Expired) => return Reply::error(400, "ExpiredTokenException", EXPIRED),
        };
        if signed.service == "organizations" {
            return organizations::handle(&self.accounts, &caller, target, body);
        }
        if signed.service == "athena" {
            return match target.and_then(athena::operation) {
                Some(op) => self.athena.handle(op, body, now_ms),
                None => Reply::error(
                    400,
                    "UnknownOperationException",
                    "the fake's Athena serves its ten query and catalog operations only",
                ),
            };
        }
        match target {
            Some(t) if TARGETS.contains(&t) => {}
            Some(t) => {
                if let Some(op) = lake::operation(t) {
                    return self.lake.handle(op, body, now_ms);
                }
                let t = trailscope::model::sanitize::visible(t);
                return Reply::error(
                    400,
                    "UnknownOperationException",
                    &format!("unknown operation {t}"),
                );
            }
            None => return Reply::error(400, "UnknownOperationException", "X-Amz-Target missing"),
        }
        let scope = self.accounts.lookup_scope(&caller);
        self.lookup_events(scope.as_deref(), signed.region, body, now_ms, clock_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scope_names_key_region_and_service() {
        let auth = "AWS4-HMAC-SHA256 Credential=ASIA0000000000000001/20261121/us-east-1/sts/\
                    aws4_request, SignedHeaders=host;x-amz-date, Signature=00";
        assert_eq!(
            signed_region(Some(auth)),
            Some(Signed {
                key: "ASIA0000000000000001",
                region: "us-east-1",
                service: "sts"
            })
        );
        assert_eq!(signed_region(Some("Bearer x")), None);
        assert_eq!(
            signed_region(Some(
                "AWS4-HMAC-SHA256 Credential=K/D//cloudtrail/aws4_request"
            )),
            None
        );
    }
}
