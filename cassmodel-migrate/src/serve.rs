//! `cassmodel serve`: the embedded server in the foreground until SIGINT or SIGTERM.

use cassmodel_embedded::server::{Credentials, Server, ServerConfig, StorageLocation};

use crate::cli::ServeArgs;
use crate::error::Error;
use crate::report;

/// The server configuration `args` ask for, after the safety checks: a non-loopback address
/// needs `--auth` (or `--insecure-public`), `--auth` must be `USER:PASSWORD`.
pub fn config(args: &ServeArgs) -> Result<ServerConfig, Error> {
    let auth = match &args.auth {
        None => None,
        Some(spec) => {
            let (user, password) = spec
                .split_once(':')
                .filter(|(u, _)| !u.is_empty())
                .ok_or_else(|| Error::Usage("--auth must be USER:PASSWORD".to_owned()))?;
            Some(Credentials {
                user: user.to_owned(),
                password: password.to_owned(),
            })
        }
    };
    if !args.listen.ip().is_loopback() && auth.is_none() && !args.insecure_public {
        return Err(Error::Usage(format!(
            "refusing to listen on {} without authentication: anyone on the network could \
             read and write the data; add --auth USER:PASSWORD (or --insecure-public)",
            args.listen
        )));
    }
    let storage = match &args.data {
        Some(dir) => StorageLocation::Directory(dir.clone()),
        None => StorageLocation::Memory,
    };
    Ok(ServerConfig {
        listen: args.listen,
        storage,
        auth,
        ..ServerConfig::default()
    })
}

/// Runs the server until a signal, then shuts it down (flushing the data).
pub async fn serve(args: &ServeArgs) -> Result<(), Error> {
    let config = config(args)?;
    let handle = Server::start(config)
        .await
        .map_err(|e| Error::Serve(e.to_string()))?;
    report::listening(handle.local_addr());
    wait_for_signal().await?;
    report::stopping();
    handle.shutdown().await;
    report::stopped();
    Ok(())
}

#[cfg(unix)]
async fn wait_for_signal() -> Result<(), Error> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term =
        signal(SignalKind::terminate()).map_err(|e| Error::Serve(format!("SIGTERM: {e}")))?;
    let mut int =
        signal(SignalKind::interrupt()).map_err(|e| Error::Serve(format!("SIGINT: {e}")))?;
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    Ok(())
}

#[cfg(not(unix))]
async fn wait_for_signal() -> Result<(), Error> {
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Error::Serve(format!("ctrl-c: {e}")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn args(listen: &str) -> ServeArgs {
        ServeArgs {
            listen: listen.parse().unwrap(),
            data: None,
            memory: false,
            auth: None,
            insecure_public: false,
        }
    }

    #[test]
    fn public_address_needs_auth_or_explicit_consent() {
        assert!(config(&args("127.0.0.1:0")).is_ok());
        assert!(matches!(
            config(&args("0.0.0.0:9042")),
            Err(Error::Usage(_))
        ));
        let mut a = args("0.0.0.0:9042");
        a.auth = Some("cassandra:secret".into());
        assert_eq!(config(&a).unwrap().auth.unwrap().user, "cassandra");
        let mut a = args("0.0.0.0:9042");
        a.insecure_public = true;
        assert!(config(&a).is_ok());
        let mut a = args("127.0.0.1:0");
        a.auth = Some("nopassword".into());
        assert!(config(&a).is_err());
    }
}
