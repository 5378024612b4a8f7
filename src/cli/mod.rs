//! The command line: `serve`, `migrate`, `user create|list|approve`,
//! `board create|list`, `announcement create|list|delete`, `bench`.

mod announcement;
mod board;
mod user;

use crate::{
    config::Settings,
    db::{migrations, Db},
    server,
};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "staffroom",
    version,
    about = "A federated community server for K-12 STEM teachers"
)]
pub struct Cli {
    /// A TOML file with settings (see config/default.toml); STAFFROOM_* variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (migrating the database first).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage local accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage discussion boards (professional learning communities).
    Board {
        #[command(subcommand)]
        command: BoardCommand,
    },
    /// Manage announcements shown to everyone on this server in their apps.
    Announcement {
        #[command(subcommand)]
        command: AnnouncementCommand,
    },
    /// Measure a server on seeded data (its own database and server
    /// process, on loopback) and print the figures as a Markdown table.
    Bench(crate::bench::BenchArgs),
}

#[derive(Debug, Subcommand)]
pub enum BoardCommand {
    /// Create a board; its name is its handle (unique among teachers and boards).
    Create {
        name: String,
        #[arg(long)]
        title: String,
        /// federated (anyone may join), private (joining needs approval) or
        /// district (this server's teachers only; never federated)
        #[arg(long, default_value = "federated")]
        kind: String,
        /// A local teacher who moderates the board (repeatable).
        #[arg(long = "moderator", value_name = "USERNAME")]
        moderators: Vec<String>,
        /// What the board is for (Markdown).
        #[arg(long, default_value = "")]
        description: String,
        /// A subject, e.g. engineering (repeatable).
        #[arg(long = "subject")]
        subjects: Vec<String>,
        /// A grade band, e.g. 3-5 (repeatable).
        #[arg(long = "grade-band")]
        grade_bands: Vec<String>,
        /// A rule (repeatable).
        #[arg(long = "rule")]
        rules: Vec<String>,
    },
    /// List this server's boards.
    List,
    /// Appoint a moderator of a board: a teacher here (USERNAME) or on
    /// another server (USER@SERVER).
    AddModerator { board: String, account: String },
    /// Relieve a moderator of a board (a board keeps at least one).
    RemoveModerator { board: String, account: String },
}

#[derive(Debug, Subcommand)]
pub enum AnnouncementCommand {
    /// Post an announcement (plain text; links and hashtags are linked).
    Create {
        #[arg(long)]
        text: String,
        /// When it starts showing (RFC 3339, e.g. 2026-12-01T08:00:00Z); default now.
        #[arg(long, value_name = "TIME")]
        starts_at: Option<String>,
        /// When it stops showing (RFC 3339); default never.
        #[arg(long, value_name = "TIME")]
        ends_at: Option<String>,
        /// The start and end are whole days (apps show dates without times).
        #[arg(long)]
        all_day: bool,
    },
    /// List every announcement, current or not.
    List,
    /// Delete an announcement by id.
    Delete { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a local account.
    Create {
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// user, moderator or admin
        #[arg(long, default_value = "user")]
        role: String,
    },
    /// List local accounts.
    List,
    /// Let in an account that signed up while registrations need approval.
    Approve { username: String },
}

pub async fn run(command: Command, settings: Settings) -> Result<(), String> {
    match command {
        Command::Serve => server::serve(settings).await,
        Command::Migrate => {
            let db = Db::connect(&settings.database_url, 1)?;
            let applied = migrations::run(&db)?;
            if applied.is_empty() {
                println!("The database is up to date.");
            } else {
                println!("Applied: {}", applied.join(", "));
            }
            Ok(())
        }
        Command::User { command } => user::run(command, settings).await,
        Command::Board { command } => board::run(command, settings).await,
        Command::Announcement { command } => announcement::run(command, settings).await,
        Command::Bench(args) => crate::bench::run(args).await,
    }
}
