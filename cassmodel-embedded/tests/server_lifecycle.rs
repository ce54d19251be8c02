//! Starting and stopping the server: ephemeral ports, address-in-use errors, graceful
//! shutdown, drop, and the throw-away data directory of `StorageLocation::Memory`.

#![expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::time::Duration;

use cassmodel_embedded::server::{Server, ServerConfig, StartError, StorageLocation};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn local() -> ServerConfig {
    ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..ServerConfig::default()
    }
}

#[test]
fn default_config_matches_the_contract() {
    let c = ServerConfig::default();
    assert_eq!(c.listen, "127.0.0.1:9042".parse().unwrap());
    assert_eq!(c.storage, StorageLocation::Memory);
    assert!(c.auth.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn address_in_use_says_so() {
    let first = Server::start(local()).await.unwrap();
    let err = Server::start(ServerConfig {
        listen: first.local_addr(),
        ..local()
    })
    .await
    .unwrap_err();
    assert!(matches!(err, StartError::Bind { addr, .. } if addr == first.local_addr()));
    let text = err.to_string();
    assert!(text.contains(&first.local_addr().to_string()), "{text}");
    assert!(text.to_lowercase().contains("in use"), "{text}");
    first.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_connections_frees_the_port_and_removes_memory_storage() {
    let server = Server::start(local()).await.unwrap();
    let addr = server.local_addr();
    let dir = server.data_dir().to_path_buf();
    assert!(dir.is_dir());
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(&[4, 0, 0, 1, 5, 0, 0, 0, 0]).await.unwrap();
    let mut reply = [0u8; 9];
    s.read_exact(&mut reply).await.unwrap();
    assert_eq!(reply[4], 0x06);

    tokio::time::timeout(Duration::from_secs(15), server.shutdown())
        .await
        .unwrap();
    // The rest of the SUPPORTED body, then end of stream.
    let mut rest = Vec::new();
    let eof = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut rest)).await;
    assert!(eof.is_ok(), "connection still open after shutdown");
    assert!(!dir.exists(), "temporary data directory left behind");
    // The port is free again.
    let again = Server::start(ServerConfig {
        listen: addr,
        ..local()
    })
    .await
    .unwrap();
    again.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_storage_is_kept_and_drop_stops_the_server() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    let server = Server::start(ServerConfig {
        storage: StorageLocation::Directory(dir.clone()),
        ..local()
    })
    .await
    .unwrap();
    let addr = server.local_addr();
    assert_eq!(server.data_dir(), dir.as_path());
    drop(server);
    let mut refused = false;
    for _ in 0..100 {
        if TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "still accepting after the handle was dropped");
    assert!(dir.is_dir());
}
