//! The one error type every layer of the server returns: a CQL error with the code,
//! message and extra body that Cassandra would send (native_protocol_v4.spec §9).

use std::fmt;

/// An error code of the native protocol (`doc/native_protocol_v4.spec` §9 in apache/cassandra).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum ErrorCode {
    /// 0x0000: the server failed in a way it did not expect.
    Server = 0x0000,
    /// 0x000A: the request breaks the protocol.
    Protocol = 0x000A,
    /// 0x0100: authentication failed.
    BadCredentials = 0x0100,
    /// 0x1000: not enough replicas alive for the consistency level.
    Unavailable = 0x1000,
    /// 0x1001: overloaded.
    Overloaded = 0x1001,
    /// 0x1003: truncation failed.
    Truncate = 0x1003,
    /// 0x1100: write timeout.
    WriteTimeout = 0x1100,
    /// 0x1200: read timeout.
    ReadTimeout = 0x1200,
    /// 0x1400: a (native or user) function failed while executing.
    FunctionFailure = 0x1400,
    /// 0x2000: the statement does not parse.
    Syntax = 0x2000,
    /// 0x2100: the user may not do this.
    Unauthorized = 0x2100,
    /// 0x2200: the statement parses but is invalid.
    Invalid = 0x2200,
    /// 0x2300: a configuration problem (e.g. bad replication options).
    Config = 0x2300,
    /// 0x2400: the keyspace or table already exists.
    AlreadyExists = 0x2400,
    /// 0x2500: the prepared statement id is not known.
    Unprepared = 0x2500,
}

/// The extra body some error codes carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorExtra {
    /// No extra body.
    None,
    /// Unavailable: `<cl><required><alive>`.
    Unavailable {
        /// The consistency level as its protocol code.
        consistency: u16,
        /// Replicas required.
        required: i32,
        /// Replicas alive.
        alive: i32,
    },
    /// AlreadyExists: `<ks><table>` (`table` is empty for a keyspace).
    AlreadyExists {
        /// Keyspace name.
        keyspace: String,
        /// Table name, empty for a keyspace.
        table: String,
    },
    /// FunctionFailure: `<keyspace><function><arg_types>`, the failed function's
    /// keyspace, name and argument types as CQL type strings (spec §9, 0x1400).
    FunctionFailure {
        /// Keyspace of the function (`system` for native functions).
        keyspace: String,
        /// Function name.
        function: String,
        /// One CQL type string per argument.
        arg_types: Vec<String>,
    },
    /// Unprepared: the unknown statement id.
    Unprepared {
        /// The id the client sent.
        id: Vec<u8>,
    },
}

/// A CQL error as Cassandra sends it: code, message and extra body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CqlError {
    /// Protocol error code.
    pub code: ErrorCode,
    /// Message, worded as Cassandra 4.1 words it.
    pub message: String,
    /// Extra body for the codes that have one.
    pub extra: ErrorExtra,
}

impl CqlError {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CqlError {
            code,
            message: message.into(),
            extra: ErrorExtra::None,
        }
    }
    /// 0x2200 Invalid.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Invalid, message)
    }
    /// 0x2000 Syntax.
    pub fn syntax(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Syntax, message)
    }
    /// 0x000A Protocol.
    pub fn protocol(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Protocol, message)
    }
    /// 0x0000 Server.
    pub fn server(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Server, message)
    }
    /// 0x2300 Config.
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Config, message)
    }
    /// 0x2100 Unauthorized.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthorized, message)
    }
    /// 0x0100 BadCredentials.
    pub fn bad_credentials(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadCredentials, message)
    }
    /// An Invalid error for CQL the embedded server does not implement.
    pub fn unsupported(what: impl fmt::Display) -> Self {
        Self::invalid(format!("{what} is not supported by the embedded server"))
    }
    /// 0x2400 AlreadyExists for a keyspace (`table` empty) or a table.
    pub fn already_exists(keyspace: &str, table: &str) -> Self {
        let message = if table.is_empty() {
            format!("Keyspace {keyspace} already exists")
        } else {
            format!("Cannot add already existing table \"{table}\" to keyspace \"{keyspace}\"")
        };
        CqlError {
            code: ErrorCode::AlreadyExists,
            message,
            extra: ErrorExtra::AlreadyExists {
                keyspace: keyspace.to_owned(),
                table: table.to_owned(),
            },
        }
    }
    /// 0x1400 FunctionFailure, as `C*: exceptions/FunctionExecutionException.java` (4.1)
    /// carries it: the message is sent as given, the body names the function.
    pub fn function_failure(
        keyspace: &str,
        function: &str,
        arg_types: &[&str],
        message: impl Into<String>,
    ) -> Self {
        CqlError {
            code: ErrorCode::FunctionFailure,
            message: message.into(),
            extra: ErrorExtra::FunctionFailure {
                keyspace: keyspace.to_owned(),
                function: function.to_owned(),
                arg_types: arg_types.iter().map(|t| (*t).to_owned()).collect(),
            },
        }
    }
    /// 0x2500 Unprepared for an unknown statement id.
    pub fn unprepared(id: &[u8]) -> Self {
        CqlError {
            code: ErrorCode::Unprepared,
            message: format!(
                "Prepared query with ID {} not found",
                crate::types::codec::hex(id)
            ),
            extra: ErrorExtra::Unprepared { id: id.to_vec() },
        }
    }
}

impl fmt::Display for CqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} (0x{:04x}): {}",
            self.code, self.code as i32, self.message
        )
    }
}

impl std::error::Error for CqlError {}

/// Result with a [`CqlError`].
pub type CqlResult<T> = Result<T, CqlError>;
