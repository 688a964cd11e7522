//! Command-line parsing (no framework: five commands and a handful of flags).
use crate::config::Overrides;
use std::path::PathBuf;

pub const USAGE: &str = "usage: supabase-local <start|stop|status|reset|serve> [options]

commands:
  start    start the stack in the background (PostgreSQL + API), then print status
  stop     stop the background stack and its PostgreSQL
  status   print URLs and keys (-o env for KEY=value lines)
  reset    recreate the database from bootstrap, migrations and seed
  serve    run the stack in the foreground

options:
  --workdir <dir>      project root (default: nearest parent holding supabase/config.toml)
  --data-dir <dir>     state folder (env SUPABASE_LOCAL_DATA_DIR; default <project>/supabase/.temp/local)
  --api-port <port>    API port (env SUPABASE_LOCAL_API_PORT; default [api] port or 54321)
  --db-port <port>     PostgreSQL port (env SUPABASE_LOCAL_DB_PORT; default [db] port or 54322)
  --auth-rate-limit <n>  sign-ups + password sign-ins, and separately session refreshes, allowed
                       per 5 minutes per IP (env SUPABASE_LOCAL_AUTH_RATE_LIMIT; default
                       [auth.rate_limit] sign_in_sign_ups or 30, token_refresh or 150)
  -o, --output <fmt>   status output: pretty (default) or env
  -q, --quiet          no per-request log lines (env SUPABASE_LOCAL_QUIET=1)

environment (connection limits, as hosted Kong's nginx keeps them):
  SUPABASE_LOCAL_HEADER_TIMEOUT=<s>    seconds a client has to send a request's headers, counted
                       from when the connection waits for a request, so it also closes idle
                       keep-alive connections (default 60)
  SUPABASE_LOCAL_MAX_CONNECTIONS=<n>   connections served at once, WebSockets included; further
                       connections wait until one closes (default 512)";

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Command {
    Start,
    Stop,
    Status,
    Reset,
    Serve,
}

#[derive(Debug, Clone)]
pub struct Cli {
    pub command: Command,
    pub overrides: Overrides,
    pub env_output: bool,
    /// Hidden: a throwaway instance for tests; exits when stdin closes and deletes its data.
    pub test_instance: bool,
}

pub fn parse(args: &[String]) -> Result<Cli, String> {
    let mut it = args.iter();
    let command = match it.next().map(String::as_str) {
        Some("start") => Command::Start,
        Some("stop") => Command::Stop,
        Some("status") => Command::Status,
        Some("reset") => Command::Reset,
        Some("serve") => Command::Serve,
        Some(other) => return Err(format!("unknown command {other:?}")),
        None => return Err("missing command".into()),
    };
    let mut cli = Cli { command, overrides: Overrides::default(), env_output: false, test_instance: false };
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag.as_str(), None),
        };
        match name {
            "--test-instance" => {
                cli.test_instance = true;
                continue;
            }
            "-q" | "--quiet" => {
                cli.overrides.quiet = true;
                continue;
            }
            _ => {}
        }
        let value = match inline.or_else(|| it.next().cloned()) {
            Some(v) => v,
            None => return Err(format!("{name} needs a value")),
        };
        let port = |v: &str| v.parse::<u16>().map_err(|_| format!("invalid port {v:?} for {name}"));
        match name {
            "--workdir" => cli.overrides.workdir = Some(PathBuf::from(value)),
            "--data-dir" => cli.overrides.data_dir = Some(PathBuf::from(value)),
            "--api-port" => cli.overrides.api_port = Some(port(&value)?),
            "--db-port" => cli.overrides.db_port = Some(port(&value)?),
            "--auth-rate-limit" => {
                let n = value.parse::<u32>().map_err(|_| format!("invalid count {value:?} for {name}"))?;
                cli.overrides.auth_rate_limit = Some(n);
            }
            "-o" | "--output" => match value.as_str() {
                "env" => cli.env_output = true,
                "pretty" => cli.env_output = false,
                v => return Err(format!("unsupported output format {v:?}")),
            },
            _ => return Err(format!("unknown option {name:?}")),
        }
    }
    Ok(cli)
}

/// The flags that make a re-executed `serve` see the same instance.
pub fn forward_flags(o: &Overrides) -> Vec<String> {
    let mut v = vec![];
    if let Some(w) = &o.workdir {
        v.extend(["--workdir".to_string(), w.display().to_string()]);
    }
    if let Some(d) = &o.data_dir {
        v.extend(["--data-dir".to_string(), d.display().to_string()]);
    }
    if let Some(p) = o.api_port {
        v.extend(["--api-port".to_string(), p.to_string()]);
    }
    if let Some(p) = o.db_port {
        v.extend(["--db-port".to_string(), p.to_string()]);
    }
    if let Some(n) = o.auth_rate_limit {
        v.extend(["--auth-rate-limit".to_string(), n.to_string()]);
    }
    if o.quiet {
        v.push("--quiet".to_string());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn flags_parse_and_forward_to_the_background_serve() {
        let cli =
            parse(&args("start --api-port 6000 --db-port=6001 -q --data-dir /tmp/x --auth-rate-limit 900")).unwrap();
        assert_eq!(cli.command, Command::Start);
        assert!(cli.overrides.quiet);
        assert_eq!(
            forward_flags(&cli.overrides),
            args("--data-dir /tmp/x --api-port 6000 --db-port 6001 --auth-rate-limit 900 --quiet")
        );
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        assert_eq!(parse(&args("launch")).unwrap_err(), "unknown command \"launch\"");
        assert_eq!(parse(&args("start --api-port")).unwrap_err(), "--api-port needs a value");
        assert_eq!(parse(&args("start --api-port 99999")).unwrap_err(), "invalid port \"99999\" for --api-port");
        assert_eq!(parse(&args("status -o yaml")).unwrap_err(), "unsupported output format \"yaml\"");
        assert_eq!(
            parse(&args("start --auth-rate-limit -1")).unwrap_err(),
            "invalid count \"-1\" for --auth-rate-limit"
        );
    }
}
