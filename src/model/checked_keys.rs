//! A key given twice, caught while serde reads the record, not in a second pass over its bytes.
//!
//! `dup_keys` scans a record's text once more after serde has read it: a third of a headless
//! parse (BENCHMARKS.md). `Checked` wraps serde_json's deserializer instead: every object the
//! reading meets, the view's fields and everything it skips (unknown keys, `Loose` values that
//! turn out to be objects, lists), hands its keys to a `Keys` list as they are read, decoded
//! (`"a"` and `"\u0061"` are one key, as in `dup_keys`). A key seen twice fails the reading with
//! `TWICE`; the caller then names the key with `dup_keys::first_duplicate_key`, as before.
//!
//! Parts kept as raw text (`&RawValue`: `requestParameters`, `responseElements`) are not
//! looked into here: serde_json hands them over whole, and the caller scans them with
//! `dup_keys`. Nothing else escapes: skipped values are visited, not skipped unseen.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

/// The error's text when a key comes twice (its kind is `Category::Data`).
pub(crate) const TWICE: &str = "a key appears twice in one object";

/// Keys compared one by one up to this many in an object; past it, through a set (an object of
/// thousands of keys must not cost their square). A CloudTrail record has about twenty keys at
/// its top level: under this, so the common object never hashes a key.
const LINEAR_KEYS: usize = 48;

/// A deserializer that refuses a key given twice in any object it reads.
pub(crate) struct Checked<D>(pub(crate) D);

/// The keys of one object so far: each with a fingerprint of its length and its first and last
/// bytes, so the one-by-one comparison is mostly of integers (CloudTrail's keys share
/// prefixes, `eventTime` and `eventType`, rarely a length and both ends).
#[derive(Default)]
struct Keys<'de> {
    few: Vec<(u64, Cow<'de, str>)>,
    many: Option<HashSet<Cow<'de, str>, foldhash::fast::RandomState>>,
}

fn fingerprint(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let mut head = [0u8; 8];
    let mut tail = [0u8; 8];
    let n = bytes.len().min(8);
    head[..n].copy_from_slice(&bytes[..n]);
    tail[..n].copy_from_slice(&bytes[bytes.len() - n..]);
    u64::from_le_bytes(head) ^ u64::from_le_bytes(tail).rotate_left(29) ^ (bytes.len() as u64)
}

impl<'de> Keys<'de> {
    /// Room for a record's top level from the start: one allocation, not four growing ones.
    fn new() -> Self {
        Keys {
            few: Vec::with_capacity(24),
            many: None,
        }
    }

    /// False when `key` was there already.
    fn insert(&mut self, key: Cow<'de, str>) -> bool {
        if let Some(many) = self.many.as_mut() {
            return many.insert(key);
        }
        let print = fingerprint(&key);
        if self.few.iter().any(|(p, k)| *p == print && *k == key) {
            return false;
        }
        self.few.push((print, key));
        if self.few.len() > LINEAR_KEYS {
            self.many = Some(self.few.drain(..).map(|(_, k)| k).collect());
        }
        true
    }
}

macro_rules! forward_deserialize {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.0.$method(CheckedVisitor(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Checked<D> {
    type Error = D::Error;

    forward_deserialize!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier
    );

    /// Skipping would pass over the value unseen: it is read (and its objects checked) instead.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(CheckedVisitor(visitor))
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_unit_struct(name, CheckedVisitor(visitor))
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_newtype_struct(name, CheckedVisitor(visitor))
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, CheckedVisitor(visitor))
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_tuple_struct(name, len, CheckedVisitor(visitor))
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_struct(name, fields, CheckedVisitor(visitor))
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        // No view reads an enum; an enum's content would pass through `EnumAccess` unchecked,
        // so one that someday did would fail loudly here rather than skip the check.
        let _ = (name, variants, visitor);
        Err(de::Error::custom("enums are not read from records"))
    }
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// Passes every value on, wrapping what holds more values so their keys are checked too.
struct CheckedVisitor<V>(V);

macro_rules! forward_visit {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for CheckedVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }

    forward_visit!(
        visit_bool: bool,
        visit_i8: i8,
        visit_i16: i16,
        visit_i32: i32,
        visit_i64: i64,
        visit_i128: i128,
        visit_u8: u8,
        visit_u16: u16,
        visit_u32: u32,
        visit_u64: u64,
        visit_u128: u128,
        visit_f32: f32,
        visit_f64: f64,
        visit_char: char,
        visit_str: &str,
        visit_borrowed_str: &'de str,
        visit_string: String,
        visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8],
        visit_byte_buf: Vec<u8>
    );

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_none()
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.visit_some(Checked(d))
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.visit_newtype_struct(Checked(d))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(CheckedSeq(seq))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(CheckedMap {
            map,
            keys: Keys::new(),
        })
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        let _ = data;
        Err(de::Error::custom("enums are not read from records"))
    }
}

/// A value inside an object or a list: read through `Checked`.
struct CheckedSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for CheckedSeed<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Checked(d))
    }
}

struct CheckedSeq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for CheckedSeq<A> {
    type Error = A::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(CheckedSeed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct CheckedMap<'de, A> {
    map: A,
    keys: Keys<'de>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for CheckedMap<'de, A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.map.next_key_seed(KeySeed {
            seed,
            keys: &mut self.keys,
        })
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(CheckedSeed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A key: noted in its object's `Keys` as the reader decodes it, then handed on.
struct KeySeed<'k, 'de, S> {
    seed: S,
    keys: &'k mut Keys<'de>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, 'de, S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(KeyDeserializer {
            inner: d,
            keys: self.keys,
        })
    }
}

struct KeyDeserializer<'k, 'de, D> {
    inner: D,
    keys: &'k mut Keys<'de>,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for KeyDeserializer<'_, 'de, D> {
    type Error = D::Error;

    // JSON keys are strings: however the seed asks for one, it is read as a string and noted.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_str(KeyVisitor {
            visitor,
            keys: self.keys,
        })
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_any(visitor)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_any(visitor)
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_any(visitor)
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum
    }
}

struct KeyVisitor<'k, 'de, V> {
    visitor: V,
    keys: &'k mut Keys<'de>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVisitor<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.visitor.expecting(f)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        match self.keys.insert(Cow::Borrowed(v)) {
            true => self.visitor.visit_borrowed_str(v),
            false => Err(E::custom(TWICE)),
        }
    }
    // An escaped key, decoded into the reader's scratch: kept as its own copy.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        match self.keys.insert(Cow::Owned(v.to_owned())) {
            true => self.visitor.visit_str(v),
            false => Err(E::custom(TWICE)),
        }
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.visit_str(&v)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::dup_keys::first_duplicate_key;
    use crate::model::loose::{present, Loose};
    use proptest::prelude::*;
    use serde::de::IgnoredAny;
    use serde::Deserialize;

    /// Read through `Checked` into `T`: `Err` when a key comes twice.
    fn checked<'de, T: Deserialize<'de>>(json: &'de str) -> Result<T, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        let value = T::deserialize(Checked(&mut de))?;
        de.end()?;
        Ok(value)
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct View<'a> {
        #[serde(borrow, default, deserialize_with = "present")]
        a: Option<Loose<'a>>,
        #[serde(borrow, default)]
        nested: Option<Inner<'a>>,
        #[serde(default)]
        list: Vec<IgnoredAny>,
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner<'a> {
        #[serde(borrow, default, deserialize_with = "present")]
        b: Option<Loose<'a>>,
    }

    #[test]
    fn a_key_twice_anywhere_fails_the_reading() {
        for json in [
            r#"{"a":"1","a":"2"}"#,
            r#"{"x":1,"y":2,"x":3}"#,
            r#"{"nested":{"b":"1","c":{"d":1,"d":2}}}"#,
            r#"{"a":{"p":1,"p":2}}"#,
            r#"{"list":[{"q":1},{"r":1,"r":2}]}"#,
            r#"{"unknown":{"deep":[[{"s":1,"\u0073":2}]]}}"#,
        ] {
            let err = checked::<View>(json).expect_err(json);
            assert!(err.to_string().contains(TWICE), "{json}: {err}");
            assert!(first_duplicate_key(json).is_some(), "{json}");
        }
    }

    #[test]
    fn keys_apart_are_fine_and_values_read_as_without_the_check() {
        let json =
            r#"{"a":"x","nested":{"b":"y","a":"z"},"list":[{"a":1},{"a":2}],"u":{"a":{"a":1}}}"#;
        let view: View = checked(json).expect("no key twice");
        assert_eq!(view.a, Some(Loose::Text(Cow::Borrowed("x"))));
        assert_eq!(
            view.nested.and_then(|n| n.b),
            Some(Loose::Text(Cow::Borrowed("y")))
        );
        assert_eq!(view.list.len(), 2);
    }

    #[test]
    fn a_big_object_is_checked_through_a_set() {
        let keys: Vec<String> = (0..2000).map(|i| format!("\"k{i}\":{i}")).collect();
        let json = format!("{{{}}}", keys.join(","));
        assert!(checked::<IgnoredAny>(&json).is_ok());
        let json = format!("{{{},\"k1999\":0}}", keys.join(","));
        assert!(checked::<IgnoredAny>(&json).is_err());
    }

    #[test]
    fn keys_alike_at_both_ends_are_told_apart() {
        // Same length, same first and last eight bytes: one fingerprint, two keys.
        let a = "abcdefgh1234ijklmnop";
        let b = "abcdefgh5678ijklmnop";
        assert_eq!(fingerprint(a), fingerprint(b));
        let json = format!("{{\"{a}\":1,\"{b}\":2}}");
        assert!(checked::<IgnoredAny>(&json).is_ok());
        let json = format!("{{\"{a}\":1,\"{b}\":2,\"{a}\":3}}");
        assert!(checked::<IgnoredAny>(&json).is_err());
    }

    #[test]
    fn a_key_twice_is_caught_either_side_of_the_switch_to_a_set() {
        for n in LINEAR_KEYS - 2..LINEAR_KEYS + 3 {
            let keys: Vec<String> = (0..n).map(|i| format!("\"k{i}\":{i}")).collect();
            let json = format!("{{{}}}", keys.join(","));
            assert!(checked::<IgnoredAny>(&json).is_ok(), "{n} keys");
            for again in [0, n / 2, n - 1] {
                let json = format!("{{{},\"k{again}\":0}}", keys.join(","));
                assert!(
                    checked::<IgnoredAny>(&json).is_err(),
                    "{n} keys, k{again} twice"
                );
            }
        }
    }

    /// Objects of a few keys drawn from a small alphabet (so keys often repeat), nested.
    pub(crate) fn json_value() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            Just("\"a\"".to_string()),
            Just("\"b\"".to_string()),
            Just("\"\\u0061\"".to_string()),
            Just("\"c\"".to_string()),
        ];
        let leaf = prop_oneof![
            Just("1".to_string()),
            Just("\"s\"".to_string()),
            Just("null".to_string())
        ];
        leaf.prop_recursive(4, 32, 4, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                proptest::collection::vec((key.clone(), inner), 0..4).prop_map(|entries| {
                    let body: Vec<String> =
                        entries.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                    format!("{{{}}}", body.join(","))
                }),
            ]
        })
    }

    proptest! {
        /// The check in the reading agrees with the scan over the text, whatever the nesting.
        #[test]
        fn the_reading_agrees_with_the_scan(json in json_value()) {
            let scanned = first_duplicate_key(&json).is_some();
            let read = checked::<IgnoredAny>(&json).is_err();
            prop_assert_eq!(read, scanned, "{}", json);
            let loose = checked::<Loose>(&json).is_err();
            prop_assert_eq!(loose, scanned, "{}", json);
        }
    }
}
