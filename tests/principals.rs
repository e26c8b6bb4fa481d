//! Principal resolution for every identity type in CLOUDTRAIL.md: a stable key and a name a
//! responder recognises.

use std::sync::Arc;
use trailscope::model::parse::parse_text;
use trailscope::model::principal::{resolve, PrincipalKind};
use trailscope::model::record::Record;

fn record(identity: &str, extra: &str) -> Record {
    let text = format!(
        r#"{{"eventVersion":"1.10","eventSource":"s3.amazonaws.com","eventName":"GetObject"{extra},"userIdentity":{identity}}}"#
    );
    let mut out = (Vec::new(), Vec::new());
    parse_text(&Arc::from("t"), &text, &mut out);
    assert!(out.1.is_empty(), "{:?}", out.1);
    out.0.remove(0)
}

fn who(identity: &str, extra: &str) -> (PrincipalKind, String, String) {
    let r = record(identity, extra);
    let p = resolve(r.identity.as_ref(), r.source.as_deref());
    (p.kind, p.key, p.name)
}

#[test]
fn iam_user() {
    let (k, key, name) = who(
        r#"{"type":"IAMUser","principalId":"AIDAX","arn":"arn:aws:iam::111122223333:user/ci-deploy","accountId":"111122223333","accessKeyId":"AKIAXLEAKED0EXAMPLE1","userName":"ci-deploy"}"#,
        "",
    );
    assert_eq!(
        (k, key.as_str(), name.as_str()),
        (
            PrincipalKind::IamUser,
            "arn:aws:iam::111122223333:user/ci-deploy",
            "ci-deploy"
        )
    );
}

#[test]
fn assumed_role_shows_role_and_session() {
    let (k, key, name) = who(
        r#"{"type":"AssumedRole","principalId":"AROAX:deploy-sync","arn":"arn:aws:sts::444455556666:assumed-role/OrganizationAccountAccessRole/deploy-sync","accountId":"444455556666","accessKeyId":"ASIAXATTACKSESSION01","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAX","arn":"arn:aws:iam::444455556666:role/OrganizationAccountAccessRole","accountId":"444455556666","userName":"OrganizationAccountAccessRole"},"sourceIdentity":"ci-deploy"}}"#,
        "",
    );
    assert_eq!(k, PrincipalKind::AssumedRole);
    assert_eq!(
        key,
        "arn:aws:sts::444455556666:assumed-role/OrganizationAccountAccessRole/deploy-sync"
    );
    assert_eq!(name, "OrganizationAccountAccessRole/deploy-sync");
    let r = record(
        r#"{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/R"},"sourceIdentity":"alice"}}"#,
        "",
    );
    let id = r.identity.expect("identity");
    assert_eq!(id.issuer_arn.as_deref(), Some("arn:aws:iam::1:role/R"));
    assert_eq!(id.source_identity.as_deref(), Some("alice"));
}

#[test]
fn assumed_role_without_arn_uses_issuer_and_session() {
    let (_, _, name) = who(
        r#"{"type":"AssumedRole","principalId":"AROAX:sess-1","sessionContext":{"sessionIssuer":{"userName":"Deployer"}}}"#,
        "",
    );
    assert_eq!(name, "Deployer/sess-1");
}

#[test]
fn root_is_named_with_its_account() {
    let (k, key, name) = who(
        r#"{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"}"#,
        "",
    );
    assert_eq!(
        (k, key.as_str(), name.as_str()),
        (
            PrincipalKind::Root,
            "arn:aws:iam::111122223333:root",
            "root (111122223333)"
        )
    );
}

#[test]
fn federated_user() {
    let (k, _, name) = who(
        r#"{"type":"FederatedUser","arn":"arn:aws:sts::1:federated-user/bob","sessionContext":{"sessionIssuer":{"type":"IAMUser","arn":"arn:aws:iam::1:user/bob"}}}"#,
        "",
    );
    assert_eq!(
        (k, name.as_str()),
        (PrincipalKind::FederatedUser, "federated:bob")
    );
}

#[test]
fn aws_service_uses_invoked_by() {
    let (k, key, name) = who(
        r#"{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}"#,
        "",
    );
    assert_eq!(
        (k, key.as_str(), name.as_str()),
        (
            PrincipalKind::AwsService,
            "service:ec2.amazonaws.com",
            "ec2.amazonaws.com"
        )
    );
}

#[test]
fn aws_account_cross_account_call() {
    let (k, key, name) = who(
        r#"{"type":"AWSAccount","principalId":"AIDAX","accountId":"111122223333"}"#,
        "",
    );
    assert_eq!(
        (k, key.as_str(), name.as_str()),
        (
            PrincipalKind::AwsAccount,
            "account:111122223333:AIDAX",
            "account 111122223333"
        )
    );
}

#[test]
fn saml_and_web_identity() {
    let (k, key, name) = who(
        r#"{"type":"SAMLUser","principalId":"SAMLx:alice@example.com","userName":"alice@example.com","identityProvider":"bdGOnTesti4564Gx7RU="}"#,
        "",
    );
    assert_eq!(
        (k, name.as_str()),
        (PrincipalKind::SamlUser, "saml:alice@example.com")
    );
    assert!(key.starts_with("saml:bdGOnTesti4564Gx7RU=:"));
    let (k, _, name) = who(
        r#"{"type":"WebIdentityUser","userName":"amzn1.account.X","identityProvider":"www.amazon.com"}"#,
        "",
    );
    assert_eq!(
        (k, name.as_str()),
        (PrincipalKind::WebIdentityUser, "web:amzn1.account.X")
    );
}

#[test]
fn identity_center_user_has_no_username() {
    // From 2025-01-13: no userName/principalId; onBehalfOf identifies the user.
    let identity = r#"{"type":"IdentityCenterUser","accountId":"111122223333","onBehalfOf":{"userId":"544894e8-80c1-707f-60e3-3ba6510dfac1","identityStoreArn":"arn:aws:identitystore::111122223333:identitystore/d-9067642ac7"},"credentialId":"EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE"}"#;
    let (k, key, name) = who(identity, "");
    assert_eq!(k, PrincipalKind::IdentityCenterUser);
    assert_eq!(key, "idc:arn:aws:identitystore::111122223333:identitystore/d-9067642ac7:544894e8-80c1-707f-60e3-3ba6510dfac1");
    assert_eq!(name, "sso:544894e8-80c1-707f-60e3-3ba6510dfac1");
    // A sign-in carries the typed name in additionalEventData.UserName.
    let (_, key2, name2) = who(identity, r#","additionalEventData":{"UserName":"alice"}"#);
    assert_eq!((key2, name2.as_str()), (key, "sso:alice"));
    let r = record(identity, "");
    assert!(r.identity.and_then(|i| i.credential_id).is_some());
}

#[test]
fn an_identity_center_user_is_one_principal_across_the_2025_change() {
    // Before the change AWS typed an authenticated Identity Center user `Unknown`, with the
    // user name and, lately, `onBehalfOf`; after it, `IdentityCenterUser` with neither name.
    // One user, one principal key (the identity store's user ID), so a pivot spans both.
    let store_arn = "arn:aws:identitystore::111122223333:identitystore/d-9067642ac7";
    let id = "5498b4a8-e0b1-7011-a2f3-1c2d3e4f5a6b";
    let before = format!(
        r#"{{"type":"Unknown","principalId":"111122223333","accountId":"111122223333","userName":"alice@example.com","onBehalfOf":{{"userId":"{id}","identityStoreArn":"{store_arn}"}}}}"#
    );
    let after = format!(
        r#"{{"type":"IdentityCenterUser","accountId":"111122223333","onBehalfOf":{{"userId":"{id}","identityStoreArn":"{store_arn}"}},"credentialId":"AAAAAGExample"}}"#
    );
    let (k1, key1, name1) = who(&before, "");
    let (k2, key2, name2) = who(&after, "");
    assert_eq!(
        (k1, k2),
        (PrincipalKind::Unknown, PrincipalKind::IdentityCenterUser)
    );
    assert_eq!(key1, format!("idc:{store_arn}:{id}"));
    assert_eq!(key2, key1);
    assert_eq!(name1, "sso:alice@example.com");
    assert_eq!(
        name2,
        format!("sso:{id}"),
        "no name on record: the user's ID"
    );
    // A sign-in step names the user in additionalEventData.
    let (_, _, name3) = who(
        &after,
        r#","additionalEventData":{"AuthWorkflowID":"7a4ef12c-7c4b-4bc3-b5bd-c2469afcc795","UserName":"alice@example.com"}"#,
    );
    assert_eq!(name3, "sso:alice@example.com");
    // A failed sign-in (no onBehalfOf) stays an unknown caller.
    let (_, key4, _) = who(r#"{"type":"Unknown","userName":"alice@example.com"}"#, "");
    assert_eq!(key4, "unknown:alice@example.com");
}

#[test]
fn unknown_shows_hidden_names_plainly() {
    let (k, _, name) = who(
        r#"{"type":"Unknown","principalId":"","accountId":"111122223333"}"#,
        r#","additionalEventData":{"UserName":"HIDDEN_DUE_TO_SECURITY_REASONS"}"#,
    );
    assert_eq!(
        (k, name.as_str()),
        (
            PrincipalKind::Unknown,
            "unknown:HIDDEN_DUE_TO_SECURITY_REASONS"
        )
    );
}

#[test]
fn missing_identity_names_the_service() {
    let text = r#"{"eventVersion":"1.08","eventSource":"health.amazonaws.com","eventName":"AWSHealthEvent"}"#;
    let mut out = (Vec::new(), Vec::new());
    parse_text(&Arc::from("t"), text, &mut out);
    let p = resolve(out.0[0].identity.as_ref(), out.0[0].source.as_deref());
    assert_eq!(
        (p.kind, p.name.as_str()),
        (PrincipalKind::Missing, "health.amazonaws.com")
    );
}

#[test]
fn unknown_future_type_is_shown_by_its_own_words() {
    let (k, _, name) = who(
        r#"{"type":"QuantumUser","arn":"arn:aws:iam::1:quantum/q"}"#,
        "",
    );
    assert_eq!(
        (k, name.as_str()),
        (PrincipalKind::Other, "arn:aws:iam::1:quantum/q")
    );
}
