//! Lenient field values. Real trails (and exports of them) put numbers where strings belong,
//! `null` where a value is unknown and objects where a string was expected; none of that may
//! reject the record. A `Loose` keeps scalars as text and turns anything else into `Other`.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Loose<'a> {
    Text(Cow<'a, str>),
    Null,
    /// An object or array where a scalar was expected: present, but not usable as text.
    Other,
}

impl<'a> Loose<'a> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Loose::Text(t) => Some(t),
            _ => None,
        }
    }

    /// CloudTrail booleans arrive as `true` or, in LookupEvents wrappers, as `"true"`.
    pub fn as_bool(&self) -> Option<bool> {
        match self.as_str()? {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }
}

/// For `#[serde(default, deserialize_with = "present")]`: a key that is there but `null`
/// still counts as present, which is how a record with every field null is recognised.
pub fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Loose<'de>>, D::Error> {
    Loose::deserialize(d).map(Some)
}

/// Text of a possibly-absent field.
pub fn text<'x>(field: &'x Option<Loose<'_>>) -> Option<&'x str> {
    field.as_ref().and_then(Loose::as_str)
}

impl<'de> Deserialize<'de> for Loose<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Loose::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Loose::Text(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Loose::Text(Cow::Owned(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Loose::Text(Cow::Borrowed(if v { "true" } else { "false" })))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Loose::Text(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Loose::Text(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Loose::Text(Cow::Owned(v.to_string())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Loose::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Loose::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Loose::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Probe<'a> {
        #[serde(default, borrow, deserialize_with = "present")]
        a: Option<Loose<'a>>,
    }

    fn probe(json: &str) -> Option<Loose<'_>> {
        serde_json::from_str::<Probe>(json).expect("probe parses").a
    }

    #[test]
    fn every_json_kind_is_accepted() {
        assert_eq!(probe(r#"{"a":"x"}"#), Some(Loose::Text(Cow::Borrowed("x"))));
        assert_eq!(
            probe(r#"{"a":12}"#).and_then(|l| l.as_str().map(String::from)),
            Some("12".into())
        );
        assert_eq!(probe(r#"{"a":true}"#).and_then(|l| l.as_bool()), Some(true));
        assert_eq!(
            probe(r#"{"a":"false"}"#).and_then(|l| l.as_bool()),
            Some(false)
        );
        assert_eq!(probe(r#"{"a":null}"#), Some(Loose::Null));
        assert_eq!(probe(r#"{"a":{"b":[1]}}"#), Some(Loose::Other));
        assert_eq!(probe(r#"{}"#), None);
    }
}
