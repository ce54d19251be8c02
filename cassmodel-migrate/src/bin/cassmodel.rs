//! The `cassmodel` command: `migrate`, `plan`, `serve` (all logic in the library).

use clap::Parser as _;

fn main() -> std::process::ExitCode {
    cassmodel_migrate::run(cassmodel_migrate::cli::Cli::parse())
}
