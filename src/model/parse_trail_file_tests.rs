//! The trail file's straight reading against the general one (`parse::trail_file`).

use super::*;

/// Records and warnings in the order a sink receives them.
fn read(text: &str, general: bool) -> (Vec<Record>, Vec<Warning>) {
    let mut out = (Vec::new(), Vec::new());
    let origin: Arc<str> = Arc::from("t");
    match general {
        false => parse_text(&origin, text, &mut out),
        true => {
            let body = text.trim_start_matches('\u{feff}');
            let mut ctx = Ctx {
                origin: &origin,
                base: text.as_ptr(),
                sink: &mut out,
            };
            general_reading(&mut ctx, body, body.trim_start());
        }
    }
    out
}

fn same_as_general(text: &str) {
    assert_eq!(read(text, false), read(text, true), "input: {text:?}");
}

const A: &str = r#"{"eventVersion":"1.08","eventTime":"2024-06-01T00:00:00Z","eventName":"GetObject","eventSource":"s3.amazonaws.com","eventID":"a","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/x"},"requestParameters":{"k":"v\"}]"}}"#;
const B: &str = r#"{"eventTime":"2024-06-01T00:00:01Z","eventName":"ListBuckets","eventSource":"s3.amazonaws.com","eventID":"b","userIdentity":{"type":"Root"}}"#;

#[test]
fn a_trail_file_reads_as_the_general_reading_does() {
    let file = format!("{{\"Records\":[{A},{B}]}}");
    assert_eq!(read(&file, false).0.len(), 2);
    same_as_general(&file);
    same_as_general(&format!("\u{feff} {{ \"Records\" :\n[ {A} ,\n{B} ]\n}}\n"));
    same_as_general("{\"Records\":[]}");
}

#[test]
fn shapes_that_only_open_like_a_trail_file_read_as_before() {
    for text in [
        format!("{{\"Records\":[{A}],\"Records\":[{B}]}}"),
        format!("{{\"Records\":[{A}],\"x\":1}}"),
        format!("{{\"Records\":[{A}]}}\n{{\"Records\":[{B}]}}\n"),
        format!("{{\"Records\":[{A}]}}{{\"Records\":[{B}]}}"),
        format!("{{\"Records\":[{A}]}} trailing"),
        format!("{{\"Records\":[{A},{A}]}}"),
        format!("{{\"Records\":[{A},1,\"x\",[{B}]]}}"),
        format!("{{\"Records\":[{A}] ]}}"),
    ] {
        same_as_general(&text);
    }
}

#[test]
fn every_cut_of_a_trail_file_reads_as_before() {
    let file = format!("{{\"Records\":[{A},\n{B}]}}\n");
    for end in 0..=file.len() {
        if file.is_char_boundary(end) {
            same_as_general(&file[..end]);
        }
    }
}

mod keys_twice {
    use super::*;
    use crate::model::checked_keys::tests::json_value;
    use crate::model::dup_keys::first_duplicate_key;
    use proptest::prelude::*;

    const MEMBERS: [&str; 9] = [
        "requestParameters",
        "responseElements",
        "serviceEventDetails",
        "tlsDetails",
        "userIdentity",
        "additionalEventData",
        "resources",
        "eventName",
        "detail",
    ];

    proptest! {
        /// A record in a trail file, its keys compared while it is read, is refused exactly
        /// when the scan of its whole text finds a key twice, and otherwise reads as the same
        /// record on a line of its own (read unchecked, then scanned whole).
        #[test]
        fn a_key_twice_is_refused_wherever_it_is(
            member in 0..MEMBERS.len(),
            value in json_value(),
            second in proptest::option::of((0..MEMBERS.len(), json_value())),
        ) {
            let mut record = format!(r#"{{"eventTime":"2024-06-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventID":"a","{}":{value}"#, MEMBERS[member]);
            if let Some((m, v)) = &second {
                record.push_str(&format!(r#","{}":{v}"#, MEMBERS[*m]));
            }
            record.push('}');
            let twice = first_duplicate_key(&record).is_some();
            let (in_file, file_warnings) = read(&format!("{{\"Records\":[{record}]}}"), false);
            let (alone, alone_warnings) = read(&record, false);
            let refused = |w: &[Warning]| w.iter().any(|w| w.to_string().contains("appears twice"));
            prop_assert_eq!(refused(&file_warnings), twice, "{}", record);
            prop_assert_eq!(refused(&alone_warnings), twice, "{}", record);
            prop_assert_eq!(&in_file, &alone, "{}", record);
            prop_assert_eq!(file_warnings.len(), alone_warnings.len(), "{}", record);
        }
    }
}
