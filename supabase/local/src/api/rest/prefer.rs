//! The `Prefer` header (<https://docs.postgrest.org/en/v12/references/api/preferences.html>): comma-separated, several headers allowed; what was
//! honoured is echoed in `Preference-Applied`.
use axum::http::HeaderMap;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Return {
    #[default]
    Minimal,
    HeadersOnly,
    Representation,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Prefer {
    /// Explicit `return=`, if any (writes default to minimal).
    pub ret: Option<Return>,
    /// `count=exact|planned|estimated` (all counted exactly here), as given.
    pub count: Option<String>,
    /// `resolution=merge-duplicates` (true) or `ignore-duplicates` (false).
    pub resolution: Option<bool>,
    pub missing_default: bool,
}

impl Prefer {
    pub fn parse(headers: &HeaderMap) -> Prefer {
        let mut p = Prefer::default();
        let items = headers
            .get_all("prefer")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string());
        for item in items {
            match item.as_str() {
                "return=minimal" => p.ret = Some(Return::Minimal),
                "return=headers-only" => p.ret = Some(Return::HeadersOnly),
                "return=representation" => p.ret = Some(Return::Representation),
                "count=exact" | "count=planned" | "count=estimated" => p.count = Some(item[6..].to_string()),
                "resolution=merge-duplicates" => p.resolution = Some(true),
                "resolution=ignore-duplicates" => p.resolution = Some(false),
                "missing=default" => p.missing_default = true,
                _ => {}
            }
        }
        p
    }

    pub fn representation(&self) -> bool {
        self.ret == Some(Return::Representation)
    }

    /// The `Preference-Applied` items for a request that honoured them.
    pub fn applied(&self, write: bool) -> Vec<String> {
        let mut out = vec![];
        if let Some(r) = self.resolution.filter(|_| write) {
            out.push(if r { "resolution=merge-duplicates" } else { "resolution=ignore-duplicates" }.to_string());
        }
        if self.missing_default && write {
            out.push("missing=default".into());
        }
        if let Some(r) = self.ret {
            out.push(
                match r {
                    Return::Minimal => "return=minimal",
                    Return::HeadersOnly => "return=headers-only",
                    Return::Representation => "return=representation",
                }
                .to_string(),
            );
        }
        if let Some(c) = &self.count {
            out.push(format!("count={c}"));
        }
        out
    }
}
