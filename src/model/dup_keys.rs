//! A key given twice in one JSON object. JSON readers disagree on which copy wins (serde keeps
//! the last, others the first), so a forged record can show a responder one `userName` and a
//! SIEM another. One rule, wherever in the record it happens: the record is refused with a
//! warning naming the key. A single pass over the bytes, strings skipped with memchr, as
//! `compact` does; keys compared as JSON means them, escapes decoded (`"a"` and `"\u0061"` are
//! one key).

use std::borrow::Cow;

/// Keys compared one by one up to this many per object; past it, through a set.
const LINEAR_KEYS: usize = 16;

/// The first key that appears twice in one object of `json` (already validated JSON).
pub fn first_duplicate_key(json: &str) -> Option<String> {
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
