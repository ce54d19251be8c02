//! syncdb for cassmodel, as a library and as the `cassmodel` command.
//!
//! `cassmodel migrate --url URL` finds the models in the crate's sources ([`discover`], with
//! the derive's own attribute parser), connects and reads the live schema from
//! `system_schema` through the runtime ([`apply`]: `cassmodel::Db`, the same reader and URL
//! handling `Db::sync` uses), computes a plan with cassmodel-schema's diff ([`plan`]), prints
//! it with its exact CQL ([`report`]) and applies it with `Db::apply_plan`, waiting for
//! schema agreement after each statement. Nothing is dropped without `--allow-drop`; incompatible changes (a column's
//! type, the primary key, the clustering order, a user type's existing fields) refuse the
//! whole plan with the reason and the safe path. `cassmodel plan` (or `--dry-run`) only
//! prints. `cassmodel serve` runs the embedded server in the foreground ([`serve`]).
//!
//! Exit codes: `0` applied or up to date (or a dry run), `1` plan refused (nothing applied),
//! `2` usage error or model sources that do not parse / that the derive rejects (reported as
//! `file:line: message`), `3` connection or server error.

pub mod apply;
pub mod cli;
pub mod discover;
pub mod error;
pub mod plan;
pub mod report;
pub mod serve;
pub mod url;

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use cassmodel_schema::diff::KeyspaceDef;

pub use error::{Error, SourceError};

use crate::cli::{Cli, Command, Format, MigrateArgs};

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let err = Error::Serve(format!("cannot start the async runtime: {e}"));
            report::error(&err);
            return err.exit_code();
        }
    };
    let result = runtime.block_on(async {
        match &cli.command {
            Command::Serve(args) => serve::serve(args).await.map(|()| ExitCode::SUCCESS),
            Command::Migrate(args) => migrate(args, args.dry_run).await,
            Command::Plan(args) => migrate(args, true).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(err) => {
            report::error(&err);
            err.exit_code()
        }
    }
}

/// `migrate` (or `plan` when `dry_run`): discover, read the live schema, plan, print, apply.
/// Returns exit code 0 (applied, up to date, dry run) or 1 (refused).
pub async fn migrate(args: &MigrateArgs, dry_run: bool) -> Result<ExitCode, Error> {
    let url = url::parse(&args.url)?;
    let replication =
        plan::parse_replication(args.replication.as_deref().unwrap_or("SimpleStrategy:1"))?;
    let roots = if args.path.is_empty() {
        vec![PathBuf::from("src")]
    } else {
        args.path.clone()
    };
    let models = discover::discover(&roots)?;
    let desired = plan::desired_schema(
        &models,
        KeyspaceDef {
            name: url.keyspace.clone().into(),
            replication,
            durable_writes: !args.no_durable_writes,
        },
    );
    let mut db = apply::connect(&url).await?;
    let outcome = plan_and_apply(&mut db, args, &desired, dry_run).await;
    db.close().await;
    outcome
}

async fn plan_and_apply(
    db: &mut cassmodel::Db,
    args: &MigrateArgs,
    desired: &cassmodel_schema::diff::SchemaDef,
    dry_run: bool,
) -> Result<ExitCode, Error> {
    let live = apply::live_schema(db, &desired.keyspace.name).await?;
    // An existing keyspace is compared only with what was asked explicitly.
    let mut desired = desired.clone();
    if let Some(live) = &live {
        if args.replication.is_none() {
            desired.keyspace.replication = live.keyspace.replication.clone();
        }
        if !args.no_durable_writes {
            desired.keyspace.durable_writes = live.keyspace.durable_writes;
        }
    }
    let plan = plan::plan(&desired, live.as_ref(), args.allow_drop);
    let text = args.format == Format::Text;
    if text {
        report::print_plan(&plan);
    }
    if plan.is_refused() {
        if !text {
            report::print_json(&plan, dry_run, false);
        }
        return Ok(ExitCode::from(1));
    }
    let todo = plan.to_apply().len();
    if dry_run || todo == 0 {
        if text && dry_run && todo > 0 {
            report::dry_run_done();
        } else if !text {
            report::print_json(&plan, dry_run, false);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if text && !args.yes && std::io::stdin().is_terminal() && !report::confirm(todo) {
        report::declined();
        return Ok(ExitCode::SUCCESS);
    }
    let count = apply::apply(db, &plan, text).await?;
    if text {
        report::applied(&plan, count);
    } else {
        report::print_json(&plan, false, true);
    }
    Ok(ExitCode::SUCCESS)
}
