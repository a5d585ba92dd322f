//! The built-in pack's TOML, parsed at build time (`build.rs`) into a compact tree, and a
//! serde deserializer that reads the strict serde types straight from it. Parsing the TOML
//! text was most of the work of starting the program; walking the tree is a small part of
//! it, and gives the same values with the same positions, so every later check is unchanged.
//!
//! The tree: each value is a node, `[tag: u8][start: u32][end: u32][length: u32][payload]`,
//! numbers little-endian, `start..end` the value's bytes in the file's text, `length` the
//! payload's. Payloads: a string's or datetime's UTF-8 bytes, or, for a string that stands
//! unchanged in the text (most: no escapes), `[offset: u32][length: u32]` of it there; an
//! integer as i64; a float as f64; a boolean as one byte; an array as `[count: u32]` and its
//! nodes; a table as `[count: u32]` and, per entry, `[key length: u32][key]` and the value's
//! node. The file's root is a table node.
//!
//! Anything the tree cannot answer is an error, after which loading parses the text itself:
//! the tree only ever makes loading quicker, never different.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde_spanned::de::{SpannedDeserializer, is_spanned};

mod tags;
use tags::{ARRAY, BOOLEAN, DATETIME, FLOAT, INTEGER, STRING, STRING_IN_TEXT, TABLE};

/// Size of a node's header: tag, start, end, length.
const HEADER: usize = 13;

/// Reads a `T` from a file's tree and its text.
pub fn from_tree<T: DeserializeOwned>(tree: &[u8], text: &str) -> Result<T, Error> {
    let (root, _) = Node::split(tree, text)?;
    T::deserialize(root)
}

/// Why a tree could not give the value asked for; never shown, since the text is parsed then.
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Self(message.to_string())
    }
}

fn truncated() -> Error {
    Error("the tree ends early".to_owned())
}

fn u32_at(bytes: &[u8], at: usize) -> Result<usize, Error> {
    let four = bytes.get(at..at + 4).ok_or_else(truncated)?;
    Ok(u32::from_le_bytes(four.try_into().map_err(|_| truncated())?) as usize)
}

/// One value of the tree: its tag, span and payload.
#[derive(Clone, Copy)]
struct Node<'de> {
    tag: u8,
    start: usize,
    end: usize,
    payload: &'de [u8],
    /// The file's text, which spans and strings in it point into.
    source: &'de str,
}

impl<'de> Node<'de> {
    /// The node at the start of `bytes`, and what follows it.
    fn split(bytes: &'de [u8], source: &'de str) -> Result<(Self, &'de [u8]), Error> {
        let tag = *bytes.first().ok_or_else(truncated)?;
        let (start, end, length) = (u32_at(bytes, 1)?, u32_at(bytes, 5)?, u32_at(bytes, 9)?);
        let payload = bytes.get(HEADER..HEADER + length).ok_or_else(truncated)?;
        Ok((Self { tag, start, end, payload, source }, &bytes[HEADER + length..]))
    }

    fn text(&self) -> Result<&'de str, Error> {
        if self.tag == STRING_IN_TEXT {
            let (at, length) = (u32_at(self.payload, 0)?, u32_at(self.payload, 4)?);
            return self.source.get(at..at + length).ok_or_else(truncated);
        }
        std::str::from_utf8(self.payload).map_err(de::Error::custom)
    }

    fn eight(&self) -> Result<[u8; 8], Error> {
        self.payload.try_into().map_err(|_| truncated())
    }

    /// The count of an array's or table's items, and their bytes.
    fn items(&self) -> Result<Items<'de>, Error> {
        Ok(Items { left: u32_at(self.payload, 0)?, rest: &self.payload[4..], source: self.source })
    }
}

/// The items of an array or the entries of a table, read in order.
struct Items<'de> {
    left: usize,
    rest: &'de [u8],
    source: &'de str,
}

impl<'de> Items<'de> {
    fn next_node(&mut self) -> Result<Node<'de>, Error> {
        let (node, rest) = Node::split(self.rest, self.source)?;
        self.rest = rest;
        self.left -= 1;
        Ok(node)
    }
}

impl<'de> de::SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        seed.deserialize(self.next_node()?).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::MapAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        let length = u32_at(self.rest, 0)?;
        let key = self.rest.get(4..4 + length).ok_or_else(truncated)?;
        self.rest = &self.rest[4 + length..];
        let key = std::str::from_utf8(key).map_err(de::Error::custom)?;
        seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(self.next_node()?)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> IntoDeserializer<'de, Error> for Node<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Node<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.tag {
            STRING | STRING_IN_TEXT | DATETIME => visitor.visit_borrowed_str(self.text()?),
            INTEGER => visitor.visit_i64(i64::from_le_bytes(self.eight()?)),
            FLOAT => visitor.visit_f64(f64::from_le_bytes(self.eight()?)),
            BOOLEAN => visitor.visit_bool(self.payload.first() == Some(&1)),
            ARRAY => visitor.visit_seq(self.items()?),
            TABLE => visitor.visit_map(self.items()?),
            tag => Err(Error(format!("unknown tag {tag}"))),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // `toml::Spanned` asks for its value's position under this name, as from toml's own
        // deserializer.
        if is_spanned(name) {
            return visitor.visit_map(SpannedDeserializer::new(self, self.start..self.end));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // A field that is absent never gets here: a node is always a value.
        visitor.visit_some(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Course files name their kinds and tones as strings.
        if !matches!(self.tag, STRING | STRING_IN_TEXT) {
            return Err(Error("an enum that is not a string".to_owned()));
        }
        visitor.visit_enum(BorrowedStrDeserializer::new(self.text()?))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier
    }
}

#[cfg(test)]
mod tests;
