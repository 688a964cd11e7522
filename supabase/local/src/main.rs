//! `supabase-local`: entry point; see `cli::USAGE`.
use supabase_local::{cli, config::Settings, stack};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{}", cli::USAGE);
        return;
    }
    let cli = match cli::parse(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}\n\n{}", cli::USAGE);
            std::process::exit(2);
        }
    };
    let settings = match Settings::resolve(&cli.overrides) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = stack::run(&cli, settings).await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
