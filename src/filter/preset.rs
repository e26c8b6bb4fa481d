//! One-key presets. Each is written in the filter language itself, so what a preset does is
//! visible (the help overlay prints it) and it composes with the typed filter by AND.

use super::ast::Expr;
use super::parse::parse;

#[derive(
    Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    Writes,
    Errors,
    Denied,
    ConsoleSignIn,
    HideServiceNoise,
    Dangerous,
    AiAssisted,
    Destructive,
}

/// Mutating or evidence-destroying calls an attacker makes to persist, escalate or hide.
const DANGEROUS: &str = "event:StopLogging | event:DeleteTrail | event:UpdateTrail \
    | event:PutEventSelectors | event:PutInsightSelectors | event:DeleteEventDataStore \
    | event:CreateAccessKey | event:CreateUser | event:CreateLoginProfile \
    | event:UpdateLoginProfile | event:Attach*Policy | event:Put*Policy \
    | event:CreatePolicyVersion | event:SetDefaultPolicyVersion | event:UpdateAssumeRolePolicy \
    | event:AddUserToGroup | event:DeactivateMFADevice | event:DeleteVirtualMFADevice \
    | event:DeleteBucket* | event:PutBucketPolicy | event:PutBucketAcl \
    | event:DeletePublicAccessBlock | event:PutBucketPublicAccessBlock \
    | event:DisableKey | event:ScheduleKeyDeletion | event:LeaveOrganization \
    | event:DeleteFlowLogs | event:DeleteDetector | event:StopConfigurationRecorder \
    | event:DeleteConfigurationRecorder | event:DeleteLogGroup | event:DisableSecurityHub \
    | event:ModifySnapshotAttribute | event:ModifyImageAttribute \
    | event:AuthorizeSecurityGroupIngress | event:CreateKeyPair | event:ImportKeyPair \
    | event:CreateSAMLProvider | event:CreateOpenIDConnectProvider";

/// Calls that destroy data, evidence or access: what an incident report lists as the damage.
const DESTRUCTIVE: &str = "event:Delete* | event:Stop* | event:Disable* | event:Terminate* \
    | event:Deactivate* | event:Remove* | event:Detach* | event:Revoke* | event:Deregister* \
    | event:ScheduleKeyDeletion | event:PurgeQueue | event:LeaveOrganization \
    | event:PutBucketLifecycle*";

impl Preset {
    pub const ALL: [Preset; 8] = [
        Preset::Writes,
        Preset::Errors,
        Preset::Denied,
        Preset::ConsoleSignIn,
        Preset::HideServiceNoise,
        Preset::Dangerous,
        Preset::AiAssisted,
        Preset::Destructive,
    ];

    /// Short label for the status bar and `--preset`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Writes => "writes",
            Preset::Errors => "errors",
            Preset::Denied => "denied",
            Preset::ConsoleSignIn => "console",
            Preset::HideServiceNoise => "no-noise",
            Preset::Dangerous => "dangerous",
            Preset::AiAssisted => "ai",
            Preset::Destructive => "destructive",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Preset::Writes => "writes only (readOnly false)",
            Preset::Errors => "errors only",
            Preset::Denied => "access denied / unauthorized",
            Preset::ConsoleSignIn => "console sign-ins",
            Preset::HideServiceNoise => "hide AWS-service noise",
            Preset::Dangerous => "dangerous operations (logging off, new keys, policies…)",
            Preset::AiAssisted => "AI-assisted calls (Amazon Q Developer)",
            Preset::Destructive => "destructive calls (deletions, logging stopped, keys disabled…)",
        }
    }

    /// The preset in the filter language.
    pub fn expression(self) -> &'static str {
        match self {
            Preset::Writes => "readonly:false",
            Preset::Errors => "error:any",
            Preset::Denied => "error:*AccessDenied* | error:*Unauthorized* | error:*Forbidden*",
            Preset::ConsoleSignIn => "event:ConsoleLogin",
            Preset::HideServiceNoise => "-type:AWSService -ip:*.amazonaws.com -ua:\"AWS Internal\"",
            Preset::Dangerous => DANGEROUS,
            Preset::Destructive => DESTRUCTIVE,
            Preset::AiAssisted => {
                "ua:*exec-env/AmazonQ-For-CLI-Version-* | ua:*exec-env/AmazonQ-For-IDE-Version-*"
            }
        }
    }

    pub fn expr(self) -> Expr {
        // The expressions are constants covered by tests; an error would be a bug here.
        parse(self.expression()).unwrap_or_else(|_| Expr::Or(Vec::new()))
    }

    pub fn by_name(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }
}
