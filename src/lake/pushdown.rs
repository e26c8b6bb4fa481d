//! A pivot pushed down to Lake: the filter term a pivot makes (`key:=AKIA…`, `ip:=…`) as a
//! SQL condition that selects the same events the term selects among loaded ones, so that
//! the events Lake returns are exactly the ones the view then shows.

use super::sql::{equals, literal};
use crate::filter::field::Field;
use crate::filter::Expr;
use crate::model::outcome::FAILURE;

/// The SQL condition for `expr`, or why it cannot be asked of Lake (and then the pivot only
/// runs on the events already loaded). The AND/OR/NOT reading is the one Athena shares
/// (`trino::condition`); Lake is asked exact terms only.
pub fn condition(expr: &Expr) -> Result<String, String> {
    crate::trino::condition::condition(expr, &term)
}

fn term(field: Field, value: &str, exact_term: bool) -> Result<String, String> {
    if exact_term {
        exact(field, value)
    } else {
        Err(format!(
            "{}: only exact values (a pivot, `{}:=…`) are sent to Lake",
            field.name(),
            field.name()
        ))
    }
}

/// The columns an exact term compares, as the local filter does (`filter::compile`).
fn exact(field: Field, value: &str) -> Result<String, String> {
    let either = |a: &str, b: &str| format!("{} OR {}", equals(a, value), equals(b, value));
    Ok(match field {
        Field::Key => equals("userIdentity.accessKeyId", value),
        Field::Ip => equals("sourceIPAddress", value),
        Field::Event => equals("eventName", value),
        Field::Source => equals("eventSource", value),
        Field::Region => equals("awsRegion", value),
        Field::UserAgent => equals("userAgent", value),
        // A failed sign-in's `Failure` is read from responseElements or serviceEventDetails
        // (model::outcome); Lake's errorCode column never holds it, so asking would return
        // nothing and the pivot would look empty.
        Field::Error if value.eq_ignore_ascii_case(FAILURE) => {
            return Err(format!(
                "error:={FAILURE} is a failed sign-in without an errorCode: it runs on the loaded events only"
            ))
        }
        Field::Error => equals("errorCode", value),
        Field::Type => equals("userIdentity.type", value),
        Field::Category => equals("eventCategory", value),
        Field::Vpce => equals("vpcEndpointId", value),
        Field::Arn => equals("userIdentity.arn", value),
        Field::Account => either("recipientAccountId", "userIdentity.accountId"),
        Field::Id => either("eventID", "requestID"),
        Field::Portal => equals("userIdentity.credentialId", value),
        Field::SignIn => equals("element_at(additionalEventData, 'AuthWorkflowID')", value),
        Field::Role => either(
            "userIdentity.sessionContext.sessionIssuer.arn",
            "userIdentity.sessionContext.sessionIssuer.userName",
        ),
        // A principal is keyed by its ARN when it has one; an AWS service by who invoked it.
        Field::Principal if value.starts_with("arn:") => equals("userIdentity.arn", value),
        Field::Principal => match value.strip_prefix("service:") {
            Some(service) => equals("userIdentity.invokedBy", service),
            None => {
                return Err(format!(
                    "the principal {} has no ARN to ask Lake for",
                    crate::model::sanitize::visible(value)
                ))
            }
        },
        Field::ReadOnly => match value.to_ascii_lowercase().as_str() {
            "true" | "yes" => "readOnly = true".to_string(),
            "false" | "no" => "readOnly = false".to_string(),
            _ => return Err(format!("readonly:={} is not true or false", literal(value))),
        },
        Field::Session
        | Field::Resource
        | Field::Lineage
        | Field::Finding
        | Field::Target
        | Field::After
        | Field::Before => {
            return Err(format!(
                "{} pivots run on the loaded events only",
                field.name()
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::parse;

    fn sql(filter: &str) -> Result<String, String> {
        condition(&parse(filter).map_err(|e| format!("{e:?}"))?)
    }

    #[test]
    fn pivot_terms_become_conditions() {
        assert_eq!(
            sql("key:=AKIAEXAMPLE").as_deref(),
            Ok("userIdentity.accessKeyId = 'AKIAEXAMPLE'")
        );
        assert_eq!(
            sql("ip:=\"198.51.100.7\"").as_deref(),
            Ok("sourceIPAddress = '198.51.100.7'")
        );
        assert_eq!(
            sql("principal:=service:ec2.amazonaws.com").as_deref(),
            Ok("userIdentity.invokedBy = 'ec2.amazonaws.com'")
        );
        assert_eq!(
            sql("account:=111122223333").as_deref(),
            Ok("recipientAccountId = '111122223333' OR userIdentity.accountId = '111122223333'")
        );
        assert_eq!(
            sql("-error:=AccessDenied").as_deref(),
            Ok("NOT coalesce((errorCode = 'AccessDenied'), false)")
        );
        assert!(
            sql("error:=Failure").is_err(),
            "not in Lake's errorCode column"
        );
        assert!(sql("principal:=unknown:bob").is_err());
        assert_eq!(
            sql("portal:=AAAAAGEx OR signin:=7a4e").as_deref(),
            Ok("(userIdentity.credentialId = 'AAAAAGEx') OR (element_at(additionalEventData, 'AuthWorkflowID') = '7a4e')")
        );
        assert!(sql("ip:10.0.0.0/8").is_err());
        assert!(sql("hello").is_err());
    }
}
