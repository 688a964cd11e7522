//! The functions `/rest/v1/rpc/{fn}` can call: found in pg_proc by name, then matched to the
//! request by argument names (PostgREST's overload resolution), or PGRST202 when none fits.
use crate::api::error::ApiError;

/// Every function of `public` named `$1`, with what matching and calling it needs.
pub const PROC_SQL: &str = "select p.proname::text, p.provolatile::text, p.proretset,
    coalesce(p.proargnames, '{}'), coalesce(p.proargmodes::text[], '{}'),
    array(select format_type(x, null) from unnest(p.proargtypes::oid[]) with ordinality u(x, i) order by i),
    coalesce(array(select format_type(x, null) from unnest(p.proallargtypes) with ordinality u(x, i) order by i), '{}'),
    p.pronargdefaults::int, t.typname::text = 'void', t.typtype::text,
    array(select a.attname::text from pg_attribute a where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped order by a.attnum),
    array(select format_type(a.atttypid, a.atttypmod) from pg_attribute a where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped order by a.attnum),
    (select c.relname::text from pg_class c join pg_namespace cn on cn.oid = c.relnamespace where c.oid = t.typrelid and cn.nspname = 'public' and c.relkind in ('r', 'v', 'm', 'p'))
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_type t on t.oid = p.prorettype
  where n.nspname = 'public' and p.proname = $1 and p.prokind = 'f'";

/// One candidate function.
#[derive(Debug, Clone)]
pub struct Proc {
    pub name: String,
    pub volatile: bool,
    pub set: bool,
    pub void: bool,
    /// Input arguments: (name, type); a name may be empty (unnamed).
    pub args: Vec<(String, String)>,
    /// How many of the trailing input arguments have defaults.
    pub defaults: usize,
    /// Result columns when the result is a row type or `table (…)`; empty for scalars.
    pub columns: Vec<(String, String)>,
    /// The public table whose row type the function returns (for embedding from the result).
    pub relation: Option<String>,
}

impl Proc {
    pub fn from_row(r: &tokio_postgres::Row) -> Proc {
        let names: Vec<String> = r.get(3);
        let modes: Vec<String> = r.get(4);
        let in_types: Vec<String> = r.get(5);
        let all_types: Vec<String> = r.get(6);
        let mode = |i: usize| modes.get(i).map(String::as_str).unwrap_or("i");
        let input: Vec<String> = (0..names.len().max(in_types.len()))
            .filter(|&i| matches!(mode(i), "i" | "b" | "v"))
            .map(|i| names.get(i).cloned().unwrap_or_default())
            .collect();
        let args = input.into_iter().zip(in_types.iter().cloned()).collect();
        let mut columns: Vec<(String, String)> =
            r.get::<_, Vec<String>>(10).into_iter().zip(r.get::<_, Vec<String>>(11)).collect();
        if columns.is_empty() {
            columns = (0..names.len())
                .filter(|&i| matches!(mode(i), "o" | "b" | "t"))
                .map(|i| (names[i].clone(), all_types.get(i).cloned().unwrap_or_default()))
                .collect();
        }
        Proc {
            name: r.get(0),
            volatile: r.get::<_, String>(1) == "v",
            set: r.get(2),
            void: r.get(8),
            args,
            defaults: r.get::<_, i32>(7).max(0) as usize,
            columns,
            relation: r.get(12),
        }
    }

    /// A single unnamed json/jsonb argument takes the whole body.
    pub fn takes_body(&self) -> bool {
        self.args.len() == 1 && self.args[0].0.is_empty() && matches!(self.args[0].1.as_str(), "json" | "jsonb")
    }

    /// Every key is an argument, and every argument without a default is given.
    pub fn matches(&self, keys: &[String]) -> bool {
        let required = self.args.len().saturating_sub(self.defaults);
        keys.iter().all(|k| self.args.iter().any(|(n, _)| n == k))
            && self.args[..required].iter().all(|(n, _)| keys.contains(n))
    }
}

pub fn not_found(name: &str, keys: &[String], procs: &[Proc]) -> ApiError {
    let mut sorted = keys.to_vec();
    sorted.sort();
    let (sig, with) = if sorted.is_empty() {
        (" without parameters".to_string(), "without parameters".to_string())
    } else {
        (format!("({})", sorted.join(", ")), format!("with parameters {}", sorted.join(", ")))
    };
    let mut e = ApiError::rest(
        404,
        "PGRST202",
        format!("Could not find the function public.{name}{sig} in the schema cache"),
        Some(format!("Searched for the function public.{name} {with} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.")),
    );
    if let (ApiError::Rest { hint, .. }, Some(p)) = (&mut e, procs.first()) {
        let mut names: Vec<&str> = p.args.iter().map(|(n, _)| n.as_str()).collect();
        names.sort();
        *hint = Some(format!("Perhaps you meant to call the function public.{name}({})", names.join(", ")));
    }
    e
}
