//! What can go wrong, and the exit code of each.

use std::process::ExitCode;

/// One problem in a model source: `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// The file, as found under `--path`.
    pub file: std::path::PathBuf,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// A failed `cassmodel` command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Bad arguments (URL, replication, listen address...).
    #[error("{0}")]
    Usage(String),
    /// Model sources that do not parse or that the derive would reject.
    #[error("{} problem(s) in the model sources; nothing was applied", .0.len())]
    Sources(Vec<SourceError>),
    /// The cluster or server could not be reached or refused the session.
    #[error("cannot connect to {target}: {message}")]
    Connect {
        /// What was being reached.
        target: String,
        /// Why it failed.
        message: String,
    },
    /// The live schema could not be read.
    #[error("cannot read the live schema from system_schema: {0}")]
    Live(String),
    /// A step failed on the server.
    #[error(
        "step {index} ({what}) failed: {message}; the steps before it were applied, re-run `cassmodel migrate` after fixing the cause"
    )]
    Apply {
        /// 1-based step number.
        index: usize,
        /// The step.
        what: String,
        /// The server's error.
        message: String,
    },
    /// The embedded server could not start.
    #[error("cannot start the embedded server: {0}")]
    Serve(String),
}

impl Error {
    /// The process exit code: 2 for usage and source errors, 3 for connection/server errors.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_) | Error::Sources(_) => ExitCode::from(2),
            Error::Connect { .. } | Error::Live(_) | Error::Apply { .. } | Error::Serve(_) => {
                ExitCode::from(3)
            }
        }
    }
}
