//! JSON text into request types, naming the bad field: a wrong, missing or unknown field, or a
//! control character in any text, is a `422` whose `errors[].field` is its JSON path
//! (`items[3].name`). The body extractors of `extract` use it, and so does a sync batch for each
//! of its items, so that one bad item is refused alone.

use crate::error::ApiError;
use serde::de::DeserializeOwned;
use serde_json::Value;
use shared::error::FieldError;
use shared::text::has_control_character;

/// Deserialises `bytes`, reporting a wrong, missing or unknown field, or a control character in
/// any text, by its JSON path.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value = parse_value(bytes)?;
    if let Some(field) = control_character_in(&value, "") {
        return Err(ApiError::field(
            if field.is_empty() { "body" } else { &field },
            "control_character",
            "must not contain control characters (such as NUL)",
        ));
    }
    from_value(value)
}

pub(crate) fn parse_value(bytes: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(bytes).map_err(|inner| ApiError::BadRequest {
        code: "malformed_json",
        detail: format!("the body is not valid JSON: {inner}"),
    })
}

/// The path of the first string (or key) under `value` holding a control character other than
/// a line break or a tab.
fn control_character_in(value: &Value, path: &str) -> Option<String> {
    match value {
        Value::String(s) => has_control_character(s, true).then(|| path.to_string()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| control_character_in(item, &format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let inner = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if has_control_character(key, false) {
                Some(if path.is_empty() {
                    "body".into()
                } else {
                    path.to_string()
                })
            } else {
                control_character_in(item, &inner)
            }
        }),
        _ => None,
    }
}

/// Deserialises a parsed body into `T`, naming the first bad field, or every field `T` does not
/// have.
pub(crate) fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    let mut unknown = Vec::new();
    let mut note = |path: serde_ignored::Path<'_>| unknown.push(render(&path));
    let ignoring = serde_ignored::Deserializer::new(value, &mut note);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(ignoring);
    let value = parsed.map_err(|err| {
        let path = err.path().to_string();
        field_error(path, &err.into_inner().to_string())
    })?;
    if unknown.is_empty() {
        return Ok(value);
    }
    Err(ApiError::Validation(
        unknown
            .into_iter()
            .map(|field| FieldError {
                field,
                code: "unknown_field".into(),
                message: "is not a field of this request".into(),
            })
            .collect(),
    ))
}

/// The path of an ignored value, as `errors[].field` spells paths (`items[3].name`).
fn render(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", render(parent)),
        Path::Map { parent, key } => match render(parent) {
            p if p.is_empty() => key.clone(),
            p => format!("{p}.{key}"),
        },
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => render(parent),
    }
}

/// A deserialisation error at `path` (`.` for the root), naming the field.
pub(crate) fn field_error(path: String, message: &str) -> ApiError {
    let message = strip_position(message);
    // A missing field is reported at its parent's path; name the field itself.
    let field = match missing_field(&message) {
        Some(name) if path == "." => name.to_string(),
        Some(name) => format!("{path}.{name}"),
        None => path,
    };
    ApiError::field(
        if field == "." || field.is_empty() {
            "body"
        } else {
            &field
        },
        if missing_field(&message).is_some() {
            "required"
        } else {
            "invalid_type"
        },
        message,
    )
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}
