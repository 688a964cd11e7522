//! JSON paths on a column (`params->a->>b`, `tags->0`), in `select=` items and filter keys,
//! following PostgREST's grammar (https://postgrest.org/en/v12/references/api/tables_views.html#json-columns):
//! `->` keeps JSON, `->>` gives text; an operand is a key or an integer array index.

/// One operand: an object key or an array index (negative counts from the end).
#[derive(Debug, Clone, PartialEq)]
pub enum JsonOperand {
    Key(String),
    Index(i64),
}

/// One `->` (as_text false) or `->>` (as_text true) step.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonStep {
    pub as_text: bool,
    pub operand: JsonOperand,
}

/// Splits `column->a->>b` into the column name and its path (empty for a plain column).
pub fn split_field(raw: &str) -> Result<(&str, Vec<JsonStep>), String> {
    let Some(start) = raw.find("->") else {
        return Ok((raw, vec![]));
    };
    let (name, mut rest) = raw.split_at(start);
    let mut path = vec![];
    while !rest.is_empty() {
        let (as_text, after) = if let Some(r) = rest.strip_prefix("->>") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix("->") {
            (false, r)
        } else {
            return Err(format!("unexpected \"{rest}\" expecting \"->\" or \"->>\""));
        };
        let end = after.find("->").unwrap_or(after.len());
        let operand = after[..end].trim();
        if operand.is_empty() || operand.contains(['(', ')', ',', '.', ':', '>', '"']) {
            return Err(format!("unexpected JSON key \"{operand}\" in \"{raw}\""));
        }
        let is_index = operand.strip_prefix('-').unwrap_or(operand).bytes().all(|b| b.is_ascii_digit());
        let operand = match operand.parse::<i64>() {
            Ok(i) if is_index => JsonOperand::Index(i),
            _ => JsonOperand::Key(operand.to_string()),
        };
        path.push(JsonStep { as_text, operand });
        rest = &after[end..];
    }
    Ok((name, path))
}

/// The output key PostgREST gives an unaliased path: its last key, else the column name.
pub fn default_key<'a>(column: &'a str, path: &'a [JsonStep]) -> &'a str {
    match path.last().map(|s| &s.operand) {
        None => column,
        Some(JsonOperand::Key(k)) => k,
        Some(JsonOperand::Index(_)) => path
            .iter()
            .rev()
            .find_map(|s| match &s.operand {
                JsonOperand::Key(k) => Some(k.as_str()),
                JsonOperand::Index(_) => None,
            })
            .unwrap_or(column),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_keys_and_indexes() {
        let (name, path) = split_field("params->a->>b").unwrap();
        assert_eq!(name, "params");
        assert_eq!(
            path,
            vec![
                JsonStep { as_text: false, operand: JsonOperand::Key("a".into()) },
                JsonStep { as_text: true, operand: JsonOperand::Key("b".into()) },
            ]
        );
        let (_, path) = split_field("tags->-1").unwrap();
        assert_eq!(path[0].operand, JsonOperand::Index(-1));
        assert_eq!(split_field("plain").unwrap(), ("plain", vec![]));
        assert_eq!(split_field("params->aspect-ratio").unwrap().1[0].operand, JsonOperand::Key("aspect-ratio".into()));
        assert!(split_field("params->").is_err());
        assert!(split_field("params->>a(b)").is_err());
    }

    #[test]
    fn the_output_key_is_the_last_key() {
        let (name, path) = split_field("params->a->>b").unwrap();
        assert_eq!(default_key(name, &path), "b");
        let (name, path) = split_field("params->list->0").unwrap();
        assert_eq!(default_key(name, &path), "list");
        let (name, path) = split_field("tags->0").unwrap();
        assert_eq!(default_key(name, &path), "tags");
    }
}
