//! A standalone embedded server for manual interop checks (cqlsh, the Python driver):
//!
//! ```text
//! cargo run -p cassmodel-embedded --example serve -- [127.0.0.1:9042] [DATA_DIR]
//! ```
//! Without DATA_DIR the data lives in a throw-away directory. Ctrl-C stops it cleanly.

/// The server allocates and frees small buffers per request; glibc's malloc (and its
/// `posix_memalign`, which the memtable's skiplist nodes use) was a tenth of its CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;

use cassmodel_embedded::server::{Server, ServerConfig, StorageLocation};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let listen = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:9042".into())
        .parse()?;
    let storage = args.next().map_or(StorageLocation::Memory, |dir| {
        StorageLocation::Directory(PathBuf::from(dir))
    });
    let server = Server::start(ServerConfig {
        listen,
        storage,
        ..ServerConfig::default()
    })
    .await?;
    println!("listening on {}", server.local_addr());
    tokio::signal::ctrl_c().await?;
    server.shutdown().await;
    Ok(())
}
