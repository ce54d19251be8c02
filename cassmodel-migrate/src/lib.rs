//! syncdb for cassmodel.
