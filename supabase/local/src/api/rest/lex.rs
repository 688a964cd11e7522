//! The lexical pieces every query-string parser shares (`parse`, `filter`, `select`): the
//! PGRST100 error, top-level comma splitting and plain names. Its own module so the parsers
//! depend on it, not on each other.
use crate::api::error::ApiError;

/// A PGRST100 error: message and details as PostgREST words them.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub details: String,
}

pub fn err(message: String, details: impl Into<String>) -> ParseError {
    ParseError { message, details: details.into() }
}

/// Splits on commas outside double quotes and parentheses.
pub fn split_top(s: &str) -> Vec<String> {
    let (mut parts, mut cur, mut depth, mut quoted, mut escaped) = (vec![], String::new(), 0i32, false, false);
    for c in s.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts
}

/// A name as a parameter key or select item may spell it: no grammar characters.
pub fn is_name(s: &str) -> bool {
    !s.is_empty() && !s.contains([',', '.', ':', '(', ')', '!', '"'])
}

impl From<ParseError> for ApiError {
    fn from(e: ParseError) -> Self {
        ApiError::rest(400, "PGRST100", e.message, Some(e.details))
    }
}
