//! Horizontal filters: `col=[not.]op.value`, `in` lists and `or=(…)`/`and=(…)` logic trees,
//! following PostgREST's grammar (`ApiRequest/QueryParams.hs`): a plain filter's value is the
//! rest of the parameter verbatim; inside lists and logic trees a value ends at `,` or `)`
//! unless it is double-quoted, where `\` escapes the next character.
use super::json_path::{split_field, JsonStep};
use super::lex::{err, ParseError};

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    Like,
    Ilike,
    Match,
    Imatch,
    IsDistinct,
    Cs,
    Cd,
    Ov,
    In(Vec<String>),
    /// `is.null|not_null|true|false|unknown`, kept as the SQL keyword to emit.
    Is(&'static str),
}

impl Op {
    /// The SQL operator of a binary comparison whose right side is a bound value.
    pub fn sql(&self) -> Option<&'static str> {
        Some(match self {
            Op::Eq => "=",
            Op::Neq => "<>",
            Op::Gt => ">",
            Op::Gte => ">=",
            Op::Lt => "<",
            Op::Lte => "<=",
            Op::Match => "~",
            Op::Imatch => "~*",
            Op::IsDistinct => "is distinct from",
            Op::Cs => "@>",
            Op::Cd => "<@",
            Op::Ov => "&&",
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub column: String,
    /// A JSON path into the column (`params->>key=eq.x`); empty for the column itself.
    pub path: Vec<JsonStep>,
    pub negate: bool,
    pub op: Op,
    /// The operand of scalar operators (always bound as a parameter).
    pub value: String,
}

/// A filter or a logic tree of them.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Filter(Filter),
    Tree { negate: bool, or: bool, items: Vec<Cond> },
}

/// A cursor over the characters of one parameter value.
struct Cur<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cur<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn eat(&mut self, t: &str) -> bool {
        let ok = self.rest().starts_with(t);
        if ok {
            self.i += t.len();
        }
        ok
    }
    fn expect(&mut self, t: &str) -> Result<(), String> {
        if self.eat(t) {
            Ok(())
        } else {
            Err(format!("unexpected {} expecting \"{t}\"", self.shown()))
        }
    }
    fn shown(&self) -> String {
        self.peek().map_or("end of input".into(), |c| format!("\"{c}\""))
    }
    /// Characters up to (not including) any of `stops`.
    fn until(&mut self, stops: &[char]) -> &'a str {
        let start = self.i;
        let len = self.rest().find(|c| stops.contains(&c)).unwrap_or(self.rest().len());
        self.i += len;
        &self.s[start..start + len]
    }
    /// `"…"` with `\` escapes; None (cursor unchanged) when not at a quote.
    fn quoted(&mut self) -> Result<Option<String>, String> {
        if self.peek() != Some('"') {
            return Ok(None);
        }
        let mut chars = self.rest().char_indices().skip(1);
        let mut out = String::new();
        while let Some((j, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e)) => out.push(e),
                    None => break,
                },
                '"' => {
                    self.i += j + 1;
                    return Ok(Some(out));
                }
                c => out.push(c),
            }
        }
        Err("unterminated quoted value".into())
    }
    /// One value inside a list or logic tree: quoted, `{…}` (a Postgres array) or bare.
    fn item(&mut self) -> Result<String, String> {
        if let Some(q) = self.quoted()? {
            return match self.peek() {
                None | Some(',') | Some(')') => Ok(q),
                _ => Err(format!("unexpected {} after a quoted value", self.shown())),
            };
        }
        if self.peek() == Some('{') {
            let body = self.until(&['}']);
            self.expect("}")?;
            return Ok(format!("{body}}}"));
        }
        Ok(self.until(&[',', ')']).to_string())
    }
    /// `(a,"b,c",d)`.
    fn list(&mut self) -> Result<Vec<String>, String> {
        self.expect("(")?;
        let mut items = vec![];
        if self.eat(")") {
            return Ok(items);
        }
        loop {
            items.push(self.item()?.trim().to_string());
            if self.eat(")") {
                return Ok(items);
            }
            self.expect(",")?;
        }
    }
}

/// `[not.]op.value` with the value read by `value` (verbatim at top level).
fn op_expr(c: &mut Cur, column: &str, in_tree: bool) -> Result<Filter, String> {
    let negate = c.eat("not.");
    let op_name = c.until(&['.', ',', ')', '(']);
    if !c.eat(".") {
        return Err(format!("unexpected {} expecting an operator followed by \".\"", c.shown()));
    }
    let scalar = |c: &mut Cur| -> Result<String, String> {
        if in_tree {
            c.item()
        } else {
            let v = c.rest().to_string();
            c.i = c.s.len();
            Ok(v)
        }
    };
    let (op, value) = match op_name {
        "in" => (Op::In(c.list()?), String::new()),
        "is" => {
            let v = if in_tree { c.until(&[',', ')']).to_string() } else { scalar(c)? };
            let kw = match v.to_ascii_lowercase().as_str() {
                "null" => "null",
                "not_null" => "not null",
                "true" => "true",
                "false" => "false",
                "unknown" => "unknown",
                _ => return Err("unexpected value expecting null, not_null, true, false or unknown".into()),
            };
            (Op::Is(kw), String::new())
        }
        name => {
            let op = match name {
                "eq" => Op::Eq,
                "neq" => Op::Neq,
                "gt" => Op::Gt,
                "gte" => Op::Gte,
                "lt" => Op::Lt,
                "lte" => Op::Lte,
                "like" => Op::Like,
                "ilike" => Op::Ilike,
                "match" => Op::Match,
                "imatch" => Op::Imatch,
                "isdistinct" => Op::IsDistinct,
                "cs" => Op::Cs,
                "cd" => Op::Cd,
                "ov" => Op::Ov,
                other => return Err(format!("unknown single value operator {other}")),
            };
            let v = scalar(c)?;
            let v = if matches!(op, Op::Like | Op::Ilike) { v.replace('*', "%") } else { v };
            (op, v)
        }
    };
    let (column, path) = split_field(column)?;
    Ok(Filter { column: column.to_string(), path, negate, op, value })
}

pub fn parse_filter(column: &str, raw: &str) -> Result<Filter, ParseError> {
    let mut c = Cur { s: raw, i: 0 };
    let f = op_expr(&mut c, column, false).map_err(|d| err(format!("failed to parse filter ({raw})"), d))?;
    if !c.rest().is_empty() {
        return Err(err(
            format!("failed to parse filter ({raw})"),
            format!("unexpected {} expecting end of input", c.shown()),
        ));
    }
    Ok(f)
}

/// One element of a logic tree: `[not.]and(…)`, `[not.]or(…)` or `field.[not.]op.value`.
fn tree(c: &mut Cur, depth: usize) -> Result<Cond, String> {
    if depth > 16 {
        return Err("logic trees nest at most 16 levels".into());
    }
    let start = c.i;
    let negate = c.eat("not.");
    for (word, or) in [("and(", false), ("or(", true)] {
        if c.rest().starts_with(word) {
            c.i += word.len() - 1;
            return group(c, negate, or, depth);
        }
    }
    c.i = start;
    let field = match c.quoted()? {
        Some(q) => q,
        None => c.until(&['.', ',', '(', ')']).to_string(),
    };
    if field.is_empty() {
        return Err(format!(
            "unexpected {} expecting field name, negation operator (not) or logic operator (and, or)",
            c.shown()
        ));
    }
    c.expect(".")?;
    op_expr(c, &field, true).map(Cond::Filter)
}

fn group(c: &mut Cur, negate: bool, or: bool, depth: usize) -> Result<Cond, String> {
    c.expect("(")?;
    let mut items = vec![tree(c, depth + 1)?];
    while c.eat(",") {
        items.push(tree(c, depth + 1)?);
    }
    c.expect(")")?;
    Ok(Cond::Tree { negate, or, items })
}

/// `or=(…)`, `and=(…)`, `not.or=(…)`, `not.and=(…)`: `key` is the parameter name.
pub fn parse_logic(key: &str, raw: &str) -> Result<Cond, ParseError> {
    let text = format!("{key}{raw}");
    let fail = |d: String| err(format!("failed to parse logic tree ({raw})"), d);
    let negate = key.starts_with("not.");
    let mut c = Cur { s: &text, i: key.len() };
    let cond = group(&mut c, negate, key.ends_with("or"), 0).map_err(fail)?;
    if !c.rest().is_empty() {
        return Err(fail(format!("unexpected {} expecting end of input", c.shown())));
    }
    Ok(cond)
}
