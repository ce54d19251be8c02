//! The `cassmodel` command: `migrate`, `plan`, `serve` (all logic in the library).

use clap::Parser as _;

/// `cassmodel serve` allocates and frees small buffers on every request; glibc's malloc
/// (and its `posix_memalign`, used by the storage engine's memtable) was a tenth of the
/// server's CPU time, mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cassmodel_migrate::run(cassmodel_migrate::cli::Cli::parse())
}
