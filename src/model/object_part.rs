//! A nested part of a record (`userIdentity`, its `sessionContext`, `additionalEventData`)
//! read in the record's own pass rather than cut out whole and read again: each nested reading
//! was another pass over the same bytes, a sixth of a parse for `userIdentity` alone.
//!
//! The part may be any JSON value in a forged or mangled file. An object is read into its
//! view; anything else is kept as what it was, so the caller decides: `userIdentity` as a
//! string makes the principal unreadable (and says so), a `sessionContext` list is ignored.
//! Duplicate keys inside are not judged here: the whole record's scan refuses it
//! (`dup_keys`), and the derived view would fail the record's reading anyway.

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

/// What a nested part turned out to be. `null` is absent: read it as `Option<ObjectPart<T>>`.
#[derive(Debug)]
pub(crate) enum ObjectPart<T> {
    Object(T),
    /// A scalar or a list where an object belongs: what it was, for a warning.
    Not(&'static str),
}

impl<T> ObjectPart<T> {
    /// The object's view, if it was one.
    pub(crate) fn object(self) -> Option<T> {
        match self {
            ObjectPart::Object(view) => Some(view),
            ObjectPart::Not(_) => None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectPart<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PartVisitor(PhantomData))
    }
}

struct PartVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for PartVisitor<T> {
    type Value = ObjectPart<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(ObjectPart::Object)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ObjectPart::Not("a list"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(ObjectPart::Not("a string"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(ObjectPart::Not("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(ObjectPart::Not("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(ObjectPart::Not("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(ObjectPart::Not("a number"))
    }
    // `null` reaches here only outside an `Option`; it is as absent there as anywhere.
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(ObjectPart::Not("null"))
    }
}

/// A list of objects (`resources`) read in the record's pass: its objects, in order; any
/// other element is passed over, and anything but a list reads as no list.
#[derive(Debug)]
pub(crate) struct ObjectList<T>(pub(crate) Vec<T>);

impl<T> Default for ObjectList<T> {
    fn default() -> Self {
        ObjectList(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectList<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = ObjectList<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut list = Vec::new();
        while let Some(part) = seq.next_element::<ObjectPart<T>>()? {
            list.extend(part.object());
        }
        Ok(ObjectList(list))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(ObjectList::default())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(ObjectList::default())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(ObjectList::default())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(ObjectList::default())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(ObjectList::default())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(ObjectList::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(ObjectList::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::loose::{present, text, Loose};

    #[derive(Deserialize, Default, Debug)]
    #[serde(default)]
    struct Inner<'a> {
        #[serde(borrow, deserialize_with = "present")]
        a: Option<Loose<'a>>,
    }

    #[derive(Deserialize, Debug)]
    struct Outer<'a> {
        #[serde(borrow, default)]
        part: Option<ObjectPart<Inner<'a>>>,
        #[serde(borrow, default, deserialize_with = "present")]
        after: Option<Loose<'a>>,
    }

    fn read(json: &str) -> Outer<'_> {
        serde_json::from_str(json).expect("reads")
    }

    #[test]
    fn an_object_is_read_in_place_and_the_reading_goes_on_after_it() {
        let outer = read(r#"{"part":{"a":"x","b":{"c":[1,2]}},"after":"y"}"#);
        let inner = outer.part.and_then(ObjectPart::object).expect("an object");
        assert_eq!(text(&inner.a), Some("x"));
        assert_eq!(text(&outer.after), Some("y"));
    }

    #[test]
    fn anything_else_is_named_and_the_rest_still_read() {
        for (json, what) in [
            (r#"{"part":"AIDA","after":"y"}"#, "a string"),
            (r#"{"part":[{"a":"x"}],"after":"y"}"#, "a list"),
            (r#"{"part":7,"after":"y"}"#, "a number"),
            (r#"{"part":-7.5,"after":"y"}"#, "a number"),
            (r#"{"part":true,"after":"y"}"#, "a boolean"),
        ] {
            let outer = read(json);
            assert!(
                matches!(outer.part, Some(ObjectPart::Not(w)) if w == what),
                "{json}: {:?}",
                outer.part
            );
            assert_eq!(text(&outer.after), Some("y"), "{json}");
        }
        assert!(read(r#"{"part":null,"after":"y"}"#).part.is_none());
    }

    #[derive(Deserialize, Debug)]
    struct Listing<'a> {
        #[serde(borrow, default)]
        list: ObjectList<Inner<'a>>,
        #[serde(borrow, default, deserialize_with = "present")]
        after: Option<Loose<'a>>,
    }

    #[test]
    fn a_list_keeps_its_objects_in_order_and_passes_over_the_rest() {
        let listing: Listing = serde_json::from_str(
            r#"{"list":[{"a":"1"},"x",[{"a":"no"}],null,{"a":"2"},{}],"after":"y"}"#,
        )
        .expect("reads");
        let read: Vec<Option<&str>> = listing.list.0.iter().map(|i| text(&i.a)).collect();
        assert_eq!(read, [Some("1"), Some("2"), None]);
        assert_eq!(text(&listing.after), Some("y"));
        for json in [
            r#"{"list":{"a":"1"}}"#,
            r#"{"list":"x"}"#,
            r#"{"list":null}"#,
        ] {
            let listing: Listing = serde_json::from_str(json).expect("reads");
            assert!(listing.list.0.is_empty(), "{json}");
        }
    }

    #[test]
    fn a_key_twice_inside_fails_the_reading_as_the_record_scan_would() {
        assert!(serde_json::from_str::<Outer>(r#"{"part":{"a":"x","a":"y"}}"#).is_err());
    }
}
