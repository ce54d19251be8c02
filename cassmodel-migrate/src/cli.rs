//! The command line (clap): `cassmodel migrate`, `cassmodel plan` and `cassmodel serve`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "Exit codes:\n  0  applied, or already up to date (or a dry run)\n  \
    1  the plan was refused (an incompatible change; nothing applied)\n  \
    2  usage error, or a model source that does not parse or that the derive would reject\n  \
    3  connection or server error (including a failed step)";

/// `cassmodel`: create and evolve the schema of cassmodel models, or run the embedded server.
#[derive(Debug, Parser)]
#[command(name = "cassmodel", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Bring the keyspace in line with the models: print the plan, then apply it.
    #[command(after_help = EXIT_CODES)]
    Migrate(MigrateArgs),
    /// Print the plan and its CQL without changing anything (= `migrate --dry-run`).
    #[command(after_help = EXIT_CODES)]
    Plan(MigrateArgs),
    /// Run the embedded CQL server in the foreground until SIGINT/SIGTERM.
    #[command(after_help = EXIT_CODES)]
    Serve(ServeArgs),
}

/// Output format of plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// For people (coloured on a terminal).
    #[default]
    Text,
    /// One JSON document on stdout, for machines.
    Json,
}

/// Options of `migrate` and `plan`.
#[derive(Debug, Args, Clone)]
pub struct MigrateArgs {
    /// Where the schema lives: `cql://[user:pass@]host[:port][,host2..]/keyspace`,
    /// `embedded:PATH[?keyspace=ks]` (keyspace defaults to PATH's last component) or
    /// `memory:KEYSPACE`.
    #[arg(long, env = "CASSMODEL_URL")]
    pub url: String,
    /// Source folders to scan for models (repeatable; default: `src/` of the current crate).
    #[arg(long)]
    pub path: Vec<PathBuf>,
    /// Replication of a keyspace created by this run: `SimpleStrategy:N` or
    /// `NetworkTopologyStrategy:dc1=3,dc2=2` [default: SimpleStrategy:1]. For an existing
    /// keyspace it is only compared (a difference is reported, never changed).
    #[arg(long)]
    pub replication: Option<String>,
    /// Create the keyspace with `durable_writes = false` (for an existing keyspace: only
    /// compared).
    #[arg(long)]
    pub no_durable_writes: bool,
    /// Print the plan and its CQL, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also drop the columns and indexes the models no longer have (their data is lost).
    #[arg(long)]
    pub allow_drop: bool,
    /// Do not ask for confirmation on a terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Options of `serve`.
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the address is printed when ready).
    #[arg(long, default_value = "127.0.0.1:9042")]
    pub listen: SocketAddr,
    /// Keep data in this directory (survives restarts).
    #[arg(long, conflicts_with = "memory")]
    pub data: Option<PathBuf>,
    /// Keep data in a throw-away directory (the default when `--data` is not given).
    #[arg(long)]
    pub memory: bool,
    /// Require this user: `USER:PASSWORD` (PasswordAuthenticator).
    #[arg(long)]
    pub auth: Option<String>,
    /// Allow a non-loopback listen address without `--auth`.
    #[arg(long)]
    pub insecure_public: bool,
}
