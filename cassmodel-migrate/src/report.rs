//! Everything `cassmodel` shows: the plan as text (coloured only on a terminal) or JSON,
//! progress, the `serve` ready line and errors. The only module that prints or colours.

use std::fmt::Write as _;
use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;

use cassmodel_schema::diff::{Action, Plan, Status, Step};
use serde_json::{Value, json};

use crate::error::Error;

/// ANSI colours, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    colour: bool,
}

impl Style {
    /// No colour (files, pipes, golden tests).
    pub const PLAIN: Style = Style { colour: false };

    /// Colour when stdout is a terminal and `NO_COLOR` is unset.
    pub fn for_stdout() -> Style {
        Style {
            colour: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

fn marker(step: &Step) -> (&'static str, &'static str) {
    let drop = matches!(
        step.action,
        Action::DropColumn { .. } | Action::DropIndex { .. }
    );
    match step.status {
        Status::Apply if drop => ("-", "31"),
        Status::Apply => ("+", "32"),
        Status::NeedsAllowDrop => ("-", "33"),
        Status::Notice => ("i", "36"),
        Status::Refused { .. } => ("!", "1;31"),
    }
}

/// The plan for people: one line per step, its CQL indented below, then a summary.
pub fn plan_text(plan: &Plan, style: Style) -> String {
    let mut out = String::new();
    let pending_drop = plan
        .steps
        .iter()
        .any(|s| s.status == Status::NeedsAllowDrop);
    if plan.is_up_to_date() && !pending_drop {
        let _ = writeln!(out, "Keyspace {} is up to date.", plan.keyspace);
    } else {
        let _ = writeln!(out, "Plan for keyspace {}:", plan.keyspace);
    }
    for step in &plan.steps {
        let (mark, colour) = marker(step);
        let suffix = match step.status {
            Status::NeedsAllowDrop => " (not applied: needs --allow-drop)",
            Status::Refused { .. } => " (REFUSED)",
            Status::Apply if plan.is_refused() => " (not applied: the plan is refused)",
            _ => "",
        };
        let line = format!("{mark} {}{suffix}", step.describe());
        let _ = writeln!(out, "  {}", style.paint(colour, &line));
        if let Some(cql) = step.cql() {
            let _ = writeln!(out, "      {};", style.paint("2", &cql));
        }
        if let Status::Refused { reason, safe_path } = &step.status {
            let _ = writeln!(out, "      why: {reason}");
            let _ = writeln!(out, "      safe path: {safe_path}");
        }
    }
    let count = |f: &dyn Fn(&Status) -> bool| plan.steps.iter().filter(|s| f(&s.status)).count();
    let refused = count(&|s| matches!(s, Status::Refused { .. }));
    let skipped = count(&|s| *s == Status::NeedsAllowDrop);
    let apply = count(&|s| *s == Status::Apply);
    if refused > 0 {
        let _ = writeln!(
            out,
            "{}",
            style.paint(
                "1;31",
                &format!("Refused: {refused} incompatible change(s); nothing will be applied.")
            )
        );
    } else if apply > 0 {
        let _ = writeln!(out, "{apply} step(s) to apply.");
    }
    if skipped > 0 {
        let _ = writeln!(
            out,
            "{skipped} drop(s) listed but not applied; re-run with --allow-drop to apply them (their data is lost)."
        );
    }
    out
}

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::CreateKeyspace(_) => "create_keyspace",
        Action::KeyspaceDiffers { .. } => "keyspace_differs",
        Action::CreateType(_) => "create_type",
        Action::AddTypeField { .. } => "add_type_field",
        Action::ChangeType { .. } => "change_type",
        Action::CreateTable(_) => "create_table",
        Action::UnmanagedTable(_) => "unmanaged_table",
        Action::AddColumn { .. } => "add_column",
        Action::DropColumn { .. } => "drop_column",
        Action::ChangeColumnType { .. } => "change_column_type",
        Action::ChangeColumnKind { .. } => "change_column_kind",
        Action::ChangePrimaryKey { .. } => "change_primary_key",
        Action::ChangeClusteringOrder { .. } => "change_clustering_order",
        Action::CreateIndex { .. } => "create_index",
        Action::ChangeIndex { .. } => "change_index",
        Action::DropIndex { .. } => "drop_index",
        Action::AlterOptions { .. } => "alter_options",
        _ => "other",
    }
}

/// `up_to_date`, `refused` or `changes`.
pub fn outcome(plan: &Plan) -> &'static str {
    if plan.is_refused() {
        "refused"
    } else if plan.is_up_to_date() {
        "up_to_date"
    } else {
        "changes"
    }
}

/// The plan for machines.
pub fn plan_json(plan: &Plan) -> Value {
    let steps: Vec<Value> = plan
        .steps
        .iter()
        .map(|step| {
            let mut v = json!({
                "action": action_name(&step.action),
                "status": match step.status {
                    Status::Apply => "apply",
                    Status::NeedsAllowDrop => "needs_allow_drop",
                    Status::Notice => "notice",
                    Status::Refused { .. } => "refused",
                },
                "description": step.describe(),
                "cql": step.cql(),
            });
            if let (Status::Refused { reason, safe_path }, Some(map)) =
                (&step.status, v.as_object_mut())
            {
                map.insert("reason".into(), reason.clone().into());
                map.insert("safe_path".into(), safe_path.clone().into());
            }
            v
        })
        .collect();
    json!({
        "keyspace": &*plan.keyspace,
        "outcome": outcome(plan),
        "steps": steps,
    })
}

fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Prints the plan as text.
pub fn print_plan(plan: &Plan) {
    out(&plan_text(plan, Style::for_stdout()));
}

/// Prints the final JSON document of a run (`applied`: whether the steps ran).
pub fn print_json(plan: &Plan, dry_run: bool, applied: bool) {
    let mut doc = plan_json(plan);
    if let Some(map) = doc.as_object_mut() {
        map.insert("dry_run".into(), dry_run.into());
        map.insert("applied".into(), applied.into());
    }
    out(&format!("{doc:#}\n"));
}

/// Progress of one step being applied (text mode).
pub fn progress(index: usize, total: usize, step: &Step) {
    out(&format!("[{index}/{total}] {} ... ", step.describe()));
}

/// The step just reported by [`progress`] succeeded.
pub fn progress_done() {
    out(&format!("{}\n", Style::for_stdout().paint("32", "ok")));
}

/// The end of a successful run.
pub fn applied(plan: &Plan, count: usize) {
    out(&format!(
        "Applied {count} step(s) to keyspace {}.\n",
        plan.keyspace
    ));
}

/// A dry run changed nothing.
pub fn dry_run_done() {
    out("Dry run: nothing was changed.\n");
}

/// Asks on the terminal whether to apply; `false` unless the answer is yes.
pub fn confirm(count: usize) -> bool {
    out(&format!("Apply {count} step(s)? [y/N] "));
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes")
}

/// The user declined at the prompt.
pub fn declined() {
    out("Nothing applied.\n");
}

/// The one line scripts wait for: the server is ready on `addr`.
pub fn listening(addr: SocketAddr) {
    out(&format!("cassmodel-embedded listening on {addr}\n"));
}

/// A signal arrived.
pub fn stopping() {
    eprintln!("cassmodel-embedded: shutting down (flushing data)");
}

/// The server is stopped and its data flushed.
pub fn stopped() {
    eprintln!("cassmodel-embedded: stopped");
}

/// Prints an error (and each source problem as `file:line: message`) on stderr.
pub fn error(err: &Error) {
    let style = Style {
        colour: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    if let Error::Sources(list) = err {
        for problem in list {
            eprintln!("{problem}");
        }
    }
    eprintln!("{} {err}", style.paint("1;31", "error:"));
}
