//! `select=` (<https://docs.postgrest.org/en/v12/references/api/tables_views.html>): columns with a JSON path, `alias:` and `::cast`, `*`, and one
//! level of embedding `[alias:]table[!hint][!inner|!left](…)`.
use super::json_path::{split_field, JsonStep};
use super::lex::{err, is_name, split_top, ParseError};

#[derive(Debug, Clone, PartialEq)]
pub enum SelectItem {
    Star,
    /// A column, or a value inside a JSON column when `path` is not empty.
    Column {
        name: String,
        path: Vec<JsonStep>,
        alias: Option<String>,
        cast: Option<String>,
    },
    Embed(Embed),
}

/// A related table to embed through a foreign key.
#[derive(Debug, Clone, PartialEq)]
pub struct Embed {
    /// The related table (or a foreign key / column name used as hint-less target).
    pub name: String,
    pub alias: Option<String>,
    /// `!fk_name` or `!column`: picks one relationship when several exist.
    pub hint: Option<String>,
    /// `!inner`: parent rows without a matching embedded row are dropped.
    pub inner: bool,
    pub select: Vec<SelectItem>,
}

impl Embed {
    /// The key the embed has in the output object.
    pub fn key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

pub fn parse_select(raw: &str) -> Result<Vec<SelectItem>, ParseError> {
    let fail = |d: String| err(format!("failed to parse select parameter ({raw})"), d);
    items(raw, 0).map_err(fail)
}

fn items(raw: &str, depth: usize) -> Result<Vec<SelectItem>, String> {
    if raw.trim().is_empty() && depth > 0 {
        return Ok(vec![]);
    }
    split_top(raw).into_iter().map(|part| item(part.trim(), depth)).collect()
}

fn item(part: &str, depth: usize) -> Result<SelectItem, String> {
    if part == "*" {
        return Ok(SelectItem::Star);
    }
    if part.starts_with("...") {
        return Err("spread embeds (...) are not supported by supabase-local".into());
    }
    let (alias, rest) = match part.split_once(':') {
        Some((a, r)) if !r.starts_with(':') && !a.contains('(') => (Some(a.to_string()), r),
        _ => (None, part),
    };
    if alias.as_deref().is_some_and(|a| !is_name(a)) {
        return Err(format!("unexpected alias in \"{part}\""));
    }
    if let Some(open) = rest.find('(') {
        if depth > 0 {
            return Err("supabase-local embeds one level deep only".into());
        }
        let inner =
            rest[open + 1..].strip_suffix(')').ok_or_else(|| format!("unexpected \"{part}\" expecting \")\""))?;
        let mut words = rest[..open].split('!');
        let name = words.next().unwrap_or_default().to_string();
        if !is_name(&name) {
            return Err(format!("unexpected embed \"{part}\""));
        }
        let mut e = Embed { name, alias, hint: None, inner: false, select: items(inner, depth + 1)? };
        for w in words {
            match w {
                "inner" => e.inner = true,
                "left" => e.inner = false,
                h if is_name(h) && e.hint.is_none() => e.hint = Some(h.to_string()),
                h => return Err(format!("unexpected embed parameter \"!{h}\"")),
            }
        }
        return Ok(SelectItem::Embed(e));
    }
    let (name, cast) = match rest.split_once("::") {
        Some((n, c)) => (n, Some(c.to_string())),
        None => (rest, None),
    };
    let (name, path) = split_field(name)?;
    if !is_name(name) || name.contains('!') {
        return Err(format!("unexpected select item \"{part}\""));
    }
    if cast.as_deref().is_some_and(|c| c.is_empty() || !c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')) {
        return Err("a cast must be a plain type name".into());
    }
    Ok(SelectItem::Column { name: name.to_string(), path, alias, cast })
}
