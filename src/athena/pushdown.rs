//! A filter as an Athena SQL condition, on the table's lowercase columns (`table`). The
//! AND/OR/NOT reading is Lake's (`trino::condition`); this file is Athena's column map and
//! how each field's match reads there. What cannot be written so that Athena returns every
//! event the local filter keeps is refused with the reason, and stays with the local filter.
//!
//! Case-insensitive terms are sent for ASCII values only: beyond ASCII, Trino's `lower()`
//! (one code point to one) and Rust's case folding differ. For an ASCII value Athena never
//! misses an event the local filter keeps; it can return a rare extra (a value holding `İ`,
//! which Trino folds to `i`), and the local filter, always applied to what comes back,
//! drops it.

use crate::filter::field::Field;
use crate::filter::glob::{glob_match, has_wildcard};
use crate::filter::Expr;
use crate::model::outcome::FAILURE;
use crate::trino::literal::{like, literal};
use std::net::IpAddr;

/// The SQL condition for `expr`, or why it stays with the local filter.
pub fn condition(expr: &Expr) -> Result<String, String> {
    crate::trino::condition::condition(expr, &term)
}

/// Whether an `error:` term's value reaches the outcomes CloudTrail records outside
/// errorCode: `any`/`none` (and their synonyms), or a pattern `Failure` matches.
fn may_be_outcome(value: &str, exact: bool) -> bool {
    let word = value.to_ascii_lowercase();
    let yes_no = ["any", "yes", "true", "none", "no", "false"];
    (!exact && yes_no.contains(&word.as_str())) || glob_match(value, FAILURE, !exact)
}

/// How a field's values are compared (as `filter::compile` does).
enum Match {
    /// Exact, or a case-sensitive glob.
    Exact,
    /// The whole value, case-insensitive, or a case-insensitive glob.
    Whole,
    /// A case-insensitive substring, or a case-insensitive glob over the whole value.
    Contains,
}

fn term(field: Field, value: &str, exact: bool) -> Result<String, String> {
    let on = |cols: &[&str], how: Match| compare(field, cols, value, exact, how);
    match field {
        Field::Key => on(&["useridentity.accesskeyid"], Match::Exact),
        Field::Account => on(
            &["recipientaccountid", "useridentity.accountid"],
            Match::Exact,
        ),
        // `id:` is always the whole id, exactly, even with `*` in it.
        Field::Id => Ok(any(&["eventid", "requestid"], |c| equals(c, value))),
        Field::Ip if !exact && value.contains('/') => cidr(value),
        // The local filter compares address globs case-insensitively.
        Field::Ip if !exact && has_wildcard(value) => {
            let lower = ascii_lower(field, value)?;
            Ok(like("lower(sourceipaddress)", &lower))
        }
        Field::Ip => on(&["sourceipaddress"], Match::Exact),
        Field::Event => on(&["eventname"], Match::Whole),
        Field::Type => on(&["useridentity.type"], Match::Whole),
        Field::Category => on(&["eventcategory"], Match::Whole),
        // A failed sign-in has no errorCode: its `Failure` is read from responseElements or
        // serviceEventDetails (model::outcome). Asking errorcode for `any`, `none` or a value
        // that can be `Failure` would leave failed sign-ins out (or in): kept local.
        Field::Error if may_be_outcome(value, exact) => Err(format!(
            "error:{value} also reads failed sign-ins, which have no errorCode column"
        )),
        Field::Error => on(&["errorcode"], Match::Whole),
        Field::Vpce if !exact && value.eq_ignore_ascii_case("any") => {
            Ok("vpcendpointid IS NOT NULL".to_string())
        }
        Field::Vpce if !exact && value.eq_ignore_ascii_case("none") => {
            Ok("vpcendpointid IS NULL".to_string())
        }
        Field::Vpce => on(&["vpcendpointid"], Match::Contains),
        Field::Source => on(&["eventsource"], Match::Contains),
        Field::Region => on(&["awsregion"], Match::Contains),
        Field::UserAgent => on(&["useragent"], Match::Contains),
        Field::Role => on(
            &[
                "useridentity.sessioncontext.sessionissuer.username",
                "useridentity.sessioncontext.sessionissuer.arn",
            ],
            Match::Contains,
        ),
        Field::Portal => on(&["useridentity.credentialid"], Match::Exact),
        // additionalEventData is JSON text in the table.
        Field::SignIn => on(
            &["json_extract_scalar(additionaleventdata, '$.AuthWorkflowID')"],
            Match::Exact,
        ),
        Field::Resource => resource(field, value, exact),
        // The table holds readOnly as the record's text; the local filter reads these three.
        Field::ReadOnly => Ok(match value.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => "readonly IN ('true', 'True', 'TRUE')".to_string(),
            "false" | "no" | "0" => "readonly IN ('false', 'False', 'FALSE')".to_string(),
            _ => "false".to_string(),
        }),
        Field::Arn if exact => arn(value),
        Field::Arn => Err(
            "arn: a partial ARN also matches trailscope's principal keys, which Athena has no column for"
                .to_string(),
        ),
        Field::Principal => Err(
            "principal: trailscope's own key and name for who acted, built from several identity fields"
                .to_string(),
        ),
        Field::Session => Err(
            "session: the session name is read out of ARNs and principal IDs here".to_string(),
        ),
        Field::Lineage => Err(
            "lineage: the chain is followed through the minting events already loaded".to_string(),
        ),
        Field::Finding => Err(
            "finding: the detection rules run here, over the events that arrive".to_string(),
        ),
        Field::Target => Err(
            "target: read here from each event's request parameters, which Athena holds as text"
                .to_string(),
        ),
        Field::After | Field::Before => Err(format!(
            "{}: narrows the window Athena reads instead",
            field.name()
        )),
    }
}

/// `field` over `cols` (any of them), as the field's match kind reads `value`.
fn compare(
    field: Field,
    cols: &[&str],
    value: &str,
    exact: bool,
    how: Match,
) -> Result<String, String> {
    if exact {
        return Ok(any(cols, |c| equals(c, value)));
    }
    let glob = has_wildcard(value);
    Ok(match how {
        Match::Exact if glob => any(cols, |c| like(c, value)),
        Match::Exact => any(cols, |c| equals(c, value)),
        Match::Whole | Match::Contains if glob => {
            let lower = ascii_lower(field, value)?;
            any(cols, |c| like(&format!("lower({c})"), &lower))
        }
        Match::Whole => {
            let lower = ascii_lower(field, value)?;
            any(cols, |c| format!("lower({c}) = {}", literal(&lower)))
        }
        Match::Contains => {
            let lower = ascii_lower(field, value)?;
            any(cols, |c| {
                format!("strpos(lower({c}), {}) > 0", literal(&lower))
            })
        }
    })
}

fn equals(column: &str, value: &str) -> String {
    format!("{column} = {}", literal(value))
}

fn any(cols: &[&str], each: impl Fn(&str) -> String) -> String {
    let parts: Vec<String> = cols.iter().map(|c| each(c)).collect();
    parts.join(" OR ")
}

/// The value lowercased, for a case-insensitive comparison; refused beyond ASCII.
fn ascii_lower(field: Field, value: &str) -> Result<String, String> {
    if value.is_ascii() {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(format!(
            "{}: case-insensitive matching of non-ASCII text (Trino and trailscope fold case differently beyond ASCII)",
            field.name()
        ))
    }
}

/// Any of the event's resources, by ARN.
fn resource(field: Field, value: &str, exact: bool) -> Result<String, String> {
    let inner = compare(field, &["r.arn"], value, exact, Match::Contains)?;
    Ok(format!("any_match(resources, r -> {inner})"))
}

/// `arn:=X`. Locally the term also matches the principal key, which equals the identity's
/// ARN when there is one; trailscope makes up a key shaped like an ARN only for a root
/// (`arn:aws:iam::ACCOUNT:root`) or an IAM user without an ARN (`…:user/NAME`), so those
/// shapes stay local and every other ARN is exactly `useridentity.arn`.
fn arn(value: &str) -> Result<String, String> {
    if !value.starts_with("arn:") {
        return Err(
            "arn:= of something that is not an ARN matches principal keys only here".to_string(),
        );
    }
    if value.ends_with(":root") || value.contains(":user/") {
        return Err(
            "arn:= of a root or IAM user also matches keys trailscope makes for identities without an ARN"
                .to_string(),
        );
    }
    Ok(equals("useridentity.arn", value))
}

/// Decimal IPv4 as Rust's parser accepts it (no leading zeros): only such text is cast, so
/// the cast and the local parse agree on what is an address.
const IPV4: &str = "^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}$";

/// `ip:10.0.0.0/8`: sent, guarded. sourceIPAddress also holds service names
/// (`ec2.amazonaws.com`), which a plain CAST would fail the whole query on: `try_cast` makes
/// them NULL (not in the block), and the text is first checked to be the family the local
/// filter would parse it as: dotted decimal for an IPv4 block (an IPv4-mapped `::ffff:…`
/// is IPv6 to Rust but IPv4 to Trino), a colon for an IPv6 block. The block is written
/// with its host bits cleared, as `contains` wants its network.
fn cidr(value: &str) -> Result<String, String> {
    let bad = || format!("ip:{value} is not a CIDR block like 10.0.0.0/8");
    let (addr, bits) = value.split_once('/').ok_or_else(bad)?;
    let net: IpAddr = addr.parse().map_err(|_| bad())?;
    let bits: u8 = bits.parse().map_err(|_| bad())?;
    let (network, guard) = match net {
        IpAddr::V4(a) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            let n = std::net::Ipv4Addr::from(u32::from(a) & mask);
            (
                format!("{n}/{bits}"),
                format!("regexp_like(sourceipaddress, {})", literal(IPV4)),
            )
        }
        IpAddr::V6(a) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            let n = std::net::Ipv6Addr::from(u128::from(a) & mask);
            (
                format!("{n}/{bits}"),
                "strpos(sourceipaddress, ':') > 0".to_string(),
            )
        }
        _ => return Err(bad()),
    };
    Ok(format!(
        "{guard} AND contains({}, try_cast(sourceipaddress AS IPADDRESS))",
        literal(&network)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rusts_ipv4_parser_refuses_what_the_guard_refuses() {
        for text in [
            "010.1.2.3",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            " 1.2.3.4",
            "::ffff:1.2.3.4",
        ] {
            assert!(text.parse::<std::net::Ipv4Addr>().is_err(), "{text}");
        }
        assert!("0.0.0.0".parse::<std::net::Ipv4Addr>().is_ok());
    }

    #[test]
    fn cidr_blocks_are_canonical() {
        assert!(cidr("10.1.2.3/8").is_ok_and(|s| s.contains("contains('10.0.0.0/8'")));
        assert!(cidr("0.0.0.0/0").is_ok_and(|s| s.contains("contains('0.0.0.0/0'")));
        assert!(cidr("2001:db8::1/32").is_ok_and(|s| s.contains("contains('2001:db8::/32'")));
        assert!(cidr("10.0.0.0/33").is_err());
        assert!(cidr("host/8").is_err());
    }
}
