//! Helpers of the schema: "a scalar or a table" without serde's untagged
//! enums, and the parameters of one family out of a flat table.

/// Deserialises "a scalar or a table" without serde's untagged enums, whose
/// errors hide what was wrong inside the table.
macro_rules! scalar_or_table {
    ($spec:ident, $expecting:literal, $scalar:ident($ty:ty) => $variant:ident, table => $table_variant:ident($table:ty)) => {
        impl<'de> Deserialize<'de> for $spec {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$spec, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = $spec;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    scalar_or_table!(@scalar $scalar, $ty, $spec, $variant);
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<$spec, A::Error> {
                        <$table>::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map($spec::$table_variant)
                    }
                }
                deserializer.deserialize_any(Visitor)
            }
        }
    };
    (@scalar number, $ty:ty, $spec:ident, $variant:ident) => {
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<$spec, E> {
            Ok($spec::$variant(v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<$spec, E> {
            Ok($spec::$variant(v as f64))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<$spec, E> {
            Ok($spec::$variant(v as f64))
        }
    };
    (@scalar string, $ty:ty, $spec:ident, $variant:ident) => {
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$spec, E> {
            Ok($spec::$variant(v.to_owned()))
        }
    };
}

pub(super) use scalar_or_table;

use crate::error::{Error, Result};

/// Takes the parameters a family needs from a flat table of optional keys,
/// rejecting keys that belong to other families.
pub(super) struct Params<'a> {
    pub(super) family_key: &'static str,
    pub(super) family: &'a str,
    pub(super) present: Vec<&'static str>,
}

impl Params<'_> {
    pub(super) fn require<T>(&self, key: &'static str, value: Option<T>) -> Result<T> {
        value.ok_or_else(|| Error::Parse {
            field: key.to_owned(),
            message: format!("missing: {} = {:?} needs `{key}`", self.family_key, self.family),
        })
    }

    /// Errors on any present key outside `allowed`.
    pub(super) fn only(&self, allowed: &[&str]) -> Result<()> {
        match self.present.iter().find(|k| !allowed.contains(k)) {
            None => Ok(()),
            Some(extra) => Err(Error::Parse {
                field: (*extra).to_owned(),
                message: format!(
                    "not a parameter of {} = {:?}; expected {}",
                    self.family_key,
                    self.family,
                    allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                ),
            }),
        }
    }
}

pub(super) fn present<const N: usize>(keys: [(&'static str, bool); N]) -> Vec<&'static str> {
    keys.into_iter().filter(|(_, p)| *p).map(|(k, _)| k).collect()
}
