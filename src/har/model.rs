//! The parts of a HAR 1.2 entry we read, tolerant of every exporter's quirks:
//! any field may be missing or `null`, numbers may be strings, extra
//! `_`-prefixed fields are ignored, `postData` may carry `params` instead of
//! `text`. Bodies borrow from the entry's bytes where they can, so a large
//! base64 image is not copied.

use crate::json::Node;
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

/// `null` or missing becomes the default; anything else must parse.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A number that some exporters write as a string, or not at all.
fn lenient_number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(match Node::deserialize(d)? {
        Node::Num(n) => n.as_f64().unwrap_or(0.0),
        Node::Str(s) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    })
}

/// A number as JSON writes it. (Not `to_string`: `Display` for floats pulls
/// about 14 KB of formatting code into the WASM module; the JSON writer's
/// shortest-float code is there anyway.)
fn number_text(n: &serde_json::Number) -> String {
    serde_json::to_string(n).unwrap_or_default()
}

/// A short string that might arrive as a number, a boolean or null.
fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Node::deserialize(d)? {
        Node::Str(s) => s,
        Node::Num(n) => number_text(&n),
        Node::Bool(b) => b.to_string(),
        _ => String::new(),
    })
}

/// A list of name/value pairs; a malformed list is read as far as it makes sense.
fn lenient_pairs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NameValue>, D::Error> {
    let text = |v: Option<&Node>| match v {
        Some(Node::Str(s)) => s.clone(),
        Some(Node::Num(n)) => number_text(n),
        _ => String::new(),
    };
    Ok(match Node::deserialize(d)? {
        Node::Arr(items) => items
            .iter()
            .filter(|i| matches!(i, Node::Obj(_)))
            .map(|o| NameValue {
                name: text(o.get("name")),
                value: text(o.get("value")),
            })
            .collect(),
        _ => Vec::new(),
    })
}

/// A body: borrowed when it has no escapes, owned otherwise, empty when absent.
fn body<'de, D: Deserializer<'de>>(d: D) -> Result<Cow<'de, str>, D::Error> {
    Ok(Option::<Cow<'de, str>>::deserialize(d)
        .ok()
        .flatten()
        .unwrap_or_default())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Entry<'a> {
    #[serde(deserialize_with = "lenient_string")]
    pub started_date_time: String,
    #[serde(deserialize_with = "lenient_number")]
    pub time: f64,
    #[serde(borrow, deserialize_with = "nullable")]
    pub request: Request<'a>,
    #[serde(borrow, deserialize_with = "nullable")]
    pub response: Response<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Request<'a> {
    #[serde(deserialize_with = "lenient_string")]
    pub method: String,
    #[serde(deserialize_with = "lenient_string")]
    pub url: String,
    #[serde(deserialize_with = "lenient_pairs")]
    pub headers: Vec<NameValue>,
    #[serde(borrow, deserialize_with = "nullable")]
    pub post_data: PostData<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Response<'a> {
    #[serde(deserialize_with = "lenient_number")]
    pub status: f64,
    #[serde(deserialize_with = "lenient_pairs")]
    pub headers: Vec<NameValue>,
    #[serde(borrow, deserialize_with = "nullable")]
    pub content: Content<'a>,
    #[serde(rename = "redirectURL", deserialize_with = "lenient_string")]
    pub redirect_url: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Content<'a> {
    #[serde(deserialize_with = "lenient_string")]
    pub mime_type: String,
    #[serde(borrow, deserialize_with = "body")]
    pub text: Cow<'a, str>,
    #[serde(deserialize_with = "lenient_string")]
    pub encoding: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PostData<'a> {
    #[serde(deserialize_with = "lenient_string")]
    pub mime_type: String,
    #[serde(borrow, deserialize_with = "body")]
    pub text: Cow<'a, str>,
    #[serde(deserialize_with = "lenient_pairs")]
    pub params: Vec<NameValue>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct NameValue {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Creator {
    #[serde(deserialize_with = "lenient_string")]
    pub name: String,
    #[serde(deserialize_with = "lenient_string")]
    pub version: String,
}
