//! How a call was made, from its user agent (CLOUDTRAIL.md, "User agents tell how a call was
//! made"): the console, the CLI (with the command it ran), an SDK, Terraform, an AWS service
//! on the caller's behalf, or a call assisted by Amazon Q Developer.

/// A user agent, classified; `detail` is the CLI command or the SDK's name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Agent {
    /// Amazon Q Developer marks the calls it makes (`exec-env/AmazonQ-For-…`).
    AmazonQ,
    Console,
    Cli(Option<String>),
    Terraform,
    Sdk(String),
    AwsService,
    Other,
}

impl Agent {
    pub fn classify(user_agent: &str, source_ip: &str) -> Agent {
        // S3 data events write the caller's user agent in brackets: `[aws-cli/2.15.30 …]`.
        let ua = user_agent.trim();
        let ua = ua
            .strip_prefix('[')
            .and_then(|inner| inner.strip_suffix(']'))
            .unwrap_or(ua);
        if ua.contains("exec-env/AmazonQ-For-") {
            return Agent::AmazonQ;
        }
        if ua.starts_with("console.")
            || ua.starts_with("S3Console/")
            || ua.contains("console.amazonaws.com")
            || ua == "AWS Internal"
            || ua.starts_with("signin.amazonaws.com")
        {
            return Agent::Console;
        }
        if ua.starts_with("aws-cli/") {
            return Agent::Cli(cli_command(ua));
        }
        if ua.contains("Terraform") || ua.contains("terraform-provider-aws") {
            return Agent::Terraform;
        }
        for (marker, name) in [
            ("Boto3/", "Boto3"),
            ("botocore/", "botocore"),
            ("aws-sdk-go-v2/", "Go v2"),
            ("aws-sdk-go/", "Go"),
            ("aws-sdk-java/", "Java"),
            ("aws-sdk-js/", "JavaScript"),
            ("aws-sdk-nodejs/", "Node.js"),
            ("aws-sdk-rust/", "Rust"),
            ("aws-sdk-dotnet", ".NET"),
            ("aws-sdk-ruby", "Ruby"),
            ("aws-sdk-php", "PHP"),
            ("aws-sdk-cpp", "C++"),
            ("aws-sdk-", "SDK"),
        ] {
            if ua.contains(marker) {
                return Agent::Sdk(name.to_string());
            }
        }
        // A service acting for the caller records its own name (ec2.amazonaws.com …).
        if ua.ends_with(".amazonaws.com") || source_ip.ends_with(".amazonaws.com") {
            return Agent::AwsService;
        }
        Agent::Other
    }

    /// `CLI s3.cp`, `SDK Boto3`, `console`…
    pub fn label(&self) -> String {
        match self {
            Agent::AmazonQ => "Amazon Q Developer".to_string(),
            Agent::Console => "console".to_string(),
            Agent::Cli(Some(c)) => format!("CLI {c}"),
            Agent::Cli(None) => "CLI".to_string(),
            Agent::Terraform => "Terraform".to_string(),
            Agent::Sdk(name) => format!("SDK {name}"),
            Agent::AwsService => "AWS service".to_string(),
            Agent::Other => "other".to_string(),
        }
    }
}

/// `command/s3.cp` (CLI v2) or `md/command#sqs.send-message` (newer CLIs).
fn cli_command(ua: &str) -> Option<String> {
    ua.split_whitespace().find_map(|part| {
        part.strip_prefix("command/")
            .or_else(|| part.strip_prefix("md/command#"))
            .map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_of_the_demo_and_the_docs() {
        let cases = [
            ("aws-cli/2.15.30 Python/3.11.8 Linux/5.10 exe/x86_64.amzn.2 prompt/off command/s3.cp", "1.2.3.4", "CLI s3.cp"),
            ("aws-cli/2.22.0 md/command#sqs.send-message ua/2.1", "1.2.3.4", "CLI sqs.send-message"),
            ("aws-cli/1.16.0 Python/3.6", "1.2.3.4", "CLI"),
            ("Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0 os/linux#6.5", "1.2.3.4", "SDK Boto3"),
            ("aws-cli/2.27.0 md/command#s3.ls exec-env/AmazonQ-For-CLI-Version-1.12.1", "1.2.3.4", "Amazon Q Developer"),
            ("console.amazonaws.com", "1.2.3.4", "console"),
            ("AWS Internal", "1.2.3.4", "console"),
            ("APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.31.0", "1.2.3.4", "Terraform"),
            ("autoscaling.amazonaws.com", "autoscaling.amazonaws.com", "AWS service"),
            ("aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5", "1.2.3.4", "SDK Go v2"),
            ("curl/8.0", "1.2.3.4", "other"),
            // S3 data events bracket the caller's user agent.
            ("[aws-cli/2.15.30 Python/3.11.8 Linux/5.10 exe/x86_64.amzn.2 prompt/off command/s3.cp]", "1.2.3.4", "CLI s3.cp"),
            ("[Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0]", "1.2.3.4", "SDK Boto3"),
            ("[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488]", "1.2.3.4", "console"),
            ("[", "1.2.3.4", "other"),
        ];
        for (ua, ip, want) in cases {
            assert_eq!(Agent::classify(ua, ip).label(), want, "{ua}");
        }
    }
}
