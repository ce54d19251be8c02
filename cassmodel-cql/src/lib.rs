//! A CQL lexer and parser producing a typed AST.
