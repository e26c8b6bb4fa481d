//! A key given twice in one JSON object. JSON readers disagree on which copy wins (serde keeps
//! the last, others the first), so a forged record can show a responder one `userName` and a
//! SIEM another. One rule, wherever in the record it happens: the record is refused with a
//! warning naming the key. A single pass over the bytes, strings skipped with memchr, as
//! `compact` does; keys compared as JSON means them, escapes decoded (`"a"` and `"\u0061"` are
//! one key). The records of a trail file are checked as they are read instead
//! (`checked_keys`); this scan then looks only into the parts kept as raw text, and reads every
//! other shape whole.

use std::borrow::Cow;
use std::cell::RefCell;

/// Keys compared one by one up to this many per object; past it, through a set.
const LINEAR_KEYS: usize = 16;
/// The quick scan compares up to this many keys per object one by one (a record has about 25 at
/// its top level); a larger object goes to the decoding scan, which switches to a set.
const QUICK_KEYS: usize = 64;

/// The first key that appears twice in one object of `json` (already validated JSON).
///
/// Every record passes here, so the common case takes no allocation: keys are compared as the
/// byte ranges they occupy, on one stack kept per thread. Only a record with an escaped key or
/// an object of more than `QUICK_KEYS` keys is read again the general way, decoding keys.
pub fn first_duplicate_key(json: &str) -> Option<String> {
    let quick = SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => quick_scan(json.as_bytes(), &mut scratch),
        Err(_) => Quick::Undecided,
    });
    match quick {
        Quick::Unique => None,
        Quick::Twice(start, end) => Some(json[start..end].to_owned()),
        Quick::Undecided => decoding_scan(json),
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// What the quick scan found.
enum Quick {
    Unique,
    /// A key seen twice: the byte range of its text (between the quotes, no escapes).
    Twice(usize, usize),
    /// An escaped key or a large object: the decoding scan decides.
    Undecided,
}

#[derive(Default)]
struct Scratch {
    /// Byte ranges of the keys of every open object, innermost last.
    keys: Vec<(u32, u32)>,
    /// Open containers: for an object, where its keys start in `keys`.
    open: Vec<Open>,
}

#[derive(Clone, Copy)]
enum Open {
    Object { first_key: usize, expect_key: bool },
    Array,
}

fn quick_scan(b: &[u8], scratch: &mut Scratch) -> Quick {
    let Scratch { keys, open } = scratch;
    keys.clear();
    open.clear();
    if b.len() >= u32::MAX as usize {
        return Quick::Undecided;
    }
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => open.push(Open::Object {
                first_key: keys.len(),
                expect_key: true,
            }),
            b'[' => open.push(Open::Array),
            b'}' | b']' => {
                if let Some(Open::Object { first_key, .. }) = open.pop() {
                    keys.truncate(first_key);
                }
            }
            b',' => {
                if let Some(Open::Object { expect_key, .. }) = open.last_mut() {
                    *expect_key = true;
                }
            }
            b'"' => {
                let end = string_end(b, i);
                if let Some(Open::Object {
                    first_key,
                    expect_key: expect_key @ true,
                }) = open.last_mut()
                {
                    *expect_key = false;
                    let key = &b[i + 1..end.saturating_sub(1).max(i + 1)];
                    if key.contains(&b'\\') || keys.len() - *first_key >= QUICK_KEYS {
                        return Quick::Undecided;
                    }
                    let seen = keys[*first_key..]
                        .iter()
                        .any(|&(s, e)| &b[s as usize..e as usize] == key);
                    if seen {
                        return Quick::Twice(i + 1, i + 1 + key.len());
                    }
                    keys.push(((i + 1) as u32, (i + 1 + key.len()) as u32));
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Quick::Unique
}

/// The general scan: keys decoded as JSON means them, any number per object.
fn decoding_scan(json: &str) -> Option<String> {
    let b = json.as_bytes();
    let mut stack: Vec<Container> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => stack.push(Container::Object(Keys::default(), true)),
            b'[' => stack.push(Container::Array),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Container::Object(_, expect_key)) = stack.last_mut() {
                    *expect_key = true;
                }
            }
            b'"' => {
                let end = string_end(b, i);
                if let Some(Container::Object(keys, expect_key @ true)) = stack.last_mut() {
                    *expect_key = false;
                    let key = decode(&json[i + 1..end.saturating_sub(1).max(i + 1)]);
                    if !keys.insert(key.clone()) {
                        return Some(key.into_owned());
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

enum Container<'a> {
    /// Its keys so far, and whether the next string is a key.
    Object(Keys<'a>, bool),
    Array,
}

#[derive(Default)]
struct Keys<'a> {
    few: Vec<Cow<'a, str>>,
    many: Option<std::collections::HashSet<Cow<'a, str>>>,
}

impl<'a> Keys<'a> {
    /// False when the key was there already.
    fn insert(&mut self, key: Cow<'a, str>) -> bool {
        if let Some(set) = &mut self.many {
            return set.insert(key);
        }
        if self.few.contains(&key) {
            return false;
        }
        self.few.push(key);
        if self.few.len() > LINEAR_KEYS {
            self.many = Some(self.few.drain(..).collect());
        }
        true
    }
}

/// Past the closing quote of the string whose opening quote is at `start`.
fn string_end(b: &[u8], start: usize) -> usize {
    let mut j = start + 1;
    loop {
        match memchr::memchr2(b'"', b'\\', &b[j.min(b.len())..]) {
            None => return b.len(),
            Some(p) if b[j + p] == b'"' => return j + p + 1,
            Some(p) => j += p + 2,
        }
    }
}

/// A key's text as JSON means it: borrowed unless it holds an escape.
fn decode(inner: &str) -> Cow<'_, str> {
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    match serde_json::from_str::<String>(&format!("\"{inner}\"")) {
        Ok(s) => Cow::Owned(s),
        Err(_) => Cow::Borrowed(inner),
    }
}

#[cfg(test)]
mod tests {
    use super::first_duplicate_key;

    #[test]
    fn a_key_twice_anywhere_is_found() {
        assert_eq!(first_duplicate_key(r#"{"a":1,"b":2}"#), None);
        assert_eq!(
            first_duplicate_key(r#"{"a":1,"a":2}"#).as_deref(),
            Some("a")
        );
        let nested = r#"{"requestParameters":{"policy":{"Effect":"Allow","Effect":"Deny"}}}"#;
        assert_eq!(first_duplicate_key(nested).as_deref(), Some("Effect"));
        let in_list = r#"{"resources":[{"ARN":"x"},{"ARN":"y","ARN":"z"}]}"#;
        assert_eq!(first_duplicate_key(in_list).as_deref(), Some("ARN"));
    }

    #[test]
    fn escapes_do_not_hide_a_duplicate() {
        assert_eq!(
            first_duplicate_key(r#"{"userName":"a","user\u004eame":"b"}"#).as_deref(),
            Some("userName")
        );
    }

    #[test]
    fn same_keys_in_sibling_objects_and_values_equal_to_keys_are_fine() {
        let ok = r#"{"a":{"k":1},"b":{"k":2},"c":["k","k"],"d":"d","e":{"x":"e\"","y":"\\"}}"#;
        assert_eq!(first_duplicate_key(ok), None);
        let many: String = (0..100).map(|i| format!("\"k{i}\":{i},")).collect();
        assert_eq!(first_duplicate_key(&format!("{{{many}\"z\":0}}")), None);
        assert_eq!(
            first_duplicate_key(&format!("{{{many}\"k7\":0}}")).as_deref(),
            Some("k7")
        );
    }
}

#[cfg(test)]
mod quick_tests {
    use super::{decoding_scan, first_duplicate_key};
    use proptest::prelude::*;

    /// JSON texts whose objects often give a key twice, spelled plainly or escaped, with
    /// strings full of quotes, backslashes and brackets, and sizes across 64-byte blocks.
    fn json() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            r#""a""#,
            r#""b""#,
            r#""\u0061""#,
            r#""ab""#,
            r#""a\"""#,
            r#""{""#,
            r#""eventName""#,
            r#""eventTime""#,
        ]);
        let leaf = prop_oneof![
            prop::sample::select(vec![
                r#""x""#,
                r#""\\""#,
                r#""\"}]""#,
                r#""[,{""#,
                "1",
                "true",
                "null",
                r#""""#,
            ])
            .prop_map(str::to_string),
            "[a-z]{0,70}".prop_map(|s| format!("\"{s}\"")),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                prop::collection::vec((key.clone(), inner), 0..6).prop_map(|pairs| {
                    let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                    format!("{{{}}}", body.join(","))
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn the_quick_scan_agrees_with_the_decoding_scan_on_any_json(text in json()) {
            prop_assume!(serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok());
            prop_assert_eq!(first_duplicate_key(&text), decoding_scan(&text), "{}", text);
            // With white space before keys (spaces are valid inside strings too).
            let spaced = text.replace(',', ",  ").replace('{', "{ ");
            prop_assert_eq!(first_duplicate_key(&spaced), decoding_scan(&spaced), "{}", spaced);
        }
    }

    /// The quick scan answers as the decoding scan does, whichever decides.
    #[test]
    fn the_quick_scan_agrees_with_the_decoding_scan() {
        let wide: String = (0..70).map(|i| format!("\"k{i}\":{i},")).collect();
        for json in [
            r#"{"a":1,"b":{"a":2,"c":[{"a":3},{"a":4,"a":5}]}}"#.to_string(),
            r#"{"a":"\"a\"","b":"\\","a\\":1,"c":["a","a"]}"#.to_string(),
            r#"{"a\u0062":1,"ab":2}"#.to_string(),
            r#"{"x":{"y":1},"x":{"y":1}}"#.to_string(),
            r#"{"":1,"":2}"#.to_string(),
            format!("{{{wide}\"k3\":0}}"),
            format!("{{\"n\":{{{wide}\"z\":0}},\"n\":1}}"),
            "{\"ключ\":1,\"ключ\":2}".to_string(),
        ] {
            assert_eq!(first_duplicate_key(&json), decoding_scan(&json), "{json}");
        }
    }
}
