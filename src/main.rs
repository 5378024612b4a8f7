use clap::Parser;
use staffroom::{cli, config};
use std::process::ExitCode;

/// glibc gives each thread that allocates an arena of its own (up to eight
/// per core), and freed memory stays in them: with the runtime's and the
/// database's threads, that was most of the memory a busy server kept.
/// Two arenas keep it small at no measurable cost to speed (BENCHMARKS.md).
fn fewer_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn main() -> ExitCode {
    fewer_malloc_arenas();
    let args = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_server=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let settings = match config::load(args.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("staffroom: {e}");
            return ExitCode::from(2);
        }
    };
    let result = actix_web::rt::System::new().block_on(cli::run(args.command, settings));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("staffroom: {e}");
            ExitCode::FAILURE
        }
    }
}
