//! `trailscope athena create-table`: the CREATE EXTERNAL TABLE statement for a trail's bucket,
//! printed for the user to run, or run in Athena with `--run`. The
//! bucket is listed (`source::s3::survey`), its folders become the table's shape
//! (`athena::layout`) and the statement is written by `athena::table`. The statement goes to
//! stdout alone, so it can be piped; notes go to stderr. Exit status: 0 printed, 1 the bucket
//! holds no trail or cannot be listed, 2 a name the statement cannot hold.

use super::args::{AthenaCommand, CreateTableArgs};
use super::open::fail;
use crate::athena::client::{connect, run_query, Report, Target};
use crate::athena::layout::layout;
use crate::athena::names;
use crate::athena::table::{create_table, TableSpec};
use crate::job::Ending;
use crate::lake::client::Polling;
use crate::model::sanitize::visible;
use crate::model::time::EventTime;
use crate::source::s3::survey::{survey_blocking, SurveyRequest};
use crate::source::s3::url::parse;
use std::process::ExitCode;

pub fn main(cmd: &AthenaCommand) -> ExitCode {
    match cmd {
        AthenaCommand::CreateTable(args) => print_create_table(args),
    }
}

/// `cloudtrail_` and the bucket's name, every character a table name cannot hold as `_`.
pub(crate) fn default_table(bucket: &str) -> String {
    let name: String = bucket
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '_' => c,
            _ => '_',
        })
        .collect();
    format!("cloudtrail_{name}")
}

fn print_create_table(args: &CreateTableArgs) -> ExitCode {
    // Every name is checked before the network is: a typo costs no listing.
    let url = match parse(&args.location) {
        Ok(u) => u,
        Err(e) => return fail(&e, 2),
    };
    if let Err(e) = names::bucket(&url.bucket) {
        return fail(&e, 2);
    }
    let table = args
        .table
        .clone()
        .unwrap_or_else(|| default_table(&url.bucket));
    for (what, name) in [("database", &args.database), ("table", &table)] {
        if let Err(e) = names::identifier(what, name) {
            return fail(&format!("--{what}: {e}"), 2);
        }
    }
    let request = SurveyRequest {
        url: url.clone(),
        profile: args.profile.clone(),
        region: args.region.clone(),
    };
    let covered = |all: &[String]| layout(all).map(|l| l.region_prefixes).unwrap_or_default();
    let survey = match survey_blocking(&request, EventTime::now(), covered) {
        Ok(s) => s,
        Err(e) => return fail(&e, 1),
    };
    note_all(&survey.notes);
    let Some(shape) = layout(&survey.region_prefixes) else {
        return fail(
            &format!(
                "no CloudTrail trail under {}: expected AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/ folders there or one folder down; give the location of the trail's AWSLogs/ folder or the prefix above it",
                url.display()
            ),
            1,
        );
    };
    note_all(&shape.notes);
    let spec = TableSpec {
        database: args.database.clone(),
        table,
        bucket: url.bucket.clone(),
        prefix: shape.prefix,
        org: shape.org,
        accounts: shape.accounts,
        regions: shape.regions,
        since: survey.since,
    };
    match create_table(&spec) {
        Ok(sql) if args.run => run_ddl(args, &sql, &spec),
        Ok(sql) => {
            println!("{sql}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e, 1),
    }
}

/// `--run`: the statement through Athena, to its end. Exit 0 when the table exists after it.
fn run_ddl(args: &CreateTableArgs, sql: &str, spec: &TableSpec) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the runtime: {e}"), 1),
    };
    let target = Target {
        workgroup: args.workgroup.clone(),
        output_location: args.output_location.clone(),
        database: Some(spec.database.clone()),
        ..Target::default()
    };
    let ending = rt.block_on(async {
        let (client, region) = connect(args.profile.as_deref(), args.region.as_deref()).await?;
        let (_never, cancel) = tokio::sync::watch::channel(false);
        let mut end = None;
        run_query(
            &client,
            &region,
            sql,
            &target,
            Polling::default(),
            cancel,
            |r| {
                if let Report::Done(p, ending) = r {
                    end = Some((p, ending));
                }
                std::future::ready(())
            },
        )
        .await;
        end.ok_or_else(|| "the statement ended without a word".to_string())
    });
    match ending {
        Ok((p, Ending::Finished)) => {
            eprintln!(
                "trailscope: {}.{} is ready (query {}): trailscope --athena {}.{}",
                spec.database,
                spec.table,
                visible(&p.query_id),
                spec.database,
                spec.table
            );
            ExitCode::SUCCESS
        }
        Ok((_, Ending::Failed(why) | Ending::TimedOut(why))) => fail(&why, 1),
        Ok((_, Ending::Stopped)) => fail("the statement was stopped", 1),
        Err(e) => fail(&e, 1),
    }
}

/// Notes quote keys from the bucket: through the gate, one line each.
fn note_all(notes: &[String]) {
    for n in notes {
        eprintln!("trailscope: {}", visible(n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_table_is_named_after_the_bucket() {
        assert_eq!(default_table("org-trail.logs"), "cloudtrail_org_trail_logs");
        assert_eq!(default_table("abc_123"), "cloudtrail_abc_123");
    }
}
