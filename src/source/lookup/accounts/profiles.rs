//! `--profiles a,b` or `--profiles 'prod-*'`: one account per profile of the AWS config and
//! credentials files (as Granted, aws-vault and SSO set them up), each with the credential
//! chain the SDK resolves for it. Globs match the names the files hold; plain names are
//! taken as given, so a mistyped one fails with the SDK's own words on first use.

use crate::filter::glob::{glob_match, has_wildcard};

/// The profiles `asked` names, in the order asked, each once. A glob that matches nothing
/// is an error that lists what there is.
pub fn select(asked: &[String], known: &[String]) -> Result<Vec<String>, String> {
    let mut chosen: Vec<String> = Vec::new();
    for pattern in asked.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !has_wildcard(pattern) {
            if !known.is_empty() && !known.iter().any(|k| k == pattern) {
                return Err(format!(
                    "no profile {pattern:?} in the AWS config files (there are: {})",
                    list(known)
                ));
            }
            push_once(&mut chosen, pattern);
            continue;
        }
        let matched: Vec<&String> = known
            .iter()
            .filter(|k| glob_match(pattern, k, false))
            .collect();
        if matched.is_empty() {
            return Err(format!(
                "--profiles {pattern:?} matches no profile in the AWS config files (there are: {})",
                list(known)
            ));
        }
        for m in matched {
            push_once(&mut chosen, m);
        }
    }
    Ok(chosen)
}

fn push_once(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}

fn list(known: &[String]) -> String {
    match known.is_empty() {
        true => "none; ~/.aws/config and ~/.aws/credentials, or AWS_CONFIG_FILE".to_string(),
        false => known.join(", "),
    }
}

/// The profile names in the AWS config and credentials files (`AWS_CONFIG_FILE`,
/// `AWS_SHARED_CREDENTIALS_FILE` or the defaults), sorted, as the SDK reads them.
pub async fn known() -> Result<Vec<String>, String> {
    use aws_types::os_shim_internal::{Env, Fs};
    // The default files (the type's name moved between crates; the default is the same).
    let set = aws_config::profile::load(&Fs::real(), &Env::real(), &Default::default(), None)
        .await
        .map_err(|e| format!("cannot read the AWS config files: {e}"))?;
    let mut names: Vec<String> = set.profiles().map(str::to_string).collect();
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn globs_pick_from_the_files_and_names_stay_in_order() {
        let known = names(&["default", "prod-a", "prod-b", "staging"]);
        let got = select(&names(&["prod-*"]), &known);
        assert_eq!(got, Ok(names(&["prod-a", "prod-b"])));
        let got = select(&names(&["staging", "prod-*", "prod-a"]), &known);
        assert_eq!(got, Ok(names(&["staging", "prod-a", "prod-b"])));
        let err = select(&names(&["dev-*"]), &known).unwrap_err();
        assert!(
            err.contains("matches no profile") && err.contains("prod-a"),
            "{err}"
        );
        let err = select(&names(&["prdo-a"]), &known).unwrap_err();
        assert!(err.contains("no profile \"prdo-a\""), "{err}");
    }
}
